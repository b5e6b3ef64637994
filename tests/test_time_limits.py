"""Exact engines stop at --timeout too (issue 13, item 7): a partial answer, never a figure read as a count."""

from __future__ import annotations


def test_the_unit_type_programme_stops_at_its_time_limit() -> None:
    # Both versions of the revised Diploma as one structure (the count diff needs for "pathways of both"):
    # the unit-type programme takes seconds on it. With a limit it stops there and says partial,
    # with no figure read as a count; without one it finishes with the exact count.
    import time

    from solver import count_pathways
    from solver.design.pathways import combined
    from solver.exact import type_record
    from solver.model import bundled_rules, load_qualification
    from viz.samples import revised_diploma

    old = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    both = combined(old, revised_diploma(old))
    assert both is not None
    type_record.forget()  # an earlier test's record of the same structure would answer at once
    start = time.monotonic()
    cut = count_pathways(both, timeout=0.2)
    assert time.monotonic() - start < 3
    assert cut.status.value == "partial" and cut.method.value == "type-dynamic-programming"
