"""Every bundled structure loads, validates, can be achieved, and its fast count agrees with
python-constraint's own enumeration wherever enumeration finishes quickly."""

from __future__ import annotations

import pytest

from solver import bundled_rules, count_pathways, load_folder
from solver.csp.stream import count_by_enumeration

STRUCTURES = load_folder(bundled_rules())


def test_the_folder_holds_every_bundled_qualification():
    names = {q.id for q in STRUCTURES}
    assert {"OCR-NVQ2-CS", "L2-DIP-CS", "CHC33021", "CHC33021-SPEC", "CSFN-MIN", "USYD-CS-MINOR-CORE"} <= names


@pytest.mark.parametrize("q", STRUCTURES, ids=lambda q: q.id)
def test_fast_count_agrees_with_python_constraint(q):
    fast = count_pathways(q)
    assert fast.pathways > 0
    if fast.pathways <= 30_000:  # python-constraint enumerates about 10-50 thousand a second here
        slow = count_by_enumeration(q, timeout=None)
        assert slow.pathways == fast.pathways
        assert slow.method.value == "constraint-enumeration" != fast.method.value


def test_feasibility_falls_back_to_python_constraint(monkeypatch):
    """When the programmes cannot take a structure, python-constraint decides (with a deadline)."""
    import dataclasses

    import solver.exact as dp
    from solver.answers.summary import exact_feasible

    def refuse(*_args, **_kwargs):
        raise dp.NotSupported("forced for this test")

    nvq = next(q for q in STRUCTURES if q.id == "OCR-NVQ2-CS")
    monkeypatch.setattr(dp, "solve", refuse)
    assert exact_feasible(nvq)
    # 8 units listed in all, so a pathway of at least 9 units cannot exist
    assert not exact_feasible(dataclasses.replace(nvq, min_units=9))
