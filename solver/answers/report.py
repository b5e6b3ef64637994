"""Results as text for people, and as JSON and CSV for scripts.

Pure functions from result objects to strings; nothing here computes.
JSON is written with a fixed key order and no timing, so the same inputs
give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from ..model.cells import join_ids, safe_cell
from ..model.results import Breakdown, CountResult, Optimum, Pathway, Status
from ..model.structure import Qualification, format_number

__all__ = [
    "dumps",
    "format_breakdown",
    "format_count",
    "format_optimum",
    "format_pathway",
    "format_summary",
    "pathway_csv_header",
    "pathway_csv_row",
]


def dumps(data: Any) -> str:
    """JSON text, deterministic: insertion-ordered keys, exact numbers, UTF-8 kept readable."""

    def default(value: Any) -> Any:
        if isinstance(value, Decimal):
            text = format_number(value)
            return int(text) if "." not in text else float(text)
        if isinstance(value, (set, frozenset, tuple)):
            return list(value)
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    return json.dumps(data, default=default, ensure_ascii=False)


def _units_label(q: Qualification, units: Sequence[str], *, skip: Iterable[str] = ()) -> str:
    hidden = set(skip)
    show_credits = q.counts_credits()
    parts = []
    for uid in units:
        if uid in hidden:
            continue
        unit = q.unit(uid)
        credits = f" ({format_number(unit.credits)})" if unit.credits is not None and show_credits else ""
        parts.append(f"{uid}{credits}")
    return ", ".join(parts)


def format_pathway(q: Qualification, pathway: Pathway, *, skip_mandatory: bool = True) -> str:
    """One line: totals, then the units (mandatory units summarised when ``skip_mandatory``)."""
    mandatory = q.mandatory_unit_ids() if skip_mandatory else frozenset()
    shown = [u for u in pathway.units if u not in mandatory]
    held = sum(1 for u in pathway.units if u in mandatory)
    lead = f"{pathway.unit_count} units"
    if q.counts_credits():
        lead = f"{format_number(pathway.credits)} credits, {lead}"
    rest = _units_label(q, shown)
    if held:
        return f"{lead}: the {held} mandatory units" + (f" + {rest}" if rest else "")
    return f"{lead}: {rest}" if rest else f"{lead}: (no units)"


def format_count(result: CountResult) -> str:
    """A count in words, with how it was made."""
    what = "minimal pathways" if result.minimal else "pathways"
    lead = "at least " if result.status is Status.PARTIAL else ""
    text = f"{result.qualification}: {lead}{result.pathways:,} {what} (exact, by {result.method.value})"
    if result.status is Status.PARTIAL:
        text = text.replace("(exact, ", "(stopped early by a limit; ")
    if result.note:
        text += f"\n  note: {result.note}"
    return text


def format_breakdown(q: Qualification, b: Breakdown) -> str:
    """The histogram by credits, per-group credits and unit frequencies as aligned plain text tables."""

    def share(n: int) -> str:
        return f"{100 * n / b.pathways:5.1f}%" if b.pathways else "    -"

    counts = [*b.by_credits.values(), *b.per_unit.values(),
              *(n for hist in b.by_group_credits.values() for n in hist.values())]
    width = max((len(f"{n:,}") for n in counts), default=1)
    lines = [f"Pathways by total credits ({b.pathways:,} in all):",
             f"  {'credits':>7}  {'pathways':>{width}}   share"]
    for credits, n in b.by_credits.items():
        lines.append(f"  {format_number(credits):>7}  {n:>{width},}  {share(n)}")
    if b.by_group_credits:
        lines.append("Pathways by credits within each group (credits: pathways):")
    for group, hist in b.by_group_credits.items():
        cells = [f"{format_number(c):>4}: {n:>{width},}" for c, n in hist.items()]
        lines.append(f"  Group {group}:")
        per_line = max(1, 96 // (len(cells[0]) + 3)) if cells else 1
        for i in range(0, len(cells), per_line):
            lines.append("    " + "   ".join(cells[i:i + per_line]))
    lines.append("Pathways holding each unit:")
    id_width = max((len(uid) for uid in b.per_unit), default=4)
    lines.append(f"  {'share':>6}  {'pathways':>{width}}  {'unit':<{id_width}}  title")
    for uid, n in b.per_unit.items():
        lines.append(f"  {share(n)}  {n:>{width},}  {uid:<{id_width}}  {q.unit(uid).title}")
    return "\n".join(lines)


def _ties(ties: int | None) -> str:
    if ties is None:
        return "ties not counted"
    return f"{ties:,} pathway{'s' if ties != 1 else ''} tie"


def format_optimum(q: Qualification, result: Optimum) -> str:
    """The optimum, its ties and the pathways found."""
    crit = ", then ".join(result.objective)
    if result.optimum is None:
        if result.status is Status.PARTIAL:
            return f"{q.id}: no pathway found before the time limit (by {crit})"
        return f"{q.id}: no pathway satisfies the rules, so there is no cheapest one"
    best = ", ".join(f"{format_number(v)} {k}" for k, v in result.optimum.items())
    lines = [f"{q.id}: cheapest by {crit}: {best}",
             f"  {_ties(result.ties)} at the optimum; proof: {result.proof}"]
    for i, pathway in enumerate(result.pathways, 1):
        lines.append(f"  {i}. {format_pathway(q, pathway)}")
    return "\n".join(lines)


def pathway_csv_header(criteria: Sequence[str] = ("credits", "units")) -> list[str]:
    """Columns of ``enumerate --format csv``."""
    return ["index", "credits", "unit_count", "units"]


class PathwayLines:
    """JSON lines for a stream of pathways, the same bytes as ``dumps(pathway.to_dict())``, faster.

    Totals repeat from pathway to pathway, so each is written once and remembered.

    >>> from solver.model.results import Pathway
    >>> from decimal import Decimal
    >>> p = Pathway(units=("a", "b"), credits=Decimal("7.5"), glh=Decimal(0), fee=Decimal(0), hours=Decimal(0))
    >>> PathwayLines()(p) == dumps(p.to_dict())
    True
    """

    def __init__(self) -> None:
        self.numbers: dict[Decimal, str] = {}

    def number(self, value: Decimal) -> str:
        found = self.numbers.get(value)
        if found is None:
            found = self.numbers[value] = dumps(value)
        return found

    def __call__(self, pathway: Pathway) -> str:
        """One JSON object, without its newline."""
        number = self.number
        return (f'{{"units": {json.dumps(list(pathway.units), ensure_ascii=False)}, '
                f'"credits": {number(pathway.credits)}, "unit_count": {len(pathway.units)}, '
                f'"glh": {number(pathway.glh)}, "fee": {number(pathway.fee)}}}')


def pathway_csv_row(index: int, pathway: Pathway) -> str:
    """One CSV line (with its newline) for a pathway; units joined by ``"; "`` (:func:`solver.model.cells.join_ids`).

    The units cell is made safe for spreadsheets (:func:`solver.model.cells.safe_cell`).
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(
        [index, format_number(pathway.credits), pathway.unit_count, safe_cell(join_ids(pathway.units))])
    return buffer.getvalue()


def format_summary(summary: Any, path: str) -> str:
    """The one-page report (``qualpath report``)."""
    q: Qualification = summary.qualification
    f = summary.feasibility
    lines = [f"{q.title} ({q.id})", f"rules: {path}", ""]
    if not f.feasible:
        lines.append("Achievable: NO. No pathway satisfies every rule. These rules cannot all hold together:")
        lines.extend(f"  - {rule}" for rule in f.conflict)
        lines.append("(Relax any one of them and the structure can be achieved.)")
        return "\n".join(lines)
    lines.append("Achievable: yes")
    if summary.count is not None:
        c = summary.count
        partial = "at least " if c.status is Status.PARTIAL else ""
        lines.append(f"Pathways: {partial}{c.pathways:,} (by {c.method.value})")
    if summary.minimal is not None:
        m = summary.minimal
        partial = "at least " if m.status is Status.PARTIAL else ""
        lines.append(f"Minimal pathways (no unit can be dropped): {partial}{m.pathways:,}")
    for label, result in (("credits", summary.by_credits), ("units", summary.by_units)):
        if result is None or result.optimum is None:
            continue
        best = ", ".join(f"{format_number(v)} {k}" for k, v in result.optimum.items())
        lines.append("")
        lines.append(f"Cheapest by {label}: {best} ({result.ties:,} pathways tie)")
        for pathway in result.pathways:
            lines.append(f"  e.g. {format_pathway(q, pathway)}")
    lines.append("")
    mandatory = q.mandatory_unit_ids()
    if summary.per_unit is None:
        lines.append("Units in every pathway / in none: not computed (needs the fast path)")
    else:
        forced = [u for u in summary.always if u not in mandatory]
        lines.append(f"In every pathway: {len(summary.always)} units"
                     + (f" ({len(mandatory & set(summary.always))} mandatory"
                        + (f"; optional but forced: {', '.join(forced)}" if forced else "") + ")"))
        lines.append("In no pathway: " + (", ".join(summary.never) if summary.never else "none"))
    return "\n".join(lines)
