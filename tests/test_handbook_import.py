"""qualpath import: the seeds (text, PDF, Word) against the hand-written rules, and our own test handbooks.

Expected figures for the seeds come from the hand-written rule files in rules/ (the
acceptance of issue 15: the same pathway count, minimal count and cheapest figures).
Expected figures for our own handbooks come from a plain predicate written here from
each handbook's rules as printed, tried on every subset of its optional units (brute
force), never from the importer.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from handbook_build import build_docx, build_pdf

from solver import cheapest_pathways, count_pathways, load_qualification
from solver.handbook import check_imported, format_review, import_handbook

HERE = Path(__file__).resolve().parent
HANDBOOKS = HERE / "handbooks"
RULES = HERE.parent / "rules"

SEEDS = {
    "seed-ocr-l2-nvq-customer-service.txt": "ocr-l2-nvq-customer-service.yaml",
    "seed-l2-diploma-customer-service.md": "l2-diploma-customer-service.yaml",
}


def _figures(q, by):
    best = cheapest_pathways(q, by=by)
    return (count_pathways(q).pathways, count_pathways(q, minimal=True).pathways,
            {k: Decimal(v) for k, v in best.optimum.items()}, best.ties)


def _source(seed: str, kind: str, tmp_path: Path) -> Path:
    path = HANDBOOKS / seed
    text = path.read_text(encoding="utf-8")
    if kind == "text":
        return path
    if kind == "pdf":
        return build_pdf(text, tmp_path / f"{path.stem}.pdf")
    if kind == "pdf-flat":  # table rows drawn as one run of text each: columns told by the header's names
        return build_pdf(text, tmp_path / f"{path.stem}.pdf", columns=False)
    if kind == "docx":
        return build_docx(text, tmp_path / f"{path.stem}.docx")
    return build_docx(text, tmp_path / f"{path.stem}.docx", tables=False)  # tab-separated paragraphs


@pytest.mark.parametrize("kind", ["text", "pdf", "pdf-flat", "docx", "docx-tabs"])
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_imports_to_the_hand_written_figures(seed, kind, tmp_path):
    result = import_handbook(_source(seed, kind, tmp_path))
    assert result.review == (), format_review(result.review)
    expected = load_qualification(RULES / SEEDS[seed])
    by = ["credits", "units"] if expected.counts_credits() else ["units"]
    assert _figures(result.qualification, by) == _figures(expected, by)


def test_seed_figures_are_the_known_ones():
    # pinned in README.md and tests/test_cli.py: the Diploma and the NVQ (4 = C(4,1) pathways)
    diploma = import_handbook(HANDBOOKS / "seed-l2-diploma-customer-service.md").qualification
    assert _figures(diploma, ["credits", "units"]) == (67418986, 1939380, {"credits": 45, "units": 11}, 442)
    nvq = import_handbook(HANDBOOKS / "seed-ocr-l2-nvq-customer-service.txt").qualification
    assert _figures(nvq, ["units"]) == (4, 4, {"units": 5}, 4)
    assert [e.id for e in nvq.unit("1").elements] == ["1.1", "1.2", "1.3"]


def test_seed_diploma_keeps_declared_figures():
    q = import_handbook(HANDBOOKS / "seed-l2-diploma-customer-service.md").qualification
    assert q.title == "Level 2 Diploma in Customer Service" and q.declared.min_credits == 45
    mandatory, optional = q.requirements
    assert (mandatory.declared.credits, mandatory.declared.units) == (19, 5)
    assert (optional.declared.credits, optional.declared.units) == (26, 6)
    assert [g.title for g in optional.requirements] == ["Optional Group A", "Optional Group B", "Optional Group C"]
    check = check_imported(q)
    assert check.valid and check.achievable and check.mismatches == () and len(check.declared) == 5


# -- our own handbooks: expected figures by brute force over a predicate written from the text --------
def _brute(units: dict[str, tuple[Decimal, int]], mandatory: list[str], holds: Callable[[set[str]], bool],
           by_credits: bool):
    """(pathways, minimal, cheapest (credits, units) or (units,), ties) over subsets of the optional units."""
    optional = [u for u in units if u not in mandatory]
    found = []
    for n in range(len(optional) + 1):
        for pick in itertools.combinations(optional, n):
            chosen = set(mandatory) | set(pick)
            if holds(chosen):
                found.append(frozenset(chosen))
    valid = set(found)
    minimal = [p for p in found if not any(p - {u} in valid for u in p)]
    cost = [(sum(units[u][0] for u in p), len(p)) if by_credits else (len(p),) for p in found]
    best = min(cost)
    return len(found), len(minimal), best, cost.count(best)


def _credits(units, chosen, pool=None):
    return sum(units[u][0] for u in chosen if pool is None or u in pool)


def _hsc():
    # tests/handbooks/uk-l2-diploma-health-social-care.md: all of Group A (24 credits), at least 6 credits
    # from Group B, at most 6 from Group C, at least 34 credits in total.
    a = {"SHC 21": 3, "SHC 22": 3, "SHC 23": 2, "SHC 24": 1, "HSC 024": 3, "HSC 025": 2, "HSC 026": 5,
         "HSC 027": 4, "HSC 028": 1}
    b = {"DEM 201": 2, "HSC 2002": 4, "HSC 2014": 3, "HSC 2028": 4, "IC 01": 3, "LD 201": 4, "DEM 202": 2,
         "HSC 2015": 3, "PD OP 2.1": 3}
    c = {"HSC 3022": 4, "HSC 3020": 6, "Advo 301": 4}
    units = {u: (Decimal(v), 0) for u, v in {**a, **b, **c}.items()}

    def holds(s):
        return (_credits(units, s, b) >= 6 and _credits(units, s, c) <= 6 and _credits(units, s) >= 34)

    return units, list(a), holds, True


def _nvq():
    # tests/handbooks/nvq-l2-hospitality-food-and-drink.txt: units 1-3 and exactly two of units 4-9
    units = {str(i): (Decimal(0), 0) for i in range(1, 10)}
    return units, ["1", "2", "3"], lambda s: len(s - {"1", "2", "3"}) == 2, False


def _sit():
    # tests/handbooks/sit20322-certificate-ii-hospitality.html: 12 units = 6 core + 6 electives, at least
    # one of the electives from Group A
    core = ["BSBTWK201", "SITHIND006", "SITHIND007", "SITXCCS011", "SITXCOM007", "SITXWHS005"]
    group_a = ["SITHFAB021", "SITHFAB024", "SITHFAB025", "SITXFSA005"]
    group_b = ["BSBSUS211", "HLTAID011", "SITHCCC023", "SITHKOP009", "SITXINV006"]
    units = {u: (Decimal(0), 0) for u in core + group_a + group_b}
    return units, core, lambda s: len(s) == 12 and len(s & set(group_a)) >= 1, False


def _usyd():
    # tests/handbooks/usyd-data-science-minor.txt: 30 credit points in total, exactly 6 from the 1000-level
    # core, at least 12 from the 2000-level core, at least 6 from the 3000-level selectives; prohibitions
    # (N) and prerequisites (P) from the table
    one = ["DATA1001", "DATA1901"]
    two = ["DATA2001", "DATA2901", "DATA2002", "DATA2902"]
    three = ["DATA3888", "DATA3404", "DATA3406"]
    units = {u: (Decimal(6), 0) for u in one + two + three}
    pairs = [("DATA1001", "DATA1901"), ("DATA2001", "DATA2901"), ("DATA2002", "DATA2902")]
    needs = {"DATA2001": {"DATA1001", "DATA1901"}, "DATA2901": {"DATA1001", "DATA1901"},
             "DATA2002": {"DATA1001", "DATA1901"}, "DATA2902": {"DATA1901"},
             "DATA3888": {"DATA2001", "DATA2901"}, "DATA3404": {"DATA2001", "DATA2901"},
             "DATA3406": {"DATA2002", "DATA2902"}}

    def holds(s):
        return (_credits(units, s) == 30 and _credits(units, s, one) == 6 and _credits(units, s, two) >= 12
                and _credits(units, s, three) >= 6 and not any(a in s and b in s for a, b in pairs)
                and all(u not in s or s & need for u, need in needs.items()))

    return units, [], holds, True


def _business():
    # tests/handbooks/l3-certificate-business-administration.txt: both mandatory units (7 credits), at least
    # 11 credits from Group B, at least 20 in total, at least 14 credits at level 3 or above, and two
    # barred pairs (one in a sentence, one in the table's Barred against column)
    mandatory = {"M/601/0101": (3, 3), "T/601/0102": (4, 3)}
    group_b = {"A/601/0001": (4, 2), "A/601/0002": (4, 3), "F/601/0003": (4, 3), "J/601/0004": (3, 2),
               "L/601/0005": (2, 2), "R/601/0006": (4, 3), "Y/601/0007": (3, 2), "D/601/0008": (5, 3)}
    units = {u: (Decimal(c), lv) for u, (c, lv) in {**mandatory, **group_b}.items()}

    def holds(s):
        level3 = sum(units[u][0] for u in s if units[u][1] >= 3)
        return (_credits(units, s, group_b) >= 11 and _credits(units, s) >= 20 and level3 >= 14
                and not {"A/601/0001", "A/601/0002"} <= s and not {"R/601/0006", "Y/601/0007"} <= s)

    return units, list(mandatory), holds, True


OWN = {
    "uk-l2-diploma-health-social-care.md": _hsc,
    "nvq-l2-hospitality-food-and-drink.txt": _nvq,
    "sit20322-certificate-ii-hospitality.html": _sit,
    "usyd-data-science-minor.txt": _usyd,
    "l3-certificate-business-administration.txt": _business,
}


@pytest.mark.parametrize("name", sorted(OWN))
def test_own_handbook_imports_to_the_brute_force_figures(name):
    units, mandatory, holds, by_credits = OWN[name]()
    pathways, minimal, best, ties = _brute(units, mandatory, holds, by_credits)
    result = import_handbook(HANDBOOKS / name)
    assert result.review == (), format_review(result.review)
    q = result.qualification
    assert set(q.unit_ids()) == set(units)
    by = ["credits", "units"] if by_credits else ["units"]
    got = cheapest_pathways(q, by=by)
    assert count_pathways(q).pathways == pathways
    assert count_pathways(q, minimal=True).pathways == minimal
    assert tuple(got.optimum.values()) == best and got.ties == ties


def test_own_handbook_figures_by_hand():
    # hand calculations, as in the handbooks' own notes: the NVQ is C(6,2) = 15 pathways of 5 units;
    # SIT20322 is C(9,6) = 84 (every choice of 6 of the 9 electives has a Group A unit, as Group B has 5)
    assert _brute(*_nvq()) == (15, 15, (5,), 15)
    assert _brute(*_sit()) == (84, 84, (12,), 84)


def test_source_line_becomes_the_source_and_sentences_are_located():
    result = import_handbook(HANDBOOKS / "l3-certificate-business-administration.txt")
    q = result.qualification
    assert q.source.startswith("modelled on the rules of combination of QCF Level 3")
    assert [(r.kind, r.level, r.min_credits) for r in q.level_rules] == [("at_or_above", 3, 14)]
    assert str(result.sources["level_rules[0]"]) == "line 7"
    assert str(result.sources["units[0]"]) == "line 12"
