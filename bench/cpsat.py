"""The same model in Google OR-Tools CP-SAT: the peer for optimisation and feasibility.

Exactly ``docs/semantics.md``: a Boolean ``x[u]`` per candidate unit; for a unit listed in
two or more groups that do not double-count, one allocation Boolean per such group, summing
to ``x[u]``; a group counts its allocation (or ``x[u]`` when the unit has one such group or
the group double-counts); a combination counts the union of what its parts count. Nodes
under an ``any_of``/``at_least`` that does not need all its parts get a "satisfied"
Boolean whose constraints are enforced only when it is 1 (reification). Totals, level
rules, barred sets and prerequisites are linear constraints over ``x``.

Only the benchmark imports this module (``ortools`` is in the ``bench`` extra).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import Any

from solver.model import Combination, Group, Qualification, Requirement

__all__ = ["CpSatResult", "available", "solve_cpsat"]


def available() -> bool:
    try:
        import ortools.sat.python.cp_model  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class CpSatResult:
    status: str  # "optimal", "feasible" (stopped at the time limit), "infeasible", "unknown"
    objective: Decimal | None
    build_seconds: float
    solve_seconds: float
    units: frozenset[str]


def _scale(q: Qualification) -> int:
    scale = 1
    values = [q.unit(u).credits for u in q.unit_ids()]
    for node in (q, *q.iter_requirements(), *q.level_rules):
        values += [node.min_credits, node.max_credits]
    for v in values:
        if v is not None:
            scale = lcm(scale, Fraction(v).denominator)
    return scale


class _Model:
    def __init__(self, q: Qualification) -> None:
        from ortools.sat.python import cp_model

        self.cp_model = cp_model
        self.q = q
        self.m = cp_model.CpModel()
        self.scale = _scale(q)
        self.units = q.unit_ids()
        self.x = {u: self.m.NewBoolVar(f"x[{u}]") for u in self.units}
        groups = list(q.iter_groups())
        lists: dict[str, list[int]] = {}
        for i, g in enumerate(groups):
            if not g.double_counting:
                for u in g.units:
                    if i not in lists.setdefault(u, []):
                        lists[u].append(i)
        self.gindex = {id(g): i for i, g in enumerate(groups)}
        self.alloc: dict[tuple[str, int], Any] = {}
        for u, where in lists.items():
            if len(where) > 1:
                vs = [self.m.NewBoolVar(f"a[{u}>{i}]") for i in where]
                self.alloc.update({(u, i): v for i, v in zip(where, vs)})
                self.m.Add(sum(vs) == self.x[u])
        self.every_alloc = {u: {i for (w, i) in self.alloc if w == u} for u in self.units}

    def credits(self, u: str) -> int:
        return int(Fraction(self.q.unit(u).credits or 0) * self.scale)

    # what a node counts: unit -> ("x",) or the set of group indices whose allocation counts
    def counted(self, node: Requirement) -> dict[str, Any]:
        if isinstance(node, Group):
            i = self.gindex[id(node)]
            return {u: "x" if node.double_counting or (u, i) not in self.alloc else {i} for u in node.units}
        out: dict[str, Any] = {}
        for child in node.requirements:
            for u, c in self.counted(child).items():
                old = out.get(u)
                if old == "x" or c == "x":
                    out[u] = "x"
                else:
                    out[u] = (old or set()) | c
        return {u: "x" if c == "x" or c >= self.every_alloc[u] else c for u, c in out.items()}

    def terms(self, counted: dict[str, Any], weight: str) -> list[Any]:
        found = []
        for u, c in counted.items():
            w = self.credits(u) if weight == "credits" else 1
            if not w:
                continue
            if c == "x":
                found.append(w * self.x[u])
            else:
                found += [w * self.alloc[(u, i)] for i in sorted(c)]
        return found

    def limits(self, node: Any, counted: dict[str, Any], s: Any) -> None:
        for what in ("credits", "units"):
            low, high = getattr(node, f"min_{what}"), getattr(node, f"max_{what}")
            if low is None and high is None:
                continue
            total = sum(self.terms(counted, what))
            mult = self.scale if what == "credits" else 1
            for bound, is_min in ((low, True), (high, False)):
                if bound is None:
                    continue
                b = int(Fraction(bound) * mult)
                c = self.m.Add(total >= b) if is_min else self.m.Add(total <= b)
                if s is not None:
                    c.OnlyEnforceIf(s)

    def requirement(self, node: Requirement, s: Any) -> None:
        counted = self.counted(node)
        if isinstance(node, Group) and node.mandatory:
            for u in node.units:
                var = self.x[u] if counted[u] == "x" else self.alloc[(u, self.gindex[id(node)])]
                c = self.m.Add(var == 1)
                if s is not None:
                    c.OnlyEnforceIf(s)
        self.limits(node, counted, s)
        if isinstance(node, Combination):
            k = node.needed()
            if k == 0:
                return
            if s is None and k >= len(node.requirements):
                for child in node.requirements:
                    self.requirement(child, None)
                return
            svars = [self.m.NewBoolVar(f"s[{child.id}]") for child in node.requirements]
            for child, sv in zip(node.requirements, svars):
                self.requirement(child, sv)
            c = self.m.Add(sum(svars) >= k)
            if s is not None:
                c.OnlyEnforceIf(s)

    def build(self) -> None:
        q = self.q
        for node in q.requirements:
            self.requirement(node, None)
        everything = dict.fromkeys(self.units, "x")
        self.limits(q, everything, None)
        for rule in q.level_rules:
            self.limits(rule, {u: "x" for u in self.units if rule.applies_to(q.unit(u).level)}, None)
        for barred in q.barred:
            vs = [self.x[u] for u in barred.units if u in self.x]
            if len(vs) > 1:
                self.m.Add(sum(vs) <= 1)
        for p in q.prerequisites:
            if p.unit not in self.x:
                continue
            for r in p.requires:
                self.m.Add(self.x[r] >= self.x[p.unit]) if r in self.x else self.m.Add(self.x[p.unit] == 0)
            if p.requires_one_of:
                avail = [self.x[r] for r in p.requires_one_of if r in self.x]
                self.m.Add(sum(avail) >= self.x[p.unit])

    def objective(self, by: str) -> int:
        """Set the objective; returns the scale its value must be divided by."""
        if by == "units":
            self.m.Minimize(sum(self.x.values()))
            return 1
        if by == "credits":
            self.m.Minimize(sum(self.credits(u) * self.x[u] for u in self.units))
            return self.scale
        scale = 1
        for u in self.units:
            scale = lcm(scale, Fraction(getattr(self.q.unit(u), by) or 0).denominator)
        self.m.Minimize(sum(int(Fraction(getattr(self.q.unit(u), by) or 0) * scale) * self.x[u]
                            for u in self.units))
        return scale


def solve_cpsat(q: Qualification, *, by: str | None = "credits", time_limit: float | None = None,
                workers: int = 1) -> CpSatResult:
    """Prove the optimum by ``by`` (or only decide feasibility when ``by`` is None)."""
    t0 = time.perf_counter()
    model = _Model(q)
    model.build()
    scale = model.objective(by) if by else 1
    cp_model = model.cp_model
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    if time_limit is not None:
        solver.parameters.max_time_in_seconds = time_limit
    t1 = time.perf_counter()
    status = solver.Solve(model.m)
    t2 = time.perf_counter()
    names = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible", cp_model.INFEASIBLE: "infeasible"}
    name = names.get(status, "unknown")
    if by is None and name == "optimal":
        name = "feasible"
    objective = None
    units: frozenset[str] = frozenset()
    if name in ("optimal", "feasible"):
        units = frozenset(u for u, v in model.x.items() if solver.Value(v))
        if by:
            objective = Decimal(round(solver.ObjectiveValue())) / scale
    return CpSatResult(status=name, objective=objective, build_seconds=t1 - t0, solve_seconds=t2 - t1,
                       units=units)
