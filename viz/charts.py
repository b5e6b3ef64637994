"""Charts of the exact answers: pathways by total credits, how often each unit is taken, a learner's progress.

Each ``plot_*`` function draws on the ``Axes`` it is given, or on a new
:class:`~matplotlib.figure.Figure` (never pyplot) sized for the data, and
returns the ``Axes``; the ``render_*`` functions write the chart with
:func:`viz.draw.save_figure` (atomic, the same bytes for the same input).

Examples
--------
>>> from solver.answers.count import breakdown
>>> from solver.model.load import bundled_rules, load_qualification
>>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
>>> b = breakdown(q)
>>> ax = plot_credit_histogram(b)
>>> len(ax.patches) == len(b.by_credits)
True
>>> count_label(67_418_986, None), count_label(2_500_000, None), count_label(12_000, None)
('67.4 million', '2.5 million', '12,000')
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from solver.model import Qualification, format_number
from solver.model.errors import UsageError

from .draw import RENDER_RC, save_figure
from .layout import text_width, wrap_text

__all__ = [
    "PROGRESS_COLOURS",
    "count_label",
    "plot_credit_histogram",
    "plot_progress",
    "plot_unit_frequency",
    "progress_rows",
    "render_chart",
]

_BAR, TEXT, MUTED, _GRID = "#0072B2", "#1A1A1A", "#555555", "#DDDDDD"
#: Bar colour of each progress status (Okabe–Ito: green, orange, vermillion).
PROGRESS_COLOURS = {"met": "#009E73", "not yet": "#E69F00", "exceeded": "#D55E00"}
_FONT = "DejaVu Sans"


def count_label(value: float, _pos: Any = None) -> str:
    """A count as a tick label: ``'12,000'``, ``'2.5 million'``, ``'1.2 billion'``."""
    value = float(value)
    for scale, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{value / scale:.3g} {word}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2g}"


def _new_axes(width: float, height: float, left: float, right: float, bottom: float, top: float) -> Axes:
    """A new figure of ``width`` x ``height`` inches with one Axes inset by the margins (inches)."""
    figure = Figure(figsize=(width, height))
    return figure.add_axes((left / width, bottom / height, 1 - (left + right) / width,
                            1 - (bottom + top) / height))


def _tidy(ax: Axes, grid: Literal["x", "y"] = "y") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(MUTED)
    ax.spines["bottom"].set_color(MUTED)
    ax.tick_params(colors=TEXT, labelsize=8)
    ax.grid(axis=grid, color=_GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def _histogram(source: Any) -> dict[Decimal, int]:
    hist = source.by_credits if hasattr(source, "by_credits") else source
    if not isinstance(hist, Mapping):
        raise UsageError("expected a Breakdown or a mapping of total credits to pathway counts")
    return {Decimal(k): int(v) for k, v in sorted(hist.items(), key=lambda kv: Decimal(kv[0]))}


def plot_credit_histogram(breakdown_or_hist: Any, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Bar chart of how many pathways have each total of credits, with exact counts.

    Parameters
    ----------
    breakdown_or_hist
        A :class:`solver.model.results.Breakdown`, or a mapping total credits → number of pathways.
    ax
        Where to draw (default: a new 7 x 3.6 inch figure).
    title
        Heading; by default the number of pathways and where most of them are.

    Returns
    -------
    matplotlib.axes.Axes
        With one bar per distinct total, in order of credits.
    """
    hist = _histogram(breakdown_or_hist)
    if ax is None:
        ax = _new_axes(7.0, 3.6, 0.95, 0.25, 0.55, 0.55)
    xs = [float(k) for k in hist]
    ys = list(hist.values())
    gaps = [b - a for a, b in itertools.pairwise(xs)]
    width = 0.8 * min(gaps, default=1.0)
    ax.bar(xs, ys, width=width, color=_BAR, edgecolor="none", zorder=2)
    _tidy(ax)
    ax.set_xlabel("Total credits of the pathway", fontsize=9, color=TEXT)
    ax.set_ylabel("Pathways", fontsize=9, color=TEXT)
    ax.yaxis.set_major_formatter(FuncFormatter(count_label))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=all(x == int(x) for x in xs), min_n_ticks=3))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_number(Decimal(str(round(float(v), 6))))))
    if xs:
        ax.set_xlim(min(xs) - width, max(xs) + width)
    total = sum(ys)
    if title is None and ys:
        peak = max(hist, key=lambda k: (hist[k], -k))
        title = (f"{total:,} pathways (exact) by total credits; most common: {format_number(peak)} credits "
                 f"({hist[peak]:,} pathways)")
    if title:
        ax.set_title("\n".join(wrap_text(title, _axes_width(ax), 9.5, bold=True)), fontsize=9.5, weight="bold",
                     color=TEXT, loc="left")
    return ax


def _axes_width(ax: Axes) -> float:
    """Width of ``ax`` in inches (titles are wrapped to it)."""
    figure = ax.get_figure(root=True)
    inches = figure.get_size_inches()[0] if figure is not None else 6.0
    return float(ax.get_position().width * inches) - 0.05


def _unit_label(uid: str, q: Qualification | None, width: float, size: float) -> str:
    title = q.unit(uid).title if q is not None and q.has_unit(uid) else uid
    return wrap_text(title, width, size, max_lines=1)[0]


def plot_unit_frequency(
    per_unit: Mapping[str, int],
    total: int,
    q: Qualification | None = None,
    ax: Axes | None = None,
    *,
    label_width: float = 3.0,
    title: str | None = None,
) -> Axes:
    """Horizontal bars: the share of pathways holding each unit, most common first.

    Parameters
    ----------
    per_unit
        Unit id → number of pathways holding it (``Breakdown.per_unit``).
    total
        Number of pathways (``Breakdown.pathways``).
    q
        The qualification, for unit titles (else ids are shown).
    ax
        Where to draw (default: a new figure, a fifth of an inch per unit).
    label_width
        Inches for the unit titles; longer titles end with an ellipsis.
    title
        Heading (default says what the bars are).

    Returns
    -------
    matplotlib.axes.Axes
        With one bar per unit, sorted by share (then by title).
    """
    if total <= 0:
        raise UsageError("no pathways: there is no share of pathways to show")
    size = 7.5
    labels = {u: _unit_label(u, q, label_width, size) for u in per_unit}
    order = sorted(per_unit, key=lambda u: (-per_unit[u], labels[u].lower(), u))
    if ax is None:
        left = max((text_width(labels[u], size) for u in order), default=1.0) + 0.2
        ax = _new_axes(left + 4.45, 0.95 + 0.2 * len(order), left, 0.4, 0.45, 0.5)
    shares = [100 * per_unit[u] / total for u in order]
    ys = list(range(len(order)))
    ax.barh(ys, shares, height=0.7, color=_BAR, edgecolor="none", zorder=2)
    _tidy(ax, grid="x")
    ax.set_yticks(ys, [labels[u] for u in order], fontsize=size)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(len(order) - 0.4, -0.6)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}%"))
    ax.set_xlabel("Share of pathways holding the unit", fontsize=9, color=TEXT)
    for y, share in zip(ys, shares, strict=True):
        text = f"{share:.1f}%" if 0 < share < 99.95 else f"{share:.0f}%"
        inside = share > 88
        ax.text(share - 1 if inside else share + 1, y, text, va="center", ha="right" if inside else "left",
                fontsize=6.5, color="white" if inside else TEXT, zorder=3)
    heading = title if title is not None else f"Share of the {total:,} pathways that hold each unit"
    if heading:
        ax.set_title(heading, fontsize=9.5, weight="bold", color=TEXT, loc="left")
    return ax


Row = tuple[str, Any, Any, str, str]


def progress_rows(progress: Any, q: Qualification | None = None) -> list[Row]:
    """Rows for :func:`plot_progress` from :func:`solver.audit.audit` or :func:`solver.audit.progress`.

    Accepts an ``Audit`` (its ``progress``), an iterable of
    ``RequirementProgress``, or rows already in the generic shape
    ``(label, held, needed, status)``; every row comes back with a fifth
    item, the measure (``"credits"``, ``"units"`` or ``""``). A rule is measured in credits when it
    sets a credit minimum, else in units (a mandatory group: all its units);
    ``needed`` is ``None`` when it sets no minimum. The minimum is read from
    ``q`` when given, else from the rule's wording.

    Examples
    --------
    >>> from solver.audit import audit
    >>> from solver.model.load import bundled_rules, load_qualification
    >>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    >>> a = audit(q, ["deliver-customer-service", "make-calls", "incoming-calls"])
    >>> progress_rows(a, q)[0]
    ('Mandatory units (all 5 units)', 1, 5, 'not yet', 'units')
    """
    items = getattr(progress, "progress", progress)
    rows: list[Row] = []
    for item in items:
        if isinstance(item, tuple):
            if len(item) not in (4, 5):
                raise UsageError(f"progress row {item!r}: expected (label, held, needed, status)")
            label, held, needed, status, *measure = item
            rows.append((str(label), held, needed, str(status), str(measure[0]) if measure else ""))
            continue
        needed, credits = _needed(q, str(item.rule), str(item.wants))
        held = item.held_credits if credits else len(item.held_units)
        rows.append((f"{item.title} ({item.wants})", held, needed, str(item.status),
                     "credits" if credits else "units"))
    return rows


def _needed(q: Qualification | None, rule: str, wants: str) -> tuple[Decimal | int | None, bool]:
    """The minimum a rule sets and whether it is in credits (else units)."""
    node: Any = None
    if q is not None:
        if rule == "qualification":
            node = q
        elif rule.startswith("level_rules["):
            index = int(rule[len("level_rules["):-1])
            node = q.level_rules[index] if index < len(q.level_rules) else None
        else:
            rid = rule.split(" ", 1)[-1]
            node = next((r for r in q.iter_requirements() if r.id == rid), None)
    if node is None:
        return _minimum(wants)
    if getattr(node, "min_credits", None) is not None:
        return node.min_credits, True
    if getattr(node, "mandatory", False):
        return len(node.units), False
    if getattr(node, "min_units", None) is not None:
        return node.min_units, False
    return None, node.min_credits is not None or node.max_credits is not None


def _minimum(wants: str) -> tuple[Decimal | int | None, bool]:
    words = wants.replace(",", " ").replace(";", " ").split()
    for i in range(len(words) - 2):
        if words[i] in ("min", "all") and words[i + 2].startswith(("credit", "unit")):
            credits = words[i + 2].startswith("credit")
            try:
                value = Decimal(words[i + 1])
            except ArithmeticError:
                continue
            return (value if credits else int(value)), credits
    return None, "credit" in wants


def plot_progress(
    progress: Iterable[tuple[Any, ...]] | Any,
    ax: Axes | None = None,
    *,
    unit: str = "",
    title: str | None = None,
    q: Qualification | None = None,
) -> Axes:
    """A learner's progress on each requirement: a bar per rule, filled to what they hold.

    Parameters
    ----------
    progress
        Rows ``(label, held, needed, status)`` (or with a fifth item, the
        measure such as ``"credits"``): ``needed`` may be ``None``
        (no minimum) and ``status`` is ``"met"``, ``"not yet"`` or
        ``"exceeded"`` (colours in :data:`PROGRESS_COLOURS`). An ``Audit`` or
        ``RequirementProgress`` list from :mod:`solver.audit` is converted by
        :func:`progress_rows`.
    ax
        Where to draw (default: a new figure, two fifths of an inch per rule).
    unit
        Word after the figures when a row does not name its measure, e.g. ``"credits"``.
    title
        Heading.
    q
        The qualification, to read the rules' minima when ``progress`` comes from :mod:`solver.audit`.

    Returns
    -------
    matplotlib.axes.Axes
        With one bar per row (a full-length outline when a minimum is set).
    """
    rows = progress_rows(progress, q)
    for label, _held, _needed, status, _measure in rows:
        if status not in PROGRESS_COLOURS:
            raise UsageError(f"progress of {label!r}: status {status!r}; expected one of "
                             + ", ".join(PROGRESS_COLOURS))
    size = 7.5
    labels = [wrap_text(label, 2.8, size, max_lines=2) for label, *_ in rows]
    notes = []
    for _label, held, needed, status, measure in rows:
        word = measure or unit
        suffix = f" {word[:-1] if word.endswith('s') and float(needed or held) == 1 else word}" if word else ""
        notes.append(f"{_num(held)} of {_num(needed)}{suffix} · {status}" if needed
                     else f"{_num(held)}{suffix} held, no minimum of its own · {status}")
    if ax is None:
        left = max((text_width(line, size) for lines in labels for line in lines), default=1.0) + 0.2
        right = max((text_width(n, 7) for n, r in zip(notes, rows, strict=True) if r[2]), default=0.0) + 0.4
        ax = _new_axes(left + 3.2 + right, 0.9 + 0.4 * len(rows), left, right, 0.35, 0.5)
    for y, (row, note) in enumerate(zip(rows, notes, strict=True)):
        _label, held, needed, status, _measure = row
        if needed:
            share = min(float(held) / float(needed), 1.0)
            ax.barh(y, 1.0, height=0.6, color="white", edgecolor="#9A9A9A", linewidth=0.8, zorder=1)
            ax.barh(y, share, height=0.6, color=PROGRESS_COLOURS[status], edgecolor="none", zorder=2)
            ax.text(1.02, y, note, va="center", ha="left", fontsize=7, color=TEXT, clip_on=False)
        else:
            # no minimum to measure against: say where it stands instead of drawing a bar of nothing
            ax.text(0.015, y, note, va="center", ha="left", fontsize=7, weight="bold",
                    color=PROGRESS_COLOURS[status], clip_on=False)
    ax.set_yticks(range(len(rows)), ["\n".join(lines) for lines in labels], fontsize=size)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 1.0)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(MUTED)
    ax.tick_params(axis="y", length=0, colors=TEXT)
    if title:
        ax.set_title(title, fontsize=9.5, weight="bold", color=TEXT, loc="left")
    return ax


def _num(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return format_number(Decimal(str(value)))


def render_chart(kind: str, path: str | Path, *, q: Qualification | None = None, data: Any = None,
                 title: str | None = None, dpi: float = 200) -> Path:
    """Draw a chart and write it (PNG, SVG or PDF, atomically, deterministic bytes).

    Parameters
    ----------
    kind
        ``"histogram"``, ``"frequency"`` or ``"progress"``.
    path
        Where to write.
    q
        The qualification: for ``histogram`` and ``frequency`` its breakdown
        is computed when ``data`` is not given.
    data
        A ``Breakdown`` (histogram, frequency) or progress rows (progress).
    title
        Heading instead of the default.
    dpi
        Resolution of PNG files.

    Examples
    --------
    >>> import tempfile
    >>> from solver.model.load import bundled_rules, load_qualification
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     render_chart("frequency", Path(folder) / "f.svg", q=q).suffix
    '.svg'
    """
    from .draw import output_format

    output_format(path)
    if kind not in ("histogram", "frequency", "progress"):
        raise UsageError(f"chart {kind!r}: expected histogram, frequency or progress")
    if data is None and kind != "progress":
        if q is None:
            raise UsageError(f"a {kind} chart needs a qualification or its breakdown")
        from solver.answers.count import breakdown

        data = breakdown(q)
    with matplotlib.rc_context(RENDER_RC):
        if kind == "histogram":
            ax = plot_credit_histogram(data, title=title)
        elif kind == "frequency":
            ax = plot_unit_frequency(data.per_unit, data.pathways, q, title=title)
        else:
            ax = plot_progress(data, title=title, q=q)
    heading = title or (f"{q.title}: {kind}" if q is not None else kind)
    return save_figure(ax, path, dpi=dpi, title=heading)
