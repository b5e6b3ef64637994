"""Charts: bar counts against brute force, formats, determinism, labels that fit."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from decimal import Decimal
from itertools import combinations
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from solver.answers.count import breakdown
from solver.model import Group, Qualification, Unit
from solver.model.check import is_pathway
from solver.model.errors import UsageError
from solver.model.load import bundled_rules, load_qualification
from viz.charts import count_label, plot_credit_histogram, plot_progress, plot_unit_frequency, render_chart


def small() -> Qualification:
    credits = {"a": 2, "b": 3, "c": 3, "d": 5, "e": 1, "f": 4}
    units = tuple(Unit(id=u, title=f"Unit {u.upper()} with a long title to trim", credits=Decimal(c))
                  for u, c in credits.items())
    groups = (Group(id="M", title="Mandatory", units=("a",), mandatory=True),
              Group(id="O", title="Optional", units=("b", "c", "d"), min_credits=Decimal(3), max_units=2),
              Group(id="P", title="More", units=("e", "f"), max_credits=Decimal(4)))
    return Qualification(id="S", title="Small", units=units, requirements=groups, min_credits=Decimal(7))


def brute_force(q: Qualification) -> list[frozenset[str]]:
    ids = q.unit_ids()
    return [frozenset(s) for r in range(len(ids) + 1) for s in combinations(ids, r) if is_pathway(q, s)]


def bars(ax) -> list[Rectangle]:  # type: ignore[no-untyped-def]
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_histogram_bars_match_brute_force() -> None:
    q = small()
    pathways = brute_force(q)
    totals = Counter(sum((q.unit(u).credits or Decimal(0) for u in p), Decimal(0)) for p in pathways)
    ax = plot_credit_histogram(breakdown(q))
    drawn = sorted((round(b.get_x() + b.get_width() / 2, 6), round(b.get_height())) for b in bars(ax))
    assert len(drawn) == len(totals)  # one bar per distinct total
    assert drawn == sorted((float(k), n) for k, n in totals.items())
    assert ax.get_xlabel() == "Total credits of the pathway"
    assert f"{len(pathways):,} pathways" in ax.get_title(loc="left")


def test_frequency_bars_match_brute_force() -> None:
    q = small()
    pathways = brute_force(q)
    per_unit = {u: sum(u in p for p in pathways) for u in q.unit_ids()}
    ax = plot_unit_frequency(breakdown(q).per_unit, len(pathways), q)
    widths = [round(b.get_width(), 6) for b in bars(ax)]
    assert len(widths) == len(q.unit_ids())
    assert widths == sorted(widths, reverse=True)
    assert sorted(widths) == sorted(round(100 * n / len(pathways), 6) for n in per_unit.values())
    assert ax.get_yticklabels()[0].get_text() == "Unit A with a long title to trim"  # mandatory: 100%


def test_count_labels() -> None:
    assert [count_label(v) for v in (0, 500_000, 3_500_000, 67_418_986, 2e9)] == [
        "0", "500,000", "3.5 million", "67.4 million", "2 billion"]


def test_long_titles_are_trimmed_and_fit(tmp_path: Path) -> None:
    q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    b = breakdown(q)
    ax = plot_unit_frequency(b.per_unit, b.pathways, q)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 39
    assert any(label.endswith("…") for label in labels)
    renderer = FigureCanvasAgg(ax.figure).get_renderer()  # type: ignore[no-untyped-call, arg-type]
    page = ax.figure.bbox
    for t in ax.findobj(Text):
        if t.get_text() and t.get_visible():
            box = t.get_window_extent(renderer)
            assert page.x0 <= box.x0 and box.x1 <= page.x1 + 0.5, t.get_text()


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_render_formats_and_determinism(tmp_path: Path, suffix: str) -> None:
    q = small()
    first = render_chart("histogram", tmp_path / f"a{suffix}", q=q, dpi=40)
    second = render_chart("histogram", tmp_path / f"b{suffix}", q=q, dpi=40)
    assert first.read_bytes() == second.read_bytes()
    if suffix == ".png":
        assert first.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    else:
        ET.fromstring(first.read_bytes())
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"a{suffix}", f"b{suffix}"]


def test_progress_rows_and_statuses(tmp_path: Path) -> None:
    rows = [("Group A (min 3 credits)", Decimal(3), Decimal(3), "met"),
            ("Group B (min 16 credits)", Decimal(6), Decimal(16), "not yet"),
            ("Group C (max 7 credits)", Decimal(10), None, "exceeded")]
    ax = plot_progress(rows, unit="credits")
    filled = [b for b in bars(ax) if b.get_facecolor()[:3] != (1.0, 1.0, 1.0)]
    assert [round(b.get_width(), 4) for b in filled] == [1.0, 0.375]  # no bar where there is no minimum
    labels = {t.get_text() for t in ax.findobj(Text)}
    assert {"3 of 3 credits · met", "6 of 16 credits · not yet",
            "10 credits held, no minimum of its own · exceeded"} <= labels
    with pytest.raises(UsageError, match="status 'done'"):
        plot_progress([("x", 1, 2, "done")])
    out = render_chart("progress", tmp_path / "p.png", data=rows, dpi=40)
    assert out.read_bytes().startswith(b"\x89PNG")


def test_progress_from_audit() -> None:
    from solver.audit import audit

    q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    a = audit(q, ["deliver-customer-service", "make-calls", "incoming-calls", "communicate-verbally"])
    ax = plot_progress(a, q=q)
    labels = {t.get_text() for t in ax.findobj(Text)}
    # mandatory: 1 of its 5 units; Group A: 3 of 3 credits; Group B: 6 of 16; the whole: 14 of 45
    assert {"1 of 5 units · not yet", "3 of 3 credits · met", "6 of 16 credits · not yet",
            "14 of 45 credits · not yet"} <= labels


def test_bad_chart_input(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="expected histogram, frequency or progress"):
        render_chart("pie", tmp_path / "x.png", q=small())
    with pytest.raises(UsageError, match=r"expected \.png, \.svg or \.pdf"):
        render_chart("histogram", tmp_path / "x.jpg", q=small())
    with pytest.raises(UsageError, match="no pathways"):
        plot_unit_frequency({"a": 0}, 0)
    assert list(tmp_path.iterdir()) == []
