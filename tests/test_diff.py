"""What-if diffs against an independent computation and against brute force (tests/oracle.py)."""

from __future__ import annotations

import argparse
import itertools
import json
from collections import Counter
from decimal import Decimal

import oracle
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import qualifications

from solver.cli.design import register
from solver.design.diff import check_learners, diff, format_diff, replace_requirement
from solver.model import Group, Qualification, Unit
from solver.model.load import bundled_rules, load_qualification
from solver.model.results import Status
from solver.model.validate import validate

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DIPLOMA = bundled_rules() / "l2-diploma-customer-service.yaml"


def _subset_credits(q, group):
    """How many subsets of a group's units have each credit total (plain enumeration of 2^n subsets)."""
    values = [int(q.unit(u).credits) for u in group.units]
    out: Counter[int] = Counter()
    for bits in itertools.product((0, 1), repeat=len(values)):
        out[sum(v for v, b in zip(values, bits, strict=True) if b)] += 1
    return out


def _diploma_counts(q):
    """Pathways of the Diploma by Group B credits, from per-group subset enumeration.

    Mandatory: all five units (19 credits); A: min 3; C: max 7; total at least 45.
    """
    mandatory, a, b, c = q.iter_groups()
    fixed = sum(int(q.unit(u).credits) for u in mandatory.units)
    dist_a, dist_b, dist_c = (_subset_credits(q, g) for g in (a, b, c))
    by_b: Counter[int] = Counter()
    for ca, na in dist_a.items():
        for cc, nc in dist_c.items():
            if ca < 3 or cc > 7:
                continue
            for cb, nb in dist_b.items():
                if fixed + ca + cb + cc >= 45:
                    by_b[cb] += na * nb * nc
    return by_b


def test_diploma_group_b_min_18_against_subset_enumeration():
    old = load_qualification(DIPLOMA)
    new = replace_requirement(old, "B", min_credits=18)
    by_b = _diploma_counts(old)
    before = sum(n for cb, n in by_b.items() if cb >= 16)
    after = sum(n for cb, n in by_b.items() if cb >= 18)
    lost = by_b[16] + by_b[17]
    d = diff(old, new)
    assert before == 67_418_986
    assert (d.pathways_before, d.pathways_after, d.lost, d.gained) == (before, after, lost, 0)
    assert d.method == "intersection" and d.status is Status.COMPLETE
    assert [str(c) for c in d.rules] == ["rule changed: B: min 16 credits -> B: min 18 credits"]
    assert d.units == ()
    # Least credits stay 45 (B can give 18 and C 7: 19 + 3 + 18 + 5 ...); fewest units stay 11.
    assert (d.min_credits_before, d.min_credits_after) == (45, 45)
    assert (d.min_units_before, d.min_units_after) == (11, 11)
    # Examples: valid before, Group B credits 16 or 17, in the documented order.
    group_b = set(list(old.iter_groups())[2].units)
    assert len(d.lost_examples) == 3
    for p in d.lost_examples:
        assert oracle.is_pathway(old, frozenset(p.units)) and not oracle.is_pathway(new, frozenset(p.units))
        assert sum(old.unit(u).credits for u in p.units if u in group_b) in (16, 17)
    keys = [oracle.pathway_order_key(old, frozenset(p.units)) for p in d.lost_examples]
    assert keys == sorted(keys)
    text = format_diff(d, old, new)
    assert f"pathways: {before:,} -> {after:,}" in text and f"pathways lost: {lost:,}; gained: 0" in text


def _tweak(q, data):
    nodes = [q.id, *(n.id for n in q.iter_requirements())]
    node = data.draw(st.sampled_from(nodes))
    field = data.draw(st.sampled_from(["min_credits", "max_credits", "min_units", "max_units"]))
    value = data.draw(st.sampled_from([None, 0, 1, 2, 3, 5, 8]))
    if value is not None and field.endswith("credits"):
        value = Decimal(value)
    return replace_requirement(q, node, **{field: value})


@FAST
@given(qualifications(disjoint_only=True, max_units=6), st.data())
def test_lost_and_gained_equal_brute_force(q, data):
    new = _tweak(q, data)
    old_set, new_set = set(oracle.all_pathways(q)), set(oracle.all_pathways(new))
    d = diff(q, new, examples=2, timeout=None)
    assert (d.pathways_before, d.pathways_after) == (len(old_set), len(new_set))
    assert (d.lost, d.gained) == (len(old_set - new_set), len(new_set - old_set))
    first_lost = sorted(old_set - new_set, key=lambda s: oracle.pathway_order_key(q, s))[:2]
    first_gained = sorted(new_set - old_set, key=lambda s: oracle.pathway_order_key(new, s))[:2]
    assert [frozenset(p.units) for p in d.lost_examples] == first_lost
    assert [frozenset(p.units) for p in d.gained_examples] == first_gained


@st.composite
def _pools(draw: st.DrawFn) -> Qualification:
    """Two or three groups over 2-5 units that share some of them; the last may double-count."""
    n = draw(st.integers(2, 5))
    units = tuple(Unit(id=f"u{i}", title=f"u{i}", credits=Decimal(draw(st.integers(1, 3)))) for i in range(n))
    ids = [u.id for u in units]
    groups: list[Group] = []
    for name in draw(st.sampled_from(["AB", "ABC"])):
        members = tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=n, unique=True)))
        if groups and draw(st.booleans()):
            members = groups[0].units  # the same pool listed twice: allocation decides everything
        low = draw(st.sampled_from([None, 1, 2]))
        groups.append(Group(id=name, units=members, min_units=low, max_units=draw(st.sampled_from([None, 2, 3])),
                            min_credits=draw(st.sampled_from([None, Decimal(2), Decimal(4)])),
                            double_counting=name == "C" and draw(st.booleans())))
    listed = {u for g in groups for u in g.units}
    q = Qualification(id="Q", title="T", units=tuple(u for u in units if u.id in listed), requirements=tuple(groups),
                      min_units=draw(st.sampled_from([None, 1, 2, 3])))
    assume(validate(q) == [])
    return q


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_pools(), qualifications(max_units=5)), st.data())
def test_lost_and_gained_equal_brute_force_with_units_shared_between_groups(q, data):
    """Units listed in two groups, and double-counting groups: a pathway of both versions may
    count a unit towards A in one and B in the other, so one structure with both versions'
    limits (which needs one allocation for both) would miss it."""
    new = _tweak(q, data)
    old_set, new_set = set(oracle.all_pathways(q)), set(oracle.all_pathways(new))
    d = diff(q, new, examples=2, timeout=None)
    assert (d.pathways_before, d.pathways_after) == (len(old_set), len(new_set))
    assert (d.lost, d.gained) == (len(old_set - new_set), len(new_set - old_set))
    assert {frozenset(p.units) for p in d.lost_examples} <= old_set - new_set
    assert {frozenset(p.units) for p in d.gained_examples} <= new_set - old_set


def test_a_pathway_of_both_versions_with_a_different_allocation_in_each():
    """a and b are listed in groups A and B. Before: A needs both; after: B needs both.

    {a, b} is the one pathway of each version (both units counting towards A before, towards
    B after), so nothing is lost or gained; a structure needing A and B to hold both units
    at once has no pathway, which read as one lost and one gained."""
    units = (Unit(id="a", title="a"), Unit(id="b", title="b"))
    old = Qualification(id="Q", title="T", units=units, requirements=(
        Group(id="A", units=("a", "b"), min_units=2), Group(id="B", units=("a", "b"))))
    new = Qualification(id="Q", title="T", units=units, requirements=(
        Group(id="A", units=("a", "b")), Group(id="B", units=("a", "b"), min_units=2)))
    d = diff(old, new, timeout=None)
    assert (d.pathways_before, d.pathways_after, d.lost, d.gained) == (1, 1, 0, 0)


@FAST
@given(qualifications(disjoint_only=True, max_units=5), st.data())
def test_revalued_unit_falls_back_to_enumeration(q, data):
    import dataclasses

    uid = data.draw(st.sampled_from(oracle.candidate_units(q)))
    unit = q.unit(uid)
    changed = dataclasses.replace(unit, credits=(unit.credits or Decimal(0)) + 1)
    new = dataclasses.replace(q, units=tuple(changed if u.id == uid else u for u in q.units))
    old_set, new_set = set(oracle.all_pathways(q)), set(oracle.all_pathways(new))
    d = diff(q, new, timeout=None)
    assert d.method == "enumeration"
    assert (d.lost, d.gained) == (len(old_set - new_set), len(new_set - old_set))
    assert [c.unit for c in d.units] == [uid] and d.units[0].fields[0][0] == "credits"


def test_learners_valid_before_and_not_after():
    old = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    new = replace_requirement(old, "optional", min_units=2)
    core = {"nvq-positive-impression", "nvq-reliable-service", "develop-relationships", "resolve-problems"}
    learners = [("L1", frozenset(core | {"promote-products"})), ("L2", frozenset(core))]
    changes = check_learners(old, new, learners)
    assert [c.learner for c in changes] == ["L1"]
    assert changes[0].reasons == ("valid again without: optional: min 2 units",)


def test_cli_diff_json(tmp_path, capsys):
    from solver.model.dump import dump_qualification

    old = load_qualification(DIPLOMA)
    path = tmp_path / "diploma-b18.yaml"
    text = dump_qualification(replace_requirement(old, "B", min_credits=18))
    path.write_text(text)
    (tmp_path / "libraries").mkdir()
    lib = bundled_rules() / "libraries" / "customer-service-units.yaml"
    (tmp_path / "libraries" / lib.name).write_text(lib.read_text())
    parser = argparse.ArgumentParser(prog="qualpath")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["diff", "diploma", str(path), "--json", "--examples", "1"])
    assert args.func(args) == 0
    data = json.loads(capsys.readouterr().out)
    by_b = _diploma_counts(old)
    assert data["lost"] == by_b[16] + by_b[17] and data["gained"] == 0
    assert len(data["lost_examples"]) == 1


@FAST
@given(qualifications(disjoint_only=True, max_units=6), st.data())
def test_moving_a_unit_between_groups_is_counted_exactly(q, data):
    """Different groups, same units: both versions' rules in one structure, counted exactly."""
    import dataclasses

    from solver.model import Group

    groups = list(q.iter_groups())
    if len(groups) < 2:
        return
    source = data.draw(st.sampled_from([g for g in groups if len(g.units) > 1] or [None]))
    if source is None:
        return
    target = data.draw(st.sampled_from([g for g in groups if g is not source]))
    uid = data.draw(st.sampled_from(source.units))

    def move(node):
        if isinstance(node, Group):
            if node is source:
                return dataclasses.replace(node, units=tuple(u for u in node.units if u != uid))
            if node is target:
                return dataclasses.replace(node, units=(*node.units, uid))
            return node
        return dataclasses.replace(node, requirements=tuple(move(c) for c in node.requirements))

    new = dataclasses.replace(q, requirements=tuple(move(r) for r in q.requirements))
    old_set, new_set = set(oracle.all_pathways(q)), set(oracle.all_pathways(new))
    d = diff(q, new, examples=2, timeout=None)
    assert (d.lost, d.gained) == (len(old_set - new_set), len(new_set - old_set))
    first_lost = sorted(old_set - new_set, key=lambda s: oracle.pathway_order_key(q, s))[:2]
    assert [frozenset(p.units) for p in d.lost_examples] == first_lost


def test_lost_and_gained_of_a_coupled_structure_are_exact_and_a_removed_pair_is_one_change():
    # 16 units in 8 barred pairs (more coupled units than the tree programme conditions on: the
    # frontier programme counts both versions and the structure of both). The new version drops
    # one pair and asks 1 credit more; brute force over all 2**16 subsets gives lost and gained.
    import dataclasses

    from solver.model import Barred, Group, Qualification, Unit

    ids = [f"{side}{i}" for i in range(8) for side in "ab"]
    units = tuple(Unit(id=u, title=u, credits=Decimal(1 + k % 3)) for k, u in enumerate(ids))
    pairs = tuple(Barred(units=(f"a{i}", f"b{i}")) for i in range(8))
    old = Qualification(id="OLD", title="Pairs", units=units, min_credits=Decimal(8),
                        requirements=(Group(id="G", units=tuple(ids)),), barred=pairs)
    new = dataclasses.replace(old, id="NEW", min_credits=Decimal(9), barred=pairs[:3] + pairs[4:])
    before, after = set(oracle.all_pathways(old)), set(oracle.all_pathways(new))
    d = diff(old, new)
    assert (d.pathways_before, d.pathways_after) == (len(before), len(after))
    assert (d.lost, d.gained) == (len(before - after), len(after - before))
    removed = [c for c in d.rules if c.change == "removed"]
    assert [c.label_old for c in removed] == ["barred: at most one of a3, b3"]
    assert not [c for c in d.rules if c.field == "barred" and c.change != "removed"]
