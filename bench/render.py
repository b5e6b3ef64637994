"""Render the machine and the table of a ``--json`` run as Markdown (for ``bench/RESULTS.md``).

``python -m bench.render bench/results.json`` prints it.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def _fmt(s: float | None) -> str:
    if s is None:
        return "-"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    if s >= 86400 * 365:
        return f"{s / (86400 * 365):.2g} years"
    return f"{s:.2f} s" if s < 1e4 else f"{s:.2e} s"


def render(data: dict[str, Any]) -> str:
    m = data["machine"]
    lines = [f"- Machine: {m['cpu']}, {m['cpus']} CPUs, {m['memory']} RAM; {m['platform']}",
             f"- Python {m['python']}; python-constraint2 {m.get('constraint')}; OR-Tools {m.get('ortools')}",
             f"- Date: {m['date']}; commit {m['commit']}", "",
             "| task | structure | units | qualpath | alternative | alternative's time | ratio | "
             "answers agree | target | met |",
             "|---|---|---:|---:|---|---:|---:|---|---|---|"]
    for r in data["rows"]:
        alt = _fmt(r["alt_s"]) + (f" ({r['alt_note']})" if r["alt_note"] else "") if r["alt_s"] else "-"
        agree = "" if r["agree"] is None else "yes" if r["agree"] else "**NO**"
        met = "" if r["met"] is None else "met" if r["met"] else "**not met**"
        lines.append(f"| {r['task']} | {r['structure']} | {r['size'] or ''} | {_fmt(r['qualpath_s'])} | "
                     f"{r['alternative'] or '-'} | {alt} | {r['ratio'] or '-'} | {agree} | {r['target']} | {met} |")
    lines += ["", "Answers and notes, row by row:", ""]
    for r in data["rows"]:
        if r["answer"] or r["note"]:
            lines.append(f"- {r['task']}, {r['structure']}: {r['answer']}"
                         + (f" ({r['note']})" if r["note"] else ""))
    return "\n".join(lines)


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        print(render(json.load(handle)))
