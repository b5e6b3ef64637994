"""Change views: diff statuses worked out by hand, the merged graph, and the drawing."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from matplotlib.text import Text
from test_viz_draw import assert_clean

from solver.model import Combination, Qualification, Requirement, Unit
from solver.model.errors import UsageError
from solver.model.load import bundled_rules, load_qualification
from viz.diff import Change, diff_graph, diff_status, render_diff
from viz.draw import draw_qualification
from viz.graph import unit_nodes
from viz.samples import revised_diploma

Q = "L2-DIP-CS"


@pytest.fixture(scope="module")
def diploma() -> Qualification:
    return load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")


def edit_groups(q: Qualification, **changes: dict[str, object] | None) -> Qualification:
    """A copy with the named groups replaced field by field (``None`` removes the group)."""

    def edit(node: Requirement) -> Requirement | None:
        if isinstance(node, Combination):
            kept = tuple(c for c in (edit(c) for c in node.requirements) if c is not None)
            return dataclasses.replace(node, requirements=kept)
        if node.id in changes:
            fields = changes[node.id]
            return None if fields is None else dataclasses.replace(node, **fields)  # type: ignore[arg-type]
        return node

    return dataclasses.replace(q, requirements=tuple(r for r in map(edit, q.requirements) if r is not None))


def test_revision_statuses_by_hand(diploma: Qualification) -> None:
    new = revised_diploma(diploma)  # Group B min 16 -> 18; working-relationships moves from C to B
    d = diff_status(diploma, new)
    assert set(d.units) == {"working-relationships"}
    moved = d.units["working-relationships"]
    assert moved.change is Change.CHANGED
    assert moved.fields == (("groups", ("C",), ("B",)),)
    assert moved.note == "moved from Optional Group C"
    assert set(d.requirements) == {"B"}  # C's rule is unchanged; only its list lost a unit
    assert d.requirements["B"].fields == (("min_credits", Decimal(16), Decimal(18)),)
    assert d.requirements["B"].note == "min 16 → 18 credits"
    assert d.membership["B"].units_in == ("working-relationships",)
    assert d.membership["C"].units_out == ("working-relationships",)
    assert set(d.membership) == {"B", "C"}
    # counted on the change list `qualpath diff` prints: B's limit, B's list and C's list
    assert d.counts() == {"units moved": 1, "rules changed": 3}
    assert d.qualification == () and d.other == ()
    assert d.summary() == ("Changes from the old version: 1 unit moved, 3 rules changed (Develop working "
                           "relationships with colleagues: moved from Optional Group C); "
                           "Optional Group B: min 16 → 18 credits.")


def test_revision_graph(diploma: Qualification) -> None:
    G = diff_graph(diploma, revised_diploma(diploma))
    assert len(unit_nodes(G)) == 39  # nothing added or removed
    assert G.nodes[f"{Q}/B"]["rule"] == "min 16 → 18 credits"
    assert G.nodes[f"{Q}/B"]["diff"] == "changed"
    assert G.nodes[f"{Q}/C"]["diff"] == "changed"  # it lost a unit, so it asks for something else
    # B had 58 credits available, C 47; the moved unit is worth 3
    assert (G.nodes[f"{Q}/B"]["total_credits"], G.nodes[f"{Q}/C"]["total_credits"]) == (61, 44)
    assert G.nodes["working-relationships"]["group"] == f"{Q}/B"
    assert not G.has_edge(f"{Q}/C", "working-relationships")  # drawn once, where it is now
    marked = {n: a["diff"] for n, a in G.nodes(data=True) if "diff" in a}
    assert marked == {f"{Q}/B": "changed", f"{Q}/C": "changed", "working-relationships": "changed"}


def test_added_removed_and_revalued_units(diploma: Qualification) -> None:
    revalued = [dataclasses.replace(u, credits=Decimal(4)) if u.id == "make-calls" else u for u in diploma.units]
    units = (*revalued, Unit(id="ai-tools", title="Use AI tools", credits=Decimal(3), level=2))
    group_c = next(g for g in diploma.iter_groups() if g.id == "C")
    new = edit_groups(dataclasses.replace(diploma, units=units),
                      C={"units": (*[u for u in group_c.units if u != "bespoke-software"], "ai-tools"),
                         "max_credits": None, "max_units": 3})
    d = diff_status(diploma, new)
    assert {u: str(c.change) for u, c in d.units.items()} == {
        "make-calls": "changed", "ai-tools": "added", "bespoke-software": "removed"}
    assert d.units["make-calls"].note == "credits 3 → 4"
    assert d.requirements["C"].note == "max 7 credits (removed), max 3 units (new)"
    G = diff_graph(diploma, new, d)
    # the removed unit is drawn from the old version, at the end of its old group
    assert G.nodes["bespoke-software"]["diff"] == "removed"
    assert list(G.successors(f"{Q}/C"))[-1] == "bespoke-software"
    assert G.nodes["ai-tools"]["diff"] == "added"
    assert G.nodes["make-calls"]["credits"] == 4


def test_removed_group_drawn_from_old(diploma: Qualification) -> None:
    new = edit_groups(diploma, A=None)
    d = diff_status(diploma, new)
    assert {r: str(c.change) for r, c in d.requirements.items()} == {"A": "removed"}
    assert {u: str(c.change) for u, c in d.units.items()} == {"communicate-verbally": "removed",
                                                             "communicate-in-writing": "removed"}
    G = diff_graph(diploma, new, d)
    assert G.nodes[f"{Q}/A"]["title"] == "Optional Group A (removed)"
    assert G.has_edge(f"{Q}/optional", f"{Q}/A")
    assert set(G.successors(f"{Q}/A")) == {"communicate-verbally", "communicate-in-writing"}


def test_no_change(diploma: Qualification) -> None:
    d = diff_status(diploma, diploma)
    assert not d
    assert d.summary() == "Changes from the old version: no unit or group changes."


def test_whole_qualification_limit(diploma: Qualification) -> None:
    new = dataclasses.replace(diploma, min_credits=Decimal(50))
    G = diff_graph(diploma, new)
    assert G.nodes[Q]["rule"] == "min 45 → 50 credits"
    assert "qualification: min 45 → 50 credits" in G.graph["diff"].summary()


def test_drawing_is_clean_and_marks_changes(tmp_path: Path, diploma: Qualification) -> None:
    G = diff_graph(diploma, revised_diploma(diploma))
    ax = draw_qualification(G)
    assert_clean(ax)
    texts = {t.get_gid(): t.get_text() for t in ax.findobj(Text) if t.get_gid()}
    assert texts["diff:working-relationships"] == "from Optional Group C"
    assert texts[f"band:{Q}/B:0"].startswith("Optional Group B — min 16 → 18 credits")
    labels = {t.get_text() for t in ax.findobj(Text)}
    assert "changed" in labels and "added" not in labels  # the key lists only what occurs
    path = render_diff(diploma, revised_diploma(diploma), tmp_path / "diff.svg")
    ET.fromstring(path.read_bytes())
    assert "min 16 → 18 credits" in path.read_text(encoding="utf-8")


def test_render_diff_rejects_highlight(tmp_path: Path, diploma: Qualification) -> None:
    with pytest.raises(UsageError, match="highlight= cannot be used"):
        render_diff(diploma, diploma, tmp_path / "x.png", highlight=["make-calls"])
    assert list(tmp_path.iterdir()) == []


def test_picture_and_text_read_one_change_list(diploma: Qualification) -> None:
    """Issue 13 item 5: `diff` and `draw --diff` agree on how many rules (and units) changed."""
    from solver.design.diff import diff, format_diff

    new = revised_diploma(diploma)
    text = format_diff(diff(diploma, new, timeout=1.0), diploma, new)
    listed = text.split("What changed in the data:")[1].split("What that does:")[0]
    rule_lines = [line for line in listed.splitlines() if line.strip().startswith("rule ")]
    unit_lines = [line for line in listed.splitlines() if line.strip().startswith("unit ")]
    counts = diff_status(diploma, new).counts()
    assert sum(n for k, n in counts.items() if k.startswith("rules")) == len(rule_lines) == 3
    assert sum(n for k, n in counts.items() if k.startswith("units")) == len(unit_lines) == 1
    assert "1 unit moved, 3 rules changed" in diff_status(diploma, new).summary()


def test_change_picture_marks_a_group_that_lost_a_unit_and_shows_pathways(diploma: Qualification) -> None:
    """Issue 13 item 12: the group a unit left is changed too; the caption gives pathways before -> after."""
    new = revised_diploma(diploma)
    G = diff_graph(diploma, new)
    assert G.nodes[f"{Q}/C"]["diff"] == "changed"
    assert "lost working-relationships" in G.nodes[f"{Q}/C"]["diff_note"]
    from viz.diff import pathways_effect

    assert pathways_effect(diploma, new) == "pathways 67,418,986 → 117,468,914"
