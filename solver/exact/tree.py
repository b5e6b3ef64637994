"""Exact dynamic programming over the requirement tree: count and optimise without enumerating.

When every candidate unit is listed in exactly one group and no group
double-counts, the allocation is fixed and the rules decompose along the
tree. Each group's subsets are summarised as a distribution over a few
*dimensions* (credits, units, credits at a level, ...), split by whether the
group is satisfied; a combination convolves its children's distributions,
counting how many are satisfied; the root applies the qualification-wide
limits. Values live in a *semiring*: plain counts, or (cost, count) pairs for
an optimum and its ties. Dimension values that no rule can tell apart are
saturated at a cap, which keeps the tables small.

Barred sets and prerequisites couple units across groups; they are handled
exactly by conditioning on the few units they mention (every consistent
assignment of those units is solved with the units fixed, and the answers are
added). Structures outside this family raise :class:`NotSupported`, and the
callers fall back to the general constraint engine.

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> from solver.exact.kernel import COUNT
>>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> solve(q, COUNT)
4
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any, Generic

from ..model.structure import Combination, Group, Qualification, Requirement
from . import dense as dp_dense
from .interchangeable import solve_types
from .kernel import (
    Dim,
    NotSupported,
    Plan,
    Semiring,
    State,
    V,
    consistent,
    coupled_units,
    make_plan,
    rule_bounds,
    supports,
    units_below,
)

__all__ = ["Engine", "distribution", "solve"]

class _Solver(Generic[V]):
    def __init__(self, q: Qualification, plan: Plan, ring: Semiring[V], forced: Mapping[str, bool],
                 cache: dict[Any, Any] | None = None) -> None:
        self.q = q
        self.plan = plan
        self.ring = ring
        self.forced = forced
        self.caps = [d.cap for d in plan.dims]
        self.zero_state: State = (0,) * len(plan.dims)
        # A node's tables depend only on which of its own units are fixed, so an Engine
        # shares them across calls that fix different units elsewhere.
        self.cache: dict[Any, Any] = {} if cache is None else cache

    # -- helpers ---------------------------------------------------------------------------
    def vector(self, uid: str) -> State:
        return tuple(d.weights.get(uid, 0) for d in self.plan.dims)

    def plus(self, a: State, b: State) -> State:
        out = []
        for x, y, cap in zip(a, b, self.caps):
            s = x + y
            out.append(cap if cap is not None and s > cap else s)
        return tuple(out)

    def ok(self, node: Any, state: State, prefix: str = "") -> bool:
        bounds = self.cache.get(("bounds", id(node)))
        if bounds is None:
            bounds = self.cache[("bounds", id(node))] = rule_bounds(node, self.plan.scale)
        for name, low, high in bounds:
            value = state[self.plan.index[prefix + name]]
            if (low is not None and value < low) or (high is not None and value > high):
                return False
        return True

    def put(self, table: dict[State, V], state: State, value: V) -> None:
        old = table.get(state)
        table[state] = value if old is None else self.ring.add(old, value)

    # -- the tree ----------------------------------------------------------------------------
    def group(self, g: Group, want_unsat: bool) -> tuple[dict[State, V], dict[State, V]]:
        ring = self.ring
        if (ring.counting and not g.mandatory and len(g.units) >= _DENSE_FROM and self.caps
                and all(c is not None for c in self.caps) and not any(u in self.forced for u in g.units)):
            counts = dp_dense.add_units({self.zero_state: 1}, [self.vector(u) for u in g.units],
                                        self.caps)  # type: ignore[arg-type]
            sat_c: dict[State, int] = {}
            unsat_c: dict[State, int] = {}
            for state, n in counts.items():
                if self.ok(g, state):
                    sat_c[state] = n
                elif want_unsat:
                    unsat_c[state] = n
            return sat_c, unsat_c  # type: ignore[return-value]
        # state -> value, split on "every mandatory unit taken so far"
        table: dict[tuple[State, bool], V] = {(self.zero_state, True): ring.one}
        for uid in g.units:
            fixed = self.forced.get(uid)
            vec = self.vector(uid)
            weight = ring.unit(uid)
            nxt: dict[tuple[State, bool], V] = {}
            for (state, complete), value in table.items():
                if fixed is not True:  # leave it
                    key = (state, complete and not g.mandatory)
                    old = nxt.get(key)
                    nxt[key] = value if old is None else ring.add(old, value)
                if fixed is not False:  # take it
                    key = (self.plus(state, vec), complete)
                    taken = ring.mul(value, weight)
                    old = nxt.get(key)
                    nxt[key] = taken if old is None else ring.add(old, taken)
            if not want_unsat:
                nxt = {k: v for k, v in nxt.items() if k[1]}
            table = nxt
        sat: dict[State, V] = {}
        unsat: dict[State, V] = {}
        for (state, complete), value in table.items():
            if complete and self.ok(g, state):
                self.put(sat, state, value)
            elif want_unsat:
                self.put(unsat, state, value)
        return sat, unsat

    def node(self, node: Requirement, want_unsat: bool) -> tuple[dict[State, V], dict[State, V]]:
        units = self.cache.get(("units", id(node)))
        if units is None:
            units = units_below(node)
            self.cache[("units", id(node))] = units
        key = (id(node), want_unsat, tuple(self.forced.get(u) for u in units))
        found = self.cache.get(key)
        if found is None:
            if isinstance(node, Group):
                found = self.group(node, want_unsat)
            else:
                found = self.combine(node, node.requirements, node.needed(), want_unsat)
            self.cache[key] = found
        return found

    def combine(self, node: Combination | Qualification, children: Sequence[Requirement], needed: int,
                want_unsat: bool) -> tuple[dict[State, V], dict[State, V]]:
        every = needed >= len(children)
        # tables by how many children are satisfied so far (saturating at `needed`)
        tables: dict[int, dict[State, V]] = {0: {self.zero_state: self.ring.one}}
        for i, child in enumerate(children):
            remaining = len(children) - i - 1
            short = self.shortfall(child) if every and not want_unsat else None
            if short is not None:  # only satisfied children count, and this one is "all but a few"
                tables = {min(count + 1, needed): self.all_but(table, *short) for count, table in tables.items()}
                continue
            sat, unsat = self.node(child, want_unsat or not every)
            nxt: dict[int, dict[State, V]] = {}
            for count, table in tables.items():
                for got, part in ((1, sat), (0, unsat)):
                    done = min(count + got, needed)
                    if not part or (not want_unsat and done + remaining < needed):
                        continue
                    self.merge(nxt.setdefault(done, {}), self.convolve(table, part))
            tables = nxt
        sat_out: dict[State, V] = {}
        unsat_out: dict[State, V] = {}
        for count, table in tables.items():
            for state, value in table.items():
                if count >= needed and self.ok(node, state):
                    self.put(sat_out, state, value)
                elif want_unsat:
                    self.put(unsat_out, state, value)
        return sat_out, unsat_out

    def shortfall(self, child: Requirement) -> tuple[list[State], dict[State, int]] | None:
        """A large counted group whose one limit is a minimum: its units' weights and its short subsets.

        The subsets that fall short of the minimum (see :mod:`solver.exact.dense`); ``None``
        for any other child.
        """
        if not (self.ring.counting and isinstance(child, Group) and not child.mandatory
                and len(child.units) >= _DENSE_FROM and self.caps and all(c is not None for c in self.caps)
                and not any(u in self.forced for u in child.units)):
            return None
        bounds = rule_bounds(child, self.plan.scale)
        if len(bounds) != 1 or bounds[0][1] is None or bounds[0][2] is not None:
            return None
        name, low, _high = bounds[0]
        vectors = [self.vector(u) for u in child.units]
        return vectors, dp_dense.below(vectors, self.caps, axis=self.plan.index[name], low=low)  # type: ignore[arg-type]

    def all_but(self, table: dict[State, V], vectors: list[State], short: dict[State, int]) -> dict[State, V]:
        """``table`` with every subset of the units taken, less those that fall short."""
        out: dict[State, int] = dp_dense.add_units(table, vectors, self.caps)  # type: ignore[arg-type]
        lacking: dict[State, int] = self.convolve(table, short)  # type: ignore[arg-type, assignment]
        for state, n in lacking.items():
            left = out[state] - n
            if left:
                out[state] = left
            else:
                del out[state]
        return out  # type: ignore[return-value]

    def merge(self, into: dict[State, V], part: dict[State, V]) -> None:
        for state, value in part.items():
            self.put(into, state, value)

    def convolve(self, left: dict[State, V], right: dict[State, V]) -> dict[State, V]:
        """Every pair of states added (saturating), values multiplied, equal sums added."""
        if self.ring.counting and self.caps and len(left) * len(right) > _VECTOR_FROM:
            return dp_dense.convolve_counts(left, right, self.caps)  # type: ignore[arg-type, return-value]
        if self.ring.least and self.caps and len(left) * len(right) > _VECTOR_LEAST_FROM:
            found = dp_dense.convolve_least(left, right, self.caps)  # type: ignore[arg-type]
            if found is not None:
                return found  # type: ignore[return-value]
        ring = self.ring
        out: dict[State, V] = {}
        plus = self.plus
        for state, value in left.items():
            for cstate, cvalue in right.items():
                key = plus(state, cstate)
                prod = ring.mul(value, cvalue)
                old = out.get(key)
                out[key] = prod if old is None else ring.add(old, prod)
        return out

    def root(self) -> dict[State, V]:
        q = self.q
        sat, _ = self.combine(q, q.requirements, len(q.requirements), False)
        out: dict[State, V] = {}
        rules = list(enumerate(q.level_rules))
        for state, value in sat.items():
            if all(self.ok(rule, state, f"level_rules[{i}].") for i, rule in rules):
                self.put(out, state, value)
        return out


#: Pairs of states above which counting convolutions run as numpy array operations.
_VECTOR_FROM = 4096
#: The same for (least cost, ways) convolutions, whose pairs cost more in Python.
_VECTOR_LEAST_FROM = 64
#: Groups of at least this many units are counted with dense arrays.
_DENSE_FROM = 24


class Engine(Generic[V]):
    """Repeated solves of one structure with different units fixed.

    Every table that the fixed units do not touch is shared between calls,
    which is what a best-first search over units needs.

    >>> from solver.model.load import load_qualification, bundled_rules
    >>> from solver.exact.kernel import COUNT
    >>> e = Engine(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"), COUNT)
    >>> e.solve({}), e.solve({"promote-products": True})
    (4, 1)
    """

    def __init__(self, q: Qualification, ring: Semiring[V]) -> None:
        reason = supports(q)
        if reason:
            raise NotSupported(reason)
        self.q = q
        self.ring = ring
        self.plan = make_plan(q, ())
        self.coupled = coupled_units(q)
        self.cache: dict[Any, Any] = {}

    def solve(self, forced: Mapping[str, bool]) -> V:
        """The semiring sum over the pathways that respect ``forced``."""
        ring = self.ring
        total = ring.zero
        free = [u for u in self.coupled if u not in forced]
        for values in itertools.product((True, False), repeat=len(free)):
            fixed = {**forced, **dict(zip(free, values))}
            if not consistent(self.q, fixed):
                continue
            for value in _Solver(self.q, self.plan, ring, fixed, self.cache).root().values():
                total = ring.add(total, value)
        return total


def distribution(
    q: Qualification,
    ring: Semiring[V],
    *,
    forced: Mapping[str, bool] | None = None,
    extra: Sequence[Dim] = (),
) -> tuple[list[Dim], dict[State, V]]:
    """The semiring value of the pathways of ``q``, by the values of the tracked dimensions.

    ``forced`` fixes units in (``True``) or out (``False``); ``extra`` adds
    dimensions to report on (say, exact total credits for a histogram).

    Raises
    ------
    NotSupported
        When pools overlap, a group double-counts, or barred sets and
        prerequisites mention too many units.
    """
    reason = supports(q)
    if reason:
        raise NotSupported(reason)
    forced = dict(forced or {})
    plan = make_plan(q, extra)
    coupled = [u for u in coupled_units(q) if u not in forced]
    total: dict[State, V] = {}
    for values in itertools.product((True, False), repeat=len(coupled)):
        fixed = {**forced, **dict(zip(coupled, values))}
        if not consistent(q, fixed):
            continue
        for state, value in _Solver(q, plan, ring, fixed).root().items():
            old = total.get(state)
            total[state] = value if old is None else ring.add(old, value)
    return plan.dims, total


def solve(q: Qualification, ring: Semiring[V], *, forced: Mapping[str, bool] | None = None) -> V:
    """The semiring sum over every pathway of ``q`` (with ``COUNT``: the number of pathways).

    >>> from solver.model.load import load_qualification, bundled_rules
    >>> from solver.exact.kernel import COUNT
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> solve(q, COUNT, forced={"promote-products": True})
    1
    """
    if supports(q) is not None:

        return solve_types(q, ring, forced=forced)
    _dims, table = distribution(q, ring, forced=forced)
    total = ring.zero
    for value in table.values():
        total = ring.add(total, value)
    return total

