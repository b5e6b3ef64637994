"""Plain-text tables line up: count --breakdown and the audit's progress table (issue 13, item 15)."""

from __future__ import annotations

from decimal import Decimal

from solver.answers.count import breakdown
from solver.answers.report import format_breakdown
from solver.audit import audit
from solver.cli.audit import format_audit
from solver.model import Group, Qualification, Unit, bundled_rules, load_qualification


def test_breakdown_columns_line_up() -> None:
    q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    text = format_breakdown(q, breakdown(q))
    lines = text.splitlines()
    start = lines.index("Pathways holding each unit:") + 2
    rows = lines[start:]
    assert len(rows) == len(q.unit_ids())
    # counts of very different sizes (67,418,986 and 381,069) end in one column, and the ids start in one
    ids = {row.index(uid) for row, uid in zip(rows, q.unit_ids())}
    assert len(ids) == 1
    column = ids.pop()
    assert all(row[column - 3].isdigit() and row[column - 2:column] == "  " for row in rows)
    by_credits = lines[2:lines.index(next(x for x in lines if x.startswith("Pathways by credits within")))]
    assert len({len(row) for row in by_credits}) == 1  # one width: every figure right-aligned
    # group tables wrap instead of running on: no line is a wall of text
    assert max(len(line) for line in lines if not line.startswith("  ") or ":" in line[:12]) < 120


def test_audit_progress_lines_up_and_wraps_long_rules() -> None:
    units = (Unit(id="SHC 31", title="Promote communication", credits=Decimal(3)),
             Unit(id="SHC 32", title="Engage in personal development", credits=Decimal(3)),
             Unit(id="HSC 024", title="Principles of safeguarding", credits=Decimal(3)))
    q = Qualification(id="LONG", title="Long rules", units=units, requirements=(
        Group(id="a-very-long-group-identifier-for-the-mandatory-units", units=("SHC 31", "SHC 32"), mandatory=True),
        Group(id="b", units=("HSC 024",), max_credits=Decimal(3)),
    ))
    lines = format_audit(q, audit(q, ["SHC 31"])).splitlines()
    long_rule = next(i for i, line in enumerate(lines) if "a-very-long-group" in line)
    assert "held" not in lines[long_rule] and lines[long_rule + 1].lstrip().startswith("held")
    short = [line for line in lines if line.startswith("  group b ")]
    assert short and "held" in short[0]
    diploma = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    table = [line for line in format_audit(diploma, audit(diploma, ["negotiate"])).splitlines()
             if " held " in line]
    assert len(table) == 6 and len({line.index(" held ") for line in table}) == 1
