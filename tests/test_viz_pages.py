"""Multi-page drawings of large structures, and the gallery's highlighted pathways."""

from __future__ import annotations

from pathlib import Path

from test_viz_draw import assert_clean

from solver.model.check import is_pathway
from solver.model.load import bundled_rules, load_qualification
from viz.draw import draw_qualification
from viz.gallery import cheapest_units
from viz.graph import to_graph, unit_nodes
from viz.layout import layout_qualification
from viz.pages import iter_page_graphs, render_pages
from viz.samples import synthetic_qualification


def test_one_page_per_group_every_unit_drawn_and_clean() -> None:
    q = synthetic_qualification(groups=8, units_per_group=25)
    G = to_graph(q)
    pages = list(iter_page_graphs(G))
    assert len(pages) == 8
    seen: set[str] = set()
    for H in pages:
        pos = layout_qualification(H, compact=False)
        units = unit_nodes(H)
        assert len(units) == 25 and all(u in pos for u in units)
        seen.update(units)
        assert_clean(draw_qualification(H, pos))
    assert seen == set(unit_nodes(G))
    # the page of Specialism F sits inside its any_of band, so the reader sees where it belongs
    assert "SYN-200/specialism" in pages[6]


def test_pdf_has_a_page_per_group(tmp_path: Path) -> None:
    q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    [out] = render_pages(q, tmp_path / "d.pdf", highlight=cheapest_units(q))
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"/Count 4" in data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.pdf"]


def test_gallery_highlights_real_pathways() -> None:
    diploma = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    synthetic = synthetic_qualification(groups=8, units_per_group=25)
    assert is_pathway(diploma, cheapest_units(diploma))
    units = cheapest_units(synthetic)
    assert is_pathway(synthetic, units)
    # every specialism group taken meets its 12-credit minimum and 5-unit maximum
    for group in synthetic.iter_groups():
        mine = [u for u in units if u in group.units]
        if group.id in ("F", "G") and mine:
            assert sum(synthetic.unit(u).credits or 0 for u in mine) >= 12 and len(mine) <= 5


def test_a_link_to_a_unit_on_another_page_is_written_in_the_box() -> None:
    # a barred pair across groups A and B, and a prerequisite inside A: each page writes them in
    # the boxes (a line to a unit on another page cannot be drawn), and the key says what they mean
    from decimal import Decimal

    from solver.model import Barred, Group, Prerequisite, Qualification, Unit

    units = tuple(Unit(id=u, title=f"Unit {u}", credits=Decimal(3)) for u in ("a1", "a2", "b1", "b2"))
    q = Qualification(id="Q", title="Two groups", units=units,
                      requirements=(Group(id="A", units=("a1", "a2"), min_credits=Decimal(3)),
                                    Group(id="B", units=("b1", "b2"), min_credits=Decimal(3))),
                      barred=(Barred(units=("a1", "b2")),), prerequisites=(Prerequisite(unit="a2", requires=("a1",)),))
    first, second = iter_page_graphs(to_graph(q))
    texts = {}
    for H in (first, second):
        ax = draw_qualification(H, layout_qualification(H, compact=False))
        assert_clean(ax)
        texts.update({(t.get_gid() or "").split(":")[1]: t.get_text() for t in ax.texts
                      if (t.get_gid() or "").startswith("links:")})
        assert any("“not with X”: barred" in t.get_text() for t in ax.texts)
    assert texts == {"a1": "not with b2", "a2": "needs a1", "b2": "not with a1"}
