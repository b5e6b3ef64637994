"""The ``import`` and ``handbook`` commands of the ``qualpath`` command line.

``qualpath import SOURCE -o rules/NAME.yaml`` reads a handbook's structure
page (text, Markdown, PDF, Word, HTML) into a rule file, prints what to
review and checks the result. ``qualpath handbook FILE -o OUT`` writes the
structure pages of a rule file (Markdown, HTML, Word or PDF). The drawing
code (``viz``, matplotlib) is imported inside ``handbook`` only.

Exit codes: ``import`` 0 when everything in the source was used and the
structure is valid and achievable with its declared figures checking out, 1
when there is anything to review (the rule file is still written) or the
source cannot be read (nothing written); ``handbook`` 0 written, 1 a bad rule
file; both 2 for usage errors (a bad suffix, an output that would overwrite an
input).

Examples
--------
>>> parser = argparse.ArgumentParser(prog="qualpath")
>>> register(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["import", "handbook.pdf", "-o", "rules/new.yaml"])
>>> args.func is cmd_import, args.output
(True, 'rules/new.yaml')
>>> args = parser.parse_args(["handbook", "diploma", "-o", "structure.md", "--no-diagram"])
>>> args.func is cmd_handbook, args.diagram
(True, False)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..model.errors import QualificationError, UsageError
from ..model.files import write_bytes_atomic
from .common import seconds

__all__ = ["cmd_handbook", "cmd_import", "register"]

_PAGE_SUFFIXES = (".md", ".html", ".htm", ".docx", ".pdf")



def _check_output(out: Path, inputs: list[Path], suffixes: tuple[str, ...]) -> None:
    if out.suffix.lower() not in suffixes:
        raise UsageError(f"{out}: cannot tell the format from {out.suffix or 'no suffix'!r}; "
                         f"expected {', '.join(suffixes[:-1])} or {suffixes[-1]}")
    if out.is_dir():
        raise UsageError(f"{out}: is a folder; expected a file name")
    if not out.parent.is_dir():
        raise UsageError(f"{out}: the folder {out.parent} does not exist")
    for path in inputs:
        if path.exists() and path.resolve() == out.resolve():
            raise UsageError(f"{out}: refusing to write over the input file {path}")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _check_lines(check: Any) -> list[str]:
    if not check.valid:
        return ["Check: the imported structure is not valid:", *(f"  {p}" for p in check.problems)]
    if not check.achievable:
        return ["Check: valid, but no pathway satisfies the rules (see qualpath check)"]
    counted = "pathways not counted in time" if check.pathways is None else _plural(check.pathways, "pathway")
    least = "minimal not counted in time" if check.minimal is None else f"{check.minimal:,} minimal"
    line = f"Check: valid; achievable; {counted} ({least})"
    if check.cheapest is not None:
        best = ", ".join(f"{v} {k}" for k, v in check.cheapest["optimum"].items())
        line += f"; cheapest {best} ({check.cheapest['ties']:,} tie)"
    lines = [line]
    if check.declared:
        lines.append(f"Declared figures: {len(check.declared)} check out")
        lines += [f"  {m}" for m in check.declared]
    if check.mismatches:
        lines.append(f"Declared figures to review: {len(check.mismatches)}")
        lines += [f"  {m}" for m in check.mismatches]
    return lines


def cmd_import(args: argparse.Namespace) -> int:
    """``qualpath import SOURCE -o OUT.yaml``: a handbook's structure page into a checked rule file."""
    from ..handbook import HandbookError, check_imported, format_review, import_handbook
    from ..handbook.yamlout import write_yaml

    source, out = Path(args.source), Path(args.output)
    _check_output(out, [source], (".yaml", ".yml"))
    try:
        result = import_handbook(source)
    except HandbookError as exc:
        print(f"qualpath: {exc}", file=sys.stderr)
        print("qualpath: nothing written", file=sys.stderr)
        return 1
    except (RecursionError, MemoryError, ValueError, LookupError, TypeError, AttributeError) as exc:
        # a document no rule of the importer foresaw: say so, never a traceback
        print(f"qualpath: {source}: could not be read ({type(exc).__name__}: {exc}); this is a fault in "
              "qualpath import, please report it with the document", file=sys.stderr)
        print("qualpath: nothing written", file=sys.stderr)
        return 1
    check = check_imported(result.qualification, timeout=args.timeout)
    text = write_yaml(result)
    try:
        write_bytes_atomic(out, text.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"{out}: cannot write: {exc.strerror or exc}") from None
    q = result.qualification
    clean = not result.review and check.valid and bool(check.achievable) and not check.mismatches
    if args.json:
        print(json.dumps({"source": str(source), "format": result.kind, "output": str(out),
                          "qualification": q.id, "title": q.title, "units": len(q.units),
                          "groups": sum(1 for _ in q.iter_groups()), "review": [r.to_dict() for r in result.review],
                          "check": check.to_dict(), "clean": clean}, indent=2))
    else:
        groups = sum(1 for _ in q.iter_groups())
        print(f"{out}: written: {q.title} ({q.id}), {_plural(len(q.units), 'unit')} in "
              f"{_plural(groups, 'group')}, from {source} ({result.kind})")
        for note in result.notes:
            print(f"Note: {note}")
        print(format_review(result.review))
        print("\n".join(_check_lines(check)))
    return 0 if clean else 1


def _diagram(q: Any) -> bytes:
    """The structure diagram as PNG bytes (drawn by viz, imported here only)."""
    from viz.handbook_pdf import diagram_png

    return diagram_png(q)


def cmd_handbook(args: argparse.Namespace) -> int:
    """``qualpath handbook FILE -o OUT``: the structure pages of a rule file (.md, .html, .docx, .pdf)."""
    from ..handbook.write import write_handbook
    from ..model.load import find_structure, load_qualification

    path = find_structure(args.file)
    out = Path(args.output)
    _check_output(out, [path], _PAGE_SUFFIXES)
    q = load_qualification(path)
    def diagram() -> bytes:
        return _diagram(q)

    try:
        if out.suffix.lower() == ".pdf":
            from viz.handbook_pdf import render_handbook_pdf

            render_handbook_pdf(q, out, diagram=args.diagram)
        else:
            write_handbook(q, out, diagram=diagram if args.diagram else None)
    except OSError as exc:
        raise UsageError(f"{out}: cannot write: {exc.strerror or exc}") from None
    except QualificationError:
        raise
    print(out)
    return 0


def register(subparsers: Any) -> None:
    """Add the ``import`` and ``handbook`` commands to ``subparsers`` (from ``add_subparsers``)."""
    text = ("read a handbook's structure page (text, Markdown, PDF, Word .docx, HTML) into a rule file; "
            "print what to review; check the result")
    p = subparsers.add_parser("import", help=text, description=text)
    p.set_defaults(func=cmd_import)
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="rule file to write: .yaml (never the source)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--timeout", type=seconds, default=10.0, help="seconds each fallback count may take (10)")

    text = "write a structure's handbook pages: rule of combination in sentences, declared figures, unit tables"
    p = subparsers.add_parser("handbook", help=text, description=text)
    p.set_defaults(func=cmd_handbook)
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="file to write: .md, .html, .docx or .pdf (never the input)")
    p.add_argument("--no-diagram", dest="diagram", action="store_false", help="leave out the diagram")
