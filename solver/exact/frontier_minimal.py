"""Minimal pathways counted by the frontier programme: one pass per guess of how far the totals overshoot.

A pathway is *minimal* when no unit it takes can be dropped. Where every rule must hold
(groups, "all of" combinations, the qualification's totals, level rules) and nothing but
minimums can break when a unit is dropped, a unit is *protected* when some minimum over
it would break without it: a minimum of ``m`` whose total is ``S`` protects exactly the
units worth more than the *excess* ``S - m``. A pathway is minimal when every unit it
takes is protected. Barred sets never matter to that: dropping a unit keeps them.

The excess of a group's own minimum is read where the table already holds it. Within a
group, the units no other minimum protects (*weak* units) are decided last, heaviest
first; the last weak unit taken is then the lightest, every other unit of its group is
decided before it, and the group protects it exactly when the group's total *before* it
is still below the minimum. So each weak unit is taken only in the cells where some
minimum of its group is not yet reached (:func:`~solver.exact.frontier_table.run`'s
``gate``): if the lightest passes, so do the heavier ones, whose totals before them are
smaller; if one fails, it can be dropped.

Which units are weak depends on the excess of every other minimum: the qualification's
total, an "all of" combination's, a level rule's. Those are *guessed*: for each, which
of the distinct unit values (credits, or 1 for a count of units) the excess reaches,
and each guess is a pass with that total held to the matching range. Guesses that make
the same units weak and lie side by side share a pass. The passes partition the
pathways, so their counts add up to the number of minimal pathways. A diploma with a
total and a level rule over eleven distinct credit values takes 61 passes.

Most guesses hold no pathway at all: a total cannot overshoot by 15 credits when every
group must stop short of its minimum plus its lightest unit. And where a guess holds
some, its ranges rule out many units: a total held to 57 credits takes no unit that would
overshoot it. Each pass is first walked without its barred sets, which carry all its
frontier bits (:class:`~solver.exact.frontier_sparse.LiveCells`): the cells from which its
limits can still be met say whether anything holds, which units some pathway takes, and
which some pathway leaves. Empty passes are skipped; units no pathway takes are left out,
and so is a unit barred with one every pathway takes (13 of 61 passes remain for a
60-unit diploma with 20 barred pairs, half across groups, each without 14 to 43 of its 55
undecided units).

The passes that remain decide each group's units in a fixed order, but the groups may
interleave: the plan is the cheapest of the frontier programme's orders so amended and
the best interleavings of the groups' sequences (:mod:`~solver.exact.frontier_merge`),
which keep barred partners in different groups close. A pass whose tables would still
be large is counted over its live cells alone (:mod:`~solver.exact.frontier_sparse`)
where that costs less: one cell in a hundred lives in the largest tables of a diploma
whose barred pairs all join two groups.

Outside this shape (an "any of" or "at least n of" choice, prerequisites, units listed in
two groups), or past its limits (:data:`MAX_PASSES`, :data:`MAX_TABLE`, :data:`MAX_WORK`),
:func:`supports` says why, and the other programmes answer.

Examples
--------
Four units worth 1, 2, 3 and 4 credits in a group of at least 4 credits. A subset worth
at least 4 is minimal when dropping its lightest unit leaves less than 4: {4}, {1,3} and
{2,3}. Not {1,4}, {2,4} or {3,4} (4 left without the lightest), nor anything larger: 3.

>>> from decimal import Decimal
>>> from solver.model import Group, Qualification, Unit
>>> q = Qualification(id="Q", title="T",
...     units=tuple(Unit(id=f"u{c}", title="u", credits=Decimal(c)) for c in (1, 2, 3, 4)),
...     requirements=(Group(id="G", units=("u1", "u2", "u3", "u4"), min_credits=Decimal(4)),))
>>> count_minimal(q)
3
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model.structure import Qualification
from . import frontier, frontier_sparse
from .frontier_merge import interleave
from .frontier_plan import Axis, Plan, make_plan, work
from .frontier_problem import Infeasible, Problem, shape_problem, supports_shape
from .frontier_rings import Counts
from .frontier_sparse import LiveCells
from .frontier_table import run
from .kernel import NotSupported

__all__ = ["MAX_HELD", "MAX_PASSES", "MAX_TABLE", "MAX_UNITS", "MAX_WORK", "SPARSE_ALL_FROM", "SPARSE_COST",
           "SPARSE_FROM", "count_minimal", "forget", "supports"]

#: Most passes a count may take (one per guess of the overshoot of the totals it guesses).
MAX_PASSES = 400

#: Largest table a pass may build, in machine integers (as the frontier programme's own limit;
#: over live cells, the live cells of a step times its bits' settings).
MAX_TABLE = 50_000_000

#: Most integers all the passes may work through, summed over their steps' tables (a live cell's
#: integer as :data:`SPARSE_COST` of them), walks included: about 5 s (a 60-unit diploma with
#: 20 barred pairs, half across groups, 0.03 billion in 0.1 s).
MAX_WORK = 1_500_000_000

#: Undecided units past which counts outgrow the residue lanes of machine integers.
MAX_UNITS = 1_175

#: A pass whose tables would work through more integers than this is also tried over its live
#: cells alone (:mod:`~solver.exact.frontier_sparse`), in its best plan: about 4 ms of tables.
#: (Small structures with many totals open at once have such passes by the hundred: the
#: tests' random ones took 21 s of tables, 1 s over live cells.)
SPARSE_FROM = 1_000_000

#: Past this many, in the interleaved plans as well: about 0.1 s of tables.
SPARSE_ALL_FROM = 30_000_000

#: What one count over live cells costs, in integers of a table worked through (measured: 12 to
#: 25 ns against 3.5 ns).
SPARSE_COST = 8

#: Most units fixed in outside the mandatory groups (each doubles the counts).
MAX_HELD = 6


@dataclass(frozen=True, slots=True)
class _Guessed:
    """A minimum whose excess is guessed: a rule over units of several groups, on one measure."""

    node: int | None
    """The requirement (the qualification is 0), or ``None`` for a level rule."""
    dim: str
    low: int
    high: int | None
    members: frozenset[str]
    steps: tuple[int, ...]
    """The distinct positive values its free units add: the excess's classes are ``< steps[0]``,
    ``steps[0] .. steps[1] - 1``, ..., ``>= steps[-1]``."""

    def protects(self, value: int, cls: int) -> bool:
        """Whether an excess in class ``cls`` protects a unit adding ``value`` (more than any such excess)."""
        return value > 0 and (cls == 0 or (cls < len(self.steps) and value >= self.steps[cls]))

    def bounds(self, first: int, last: int) -> tuple[int, int | None]:
        """The total's limits when its excess lies in classes ``first .. last``."""
        low = self.low + (0 if first == 0 else self.steps[first - 1])
        top = None if last == len(self.steps) else self.low + self.steps[last] - 1
        high = top if self.high is None else self.high if top is None else min(top, self.high)
        return low, high


def _read(q: Qualification, forced: Mapping[str, bool] | None) -> Problem:
    reason = supports_shape(q)
    if reason is not None:
        raise NotSupported(reason)
    problem = shape_problem(q, forced)
    if any(clause.kind == "needs" for clause in problem.clauses):  # those on units fixed in are met and gone
        raise NotSupported("it has prerequisites (a unit another needs is protected by that too)")
    if any(node.counter is not None or not node.required for node in problem.nodes):
        raise NotSupported("a requirement is a choice (any of, at least n of)")
    return problem


def _guessed(problem: Problem) -> list[_Guessed]:
    free = [u for u in problem.units if u not in problem.fixed]
    out: list[_Guessed] = []

    def add(node: int | None, dim: str, low: int | None, high: int | None, members: frozenset[str]) -> None:
        if low is None:
            return
        steps = tuple(sorted({problem.weights[u][dim] for u in free if u in members} - {0}))
        out.append(_Guessed(node, dim, low, high, members, steps))

    for node in problem.nodes:
        if not node.is_group:
            for dim, (low, high) in node.dims.items():
                add(node.index, dim, low, high, frozenset(node.units))
    for dim, low, high, members in problem.levels:
        add(None, dim, low, high, frozenset(members))
    return out


def _weak(problem: Problem, guessed: Sequence[_Guessed], classes: Sequence[int]) -> frozenset[str]:
    """The free units no guessed minimum protects when the excesses lie in ``classes``.

    A unit of a mandatory group (one inside a choice is not fixed in) is always protected:
    dropping it breaks its group.
    """
    return frozenset(u for u in problem.units if u not in problem.fixed
                     and not problem.nodes[problem.node_of_unit[u]].mandatory
                     and not any(u in g.members and g.protects(problem.weights[u][g.dim], c)
                                 for g, c in zip(guessed, classes)))


def _passes(problem: Problem, guessed: Sequence[_Guessed]) -> list[tuple[frozenset[str], list[tuple[int, int]]]]:
    """Every guess, as the weak units and a range of classes per guessed minimum; neighbours merged.

    Guesses making the same units weak whose ranges differ in one minimum only, side by
    side, are one pass (a level rule whose excess is at least the total's: one pass).
    """
    sizes = [len(g.steps) + 1 for g in guessed]
    total = 1
    for n in sizes:
        total *= n
    if total > 50 * MAX_PASSES:
        raise NotSupported(f"{total:,} guesses of how far its totals overshoot (more than {50 * MAX_PASSES:,})")
    passes = [(_weak(problem, guessed, classes), [(c, c) for c in classes])
              for classes in itertools.product(*(range(n) for n in sizes))]
    for axis in reversed(range(len(guessed))):
        merged: list[tuple[frozenset[str], list[tuple[int, int]]]] = []
        for weak, ranges in sorted(passes, key=lambda p: (sorted(p[0]), p[1][:axis], p[1][axis + 1:], p[1][axis])):
            if merged:
                last_weak, last = merged[-1]
                if (last_weak == weak and last[:axis] == ranges[:axis] and last[axis + 1:] == ranges[axis + 1:]
                        and last[axis][1] + 1 == ranges[axis][0]):
                    last[axis] = (last[axis][0], ranges[axis][1])
                    continue
            merged.append((weak, list(ranges)))
        passes = merged
    if len(passes) > MAX_PASSES:
        raise NotSupported(f"{len(passes):,} passes, one per guess of how far its totals overshoot "
                           f"(more than {MAX_PASSES:,})")
    return passes


def _held(problem: Problem, guessed: Sequence[_Guessed], ranges: Sequence[tuple[int, int]]) -> Problem | None:
    """``problem`` with each guessed total held to its range; ``None`` where a range is empty."""
    nodes = [dataclasses.replace(node, dims=dict(node.dims), children=list(node.children), units=list(node.units))
             for node in problem.nodes]
    levels = list(problem.levels)
    for g, (first, last) in zip(guessed, ranges):
        low, high = g.bounds(first, last)
        if high is not None and high < low:
            return None
        if g.node is not None:
            nodes[g.node].dims[g.dim] = (low, high)
        else:  # a level rule, found by what it counts (a structure read with more units fixed keeps it)
            k = next(k for k, (dim, _low, _high, members) in enumerate(levels)
                     if dim == g.dim and frozenset(members) == g.members)
            levels[k] = (g.dim, low, high, levels[k][3])
    return dataclasses.replace(problem, nodes=nodes, levels=levels)


def _order(problem: Problem, weak: frozenset[str], base: Sequence[str]) -> list[str]:
    """``base`` with each group's weak units moved to the group's last places, heaviest first.

    The group keeps the places it had in ``base``; its other units keep their order.
    """
    out = list(base)
    for node in problem.nodes:
        if not node.is_group:
            continue
        places = [i for i, u in enumerate(base) if problem.node_of_unit.get(u) == node.index]
        mine = [base[i] for i in places]
        strong = [u for u in mine if u not in weak]
        light = sorted((u for u in mine if u in weak), key=lambda u: -problem.weights[u]["credits"])
        for i, u in zip(places, strong + light):
            out[i] = u
    return out


def _grouped(problem: Problem) -> list[str]:
    """The units group by group (one group's totals open at a time), in the documented order within each."""
    out: list[str] = []
    for node in problem.nodes:
        if node.is_group:
            out += [u for u in problem.units if problem.node_of_unit.get(u) == node.index]
    placed = set(out)
    return out + [u for u in problem.units if u not in placed]


def _interleaved(problem: Problem, order: Sequence[str]) -> list[str] | None:
    """``order``'s groups interleaved for the least work, each keeping its units' order there.

    See :func:`~solver.exact.frontier_merge.interleave`; ``None`` where it declines, or where no
    barred set couples the groups (the groups one after another are as good).
    """
    if not problem.clauses:
        return None
    sequences = [[u for u in order if problem.node_of_unit.get(u) == node.index and u not in problem.fixed]
                 for node in problem.nodes if node.is_group]
    return interleave(problem, [seq for seq in sequences if seq])


def _minimums(problem: Problem, u: str) -> list[tuple[int, str, int]]:
    """The minimums of ``u``'s group: (its node, the measure, the minimum)."""
    home = problem.node_of_unit.get(u)
    if home is None:
        return []
    return [(home, dim, low) for dim, (low, _high) in problem.nodes[home].dims.items() if low is not None]


def _gate(problem: Problem, plan: Plan, weak: frozenset[str]) -> dict[str, list[tuple[Axis, int]]]:
    """For each weak unit, the totals of its group's minimums and the minimums: one still short lets it be taken."""
    return {u: [(plan.owner[(node, dim)], low) for node, dim, low in _minimums(problem, u)] for u in weak}


_Pass = tuple[Problem, Plan, frozenset[str], LiveCells | None]
"""A pass: the structure with its guessed totals held to their ranges, its plan, its weak units, and
its live cells where counting over them alone is cheaper."""

#: Passes prepared, by structure and units fixed (or why not): :func:`supports` sizes them, the count runs them.
_PREPARED: dict[tuple[Qualification, frozenset[tuple[str, bool]]], list[_Pass] | str] = {}


def forget() -> None:
    """Drop the passes kept (the benchmark starts each structure from nothing).

    >>> from solver.model import Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=(Unit(id="a", title="a"),),
    ...     requirements=(Group(id="G", units=("a",), min_units=1),))
    >>> supports(q) is None and len(_PREPARED) > 0
    True
    >>> forget(); len(_PREPARED)
    0
    """
    _PREPARED.clear()


def _prepared(q: Qualification, forced: Mapping[str, bool]) -> list[_Pass]:
    """Each pass's structure, plan and weak units (``[]`` where no pathway can exist).

    Raises
    ------
    NotSupported
        Outside the shape, or when a pass's largest table would pass :data:`MAX_TABLE`.
    """
    key = (q, frozenset(forced.items()))
    if key not in _PREPARED:
        try:
            found: list[_Pass] | str = _prepare(q, forced)
        except NotSupported as exc:
            found = str(exc)
        if len(_PREPARED) >= 8:
            _PREPARED.pop(next(iter(_PREPARED)))
        _PREPARED[key] = found
    found = _PREPARED[key]
    if isinstance(found, str):
        raise NotSupported(found)
    return found


def _prepare(q: Qualification, forced: Mapping[str, bool]) -> list[_Pass]:
    try:
        problem = _read(q, forced)
    except Infeasible:
        return []
    free = sum(1 for u in problem.units if u not in problem.fixed)
    if free >= MAX_UNITS:
        raise NotSupported(f"{free:,} undecided units: its counts would outgrow the engine's integers")
    guessed = _guessed(problem)
    starts = [_grouped(problem)]
    found = frontier.plan_for(q, forced)  # its order keeps barred units close, and totals that seldom bind apart
    if found is not None:
        starts.append([step.unit for step in found[1].steps])
    narrowed: dict[frozenset[str], Problem | None] = {frozenset(): problem}

    def read_without(out: frozenset[str], ranges: Sequence[tuple[int, int]]) -> Problem | None:
        """The pass's structure with the units ``out`` left out (``None``: then nothing holds)."""
        if out not in narrowed:
            try:
                narrowed[out] = shape_problem(q, {**forced, **dict.fromkeys(out, False)})
            except Infeasible:
                narrowed[out] = None
        read = narrowed[out]
        return None if read is None else _held(read, guessed, ranges)

    lanes = Counts(units=free).arrays
    out = []
    cells = 0
    for weak, ranges in _passes(problem, guessed):
        # a weak unit of a group without a minimum is never taken: read with it left out, its
        # totals and bits are not carried at all
        left_out = frozenset(u for u in weak if not _minimums(problem, u))
        held = read_without(left_out, ranges)
        while held is not None and held.clauses:
            found_out, again, work_done = _thinned(held, weak - left_out, starts[0])
            cells += work_done
            if cells > MAX_WORK:
                raise NotSupported(f"its passes would work through more than {MAX_WORK:,} integers")
            if found_out:
                left_out |= found_out
                held = read_without(left_out, ranges)
            if found_out is None:
                held = None
            if not again:
                break
        if held is None:
            continue
        chosen, cost, peak = _planned(held, weak - left_out, starts, lanes)
        if peak > MAX_TABLE:
            raise NotSupported(f"a pass's largest table would hold {peak:,} integers (more than {MAX_TABLE:,})")
        cells += cost
        if cells > MAX_WORK:
            raise NotSupported(f"its passes would work through more than {MAX_WORK:,} integers")
        out.append(chosen)
    return out


def _planned(held: Problem, weak: frozenset[str], starts: Sequence[Sequence[str]],
             lanes: int) -> tuple[_Pass, int, int]:
    """The pass with its cheapest plan, and over its live cells where that costs less.

    Also returned: the integers it works through (the walks tried included) and its largest table.
    """
    orders = [_order(held, weak, start) for start in starts]
    interleaved = [order for order in (_interleaved(held, order) for order in orders) if order is not None]
    plans = [make_plan(held, order) for order in orders + interleaved]
    plan = min(plans, key=work)
    chosen: _Pass = (held, plan, weak, None)
    cost, peak, walked = work(plan) * lanes, plan.peak * lanes, 0
    if cost > SPARSE_FROM:
        # each walk costs a few milliseconds: the other interleavings only for large passes
        others = [p for p in plans[len(orders):] if p is not plan] if cost > SPARSE_ALL_FROM else []
        for candidate in [plan, *others]:
            sparse = _sparse(held, candidate, weak, counting=True)
            walked += 0 if sparse is None else sparse.reached
            if sparse is not None and sparse.work() * SPARSE_COST < cost:
                chosen = (held, candidate, weak, sparse)
                cost, peak = sparse.work() * SPARSE_COST, sparse.peak()
    return chosen, cost + walked, peak


def _sparse(held: Problem, plan: Plan, weak: frozenset[str], *, counting: bool = False) -> LiveCells | None:
    """The pass's live cells in ``plan``'s order (:mod:`~solver.exact.frontier_sparse`); ``None``: it cannot."""
    if frontier_sparse.supports(held, plan, counting=counting) is not None:
        return None
    try:
        return LiveCells(held, plan, _gate(held, plan, weak))
    except ValueError:  # more cells than int64 keys tell apart
        return None


def _thinned(held: Problem, weak: frozenset[str], start: Sequence[str]) -> tuple[frozenset[str] | None, bool, int]:
    """Units no pathway of the pass can take, found without its barred sets; ``None``: none holds.

    Most guesses hold no pathway at all, and in the others the guessed ranges rule out
    many units (a total held to 57 credits takes no unit that overshoots it). The pass
    without its barred sets carries no bits, and its live cells
    (:class:`~solver.exact.frontier_sparse.LiveCells`) say which units some pathway takes and
    which some pathway leaves, in a small fraction of the pass's time. A unit none takes
    is left out, and so is any unit barred with one that none leaves.

    Also returned: whether a unit was left out for its barred partner (the pass without
    barred sets then changes and may leave out more), and the cells the walk reached.
    """
    loose = dataclasses.replace(held, clauses=[])
    plan = make_plan(loose, _order(loose, weak, start))
    sparse = _sparse(loose, plan, weak)
    if sparse is None:  # keys past int64: the pass is counted as it is
        return frozenset(), False, 0
    if not len(sparse.live[0]):
        return None, False, sparse.reached
    choices = {u: found for u, found in sparse.choices().items() if u not in loose.fixed}
    always = {u for u, (leaves, _takes) in choices.items() if not leaves}
    barred = [c.units for c in held.clauses if c.kind == "barred"]
    if any(len(always.intersection(units)) > 1 for units in barred):
        return None, False, sparse.reached
    dead = {u for u, (_leaves, takes) in choices.items() if not takes}
    partners = {u for units in barred if always.intersection(units) for u in units if u not in always} - dead
    return frozenset(dead | partners), bool(partners), sparse.reached


def supports(q: Qualification) -> str | None:
    """Why :func:`count_minimal` cannot take ``q``, or ``None`` when it can.

    >>> from solver.model import Combination, Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=(Unit(id="a", title="a"), Unit(id="b", title="b")),
    ...     requirements=(Combination(kind="any_of", id="C",
    ...                               requirements=(Group(id="A", units=("a",)), Group(id="B", units=("b",)))),))
    >>> supports(q)
    'a requirement is a choice (any of, at least n of)'
    """
    try:
        _prepared(q, {})
    except NotSupported as exc:
        return str(exc)
    return None


def count_minimal(q: Qualification, *, forced: Mapping[str, bool] | None = None,
                  timeout: float | None = None) -> int:
    """The exact number of minimal pathways of ``q`` holding the units ``forced`` maps to True, none mapped to False.

    A unit fixed in outside a mandatory group must be protected too, so it is not fixed:
    the pathways holding it are those of the structure less those without it, and for
    several such units, by inclusion and exclusion, at most 2 ** :data:`MAX_HELD` counts.

    Raises
    ------
    NotSupported
        Outside the shape (:func:`supports`), or when a pass's table would pass its limit.
    TimeoutError
        When ``timeout`` passes.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    mandatory = set(q.mandatory_unit_ids())
    forced = dict(forced or {})
    held = [u for u, take in forced.items() if take and u not in mandatory]
    if len(held) > MAX_HELD:
        raise NotSupported(f"{len(held)} units fixed in outside the mandatory groups (more than {MAX_HELD})")
    kept = {u: take for u, take in forced.items() if u not in held}
    total = 0
    for size in range(len(held) + 1):
        for left in itertools.combinations(held, size):
            n = 0
            for problem, plan, weak, sparse in _prepared(q, {**kept, **dict.fromkeys(left, False)}):
                if sparse is not None:
                    n += sparse.count(deadline)
                    continue
                ring = Counts(units=sum(1 for u in problem.units if u not in problem.fixed))
                n += int(ring.total(run(problem, plan, ring, deadline, gate=_gate(problem, plan, weak))))
            total += -n if size % 2 else n
    return total
