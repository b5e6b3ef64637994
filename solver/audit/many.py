"""Audit many learners against one structure, compiled once into integer tables: the :class:`Auditor`."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from .. import exact
from ..answers.cheapest import parse_criteria, unit_cost
from ..answers.options import DEFAULT_TIMEOUT, dp_method
from ..model.results import Method, Pathway, Status
from ..model.structure import Group, Qualification, Requirement
from .progress import blocked_units, progress
from .results import Audit, Completion
from .single import audit, criteria_values

__all__ = ["Auditor"]

_Chain = Any  # None | (unit id, chain) | (chain, chain): the units taken, shared between table entries


def _flatten(chain: _Chain) -> list[str]:
    out: list[str] = []
    stack = [chain]
    while stack:
        item = stack.pop()
        if item is None:
            continue
        if isinstance(item[0], str):
            out.append(item[0])
            stack.append(item[1])
        else:
            stack.extend(item)
    return out


class Auditor:
    """Audit many learners against one structure, fast: what ``audit_batch`` uses.

    The structure is compiled once: the dimensions of :mod:`solver.exact.tree`, packed
    into one integer per state, with every rule's verdict tabulated per state
    and every unit's move precomputed. Each learner then costs one pass of the
    same dynamic programme with integer costs (the criteria and the two
    tie-breakers of :func:`audit` folded into one number), keeping the units
    taken alongside each cost, so the cheapest completion comes out of the same
    pass. The answer is the same proven optimum as :func:`audit`; alternatives
    and ties are not computed (``ties`` is ``None``).

    Structures outside the programme's family (overlapping pools, double
    counting, many coupled units) or with too many states are audited one by
    one with :func:`audit`.

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    >>> auditor = Auditor(q)
    >>> a = auditor.audit(["resolve-problems", "develop-relationships", "support-improvements"])
    >>> a.remaining, a.achieved, auditor.method.value
    ({'credits': Decimal('34')}, False, 'dynamic-programming')
    """

    def __init__(self, q: Qualification, *, by: str | Sequence[str] = ("credits",), max_states: int = 20_000,
                 timeout: float | None = DEFAULT_TIMEOUT) -> None:
        self.q = q
        self.criteria = parse_criteria(by)
        self.timeout = timeout
        self.candidates = q.unit_ids()
        self.candidate_set = frozenset(self.candidates)
        self.method = Method.DYNAMIC_PROGRAMMING
        self.fast = exact.supports(q) is None
        if self.fast:
            try:
                self._compile(max_states)
            except exact.NotSupported:
                self.fast = False
        if not self.fast:
            self.method = dp_method(q)

    # -- compiling -------------------------------------------------------------------------------
    def _compile(self, max_states: int) -> None:
        q = self.q
        plan = exact.make_plan(q, ())
        caps = [int(d.cap or 0) for d in plan.dims]
        strides = []
        size = 1
        for cap in caps:
            strides.append(size)
            size *= cap + 1
        if size > max_states:
            raise exact.NotSupported(f"{size} states (more than {max_states})")
        states = [tuple((s // st) % (cap + 1) for st, cap in zip(strides, caps)) for s in range(size)]

        def encode(values: Sequence[int]) -> int:
            return sum(min(v, cap) * st for v, st, cap in zip(values, strides, caps))

        moves: dict[tuple[int, ...], list[int]] = {}
        self.step: dict[str, list[int]] = {}
        for uid in self.candidates:
            vec = tuple(d.weights.get(uid, 0) for d in plan.dims)
            if vec not in moves:
                moves[vec] = [encode([a + b for a, b in zip(state, vec)]) for state in states]
            self.step[uid] = moves[vec]

        def verdicts(node: Any, prefix: str = "") -> list[bool]:
            bounds = [(plan.index[prefix + name], low, high) for name, low, high in exact.rule_bounds(node, plan.scale)]
            return [all((low is None or st[i] >= low) and (high is None or st[i] <= high) for i, low, high in bounds)
                    for st in states]

        self.ok = {id(node): verdicts(node) for node in q.iter_requirements()}
        # A group that must hold can never recover from a passed maximum (sums only grow).
        self.alive = {}
        for g in q.iter_groups():
            highs = [(plan.index[n], high) for n, _low, high in exact.rule_bounds(g, plan.scale) if high is not None]
            self.alive[id(g)] = [all(st[i] <= high for i, high in highs) for st in states]
        root = verdicts(q)
        for i, rule in enumerate(q.level_rules):
            root = [a and b for a, b in zip(root, verdicts(rule, f"level_rules[{i}]."))]
        self.root_ok = root
        self.top: int | None = caps[0] if len(caps) == 1 else None
        memo: dict[tuple[int, int], int] = {}

        def add(a: int, b: int) -> int:
            found = memo.get((a, b))
            if found is None:
                found = memo[(a, b)] = encode([x + y for x, y in zip(states[a], states[b])])
            return found

        self.add = add
        self.coupled = exact.coupled_units(q)
        self.below = {id(node): exact.units_below(node) for node in q.iter_requirements()}
        self.memo: dict[Any, tuple[dict[int, Any], dict[int, Any]]] = {}
        self._compile_prices()

    def _compile_prices(self) -> None:
        """One integer per unit: criteria first (lexicographic), then units added, then achieved used."""
        q = self.q
        n = len(self.candidates)
        k = n + 1
        values = {u: unit_cost(q, u, self.criteria) for u in self.candidates}
        scale = 1
        for vals in values.values():
            for v in vals:
                scale = max(scale, 10 ** max(0, -Decimal(v).as_tuple().exponent))  # type: ignore[operator]
        ints = {u: [int(Decimal(v) * scale) for v in vals] for u, vals in values.items()}
        mult = [0] * len(self.criteria)
        m = k * k
        for i in reversed(range(len(self.criteria))):
            mult[i] = m
            m *= sum(v[i] for v in ints.values()) + 1
        self.price = {u: sum(a * b for a, b in zip(ints[u], mult)) + k for u in self.candidates}

    # -- solving ---------------------------------------------------------------------------------
    def _group(self, g: Group, fixed: Mapping[str, bool], cost: Mapping[str, int],
               want_unsat: bool) -> tuple[dict[int, Any], dict[int, Any]]:
        mandatory = g.mandatory
        alive = None if want_unsat else self.alive[id(g)]
        table: dict[int, tuple[int, _Chain]] = {1: (0, None)}  # key: state * 2 + (mandatory units all taken)
        for uid in g.units:
            fx = fixed.get(uid)
            move = self.step[uid]
            c = cost[uid]
            if fx is True or not mandatory:
                # leaving a unit keeps the key: start from a copy (taking only improves on it)
                nxt = {} if fx is True else dict(table)
            else:
                nxt = {}
                if want_unsat:
                    for key, entry in table.items():
                        k2 = key & ~1
                        old = nxt.get(k2)
                        if old is None or entry[0] < old[0]:
                            nxt[k2] = entry
            if fx is not False:
                for key, (v, chain) in table.items():
                    s2 = move[key >> 1]
                    if alive is None or alive[s2]:
                        k2 = (s2 << 1) | (key & 1)
                        nv = v + c
                        old = nxt.get(k2)
                        if old is None or nv < old[0]:
                            nxt[k2] = (nv, (uid, chain))
            table = nxt
        ok = self.ok[id(g)]
        sat: dict[int, Any] = {}
        unsat: dict[int, Any] = {}
        for key, entry in table.items():
            s = key >> 1
            part = sat if key & 1 and ok[s] else unsat
            if part is sat or want_unsat:
                old = part.get(s)
                if old is None or entry[0] < old[0]:
                    part[s] = entry
        return sat, unsat

    def _node(self, node: Requirement, fixed: Mapping[str, bool], cost: Mapping[str, int],
              want_unsat: bool) -> tuple[dict[int, Any], dict[int, Any]]:
        # One learner's solves differ only in a unit or two fixed: tables of nodes above none
        # of them are shared (the memo is emptied for each learner).
        below = self.below[id(node)]
        key = (id(node), want_unsat, tuple(fixed.get(u) for u in below) if fixed else ())
        found = self.memo.get(key)
        if found is None:
            if isinstance(node, Group):
                found = self._group(node, fixed, cost, want_unsat)
            else:
                found = self._combine(node.requirements, node.needed(), self.ok[id(node)], fixed, cost, want_unsat)
            self.memo[key] = found
        return found

    def _combine(self, children: Sequence[Requirement], needed: int, ok: list[bool], fixed: Mapping[str, bool],
                 cost: Mapping[str, int], want_unsat: bool) -> tuple[dict[int, Any], dict[int, Any]]:
        every = needed >= len(children)
        add = self.add
        top = self.top
        width = needed + 1  # table keys: state * width + sub-requirements satisfied so far
        table: dict[int, tuple[int, _Chain]] = {0: (0, None)}
        for i, child in enumerate(children):
            remaining = len(children) - i - 1
            sat, unsat = self._node(child, fixed, cost, want_unsat or not every)
            nxt: dict[int, tuple[int, _Chain]] = {}
            for key, (v, chain) in table.items():
                s, count = divmod(key, width)
                for got, part in ((1, sat), (0, unsat)):
                    done = min(count + got, needed)
                    if not part or (not want_unsat and done + remaining < needed):
                        continue
                    for cs, (cv, cchain) in part.items():
                        if top is None:
                            s2 = add(s, cs)
                        else:
                            s2 = s + cs
                            if s2 > top:
                                s2 = top
                        k2 = s2 * width + done
                        nv = v + cv
                        old = nxt.get(k2)
                        if old is None or nv < old[0]:
                            nxt[k2] = (nv, chain if cchain is None else cchain if chain is None else (chain, cchain))
            table = nxt
        sat_out: dict[int, Any] = {}
        unsat_out: dict[int, Any] = {}
        for key, entry in table.items():
            s, count = divmod(key, width)
            part = sat_out if count >= needed and ok[s] else unsat_out
            if part is sat_out or want_unsat:
                old = part.get(s)
                if old is None or entry[0] < old[0]:
                    part[s] = entry
        return sat_out, unsat_out

    def _solve(self, cost: Mapping[str, int], forced: Mapping[str, bool]) -> list[str] | None:
        """The units of the cheapest pathway under ``cost``, or ``None`` when there is none."""
        q = self.q
        best: tuple[int, _Chain] | None = None
        free = [u for u in self.coupled if u not in forced]
        for values in itertools.product((True, False), repeat=len(free)):
            fixed = {**forced, **dict(zip(free, values))}
            if free and not exact.consistent(q, fixed):
                continue
            sat, _unsat = self._combine(q.requirements, len(q.requirements), self.root_ok, fixed, cost, False)
            for entry in sat.values():
                if best is None or entry[0] < best[0]:
                    best = entry
        return None if best is None else _flatten(best[1])

    # -- the audit -------------------------------------------------------------------------------
    def audit(self, achieved: Iterable[str]) -> Audit:
        """Audit one learner (see :func:`audit`; no alternatives, ``ties`` is ``None``)."""
        q = self.q
        if not self.fast:
            return audit(q, achieved, by=self.criteria, alternatives=0, timeout=self.timeout)
        held = tuple(dict.fromkeys(achieved))
        unknown = tuple(u for u in held if u not in self.candidate_set)
        mine = frozenset(u for u in held if u in self.candidate_set)
        common: dict[str, Any] = {"qualification": q.id, "held": held, "objective": self.criteria,
                                  "unknown": unknown, "blocked": blocked_units(q, mine) if q.barred else {}}
        cost = {u: -1 if u in mine else p for u, p in self.price.items()}
        self.memo.clear()
        found = self._solve(cost, {})
        if found is None:
            return Audit(achieved=False, remaining=None, completions=(), ties=None, progress=(),
                         not_counting=unknown, status=Status.INFEASIBLE, method=self.method,
                         proof="no pathway satisfies the rules", **common)
        chosen = set(found)
        add = tuple(u for u in self.candidates if u in chosen and u not in mine)
        remaining = criteria_values(q, self.criteria, add)
        not_counting = []
        for uid in held:
            if uid not in mine:
                not_counting.append(uid)
            elif uid not in chosen:
                other = self._solve(cost, {uid: True})
                extra = None if other is None else [u for u in other if u not in mine]
                if extra is None or criteria_values(q, self.criteria, extra) != remaining:
                    not_counting.append(uid)
        pathway = Pathway.of(q, chosen)
        return Audit(achieved=not add, remaining=remaining,
                     completions=(Completion(add=add, cost=remaining, pathway=pathway),), ties=None,
                     progress=progress(q, mine, chosen), not_counting=tuple(not_counting), method=self.method,
                     proof="exact: dynamic programming over every pathway (least cost of the missing units)",
                     **common)
