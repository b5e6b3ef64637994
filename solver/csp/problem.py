"""Compile a qualification into a python-constraint problem, keeping the way back.

This is the only module that imports :mod:`constraint`. :func:`compile_problem`
returns a :class:`CompiledProblem`: the ``Problem`` together with the maps
from variables to units and from every constraint to the rule that produced
it, so an answer can always be told in rule terms.

The variables, the credit scale and what each requirement counts are set
up in :mod:`solver.csp.variables`, which the builder here extends.

The model (exactly ``docs/semantics.md``)
-----------------------------------------
* ``x[U]``: one 0/1 variable per candidate unit, 1 when the pathway holds it.
* ``a[U>G]``: for a unit listed in two or more groups that are not
  double-counting, one 0/1 allocation variable per such group, tied to the
  unit by an ``ExactSumConstraint`` (the allocations sum to ``x[U]``). A unit
  in one such group counts there whenever it is held, so it needs none.
* ``s[N]``: a 0/1 "satisfied" variable for each requirement under an
  ``any_of`` or ``at_least`` that does not need all of its parts. ``s = 1``
  forces the requirement's rules: a minimum ``L`` on a sum becomes
  ``sum - L*s >= 0`` and a maximum ``U`` becomes ``sum + M*s <= U + M``
  with ``M`` the most the sum can exceed ``U``: both are built-in weighted
  sum constraints. The parent asks ``sum(s[children]) >= k`` (times its own
  ``s`` when it is reified too).
* Requirements reached from the root through parts that must all hold are
  *forced*: their rules become plain ``MinSumConstraint`` /
  ``MaxSumConstraint`` / ``InSetConstraint`` over unit variables, which prune
  during the search.
* Credits are multiplied by the least common multiple of their decimal
  denominators (:attr:`CompiledProblem.scale`), so ``7.5`` is exact.
* Totals and level rules are sums over ``x``; a barred set is
  ``MaxSumConstraint(1)``; a prerequisite ``U needs R1..Rn`` is
  ``sum(x[R]) - n*x[U] >= 0``.
* *Implied* constraints: a minimum on all units together (qualification or
  level rule) minus the maxima of forced groups whose units count there
  whenever held gives a minimum on the remaining units (Diploma: at least
  45 - 7 = 38 credits outside Group C). They are redundant but let the
  search prune, and they carry both rules.

No string constraint and no ``FunctionConstraint`` is ever added (a string
silently becomes a slow ``FunctionConstraint``, see ``FACTS.md``).

:class:`PathwaySolver` assigns the unit variables first, in candidate-unit
order, trying 1 before 0, so solutions come in the documented pathway order
and all solutions of one pathway are consecutive; by default it stops after
the first allocation of each pathway.

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> cp = compile_problem(q)
>>> len(cp.unit_variables), cp.scale
(8, 1)
>>> optional = set(q.unit_ids()) - q.mandatory_unit_ids()
>>> [sorted(cp.pathway(s) & optional) for s in cp.iter_solutions()]
[['support-improvements'], ['nvq-personal-performance'], ['promote-products'], ['nvq-process-information']]
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from constraint import (
    Constraint,
    ExactSumConstraint,
    InSetConstraint,
    MaxSumConstraint,
    MinSumConstraint,
    OptimizedBacktrackingSolver,
    Problem,
)

from ..model.errors import UsageError
from ..model.rules import RuleRef
from ..model.structure import Combination, Group, LevelRule, Qualification, Requirement
from ..model.validate import iter_requirement_paths
from .variables import Variables

__all__ = ["CompiledConstraint", "CompiledProblem", "PathwaySolver", "compile_problem"]

_LIMITS = ("min_credits", "max_credits", "min_units", "max_units")


@dataclass(frozen=True, slots=True, kw_only=True)
class CompiledConstraint:
    """One python-constraint constraint and where it came from.

    ``rules`` are the rules that produced it (two for an implied constraint,
    none for a structural one such as an allocation); ``tag`` says what it
    means in words.
    """

    constraint: Constraint = field(repr=False)
    kind: str
    variables: tuple[str, ...]
    multipliers: tuple[int, ...] | None
    bound: int | tuple[int, ...]
    rules: tuple[RuleRef, ...]
    tag: str

    @property
    def structural(self) -> bool:
        """Whether the constraint comes from the model's structure rather than a rule."""
        return not self.rules


@dataclass(frozen=True, slots=True, kw_only=True)
class CompiledProblem:
    """A python-constraint ``Problem`` for a qualification, with the maps back.

    Attributes
    ----------
    unit_variables, variable_units
        Unit id to its 0/1 variable and back, in candidate-unit order.
    allocation_variables
        ``(unit id, group path)`` to the variable saying the unit counts there.
    satisfaction_variables
        Requirement path to its "satisfied" variable (reified requirements only).
    constraints
        Every constraint added, in order, with its rules.
    scale
        Credits are multiplied by this to make them integers.
    """

    qualification: Qualification = field(repr=False)
    problem: Problem = field(repr=False)
    unit_variables: Mapping[str, str]
    variable_units: Mapping[str, str]
    allocation_variables: Mapping[tuple[str, str], str]
    satisfaction_variables: Mapping[str, str]
    constraints: tuple[CompiledConstraint, ...]
    scale: int
    minimal_check: bool = False

    def variable_order(self) -> list[str]:
        """Units first (candidate order), then allocations, then satisfaction variables."""
        return [*self.unit_variables.values(), *self.allocation_variables.values(),
                *self.satisfaction_variables.values()]

    def iter_solutions(
        self, *, one_per_pathway: bool = True, deadline: float | None = None
    ) -> Iterator[dict[str, int]]:
        """Raw solutions in the documented pathway order.

        With ``one_per_pathway`` (the default) only the first allocation of
        each pathway is produced; otherwise every (pathway, allocation) pair,
        those of one pathway being consecutive. When ``time.monotonic()``
        passes ``deadline`` the iterator raises :class:`TimeoutError`.
        """
        self.problem.setSolver(PathwaySolver(self.variable_order(), len(self.unit_variables),
                                             one_per_pathway=one_per_pathway, deadline=deadline))
        try:
            solutions: Iterator[dict[str, int]] = self.problem.getSolutionIter()
        except ValueError as exc:
            # python-constraint 2.9.0 pre-processes constraint by constraint; once one empties a
            # domain, the next one's min()/max() of that domain raises before the emptiness is
            # noticed. An empty domain means there is no solution.
            if "empty" not in str(exc):
                raise
            return iter(())
        return solutions

    def pathway(self, solution: Mapping[str, int]) -> frozenset[str]:
        """Return the units a solution holds."""
        return frozenset(u for v, u in self.variable_units.items() if solution.get(v))

    def constraints_for(self, rule: RuleRef) -> tuple[CompiledConstraint, ...]:
        """Return the constraints a rule became (including implied ones it takes part in)."""
        return tuple(c for c in self.constraints if rule in c.rules)


class PathwaySolver(OptimizedBacktrackingSolver):  # type: ignore[misc]
    """Backtracking in a fixed variable order, values tried largest first (1 before 0).

    The first ``units`` variables of ``order`` are the unit variables; with
    ``one_per_pathway`` the search goes back to the last unit variable after
    each solution, skipping the other allocations of the same pathway.

    Examples
    --------
    >>> p = Problem(PathwaySolver(["a", "b"], 2))
    >>> p.addVariables(["a", "b"], [0, 1])
    >>> p.addConstraint(MaxSumConstraint(1), ["a", "b"])
    >>> [(s["a"], s["b"]) for s in p.getSolutionIter()]
    [(1, 0), (0, 1), (0, 0)]
    """

    def __init__(self, order: Sequence[str], units: int, *, one_per_pathway: bool = False,
                 deadline: float | None = None) -> None:
        super().__init__(forwardcheck=True)
        self._order = list(order)
        self._units = units
        self._one = one_per_pathway
        self._deadline = deadline

    def getSortedVariables(self, domains: dict[Any, Any], vconstraints: dict[Any, Any]) -> list[Any]:
        """Variables in the fixed order (python-constraint's hook)."""
        known = set(self._order)
        return [v for v in self._order if v in domains] + [v for v in domains if v not in known]

    def getSolutionIter(
        self, domains: dict[Any, Any], constraints: list[Any], vconstraints: dict[Any, Any]
    ) -> Iterator[dict[Any, Any]]:
        """Depth-first search in the fixed order with forward checking (python-constraint's hook)."""
        order = self.getSortedVariables(domains, vconstraints)
        n = len(order)
        if n == 0:
            yield {}
            return
        later = [[domains[v] for v in order[d + 1:]] for d in range(n)]
        values: list[list[Any]] = [[] for _ in range(n)]
        assignments: dict[Any, Any] = {}
        values[0] = sorted(domains[order[0]])
        depth = 0
        steps = 0
        while depth >= 0:
            steps += 1
            if self._deadline is not None and not steps % 4096 and time.monotonic() > self._deadline:
                raise TimeoutError("the constraint search ran out of time")
            var = order[depth]
            if var in assignments:  # undo the previous value tried here
                del assignments[var]
                for dom in later[depth]:
                    dom.popState()
            if not values[depth]:
                depth -= 1
                continue
            assignments[var] = values[depth].pop()
            for dom in later[depth]:
                dom.pushState()
            check = later[depth]
            if not all(c(vs, domains, assignments, check) for c, vs in vconstraints[var]):
                continue
            if depth == n - 1:
                yield assignments.copy()
                if self._one:
                    for d in range(min(self._units, n), n):
                        values[d] = []
                continue
            depth += 1
            values[depth] = sorted(domains[order[depth]])


# -- the builder ----------------------------------------------------------------------------------

class _Builder(Variables):
    def __init__(self, q: Qualification) -> None:
        super().__init__(q)
        self.problem = Problem()
        self.problem.addVariables(list(self.x.values()), [0, 1])
        self.out: list[CompiledConstraint] = []

    def add(self, constraint: Constraint, variables: Sequence[str], multipliers: Sequence[int] | None,
            bound: int | tuple[int, ...], rules: Iterable[RuleRef | None], tag: str) -> None:
        self.problem.addConstraint(constraint, list(variables))
        self.out.append(CompiledConstraint(
            constraint=constraint, kind=type(constraint).__name__, variables=tuple(variables),
            multipliers=tuple(multipliers) if multipliers is not None else None, bound=bound,
            rules=tuple(r for r in rules if r is not None), tag=tag))

    def fix(self, variables: Sequence[str], value: int, rules: Iterable[RuleRef | None], tag: str) -> None:
        self.add(InSetConstraint([value]), variables, None, (value,), rules, tag)

    # -- allocation ----------------------------------------------------------------------------
    def allocations(self) -> None:
        ids = {path: g.id for path, g in self.groups}
        for u in self.units:
            paths = self.nondc.get(u, [])
            if len(paths) < 2:
                continue
            avars = []
            for path in paths:
                self.alloc[(u, path)] = var = self.fresh(f"a[{u}>{ids[path]}]", f"a[{u}>{path}]")
                avars.append(var)
            self.problem.addVariables(avars, [0, 1])
            self.add(ExactSumConstraint(0, [1] * len(avars) + [-1]), [*avars, self.x[u]],
                     [1] * len(avars) + [-1], 0, (),
                     f"allocation: {u} counts towards exactly one of groups "
                     + ", ".join(ids[p] for p in paths) + " when held")

    # -- requirements ----------------------------------------------------------------------------
    def requirement(self, path: str, node: Requirement, s: str | None) -> None:
        counted = self.counted(path, node)
        if isinstance(node, Group) and node.mandatory:
            rule = self.rules.get((path, "mandatory"))
            vs = [counted[u][0] for u in node.units]
            tag = f"{node.id}: every one of its {len(vs)} units counts here"
            if s is None:
                self.fix(vs, 1, (rule,), tag)
            else:
                self.add(MinSumConstraint(0, [1] * len(vs) + [-len(vs)]), [*vs, s],
                         [1] * len(vs) + [-len(vs)], 0, (rule,), tag + f" when {s} = 1")
        for limit in _LIMITS:
            value = getattr(node, limit)
            if value is None:
                continue
            ref = self.rules.get((path, limit))
            self.limit(self.terms(counted, limit), limit, self.bound(limit, value), s, (ref,),
                       f"{node.id}: {limit} {value}")
            held = {u: (self.x[u],) for u in counted}
            if s is None and limit.startswith("min") and any(vs != held[u] for u, vs in counted.items()):
                # A unit counts here only if held: the same minimum on the units held prunes
                # before any allocation is chosen.
                self.limit(self.terms(held, limit), limit, self.bound(limit, value), None, (ref,),
                           f"implied: {node.id} {limit} {value} needs that much among the units it lists")
        if isinstance(node, Combination):
            self.combination(path, node, s)

    def combination(self, path: str, node: Combination, s: str | None) -> None:
        k = node.needed()
        children = [(f"{path}.requirements[{i}]", c) for i, c in enumerate(node.requirements)]
        if k == 0:
            return  # nothing below can matter; only the node's own limits (done) apply
        if s is None and k >= len(children):
            for cpath, child in children:
                self.requirement(cpath, child, None)
            return
        svars = []
        for cpath, child in children:
            self.sat[cpath] = var = self.fresh(f"s[{child.id}]", f"s[{cpath}]")
            self.problem.addVariable(var, [0, 1])
            svars.append(var)
            self.requirement(cpath, child, var)
        rule = self.rules.get((path, "needed"))
        tag = f"{node.id}: at least {k} of its {len(children)} parts hold"
        if s is None:
            self.add(MinSumConstraint(k, [1] * len(svars)), svars, [1] * len(svars), k, (rule,), tag)
        else:
            mult = [1] * len(svars) + [-k]
            self.add(MinSumConstraint(0, mult), [*svars, s], mult, 0, (rule,), tag + f" when {s} = 1")

    def limit(self, terms: list[tuple[str, int]], limit: str, bound: int, s: str | None,
              rules: Sequence[RuleRef | None], tag: str) -> None:
        """``sum(terms) >= bound`` (min) or ``<= bound`` (max), only when ``s`` = 1 if given."""
        is_min = limit.startswith("min")
        if is_min and bound <= 0:
            return
        vs, mult = [v for v, _m in terms], [m for _v, m in terms]
        if s is None:
            if not vs:
                if is_min:  # a minimum over nothing: can never hold
                    self.fix([self.x[self.units[0]]], -1, rules, tag + " (counts nothing, so never holds)")
                return
            cls = MinSumConstraint if is_min else MaxSumConstraint
            self.add(cls(bound, mult), vs, mult, bound, rules, tag)
        elif is_min:
            self.add(MinSumConstraint(0, [*mult, -bound]), [*vs, s], [*mult, -bound], 0, rules,
                     tag + f" when {s} = 1")
        else:
            slack = max(0, sum(mult) - bound)
            if slack:
                self.add(MaxSumConstraint(bound + slack, [*mult, slack]), [*vs, s], [*mult, slack],
                         bound + slack, rules, tag + f" when {s} = 1")

    # -- whole-set rules -------------------------------------------------------------------------
    def whole_set(self) -> None:
        q = self.q
        everything = {u: (self.x[u],) for u in self.units}
        for limit in _LIMITS:
            value = getattr(q, limit)
            if value is not None:
                self.limit(self.terms(everything, limit), limit, self.bound(limit, value), None,
                           (self.rules.get(("", limit)),), f"qualification: {limit} {value}")
                if limit.startswith("min"):
                    self.implied(everything, limit, value, self.rules.get(("", limit)), "qualification")
        for i, rule in enumerate(q.level_rules):
            applies = {u: (self.x[u],) for u in self.units if rule.applies_to(q.unit(u).level)}
            for limit, value in rule.limits().items():
                ref = self.rules.get((f"level_rules[{i}]", limit))
                self.limit(self.terms(applies, limit), limit, self.bound(limit, value), None, (ref,),
                           f"level rule: {rule.describe()}")
                if limit.startswith("min"):
                    self.implied(applies, limit, value, ref, "level rule")
        for i, barred in enumerate(q.barred):
            vs = [self.x[u] for u in barred.units if u in self.x]
            if len(vs) > 1:
                self.add(MaxSumConstraint(1), vs, None, 1, (self.rules.get((f"barred[{i}]", "barred")),),
                         "barred: at most one of " + ", ".join(barred.units))
        for i, p in enumerate(q.prerequisites):
            self.prerequisite(i, p.unit, p.requires, p.requires_one_of)

    def prerequisite(self, i: int, unit: str, requires: Sequence[str], one_of: Sequence[str]) -> None:
        if unit not in self.x:
            return
        rule = self.rules.get((f"prerequisites[{i}]", "prerequisite"))
        xu = self.x[unit]
        if any(r not in self.x for r in requires) or (one_of and not any(r in self.x for r in one_of)):
            self.fix([xu], 0, (rule,), f"prerequisite: {unit} needs a unit no pathway can hold")
            return
        if requires:
            n = len(requires)
            mult = [1] * n + [-n]
            self.add(MinSumConstraint(0, mult), [*(self.x[r] for r in requires), xu], mult, 0, (rule,),
                     f"prerequisite: {unit} needs " + ", ".join(requires))
        avail = [self.x[r] for r in one_of if r in self.x]
        if avail:
            mult = [1] * len(avail) + [-1]
            self.add(MinSumConstraint(0, mult), [*avail, xu], mult, 0, (rule,),
                     f"prerequisite: {unit} needs one of " + ", ".join(one_of))

    def implied(self, pool: Mapping[str, tuple[str, ...]], limit: str, value: Decimal | int,
                rule: RuleRef | None, what: str) -> None:
        """Add a minimum on ``pool`` less the maxima of forced groups whose units always count there."""
        cap_limit = limit.replace("min", "max")
        bound = self.bound(limit, value)
        used: set[str] = set()
        caps: list[RuleRef] = []
        for path, node in self.forced():
            cap = getattr(node, cap_limit)
            ref = self.rules.get((path, cap_limit))
            if cap is None or ref is None:
                continue
            always = {u for u, vs in self.counted(path, node).items() if vs == (self.x[u],) and u in pool}
            if not always or always & used:
                continue
            inside = sum(w for _v, w in self.terms({u: pool[u] for u in always}, limit))
            bound -= min(self.bound(cap_limit, cap), inside)
            used |= always
            caps.append(ref)
        if not caps or bound <= 0:
            return
        rest = {u: vs for u, vs in pool.items() if u not in used}
        self.limit(self.terms(rest, limit), limit, bound, None, (rule, *caps),
                   f"implied: {what} {limit} {value} less the maxima of "
                   + ", ".join(c.label for c in caps) + " leaves this much outside them")

    # -- fixing units --------------------------------------------------------------------------
    def choose(self, include: Collection[str], exclude: Collection[str]) -> None:
        for uid in (*include, *exclude):
            if not self.q.has_unit(uid):
                raise UsageError(f"unknown unit {uid!r}; expected the id of a unit of {self.q.id}")
        for uid in include:
            if uid not in self.x:
                raise UsageError(f"unit {uid!r} is listed in no group of {self.q.id}, "
                                 "so no pathway can hold it")
            self.fix([self.x[uid]], 1, (), f"include: {uid} is held")
        for uid in exclude:
            if uid in self.x:
                self.fix([self.x[uid]], 0, (), f"exclude: {uid} is not held")

    def minimal(self) -> None:
        """Fix out units no lower bound can need: dropping them never breaks a rule."""
        needed: set[str] = set()
        q = self.q
        for path, node in iter_requirement_paths(q):
            counted = self.counted(path, node)
            if node.min_units:
                needed |= set(counted)
            if node.min_credits:
                needed |= {u for u in counted if self.credits(u)}
            if isinstance(node, Group) and node.mandatory:
                needed |= set(node.units)
        pools: list[tuple[Qualification | LevelRule, list[str]]] = [(q, list(self.units))]
        pools += [(r, [u for u in self.units if r.applies_to(q.unit(u).level)]) for r in q.level_rules]
        for rule, pool in pools:
            if rule.min_units:
                needed |= set(pool)
            if rule.min_credits:
                needed |= {u for u in pool if self.credits(u)}
        for p in q.prerequisites:
            needed |= {*p.requires, *p.requires_one_of}
        for u in self.units:
            if u not in needed:
                self.fix([self.x[u]], 0, (), f"minimal: {u} is counted by no minimum, mandatory group "
                         "or prerequisite, so no minimal pathway holds it")


def compile_problem(
    q: Qualification,
    *,
    include: Collection[str] = (),
    exclude: Collection[str] = (),
    minimal_check: bool = False,
) -> CompiledProblem:
    """Compile ``q`` into a python-constraint problem whose solutions are its pathways.

    Parameters
    ----------
    q : Qualification
        A validated structure (relaxed copies from :func:`solver.model.rules.relax` too).
    include, exclude : collection of str
        Units every solution must hold / must not hold.
    minimal_check : bool
        Also fix out the units that no minimum, mandatory group or
        prerequisite counts: dropping such a unit never breaks a rule, so no
        minimal pathway holds one. (Minimality itself is checked exactly by
        :func:`solver.csp.stream.iter_csp_pathways`.)

    Returns
    -------
    CompiledProblem
        The problem, its solver set to :class:`PathwaySolver`, and the maps back.

    Raises
    ------
    UsageError
        An included or excluded unit is unknown, or an included one is in no group.

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    >>> cp = compile_problem(q)
    >>> [(c.kind, c.bound) for c in cp.constraints if c.rules and c.rules[0].label == "C: max 7 credits"]
    [('MaxSumConstraint', 7)]
    >>> sum(cp.pathway(next(cp.iter_solutions())) and 1 for _ in range(1))
    1
    """
    b = _Builder(q)
    b.allocations()
    for i, node in enumerate(q.requirements):
        b.requirement(f"requirements[{i}]", node, None)
    b.whole_set()
    b.choose(include, exclude)
    if minimal_check:
        b.minimal()
    order = [*b.x.values(), *b.alloc.values(), *b.sat.values()]
    b.problem.setSolver(PathwaySolver(order, len(b.x), one_per_pathway=True))
    return CompiledProblem(
        qualification=q, problem=b.problem, unit_variables=dict(b.x),
        variable_units={v: u for u, v in b.x.items()}, allocation_variables=dict(b.alloc),
        satisfaction_variables=dict(b.sat), constraints=tuple(b.out), scale=b.scale,
        minimal_check=minimal_check)
