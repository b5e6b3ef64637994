"""The seed Diploma's figures, computed here by plain enumeration of each group's subsets.

The Diploma is mandatory (5 units, 19 credits) + Group A (min 3 credits, 2 units)
+ Group B (min 16 credits, 17 units) + Group C (max 7 credits, 15 units), with at
least 45 credits in all. Every unit sits in one group, so a pathway is one valid
subset per group whose credits add up to 45 or more. This test lists every subset
of every group (2^2 + 2^17 + 2^15 of them) with itertools, tallies them by credits,
and combines the tallies by hand-written loops: no code of the solver is used for the
expected numbers.
"""

from __future__ import annotations

import itertools
from collections import Counter

from solver import breakdown, cheapest_pathways, count_pathways, load_qualification
from solver.model.load import bundled_rules

Q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
GROUPS = {g.id: [int(Q.unit(u).credits) for u in g.units] for g in Q.iter_groups()}
MANDATORY = sum(GROUPS["mandatory"])  # 5 + 2 + 4 + 4 + 4 = 19
TOTAL_MIN = 45


def subsets(group: str, ok) -> Counter:
    """(credits, units, least credits of a unit the group could spare) -> how many subsets."""
    credits = GROUPS[group]
    tally: Counter = Counter()
    for r in range(len(credits) + 1):
        for combo in itertools.combinations(credits, r):
            c = sum(combo)
            if ok(c):
                spare = [w for w in combo if ok(c - w)]
                tally[(c, r, min(spare) if spare else 99)] += 1
    return tally


A = subsets("A", lambda c: c >= 3)
B = subsets("B", lambda c: c >= 16)
C = subsets("C", lambda c: c <= 7)


def combos():
    for (ca, ra, sa), na in A.items():
        for (cb, rb, sb), nb in B.items():
            for (cc, rc, sc), nc in C.items():
                total = MANDATORY + ca + cb + cc
                if total >= TOTAL_MIN:
                    yield total, 5 + ra + rb + rc, min(sa, sb, sc), na * nb * nc


def test_mandatory_credits_are_19():
    assert MANDATORY == 19


def test_pathway_count():
    expected = sum(n for _t, _u, _s, n in combos())
    assert count_pathways(Q).pathways == expected


def test_minimal_pathway_count():
    # minimal: no unit can be dropped; a unit can be dropped when its group keeps its rule
    # without it (the least such credits is tallied as "spare") and the total stays >= 45
    expected = sum(n for total, _u, spare, n in combos() if total - spare < TOTAL_MIN)
    assert count_pathways(Q, minimal=True).pathways == expected


def test_cheapest_by_credits_and_by_units_with_ties():
    everything = list(combos())
    least = min(t for t, _u, _s, _n in everything)
    ties = sum(n for t, _u, _s, n in everything if t == least)
    result = cheapest_pathways(Q, by="credits")
    assert (result.optimum["credits"], result.ties) == (least, ties) == (45, ties)
    fewest = min(u for _t, u, _s, _n in everything)
    ties_units = sum(n for _t, u, _s, n in everything if u == fewest)
    by_units = cheapest_pathways(Q, by="units")
    assert (by_units.optimum["units"], by_units.ties) == (fewest, ties_units)
    assert fewest - 5 == 6  # the handbook's "Optional ... Units Required: 6"
    lex = min((t, u) for t, u, _s, _n in everything)
    ties_lex = sum(n for t, u, _s, n in everything if (t, u) == lex)
    both = cheapest_pathways(Q, by="credits,units")
    assert (both.optimum["credits"], both.optimum["units"], both.ties) == (*lex, ties_lex)


def test_credit_histogram():
    hist: Counter = Counter()
    for total, _u, _s, n in combos():
        hist[total] += n
    assert {int(k): v for k, v in breakdown(Q).by_credits.items()} == dict(hist)
