"""The ``audit`` and ``transfer`` commands of ``qualpath`` (registered by :func:`register`).

::

    qualpath audit diploma --achieved resolve-problems develop-relationships [--by credits] [--json]
    qualpath audit diploma --learners learners.csv -o report.csv      # or report.jsonl
    qualpath transfer --from nvq --to diploma --achieved U1 U2 ...
    qualpath transfer --folder rules/ --achieved U1 U2 ...
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.errors import UsageError
from ..model.results import Status
from ..model.structure import Qualification, format_number
from .answers import EXIT_UNDECIDED
from .common import load_structure, progress_bar, say, show_progress, unit_ids

if TYPE_CHECKING:  # the audit engine loads only when a command needs it (qualpath --help starts faster)
    from ..audit import Audit

__all__ = ["cmd_audit", "cmd_transfer", "format_audit", "register"]


#: The widest a column of the progress table grows before its text moves to a line of its own.
_COLUMN = 28


def _units(n: int) -> str:
    return f"{n} unit" if n == 1 else f"{n} units"


def format_audit(q: Qualification, a: Audit) -> str:
    """An audit as text for people."""
    lines = [f"{q.title} ({q.id})"]
    partial = a.status is Status.PARTIAL
    if a.remaining is None:
        lines.append("No pathway was found before the time limit: it is not known whether it can be completed."
                     if partial else "No pathway satisfies the rules, so it cannot be completed.")
        return "\n".join(lines)
    # a pathway inside the units held proves "achieved"; not finding one in time proves nothing
    lines.append("Achieved: " + ("yes" if a.achieved else "not known (the search stopped at the time limit)"
                                 if partial else "no"))
    credits = q.counts_credits()
    # one table: the rule, what it wants, then the figures; a long description wraps onto its own
    # line above the figures instead of pushing them out of line
    fits = [p for p in a.progress if len(p.rule) <= _COLUMN and len(p.wants) <= _COLUMN]
    rule_width = max((len(p.rule) for p in fits), default=0)
    wants_width = max((len(p.wants) for p in fits), default=0)
    for p in a.progress:
        held = f"{format_number(p.held_credits)} credits, " if credits else ""
        after = f"{format_number(p.after_credits)} credits, " if credits else ""
        figures = (f"held {held}{_units(len(p.held_units))}; "
                   f"after completion {after}{_units(p.after_units)}  [{p.status}]")
        if p in fits:
            lines.append(f"  {p.rule:<{rule_width}}  {p.wants:<{wants_width}}  {figures}")
        else:
            lines.append(f"  {p.rule}: {p.wants}")
            lines.append(f"      {figures}")
    if not a.achieved:
        left = ", ".join(f"{format_number(v)} {k}" for k, v in a.remaining.items())
        ties = (f"; {a.ties:,} pathway{'s' if a.ties != 1 else ''} complete{'s' if a.ties == 1 else ''} at this cost"
                if a.ties is not None else "")
        if partial:
            ties = f"; {a.ties:,} found at this cost" if a.ties is not None else ""
            lines.append(f"Cheapest completion found before the time limit (not proven): {left} to add "
                         f"({a.proof}{ties})")
        else:
            lines.append(f"Cheapest completion: {left} to add (proof: {a.proof}{ties})")
        for i, c in enumerate(a.completions, 1):
            cost = ", ".join(f"{format_number(v)} {k}" for k, v in c.cost.items())
            label = "best" if i == 1 else f"alt {i - 1}"
            units = ", ".join(f"{u} ({format_number(q.unit(u).credits or 0)})" if credits else u for u in c.add)
            lines.append(f"  {label}: {cost}: {units}")
    if a.not_counting:
        lines.append("Count towards nothing: " + ", ".join(a.not_counting))
    if a.blocked:
        lines.append("Can no longer help (barred with units held): "
                     + ", ".join(f"{u} (with {', '.join(w)})" for u, w in a.blocked.items()))
    return "\n".join(lines)


def cmd_audit(args: argparse.Namespace) -> int:
    """``qualpath audit``: one learner (``--achieved``) or a learner file (``--learners``)."""
    from ..answers.report import dumps
    from ..audit import audit

    q, _path = load_structure(args.file)
    by = args.by or ("credits" if q.counts_credits() else "units")  # credits of a no-credit rule are all 0
    if args.learners is None:
        if args.achieved is None and args.achieved_file is None:
            raise UsageError("give --achieved UNIT ... (or --achieved-file FILE) for one learner, "
                             "or --learners FILE for many")
        held = unit_ids(args.achieved, frozenset(q.unit_ids()), where=q.id, option="--achieved",
                        files=args.achieved_file)
        result = audit(q, held, by=by, alternatives=args.alternatives)
        say(dumps(result.to_dict()) if args.json else format_audit(q, result))
        if result.remaining is None:
            return EXIT_UNDECIDED if result.status is Status.PARTIAL else 1
        return 0
    from ..audit.learners import audit_batch, iter_learners

    source = Path(args.learners)
    if not source.is_file():
        raise UsageError(f"no learner file {source}")
    out = Path(args.output) if args.output else source.with_name(source.stem + "-audit.csv")
    fmt = args.format or ("jsonl" if out.suffix in (".jsonl", ".json") else "csv")
    records = iter_learners(source, qualification=q.id, sort=args.sort, known_units=q.unit_ids())
    with progress_bar("auditing learners", unit=" learners", enabled=show_progress()) as tick:
        n = audit_batch(q, records, out, format=fmt, by=by, workers=args.jobs, inputs=[source],
                        progress=tick)
    print(f"qualpath: audited {n:,} learners; report written to {out}", file=sys.stderr)
    return 0


def cmd_transfer(args: argparse.Namespace) -> int:
    """``qualpath transfer``: carry units from one qualification to another, or rank a folder."""
    from ..answers.report import dumps
    from ..audit.transfer import rank_qualifications, transfer

    if args.achieved is None and args.achieved_file is None:
        raise UsageError("give the learner's units: --achieved UNIT ... or --achieved-file FILE")
    if args.folder:
        from ..model.load import load_folder

        found = load_folder(args.folder)
        # an id is known when some qualification of the folder has it, or names it as an equivalent
        known = {uid for q in found for u in q.units for uid in (u.id, *u.equivalent)}
        held = unit_ids(args.achieved, known, where=f"any qualification in {args.folder}",
                        option="--achieved", files=args.achieved_file)
        ranked = rank_qualifications(found, held, by=args.by or "units", top=args.top)
        if args.json:
            say(dumps([r.to_dict() for r in ranked]))
            return 0
        for i, r in enumerate(ranked, 1):
            a = r.audit
            partial = a.status is Status.PARTIAL
            left = ("achieved" if a.achieved else ("not known (stopped at the time limit)" if partial
                                                   else "no pathway") if a.remaining is None
                    else ", ".join(f"{format_number(v)} {k}" for k, v in a.remaining.items())
                    + (" to add at most (the search stopped at the time limit)" if partial else " to add"))
            say(f"{i}. {r.qualification} ({r.title}): {left}; {len(r.carried)} of your units count")
        return 0
    if not (args.source and args.target):
        raise UsageError("give --from A --to B, or --folder DIR")
    source, _p = load_structure(args.source)
    target, _p = load_structure(args.target)
    held = unit_ids(args.achieved, frozenset(source.unit_ids()), where=f"{source.id} (--from)",
                    option="--achieved", files=args.achieved_file)
    result = transfer(source, target, held, by=args.by or "credits", alternatives=args.alternatives)
    if args.json:
        say(dumps(result.to_dict()))
        return 0
    lines = [f"From {source.id} to {target.id}:"]
    for c in result.carried:
        lines.append(f"  carries: {c.unit}" + (f" as {c.as_unit}" if c.as_unit != c.unit else "") + f" ({c.how})")
    if result.not_carried:
        lines.append("  does not carry: " + ", ".join(result.not_carried))
    lines.append(format_audit(target, result.audit))
    say("\n".join(lines))
    if result.audit.remaining is None:
        return EXIT_UNDECIDED if result.audit.status is Status.PARTIAL else 1
    return 0


def register(subparsers: Any) -> None:
    """Add the ``audit`` and ``transfer`` commands to ``qualpath``'s sub-command parsers."""
    p = subparsers.add_parser("audit", help="a learner's progress and the cheapest way to finish",
                              description="Audit one learner (--achieved) or a learner file (--learners).")
    p.set_defaults(func=cmd_audit)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--achieved", nargs="+", metavar="UNIT",
                   help="units the learner holds (one id per argument; quote ids with spaces)")
    p.add_argument("--achieved-file", action="append", metavar="FILE", help="--achieved ids, one a line")
    p.add_argument("--learners", metavar="CSV", help="learner file: columns learner,unit[,qualification,status,date]")
    p.add_argument("-o", "--output", metavar="OUT", help="report file (.csv or .jsonl); default LEARNERS-audit.csv")
    p.add_argument("--format", choices=("csv", "jsonl"), help="report format (default: from OUT's suffix)")
    p.add_argument("--by", help="criteria for what remains: credits, units, glh, fee, hours (default: credits, or "
                   "units where the structure gives no credits)")
    p.add_argument("--alternatives", type=int, default=3, help="further completions to show (3)")
    p.add_argument("--jobs", type=int, default=1, help="processes for a learner file (1)")
    p.add_argument("--sort", action="store_true", help="group an unsorted learner file in memory")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = subparsers.add_parser("transfer", help="which units carry to another qualification, and what remains",
                              description="Carry a learner's units from one qualification to another "
                                          "(--from/--to), or rank every qualification in a folder.")
    p.set_defaults(func=cmd_transfer)
    p.add_argument("--from", dest="source", metavar="A", help="qualification the units were achieved in")
    p.add_argument("--to", dest="target", metavar="B", help="qualification to finish")
    p.add_argument("--folder", metavar="DIR", help="rank every qualification in this folder")
    p.add_argument("--achieved", nargs="+", metavar="UNIT",
                   help="units the learner holds (one id per argument; quote ids with spaces)")
    p.add_argument("--achieved-file", action="append", metavar="FILE", help="--achieved ids, one a line")
    p.add_argument("--by", help="criteria for what remains (credits for --to, units for --folder)")
    p.add_argument("--alternatives", type=int, default=3, help="further completions to show (3)")
    p.add_argument("--top", type=int, help="with --folder: show only the closest N")
    p.add_argument("--json", action="store_true", help="machine-readable output")
