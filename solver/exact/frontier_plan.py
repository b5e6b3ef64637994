"""The order the frontier engine decides units in, and the table it carries at each step.

The engine decides one unit at a time. Its table has one axis per thing the rules
still need to know about the units decided so far:

* ``("dim", node, "credits" | "units")``: the saturated total a requirement counts,
  from its first unit to its last (the root's and the level rules' for the whole run);
* ``("flag", node)``: a mandatory group has left none of its units out so far;
* ``("counter", node)``: how many children of a choice hold so far (or whether every
  child of an "all of" inside a choice holds);
* ``("bit", unit)``: whether a coupled unit was taken, from its decision until every
  barred set and prerequisite mentioning it has been decided (the *frontier*).

The cost of an order is its largest table (the product of the axis sizes). The
requirement tree is walked depth first, as in the file, but the children of a
combination and the units of a group are put in an order that keeps the frontier
short (:func:`choose_order`); whichever of that order and the documented order
has the smaller largest table is used.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from .frontier_problem import Clause, Node, Problem

__all__ = ["Axis", "Plan", "Step", "choose_order", "dim_size", "make_plan", "work"]

Axis = tuple[object, ...]


def dim_size(low: int | None, high: int | None) -> int:
    """Cells of a saturated total: ``0 .. high + 1`` (past the maximum) or ``0 .. low`` (reached)."""
    return high + 2 if high is not None else (low or 0) + 1


@dataclass
class Step:
    """Deciding one unit: axes opened before it, what taking it adds, what is checked and closed after."""

    unit: str
    opens: list[tuple[Axis, int, int]] = field(default_factory=list)
    """Axes to add: key, size, the index the table starts at."""
    leave: bool = True
    take: bool = True
    shifts: list[tuple[Axis, int]] = field(default_factory=list)
    """Axes taking the unit adds to, and by how much."""
    flag: Axis | None = None
    """A mandatory group's flag that leaving the unit clears."""
    homes: list[tuple[list[tuple[Axis, int]], list[Axis]]] = field(default_factory=list)
    """For a unit several groups list (read for a least cost): taking it for each of them,
    the axes that adds to and the mandatory groups' flags it clears (``shifts`` is unused)."""
    leave_clears: list[Axis] = field(default_factory=list)
    """For such a unit: the flags of its mandatory groups, which leaving it clears."""
    bit: bool = False
    checks: list[Clause] = field(default_factory=list)
    drops: list[Axis] = field(default_factory=list)
    """Frontier bits no rule reads any more."""
    closes: list[int] = field(default_factory=list)
    """Nodes whose last unit this is, deepest first."""


@dataclass
class Plan:
    """Steps in deciding order, the axes' sizes and the largest table."""

    start: list[tuple[Axis, int, int]]
    """The root's and the level rules' totals, open from the start."""
    steps: list[Step]
    sizes: dict[Axis, int]
    peak: int
    peak_bits: int
    owner: dict[tuple[int, str], Axis]
    """The axis holding each requirement's total of ``"credits"`` or ``"units"``."""


def _node_axes(problem: Problem, node: Node) -> list[tuple[Axis, int, int]]:
    out: list[tuple[Axis, int, int]] = []
    if node.is_group and node.mandatory and any(problem.fixed.get(u) is not True or u in problem.homes
                                                for u in node.units):
        out.append((("flag", node.index), 2, 1))
    if node.counter == "flag":
        out.append((("counter", node.index), 2, 1))
    elif node.counter == "count":
        out.append((("counter", node.index), node.needed + 1, 0))
    return out


def make_plan(problem: Problem, order: Sequence[str]) -> Plan:
    """The steps of deciding units in ``order`` (every candidate unit once) and their table sizes."""
    if sorted(order) != sorted(problem.units):
        raise ValueError("an order must hold every candidate unit once")
    nodes = problem.nodes
    position = {u: i for i, u in enumerate(order)}
    # units fixed in move no total: a requirement opens at its first unit that can, and one
    # whose other units come one after another shares its parent's axes (a root whose fixed
    # core units come first, and the "all of" of its electives, keep one total between them)
    rank = {u: r for r, u in enumerate(u for u in order if problem.fixed.get(u) is not True or u in problem.homes)}
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    contiguous: dict[int, bool] = {}
    for node in reversed(nodes):  # children before parents
        if node.units:
            spots = [position[u] for u in node.units]
            ranks = [rank[u] for u in node.units if u in rank]
            # open by the time a child closes and reports to its counter
            reports = [last[c] for c in node.children if c in last] if node.counter is not None else []
            opens = [position[u] for u in node.units if u in rank] + reports
            first[node.index] = min(opens, default=min(spots))
            last[node.index] = max(spots)
            contiguous[node.index] = bool(ranks) and max(ranks) - min(ranks) + 1 == len(ranks)
    depth = {0: 0}
    for node in nodes[1:]:  # parents come before their children
        depth[node.index] = depth[node.parent or 0] + 1

    chains: dict[int, list[int]] = {}

    def chain(group: int) -> list[int]:
        if group not in chains:
            out = []
            index: int | None = group
            while index is not None:
                out.append(index)
                index = nodes[index].parent
            chains[group] = out
        return chains[group]

    def homes_of(u: str) -> tuple[int | None, ...]:
        """The groups ``u`` can count towards (``None``: only double-counting groups list it)."""
        return problem.homes.get(u) or ((problem.node_of_unit[u],) if u in problem.node_of_unit else (None,))

    def routes(u: str) -> list[list[int]]:
        """For each group ``u`` can count towards: every requirement that then counts it, deepest first.

        Its group's chain up to the root, and the chains of the double-counting groups
        that list it, which count it whichever group it counts towards.
        """
        also = problem.counted_by.get(u, ())
        out = []
        for home in homes_of(u):
            if not also and home is not None:
                out.append(chain(home))
                continue
            found = {index for group in (*([home] if home is not None else []), *also) for index in chain(group)}
            out.append(sorted(found, key=lambda index: (-depth[index], index)))
        return out

    def shifts(u: str, route: list[int], totals: list[tuple[Axis, int]]) -> list[tuple[Axis, int]]:
        """What taking ``u`` for the group ``route`` starts from adds to each open total."""
        keys = dict.fromkeys(owner[(index, dim)] for index in route for dim in nodes[index].dims
                             if (index, dim) in owner)  # not yet open: u is fixed in and adds nothing
        weight = problem.weights[u]
        return [(key, weight[str(key[2])]) for key in keys if weight[str(key[2])]] + totals

    # a unit with several homes adds to a requirement above some of them only: that
    # requirement's total differs from its parent's, whatever order the units come in
    for u in problem.homes:
        found = [set(route) for route in routes(u)]
        if len(found) < 2:
            continue
        for index in found[0].union(*found[1:]) - found[0].intersection(*found[1:]):
            contiguous[index] = False
    clause_last = [max(position[u] for u in c.units) for c in problem.clauses]
    checked_at: dict[int, list[Clause]] = {}  # each clause checked at its last unit, in the problem's order
    for c, end in zip(problem.clauses, clause_last):
        checked_at.setdefault(end, []).append(c)
    bit_until: dict[str, int] = {}
    for c, end in zip(problem.clauses, clause_last):
        for u in c.units:
            bit_until[u] = max(bit_until.get(u, -1), end)
    start: list[tuple[Axis, int, int]] = []
    if not order:  # nothing to decide: the root's totals stay 0
        for dim, (low, high) in sorted(nodes[0].dims.items()):
            start.append((("dim", 0, dim), dim_size(low, high), 0))
    owner: dict[tuple[int, str], Axis] = {(0, dim): ("dim", 0, dim) for dim in nodes[0].dims}
    for k, (_dim, low, high, _members) in enumerate(problem.levels):
        start.append((("level", k), dim_size(low, high), 0))
    sizes: dict[Axis, int] = {key: size for key, size, _ in start}
    live: dict[Axis, int] = dict(sizes)
    steps: list[Step] = []
    peak, peak_bits = math.prod(live.values()), 0

    for i, u in enumerate(order):
        step = Step(unit=u)
        ways = routes(u)
        ancestors = ways[0] if len(ways) == 1 else sorted(set().union(*ways), key=lambda index: (-depth[index], index))
        opening = [index for index in reversed(ancestors) if first[index] == i]
        opened = set(opening)
        for dim in ("credits", "units"):
            # requirements opened together have the same totals until the first of them closes:
            # a requirement whose units come one after another shares the axis of its nearest
            # ancestor opened with it that has one (never a sibling's: two groups that
            # count one unit); any other requirement has its own
            shares: dict[int, list[int]] = {}
            head_of: dict[int, int] = {}
            for index in opening:  # outermost first
                if dim not in nodes[index].dims:
                    continue
                head = None
                above = nodes[index].parent
                while contiguous[index] and above is not None and above in opened:
                    if above in head_of:
                        head = head_of[above]
                        break
                    above = nodes[above].parent
                head_of[index] = index if head is None else head
                shares.setdefault(head_of[index], []).append(index)
            for head, sharing in shares.items():
                key: Axis = ("dim", head, dim)
                size = max(dim_size(*nodes[index].dims[dim]) for index in sharing)
                step.opens.append((key, size, 0))
                for index in sharing:
                    owner[(index, dim)] = key
        for index in opening:
            step.opens.extend(_node_axes(problem, nodes[index]))
        for key, size, _start in step.opens:
            sizes[key] = live[key] = size
        fixed = problem.fixed.get(u)
        step.leave, step.take = fixed is not True, fixed is not False
        totals: list[tuple[Axis, int]] = [(("level", k), problem.weights[u][dim])
                                          for k, (dim, _low, _high, members) in enumerate(problem.levels)
                                          if u in members and problem.weights[u][dim]]
        groups = homes_of(u)
        flags: list[Axis] = [("flag", g) for g in (*groups, *problem.counted_by.get(u, ())) if ("flag", g) in live]
        if len(ways) == 1 and u not in problem.counted_by:
            step.shifts = shifts(u, ways[0], totals)
            if flags and step.leave:
                step.flag = flags[0]
        else:
            # taken for one group, it leaves the others' mandatory flags short; the
            # double-counting groups count it either way
            step.homes = [(shifts(u, route, totals), [("flag", g) for g in groups if g != home and ("flag", g) in live])
                          for home, route in zip(groups, ways)]
            step.leave_clears = flags if step.leave else []
        if u in bit_until and step.leave and step.take:
            step.bit = True
            sizes[("bit", u)] = live[("bit", u)] = 2
        cells = math.prod(live.values())
        bits = sum(1 for key in live if key[0] == "bit")
        peak, peak_bits = max(peak, cells), max(peak_bits, bits)
        step.checks = checked_at.get(i, [])
        step.drops = [key for key in live if key[0] == "bit" and bit_until[str(key[1])] == i]
        for key in step.drops:
            del live[key]
        step.closes = [index for index in ancestors if last[index] == i]
        for index in step.closes:
            for key in [k for k in live if k[0] in ("dim", "flag", "counter") and k[1] == index]:
                del live[key]
        steps.append(step)
    return Plan(start=start, steps=steps, sizes=sizes, peak=peak, peak_bits=peak_bits, owner=owner)


def _partners(problem: Problem) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for c in problem.clauses:
        for u in c.units:
            out.setdefault(u, set()).update(v for v in c.units if v != u)
    return out


class _Orderer:
    """Depth-first orders of the tree that keep few frontier bits open (greedy, one step ahead)."""

    def __init__(self, problem: Problem, *, floating: bool) -> None:
        self.problem = problem
        self.partners = _partners(problem)
        self.rank = {u: i for i, u in enumerate(problem.units)}
        self.floating = _floating(problem) if floating else set()

    def pull(self, u: str, placed: set[str], out: list[str]) -> None:
        """Place the floating partners of ``u``, each with its floating component, just before it."""
        for v in sorted(self.partners.get(u, set()) & self.floating - placed, key=self.rank.__getitem__):
            if v in placed:
                continue
            component, todo = {v}, [v]
            while todo:
                for w in self.partners.get(todo.pop(), set()) & self.floating:
                    if w not in component and w not in placed:
                        component.add(w)
                        todo.append(w)
            chosen = self.group(sorted(component, key=self.rank.__getitem__), placed, pulling=False)
            out += chosen
            placed.update(chosen)

    def open_after(self, placed: set[str]) -> int:
        """Frontier bits open once ``placed`` are decided."""
        return sum(1 for u in placed if u in self.partners and not self.partners[u] <= placed)

    def group(self, units: Sequence[str], placed: set[str], *, pulling: bool = True) -> list[str]:
        left = set(units) - placed
        out: list[str] = []
        placed = set(placed)
        while left:
            def key(u: str, left: set[str] = left) -> tuple[int, int, int, int, int]:
                # fewest bits open after it; then a partner of an open bit (follow the
                # chain being worked on); then fewest partners not yet placed
                mine = self.partners.get(u, set())
                waiting = mine - placed - {u}
                opens = 1 if waiting else 0
                closes = sum(1 for v in mine & placed if self.partners[v] <= placed | {u})
                touching = sum(1 for v in mine & placed if not self.partners[v] <= placed)
                return (opens - closes, -touching, len(waiting - left), len(waiting), self.rank[u])

            best = min(left, key=key)
            placed.add(best)
            if pulling:
                self.pull(best, placed, out)
            out.append(best)
            left -= placed
        return out

    def node(self, index: int, placed: set[str]) -> list[str]:
        node = self.problem.nodes[index]
        if node.is_group:
            return self.group([u for u in node.units if u not in self.floating], placed)
        remaining = list(node.children)
        out: list[str] = []
        placed = set(placed)
        while remaining:
            best_child, best_units, best_open = remaining[0], None, None
            for child in remaining:
                units = self.node(child, placed)
                opened = self.open_after(placed | set(units))
                if best_open is None or opened < best_open:
                    best_child, best_units, best_open = child, units, opened
                if not self.partners.keys() & set(units):
                    break  # an uncoupled child changes nothing: take it now, keep the file order
            assert best_units is not None
            out += best_units
            placed.update(best_units)
            remaining.remove(best_child)
        return out


def _floating(problem: Problem) -> set[str]:
    """Units whose place in the order costs nothing but their frontier bits.

    Those of groups that carry no axis (no limit that binds, not a mandatory group
    with an undecided unit) under ancestors that carry none either (the root aside):
    nothing reads when such a group opens or closes, so its units can be decided next
    to the units they are coupled with, wherever those are.
    """
    nodes = problem.nodes
    quiet = {n.index for n in nodes if not n.dims and n.counter is None
             and not (n.is_group and n.mandatory and any(problem.fixed.get(u) is not True for u in n.units))}
    out: set[str] = set()
    for node in nodes:
        if not node.is_group:
            continue
        index: int | None = node.index
        while index is not None and index != 0 and index in quiet:
            index = nodes[index].parent
        if index == 0:
            out.update(node.units)
    return out


def _stretched(problem: Problem, order: list[str], group: int, other: int,
               partners: dict[str, set[str]]) -> list[str] | None:
    """``order`` with the units of ``group`` coupled to units of ``other`` moved next to them.

    The group then stays open longer (its totals are carried further) but those
    units' bits no longer wait for their partners: worth it when many bits would.
    """
    nodes = problem.nodes
    theirs = set(nodes[other].units) - set(nodes[group].units)  # a unit both list stays where it is
    moving = [u for u in nodes[group].units if partners.get(u, set()) & theirs]
    if not moving:
        return None
    out = [u for u in order if u not in set(moving)]
    for u in moving:
        spots = [i for i, v in enumerate(out) if v in partners[u] and v in theirs]
        out.insert(spots[0], u)
    return out


def work(plan: Plan) -> int:
    """The cells of every step's table, summed: what deciding the units costs, up to a constant."""
    live = {key: size for key, size, _start in plan.start}
    total = 0
    for step in plan.steps:
        live.update({key: size for key, size, _start in step.opens})
        if step.bit:
            live[("bit", step.unit)] = 2
        total += math.prod(live.values())
        for key in step.drops:
            del live[key]
        for index in step.closes:
            for key in [k for k in live if k[0] in ("dim", "flag", "counter") and k[1] == index]:
                del live[key]
    return total


#: What planning one unit of an order takes, about: the improving moves' budget in seconds is
#: turned into a number of plans with it, so that the order chosen does not depend on how busy
#: the machine is (a bench run next to a test run chose a plan twice as large).
SECONDS_PER_UNIT_PLANNED = 6.5e-6


def _improve(problem: Problem, plan: Plan, budget: float) -> Plan:
    """Stretch groups towards the groups they are coupled with while that lowers the work.

    ``budget`` (seconds) allows ``budget / (SECONDS_PER_UNIT_PLANNED * units)`` plans to be
    tried, at least 8; four times the budget on the clock stops it on a slow machine.
    """
    partners = _partners(problem)
    groups = [n.index for n in problem.nodes if n.is_group and any(u in partners for u in n.units)]
    best, best_work = plan, work(plan)
    tries = max(8, round(budget / (SECONDS_PER_UNIT_PLANNED * max(1, len(problem.units)))))
    deadline = time.monotonic() + 4 * budget

    def spent() -> bool:
        return tries <= 0 or time.monotonic() > deadline

    improved = True
    while improved and not spent():
        improved = False
        order = [step.unit for step in best.steps]
        for group in groups:
            for other in groups:
                if group == other or spent():
                    continue
                moved = _stretched(problem, order, group, other, partners)
                if moved is None:
                    continue
                candidate = make_plan(problem, moved)
                tries -= 1
                cost = work(candidate)
                if cost < best_work:
                    best, best_work, improved = candidate, cost, True
        if improved:
            continue
        # then single units: next to one of their partners, before or after it
        for u in sorted(partners, key=order.index):
            if spent():
                break
            rest = [v for v in order if v != u]
            for v in partners[u]:
                i = rest.index(v)
                for spot in (i, i + 1):
                    candidate = make_plan(problem, [*rest[:spot], u, *rest[spot:]])
                    tries -= 1
                    cost = work(candidate)
                    if cost < best_work:
                        best, best_work, improved = candidate, cost, True
            if improved:
                break
    return best


def choose_order(problem: Problem, *, budget: float = 0.25) -> Plan:
    """The plan that costs least: the documented order, or a frontier-keeping tree order, improved.

    ``budget`` is the seconds the improving moves may take.
    """
    plans = [make_plan(problem, problem.units)]
    if problem.clauses:
        for floating in (False, True):
            orderer = _Orderer(problem, floating=floating)
            order = orderer.node(0, set())
            done = set(order)
            order += orderer.group([u for u in problem.units if u not in done], done)
            plans.append(make_plan(problem, order))
    best = min(plans, key=work)
    if not problem.clauses:
        return best
    # about what a hundredth of the work would take: a cheap structure gets a quick plan
    return _improve(problem, best, min(budget, 2e-9 * work(best)))
