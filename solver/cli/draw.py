"""The ``draw`` command of the ``qualpath`` command line.

:func:`register` adds it to the main parser's sub-commands. The drawing code
(``viz``, matplotlib) is imported inside the command only, so the rest of the
command line never loads it. Exit codes: 0 written, 1 the structure has no
pathway to highlight or a rule file is bad, 2 usage errors (bad suffix, an
output that would overwrite an input, options that do not go together).

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="qualpath")
>>> register(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["draw", "diploma", "-o", "d.png", "--highlight", "cheapest"])
>>> args.func is cmd_draw, args.highlight, args.by
(True, ['cheapest'], None)
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..model.errors import InfeasibleError, UsageError
from .common import load_path, unit_ids

__all__ = ["cmd_draw", "register"]

_SUFFIXES = (".png", ".svg", ".pdf")
_CHARTS = ("histogram", "frequency")


def _check_output(out: Path, inputs: list[Path], pages: bool) -> None:
    if out.suffix.lower() not in _SUFFIXES:
        raise UsageError(f"{out}: cannot tell the format from {out.suffix or 'no suffix'!r}; "
                         "expected .png, .svg or .pdf")
    if not out.parent.is_dir():
        raise UsageError(f"{out}: the folder {out.parent} does not exist")
    if out.is_dir():
        raise UsageError(f"{out}: is a folder; expected a file name")
    target = out.resolve()
    for path in inputs:
        if path.exists() and path.resolve() == target:
            raise UsageError(f"{out}: refusing to write over the input file {path}")
    if pages and out.suffix.lower() == ".svg":
        raise UsageError(f"{out}: --pages writes a PDF (one page per group) or numbered PNGs, not SVG")


def _check_combinations(args: argparse.Namespace) -> None:
    if args.chart and (args.diff or args.highlight or args.compact or args.pages):
        raise UsageError("--chart draws a chart of the pathways; it cannot be combined with "
                         "--diff, --highlight, --compact or --pages")
    if args.diff and args.highlight:
        raise UsageError("--diff draws the changes between two versions; it cannot be combined with --highlight")
    if args.pages and (args.diff or args.compact):
        raise UsageError("--pages draws every unit, one group per page; it cannot be combined with "
                         "--diff or --compact")
    if args.by is not None and args.highlight != ["cheapest"]:
        raise UsageError("--by chooses the cheapest pathway; use it with --highlight cheapest")


def _highlight(q: Any, names: list[str], by: str | None) -> list[str]:
    if "cheapest" not in names or q.has_unit("cheapest"):
        return unit_ids(names, frozenset(q.unit_ids()), where=q.id, option="--highlight")
    if names != ["cheapest"]:
        raise UsageError("--highlight takes either 'cheapest' or unit ids, not both")
    from ..answers.cheapest import cheapest_pathways

    best = cheapest_pathways(q, by=by, top=1)
    if not best.pathways:
        raise InfeasibleError(f"{q.id}: no pathway to highlight ({best.proof or 'no pathway satisfies the rules'})")
    return list(best.pathways[0].units)


def cmd_draw(args: argparse.Namespace) -> int:
    """``qualpath draw FILE -o OUT``: a unit-group diagram, a change view or a chart."""
    _check_combinations(args)
    q, path = load_path(args.file)
    inputs = [path]
    new = None
    if args.diff:
        new, new_path = load_path(args.diff)
        inputs.append(new_path)
    out = Path(args.output)
    _check_output(out, inputs, args.pages)
    highlight = _highlight(q, args.highlight, args.by) if args.highlight else None
    compact = True if args.compact else None
    try:
        written = _draw(args, q, new, path, out, highlight, compact)
    except OSError as exc:
        raise UsageError(f"{out}: cannot write: {exc.strerror or exc}") from None
    for item in written:
        print(item)
    return 0


def _draw(args: argparse.Namespace, q: Any, new: Any, path: Path, out: Path, highlight: list[str] | None,
          compact: bool | None) -> list[Path]:
    if args.chart:
        from viz.charts import render_chart

        return [render_chart(args.chart, out, q=q, title=args.title, dpi=args.dpi)]
    if new is not None:
        from viz.diff import render_diff

        return [render_diff(q, new, out, old_label=path.name, new_label=Path(args.diff).name, title=args.title,
                            compact=compact, dpi=args.dpi, show_ids=args.ids, rule_sentences=args.sentences,
                            links=args.links)]
    if args.pages:
        from viz.pages import render_pages

        return render_pages(q, out, highlight=highlight, title=args.title, dpi=args.dpi, show_ids=args.ids,
                            rule_sentences=args.sentences, links=args.links)
    from viz.draw import render

    return [render(q, out, highlight=highlight, title=args.title, compact=compact, dpi=args.dpi,
                   show_ids=args.ids, rule_sentences=args.sentences, links=args.links)]


def _dpi(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected dots per inch, found {text!r}") from None
    if not 10 <= value <= 1200:
        raise argparse.ArgumentTypeError(f"expected 10 to 1200 dots per inch, found {text!r}")
    return value


def register(subparsers: Any) -> None:
    """Add the ``draw`` command to ``subparsers`` (from ``add_subparsers``)."""
    text = "draw a structure (PNG, SVG or PDF): its groups and units, a pathway, changes, or a chart"
    p = subparsers.add_parser("draw", help=text, description=text)
    p.set_defaults(func=cmd_draw)
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="file to write: .png, .svg or .pdf (never one of the inputs)")
    p.add_argument("--highlight", nargs="+", metavar="UNIT",
                   help="'cheapest' (the first cheapest pathway, the one `qualpath report` and `qualpath "
                   "cheapest` show) or unit ids of a pathway to show (one id per argument; quote ids with spaces)")
    p.add_argument("--by", default=None,
                   help="with --highlight cheapest: criteria, lexicographic: credits, units, glh, fee, hours "
                   "(default: credits,units, i.e. fewest credits and, among those, fewest units; units alone "
                   "when the rules count no credits)")
    p.add_argument("--diff", metavar="NEW", help="mark what NEW adds, removes and changes compared with FILE")
    p.add_argument("--compact", action="store_true", help="summarise each group instead of drawing its units")
    p.add_argument("--ids", action="store_true",
                   help="print each unit's id (its handbook number, e.g. SHC 31) above its title")
    p.add_argument("--sentences", action="store_true",
                   help="write each group's rule as a sentence under its heading, as a handbook does")
    p.add_argument("--links", choices=("auto", "lines", "notes"), default="auto",
                   help="barred pairs and prerequisites as lines between the units, or written in their "
                        "boxes ('needs X', 'not with Y'); auto: written past a dozen, or where a "
                        "prerequisite is met by one of several units")
    p.add_argument("--pages", action="store_true",
                   help="one page per group: a multi-page PDF, or numbered PNGs (OUT-1.png, OUT-2.png, ...)")
    p.add_argument("--chart", choices=_CHARTS,
                   help="a chart instead: pathways by total credits, or how often each unit is taken")
    p.add_argument("--title", help="title to print instead of the qualification's")
    p.add_argument("--dpi", type=_dpi, default=300, help="resolution of PNG files (300)")
