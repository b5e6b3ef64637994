"""Drawings: formats, determinism, a baseline image, and nothing overlapping or cut off."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images
from matplotlib.text import Text

from solver.model import Qualification
from solver.model.errors import UsageError
from solver.model.load import bundled_rules, load_qualification
from viz.draw import draw_qualification, pathway_caption, render
from viz.graph import to_graph, unit_nodes
from viz.layout import A4, Style, layout_qualification
from viz.samples import synthetic_qualification

BASELINE = Path(__file__).parent / "baseline"
PATHWAY = ["deliver-customer-service", "understand-customers", "principles-customer-service",
           "understand-employer-organisations", "manage-personal-performance", "communicate-verbally",
           "incoming-calls", "make-calls", "process-information-about-customers", "exceed-expectations",
           "handovers", "develop-relationships", "health-and-safety", "reception-services"]


@pytest.fixture(scope="module")
def diploma() -> Qualification:
    return load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")


@pytest.fixture(scope="module")
def nvq() -> Qualification:
    return load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")


def test_pathway_totals(diploma: Qualification) -> None:
    # mandatory 5+2+4+4+4, Group A 3, Group B 3+3+3+3+3+3, Group C 2+3
    assert sum(diploma.unit(u).credits or 0 for u in PATHWAY) == 19 + 3 + 18 + 5 == 45
    caption = pathway_caption(to_graph(diploma), PATHWAY).replace("\u00a0", " ")
    assert caption.startswith("Pathway shown: 14 units, 45 credits (Mandatory units 19, Optional Group A 3, "
                              "Optional Group B 18, Optional Group C 5).")


def test_formats(tmp_path: Path, nvq: Qualification) -> None:
    png = render(nvq, tmp_path / "nvq.png", dpi=60)
    pdf = render(nvq, tmp_path / "nvq.pdf")
    svg = render(nvq, tmp_path / "nvq.svg")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert pdf.read_bytes().startswith(b"%PDF")
    ET.fromstring(svg.read_bytes())  # well-formed XML
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nvq.pdf", "nvq.png", "nvq.svg"]


def svg_unit_titles(path: Path) -> dict[str, str]:
    """Unit id → its title as real SVG text, lines joined."""
    ns = "{http://www.w3.org/2000/svg}"
    found: dict[str, list[str]] = {}
    for g in ET.parse(path).iter(f"{ns}g"):
        gid = g.get("id", "")
        if gid.startswith("unit:"):
            uid = gid[len("unit:"):].rsplit(":", 1)[0]
            found.setdefault(uid, []).append("".join(t for e in g.iter(f"{ns}text") for t in e.itertext()))
    return {uid: " ".join(parts) for uid, parts in found.items()}


def test_svg_has_every_unit_title_as_text(tmp_path: Path, diploma: Qualification) -> None:
    path = render(diploma, tmp_path / "diploma.svg")
    titles = svg_unit_titles(path)
    G = to_graph(diploma)
    assert titles == {u: G.nodes[u]["title"] for u in unit_nodes(G)}
    assert "<text" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_deterministic_bytes(tmp_path: Path, nvq: Qualification, suffix: str) -> None:
    options: dict[str, Any] = {"highlight": ["nvq-positive-impression", "promote-products"],
                               "status": {"support-improvements": "dead"}, "dpi": 50}
    first = render(nvq, tmp_path / f"a{suffix}", **options)
    second = render(nvq, tmp_path / f"b{suffix}", **options)
    assert first.read_bytes() == second.read_bytes()


def test_baseline_image(tmp_path: Path, nvq: Qualification) -> None:
    actual = render(nvq, tmp_path / "nvq.png", dpi=50)
    assert compare_images(str(BASELINE / "nvq.png"), str(actual), tol=2) is None


def text_boxes(ax: Any) -> list[tuple[str, Any]]:
    canvas = FigureCanvasAgg(ax.figure)
    renderer = canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in ax.findobj(Text)
            if t.get_text() and t.get_visible()]


def assert_clean(ax: Any) -> None:
    """No two texts overlap and none crosses the edge of the page.

    Text extents span the font's full ascent and descent and are snapped to pixels, so the lines of
    one paragraph may share a pixel row; anything more is a real overlap.
    """
    boxes = text_boxes(ax)
    page = ax.figure.bbox
    for text, box in boxes:
        assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1, text
    for (t1, b1), (t2, b2) in combinations(boxes, 2):
        overlap = min(b1.x1, b2.x1) - max(b1.x0, b2.x0), min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
        assert min(overlap) <= 1.5 + 1e-6, (t1, t2)


def test_no_overlaps_and_fits_a4_diploma(diploma: Qualification) -> None:
    G = to_graph(diploma)
    ax = draw_qualification(G, highlight=PATHWAY)
    width, height = ax.figure.get_size_inches()
    assert (width, round(height, 2)) <= (A4[0], A4[1])
    assert_clean(ax)


def test_unit_titles_stay_inside_their_boxes(diploma: Qualification) -> None:
    G = to_graph(diploma)
    style = Style()
    ax = draw_qualification(G)
    renderer = FigureCanvasAgg(ax.figure).get_renderer()
    pos = layout_qualification(G)
    to_px = ax.transData.transform
    for t in ax.findobj(Text):
        gid = t.get_gid() or ""
        if not gid.startswith("unit:"):
            continue
        uid = gid[len("unit:"):].rsplit(":", 1)[0]
        x, y = pos[uid]
        (left, _), (right, _) = to_px((x - style.box_width / 2, y)), to_px((x + style.box_width / 2, y))
        box = t.get_window_extent(renderer)
        assert left < box.x0 and box.x1 < right, t.get_text()


def test_large_structure_goes_compact_and_fits(tmp_path: Path) -> None:
    q = synthetic_qualification(groups=8, units_per_group=25)
    G = to_graph(q)
    assert len(unit_nodes(G)) == 200
    pos = layout_qualification(G)
    assert not any(u in pos for u in unit_nodes(G))  # compact: groups summarised
    ax = draw_qualification(G, pos, highlight=[f"S02-{i:02d}" for i in range(1, 6)])
    assert tuple(ax.figure.get_size_inches()) <= A4
    assert_clean(ax)
    full = layout_qualification(G, compact=False)
    assert all(u in full for u in unit_nodes(G))


def test_draw_on_given_axes_and_node_styles(nvq: Qualification) -> None:
    G = to_graph(nvq, status={"promote-products": "dead", "nvq-personal-performance": "forced"})
    G.nodes["OCR-NVQ2-CS/optional"]["color"] = "#117733"
    fig = Figure(figsize=(8.27, 4))
    ax = fig.add_subplot()
    assert draw_qualification(G, ax=ax, unit_size=6.5) is ax
    labels = {t.get_text() for t in ax.findobj(Text)}
    assert {"cannot be taken", "must be taken"} <= labels


def test_bad_input(tmp_path: Path, diploma: Qualification) -> None:
    with pytest.raises(UsageError, match=r"expected \.png, \.svg or \.pdf"):
        render(diploma, tmp_path / "x.gif")
    with pytest.raises(UsageError, match="'nope', which is not a unit"):
        render(diploma, tmp_path / "x.png", highlight=["nope"])
    with pytest.raises(UsageError, match="did you mean 'unit_size'"):
        render(diploma, tmp_path / "x.png", unit_sise=8)
    assert list(tmp_path.iterdir()) == []


def test_title_override_and_graph_input(tmp_path: Path, nvq: Qualification) -> None:
    G = to_graph(nvq)
    path = render(G, tmp_path / "t.svg", title="Customer Service NVQ — centre copy")
    assert "Customer Service NVQ — centre copy" in path.read_text(encoding="utf-8")
    assert "title_override" not in G.nodes["OCR-NVQ2-CS"]  # the caller's graph is not changed


def test_units_without_credits_show_elements(nvq: Qualification) -> None:
    ax = draw_qualification(to_graph(nvq))
    labels = [t.get_text() for t in ax.findobj(Text)]
    assert labels.count("3 elements") == 8
    assert not any("credit" in label for label in labels)


def test_no_pyplot() -> None:
    code = ("import sys; from solver.model.load import bundled_rules, load_qualification; from viz.draw import "
            "draw_qualification; from viz.graph import to_graph; "
            "q = load_qualification(bundled_rules() / 'ocr-l2-nvq-customer-service.yaml'); "
            "draw_qualification(to_graph(q)); "
            "print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_group_whose_units_are_all_drawn_elsewhere_names_them() -> None:
    # "any optional module" lists every module first; each specialisation lists two of them again.
    # Before, the specialisation boxes were drawn empty; each must name what it asks for.
    from decimal import Decimal

    from solver.model import Combination, Group, Unit

    units = tuple(Unit(id=f"M{i}", title=title, credits=Decimal(15)) for i, title in enumerate(
        ("Data structures", "Databases", "Machine learning", "Computer vision", "Networks", "Security"), 1))
    q = Qualification(id="BSC-SPEC", title="BSc with specialisations", units=units, requirements=(
        Group(id="options", title="Any optional module", units=tuple(u.id for u in units), double_counting=True,
              min_credits=Decimal(60)),
        Combination(id="spec", kind="any_of", title="Specialisation", requirements=(
            Group(id="ai", title="Artificial intelligence", units=("M3", "M4"), double_counting=True, min_units=2),
            Group(id="sys", title="Systems", units=("M5", "M6"), double_counting=True, min_units=2),
        )),
    ))
    ax = draw_qualification(to_graph(q))
    text = " ".join(t for t, _box in text_boxes(ax))
    assert "Lists 2 units drawn under Any optional module: Machine learning, Computer vision" in text
    assert "Lists 2 units drawn under Any optional module: Networks, Security" in text
    assert_clean(ax)


def test_ids_on_units_and_titles_never_cut() -> None:
    # handbook numbers such as "SHC 31" above each title (--ids); a five-line title is drawn whole
    from decimal import Decimal

    from solver.model import Group, Unit

    long_title = "Engage in personal development in health, social care or children's and young people's settings"
    units = (Unit(id="SHC 31", title="Promote communication", credits=Decimal(3), level=3),
             Unit(id="SHC 32", title=long_title, credits=Decimal(3), level=3))
    q = Qualification(id="HSC", title="Health and social care", units=units,
                      requirements=(Group(id="A", units=("SHC 31", "SHC 32"), mandatory=True),))
    ax = draw_qualification(to_graph(q), show_ids=True)
    texts = [t for t, _box in text_boxes(ax)]
    assert "SHC 31" in texts and "SHC 32" in texts
    assert not any("…" in t for t in texts)
    assert " ".join(texts).count("settings") == 1 and "children's" in " ".join(texts)
    assert_clean(ax)
    plain = [t for t, _box in text_boxes(draw_qualification(to_graph(q)))]
    assert "SHC 31" not in plain


def test_rule_sentences_under_headings(diploma: Qualification) -> None:
    # a handbook writes each group's rule out; --sentences puts it under the heading, nothing overlapping
    ax = draw_qualification(to_graph(diploma), rule_sentences=True)
    texts = [t for t, _box in text_boxes(ax)]
    assert "The learner must achieve a minimum of 16 credits in this group." in texts
    assert "The learner must achieve a maximum of 7 credits in this group." in texts
    assert_clean(ax)
    plain = [t for t, _box in text_boxes(draw_qualification(to_graph(diploma)))]
    assert not any(t.startswith("The learner must") for t in plain)


def test_repeated_titles_bring_ids_and_links_have_a_key() -> None:
    # six units all titled "Option": their ids tell the boxes apart, unasked; a barred pair and a
    # prerequisite are drawn and the key says what the dotted line and the dashed arrow mean
    from decimal import Decimal

    from solver.model import Barred, Group, Prerequisite, Unit

    units = tuple(Unit(id=f"OPT{i}", title="Option", credits=Decimal(5)) for i in range(6))
    q = Qualification(id="Q", title="Options", units=units,
                      requirements=(Group(id="G", units=tuple(u.id for u in units), min_credits=Decimal(10)),),
                      barred=(Barred(units=("OPT0", "OPT1")),),
                      prerequisites=(Prerequisite(unit="OPT3", requires=("OPT2",)),))
    ax = draw_qualification(to_graph(q))
    texts = " ".join(t for t, _box in text_boxes(ax))
    assert all(f"OPT{i}" in texts for i in range(6))
    assert "barred: not both in one pathway" in texts
    assert "prerequisite (the arrow points to the unit that needs it)" in texts
    assert_clean(ax)
    # the words lie over the links, on their box's colour: a crossing line passes behind them
    links = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None and not a.get_text()]
    words = [t for t in ax.texts if (t.get_gid() or "").startswith(("unit:", "band:"))]
    assert links and words and min(t.get_zorder() for t in words) > max(a.get_zorder() for a in links)
    assert all(t.get_bbox_patch() is not None for t in words)


def test_a_close_minimum_and_maximum_keep_their_labels_apart() -> None:
    # min 9 and max 16 credits of 19 x 5 + 2 = 97: the marks 7% of the summary strip apart, closer
    # than their labels are wide (they were drawn over each other)
    from decimal import Decimal

    from solver.model import Group, Unit

    units = tuple(Unit(id=f"U{i:02d}", title=f"Unit {i}", credits=Decimal(5 if i < 19 else 2)) for i in range(20))
    group = Group(id="B", units=tuple(u.id for u in units), min_credits=Decimal(9), max_credits=Decimal(16))
    G = to_graph(Qualification(id="Q", title="Close limits", units=units, requirements=(group,)))
    ax = draw_qualification(G, layout_qualification(G, compact=True))
    texts = [t for t, _box in text_boxes(ax)]
    assert "min 9 credits" in texts and "max 16 credits" in texts
    assert_clean(ax)


def test_many_barred_pairs_are_written_in_the_boxes() -> None:
    # 16 units in two groups, 14 barred pairs (more than MAX_LINKS_DRAWN): each barred unit's
    # box says which unit it cannot be taken with, no line is drawn, and the key says so; units
    # titled alike ("Unit") all carry their ids, the one titled apart too
    from decimal import Decimal

    from solver.model import Barred, Group, Unit
    from viz.layout import MAX_LINKS_DRAWN

    units = (*(Unit(id=f"U{i:02d}", title="Unit", credits=Decimal(1 + i % 5)) for i in range(15)),
             Unit(id="U15", title="Working with others", credits=Decimal(3)))
    pairs = [(f"U{i:02d}", f"U{i + 1:02d}") for i in range(14)]  # a chain: U01 is barred with U00 and U02
    assert len(pairs) > MAX_LINKS_DRAWN
    q = Qualification(id="Q", title="Many barred pairs", units=units,
                      requirements=(Group(id="A", units=tuple(u.id for u in units[:8]), min_credits=Decimal(6)),
                                    Group(id="B", units=tuple(u.id for u in units[8:]), min_credits=Decimal(6))),
                      barred=tuple(Barred(units=p) for p in pairs))
    ax = draw_qualification(to_graph(q))
    notes = {(t.get_gid() or "").split(":")[1]: t.get_text() for t in ax.texts
             if (t.get_gid() or "").startswith("links:")}
    assert notes["U00"] == "not with U01" and notes["U01"] == "not with U00, U02"
    assert notes["U14"] == "not with U13" and "U15" not in notes
    assert not [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None and not a.get_text()]
    texts = [t for t, _box in text_boxes(ax)]
    assert "“not with X”: barred, not both in one pathway" in texts
    assert all(f"U{i:02d}" in texts for i in range(16))
    assert_clean(ax)
    # the notes sit inside their boxes, above the credits row
    style, pos = Style(), layout_qualification(to_graph(q))
    renderer = FigureCanvasAgg(ax.figure).get_renderer()
    for t in ax.texts:
        gid = t.get_gid() or ""
        if gid.startswith("links:"):
            x, y = pos[gid.split(":")[1]]
            (left, _), (right, _) = ax.transData.transform((x - style.box_width / 2, y)), \
                ax.transData.transform((x + style.box_width / 2, y))
            box = t.get_window_extent(renderer)
            assert left < box.x0 and box.x1 < right, t.get_text()
    # a few links are still drawn as lines
    few = Qualification(id="Q", title="Few", units=units, requirements=q.requirements, barred=q.barred[:3])
    ax = draw_qualification(to_graph(few))
    assert not [t for t in ax.texts if (t.get_gid() or "").startswith("links:")]
    lines = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None and not a.get_text()]
    assert len(lines) == 3 + 1  # and the key's sample line


def test_a_one_of_prerequisite_is_written_and_alike_groups_are_told_apart_in_the_key() -> None:
    # c needs one of a or b (no single line can say that); two specialisations each have a group
    # titled "Capstone": the key names each by its specialisation
    from decimal import Decimal

    from solver.model import Combination, Group, Prerequisite, Unit

    units = tuple(Unit(id=u, title=f"Course {u}", credits=Decimal(6)) for u in "abcde")
    spec = [Combination(kind="all_of", id=f"S{i}", title=f"Specialisation {i}", requirements=(
        Group(id=f"S{i}-cap", title="Capstone", units=(cap,), mandatory=True),)) for i, cap in ((1, "d"), (2, "e"))]
    q = Qualification(id="Q", title="Degree", units=units, requirements=(
        Group(id="core", title="Core", units=("a", "b", "c"), min_units=2),
        Combination(kind="any_of", id="major", title="Major", requirements=tuple(spec))),
        prerequisites=(Prerequisite(unit="c", requires_one_of=("a", "b")),))
    ax = draw_qualification(to_graph(q))
    notes = {(t.get_gid() or "").split(":")[1]: t.get_text() for t in ax.texts
             if (t.get_gid() or "").startswith("links:")}
    assert notes == {"c": "needs one of a, b"}
    texts = [t for t, _box in text_boxes(ax)]
    assert "Specialisation 1: Capstone" in texts and "Specialisation 2: Capstone" in texts
    assert "Core" in texts
    assert_clean(ax)


def test_links_can_be_asked_as_lines_or_notes() -> None:
    # the same three barred pairs and a one-of prerequisite: "notes" writes every link in the
    # boxes; "lines" draws the pairs and writes only the one-of (no line can say it); a wrong
    # value is a usage error naming the choices
    from decimal import Decimal

    from solver.model import Barred, Group, Prerequisite, Unit

    units = tuple(Unit(id=f"U{i}", title=f"Unit {i}", credits=Decimal(3)) for i in range(8))
    q = Qualification(id="Q", title="Links", units=units,
                      requirements=(Group(id="G", units=tuple(u.id for u in units), min_credits=Decimal(9)),),
                      barred=(Barred(units=("U0", "U1")), Barred(units=("U2", "U3")), Barred(units=("U4", "U5"))),
                      prerequisites=(Prerequisite(unit="U7", requires_one_of=("U5", "U6")),))

    def drawn(links: str) -> tuple[dict[str, str], int, list[str]]:
        ax = draw_qualification(to_graph(q), links=links)
        assert_clean(ax)
        notes = {(t.get_gid() or "").split(":")[1]: t.get_text() for t in ax.texts
                 if (t.get_gid() or "").startswith("links:")}
        lines = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None and not a.get_text()
                 and a.get_zorder() == 5]
        return notes, len(lines), [t for t, _box in text_boxes(ax)]

    notes, lines, texts = drawn("notes")
    assert notes == {"U0": "not with U1", "U1": "not with U0", "U2": "not with U3", "U3": "not with U2",
                     "U4": "not with U5", "U5": "not with U4", "U7": "needs one of U5, U6"}
    assert lines == 0 and "barred: not both in one pathway" not in texts
    notes, lines, texts = drawn("lines")
    assert notes == {"U7": "needs one of U5, U6"} and lines == 3
    assert "“needs one of X, Y”: any one of them is a prerequisite" in texts
    assert "barred: not both in one pathway" in texts
    assert drawn("auto")[0] == drawn("notes")[0]  # a one-of prerequisite: written
    G = to_graph(q)  # a choice made for one drawing is not kept for the next
    draw_qualification(G, links="lines")
    assert len([t for t in draw_qualification(G).texts if (t.get_gid() or "").startswith("links:")]) == 7
    with pytest.raises(UsageError, match="expected 'auto', 'lines' or 'notes'"):
        draw_qualification(to_graph(q), links="arrows")


def test_notes_name_units_whose_ids_the_boxes_show_and_keep_whole() -> None:
    # handbook numbers with spaces ("SHC 35"), unique titles: once the boxes' notes name units,
    # every box shows its number, and no note line breaks a number at its space
    from decimal import Decimal

    from solver.model import Barred, Group, Prerequisite, Unit

    units = tuple(Unit(id=f"SHC 3{i}", title=f"Unit on topic {i}", credits=Decimal(3)) for i in range(10))
    pairs = [(f"SHC 3{i}", f"SHC 3{j}") for i in range(5) for j in range(5, 8)][:14]
    q = Qualification(id="HSC", title="Spaces in ids", units=units,
                      requirements=(Group(id="A", units=tuple(u.id for u in units), min_credits=Decimal(12)),),
                      barred=tuple(Barred(units=p) for p in pairs),
                      prerequisites=(Prerequisite(unit="SHC 39", requires_one_of=("SHC 30", "SHC 31")),))
    ax = draw_qualification(to_graph(q))
    assert_clean(ax)
    titles = [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("unit:")]
    assert all(f"SHC 3{i}" in titles for i in range(10))
    notes = [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("links:")]
    assert not any(line.rstrip(",").endswith("SHC") or line.startswith(("3", "5 ")) for line in notes)
    assert all("SHC\u00a03" in n for n in notes)  # the number's space cannot break
