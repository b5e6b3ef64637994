"""Credit transfer, worked out by hand on the seeds, and equivalences."""

from __future__ import annotations

from decimal import Decimal

import pytest

from solver.audit.transfer import carry_over, rank_qualifications, transfer
from solver.model import Group, Qualification, Unit
from solver.model.load import bundled_rules, load_qualification

NVQ_CORE = ["nvq-positive-impression", "nvq-reliable-service", "develop-relationships", "resolve-problems"]


@pytest.fixture(scope="module")
def seeds():
    return (load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"),
            load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml"))


# optional unit held -> credits carried into Group B (resolve 5 + develop 3 + the option)
# -> least credits to add. Mandatory 19 + Group A 3 + Group B (16 - carried) is less than
# 45 - carried in every case, so the 45-credit total decides: 45 - carried.
CASES = [("promote-products", 10, 35), ("support-improvements", 11, 34),
         ("nvq-personal-performance", 8, 37), ("nvq-process-information", 8, 37)]


@pytest.mark.parametrize(("option", "carried", "to_add"), CASES)
def test_nvq_holder_moves_to_the_diploma(seeds, option, carried, to_add):
    nvq, dip = seeds
    t = transfer(nvq, dip, [*NVQ_CORE, option])
    shared = [c.unit for c in t.carried]
    assert all(c.how == "same id" for c in t.carried)
    assert sum(dip.unit(u).credits for u in shared) == carried
    assert set(t.not_carried) == {"nvq-positive-impression", "nvq-reliable-service"} | (
        {option} if option.startswith("nvq-") else set())
    a = t.audit
    assert a.remaining == {"credits": Decimal(to_add)}
    assert not a.achieved
    group_b = {p.rule: p for p in a.progress}["group B"]
    assert group_b.held_credits == carried
    added = a.best.add
    assert sum(dip.unit(u).credits for u in added) == to_add
    assert set(added) >= set(dip.mandatory_unit_ids())


def test_equivalence_both_ways():
    old = Qualification(id="OLD", title="Old", units=(Unit(id="o1", title="o1", equivalent=("n2",)),
                                                      Unit(id="o2", title="o2")),
                        requirements=(Group(id="G", units=("o1", "o2")),))
    new = Qualification(id="NEW", title="New",
                        units=(Unit(id="n1", title="n1", credits=Decimal(2), equivalent=("o2",)),
                               Unit(id="n2", title="n2", credits=Decimal(3)),
                               Unit(id="n3", title="n3", credits=Decimal(4))),
                        requirements=(Group(id="G", units=("n1", "n2", "n3"), min_credits=Decimal(7)),))
    carried, lost = carry_over(new, ["o1", "o2", "zz"], old)
    assert [(c.unit, c.as_unit, c.how) for c in carried] == [("o1", "n2", "equivalent"), ("o2", "n1", "equivalent")]
    assert lost == ("zz",)
    t = transfer(old, new, ["o1", "o2"])
    # n1 (2) + n2 (3) carried = 5 of 7: add n3 (4), the only unit left.
    assert t.audit.remaining == {"credits": Decimal(4)} and t.audit.best.add == ("n3",)


def test_rank_by_units(seeds):
    nvq, dip = seeds
    ranked = rank_qualifications([dip, nvq], [*NVQ_CORE, "promote-products"])
    assert [r.qualification for r in ranked] == ["OCR-NVQ2-CS", "L2-DIP-CS"]
    # Diploma by units: the 5 mandatory units (19 credits), then 45 - 10 - 19 = 16 more credits
    # with at least one Group A unit (3) and at least 6 more Group B credits. The largest
    # B units are 5 credits, so B needs 2 units; A (3) + B (10) = 13 < 16, so a fourth
    # unit is needed (C's 7-credit unit, or another): 5 + 4 = 9 units.
    assert ranked[1].audit.remaining == {"units": 9}
