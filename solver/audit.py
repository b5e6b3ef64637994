r"""Audit a learner: achieved or not, progress on every rule, and the cheapest way to finish.

A learner holds a set ``A`` of achieved units. They have *achieved* the
qualification when some subset of ``A`` is a pathway (extra units may break a
maximum, so ``A`` itself need not be one). The *cheapest completion* is the
least cost of ``P \ A`` over every pathway ``P``, by the criteria of
``qualpath cheapest`` (credits, units, glh, fee, hours, lexicographic).

How it is proved: every unit of ``A`` costs nothing and every other unit its
criterion value, and the dynamic programme of :mod:`solver.dp` over the
(least cost, number of ways) semiring minimises over *every* pathway at once.
Two hidden criteria break ties: fewer units added, then more achieved units
used, so the completion shown counts as much of what the learner holds as it
can. The completions themselves come from the best-first search of
:mod:`solver.optimise`, cheapest first. Structures outside the programme's
family are solved by enumerating every pathway (exact, bounded by ``timeout``).

Examples
--------
>>> from solver.load import load_qualification, bundled_rules
>>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> a = audit(q, ["nvq-positive-impression", "resolve-problems"], by="units")
>>> a.achieved, a.remaining
(False, {'units': 3})
>>> a.completions[0].add
('nvq-reliable-service', 'develop-relationships', 'support-improvements')
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from . import dp
from .count import DEFAULT_TIMEOUT, dp_method
from .model import Group, LevelRule, Qualification, Requirement, format_number
from .optimise import _best_first, _unit_cost, parse_criteria
from .results import Method, Pathway, Status, json_number

__all__ = [
    "Audit",
    "Auditor",
    "Completion",
    "Progress",
    "RequirementProgress",
    "audit",
    "blocked_units",
    "progress",
]

#: Most pathways the best-first search looks at to find distinct alternatives.
MAX_LOOKED_AT = 200

_ZERO = Decimal(0)


class Progress(StrEnum):
    """Where a learner stands on one rule, counting only what they have achieved."""

    MET = "met"
    NOT_YET = "not yet"
    EXCEEDED = "exceeded"
    """A maximum is passed: some achieved units cannot all count here."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementProgress:
    """One rule: what the achieved units count towards it, against its limits.

    ``held_*`` count the achieved units (a unit listed in several groups is
    placed as in the cheapest completion); ``after_*`` count the units of the
    cheapest completion (achieved and added), i.e. where the learner ends up.
    """

    rule: str
    """``group B``, ``all_of optional``, ``qualification`` or ``level_rules[0]``."""
    title: str
    wants: str
    """The rule in words (``min 16 credits``)."""
    held_units: tuple[str, ...]
    held_credits: Decimal
    after_units: int
    after_credits: Decimal
    status: Progress
    missing: tuple[str, ...] = ()
    """For a mandatory group: the units not yet achieved."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, keys in a fixed order."""
        return {"rule": self.rule, "title": self.title, "wants": self.wants, "status": self.status.value,
                "held_credits": json_number(self.held_credits), "held_units": list(self.held_units),
                "after_credits": json_number(self.after_credits), "after_units": self.after_units,
                "missing": list(self.missing)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Completion:
    """One way to finish: the units to add, what they cost, and the pathway they make."""

    add: tuple[str, ...]
    cost: Mapping[str, Decimal | int]
    pathway: Pathway

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``add``, ``cost``, ``pathway``."""
        return {"add": list(self.add), "cost": {k: json_number(v) for k, v in self.cost.items()},
                "pathway": self.pathway.to_dict()}


@dataclass(frozen=True, slots=True, kw_only=True)
class Audit:
    r"""A learner's standing on one qualification (see the module docstring).

    ``remaining`` is the proven least cost of the units still to add (``None``
    only when the structure has no pathway at all: ``status`` infeasible);
    ``completions`` lists the cheapest completion first, then alternatives,
    cheapest first, each adding a different set of units. ``ties`` counts the
    pathways ``P`` whose missing units ``P \ A`` cost exactly ``remaining``
    (two of them may add the same units and use different achieved ones);
    ``None`` when not counted (batch audits).
    """

    qualification: str
    held: tuple[str, ...]
    objective: tuple[str, ...]
    achieved: bool
    remaining: Mapping[str, Decimal | int] | None
    completions: tuple[Completion, ...]
    ties: int | None
    progress: tuple[RequirementProgress, ...]
    not_counting: tuple[str, ...]
    """Achieved units that count towards nothing: not in the qualification, or left out of
    every cheapest completion."""
    unknown: tuple[str, ...]
    """Achieved ids that are not units a pathway of this qualification can hold."""
    blocked: Mapping[str, tuple[str, ...]]
    """Units that can no longer help: each is barred with the achieved units listed."""
    method: Method = Method.DYNAMIC_PROGRAMMING
    status: Status = Status.COMPLETE
    proof: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def best(self) -> Completion | None:
        """The cheapest completion (``None`` when there is none)."""
        return self.completions[0] if self.completions else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, keys in a fixed order."""
        remaining = None if self.remaining is None else {k: json_number(v) for k, v in self.remaining.items()}
        return {
            "qualification": self.qualification,
            "held": list(self.held),
            "achieved": self.achieved,
            "objective": list(self.objective),
            "remaining": remaining,
            "completions": [c.to_dict() for c in self.completions],
            "ties": self.ties,
            "progress": [p.to_dict() for p in self.progress],
            "not_counting": list(self.not_counting),
            "unknown": list(self.unknown),
            "blocked": {u: list(v) for u, v in self.blocked.items()},
            "status": self.status.value,
            "method": self.method.value,
            "proof": self.proof,
            **dict(self.extra),
        }

    def __repr__(self) -> str:
        if self.remaining is None:
            return f"Audit({self.qualification}: no pathway)"
        if self.achieved:
            return f"Audit({self.qualification}: achieved)"
        left = ", ".join(f"{format_number(v)} {k}" for k, v in self.remaining.items())
        return f"Audit({self.qualification}: not achieved; {left} to add)"


# -- costs --------------------------------------------------------------------------------------
def _costs(q: Qualification, criteria: Sequence[str], held: frozenset[str]) -> dict[str, tuple[Any, ...]]:
    """Per-unit cost tuples, the criteria first and then the two tie-breakers.

    A unit to add costs its criteria and one unit added; an achieved one costs nothing and
    minus one achieved unit used.
    """
    zeros = tuple(0 if c == "units" else _ZERO for c in criteria)
    return {u: (*zeros, 0, -1) if u in held else (*_unit_cost(q, u, criteria), 1, 0) for u in q.unit_ids()}


def _price(costs: Mapping[str, tuple[Any, ...]], units: Iterable[str], width: int) -> tuple[Any, ...]:
    return tuple(sum((costs[u][i] for u in units), _ZERO if i < width - 2 else 0) for i in range(width))


def _criteria_values(q: Qualification, criteria: Sequence[str], units: Iterable[str]) -> dict[str, Decimal | int]:
    chosen = list(units)
    out: dict[str, Decimal | int] = {}
    for i, name in enumerate(criteria):
        if name == "units":
            out[name] = len(chosen)
        else:
            out[name] = sum((Decimal(_unit_cost(q, u, criteria)[i]) for u in chosen), _ZERO)
    return out


# -- the audit ----------------------------------------------------------------------------------
def audit(
    q: Qualification,
    achieved: Iterable[str],
    *,
    by: str | Sequence[str] = ("credits",),
    alternatives: int = 3,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Audit:
    """Audit a learner who holds ``achieved`` against ``q``.

    Parameters
    ----------
    q : Qualification
        The structure.
    achieved : iterable of str
        Unit ids the learner holds; ids ``q`` does not list are reported, not refused.
    by : str or sequence of str
        Criteria for the cost of what remains (lexicographic), as ``cheapest``.
    alternatives : int
        How many further completions (each adding a different set of units) to show.
    timeout : float or None
        Seconds the enumeration fallback may take (the fast path ignores it).

    Returns
    -------
    Audit

    Examples
    --------
    >>> from solver.load import load_qualification, bundled_rules
    >>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    >>> a = audit(q, ["deliver-customer-service", "health-and-safety", "unknown-unit"])
    >>> a.remaining, a.unknown, a.not_counting
    ({'credits': Decimal('38')}, ('unknown-unit',), ('unknown-unit',))
    >>> [(p.rule, str(p.status)) for p in a.progress][:2]
    [('group mandatory', 'not yet'), ('all_of optional', 'not yet')]
    """
    criteria = parse_criteria(by)
    held = tuple(dict.fromkeys(achieved))
    candidates = set(q.unit_ids())
    unknown = tuple(u for u in held if u not in candidates)
    mine = frozenset(u for u in held if u in candidates)
    costs = _costs(q, criteria, mine)
    width = len(criteria) + 2
    ring = dp.MinCount(costs, width=width).semiring()
    common: dict[str, Any] = {"qualification": q.id, "held": held, "objective": criteria, "unknown": unknown,
                              "blocked": blocked_units(q, mine)}
    try:
        best, ways = dp.solve(q, ring)
    except dp.NotSupported as exc:
        return _by_enumeration(q, criteria, mine, costs, alternatives, timeout, common, str(exc))
    if ways == 0:
        return Audit(achieved=False, remaining=None, completions=(), ties=0, progress=(),
                     not_counting=unknown, status=Status.INFEASIBLE,
                     proof="no pathway satisfies the rules (the exact count is 0)", **common)
    completions = _completions(q, criteria, mine, ring, 1 + alternatives)
    primary = best[: len(criteria)]
    primary_ring = dp.MinCount({u: c[: len(criteria)] for u, c in costs.items()}, width=len(criteria)).semiring()
    _cost, ties = dp.solve(q, primary_ring)
    first = completions[0]
    unused = [u for u in mine if u not in first.pathway.units]
    could = {u for u in unused if dp.solve(q, primary_ring, forced={u: True})[0] == primary}
    not_counting = tuple(u for u in held if u in unknown or (u in unused and u not in could))
    return Audit(achieved=not first.add, remaining=dict(zip(criteria, primary)), completions=completions,
                 ties=ties, progress=progress(q, mine, first.pathway.units), not_counting=not_counting,
                 method=dp_method(q), proof="exact: dynamic programming over every pathway "
                 "(least cost of the missing units, and number of ways)", **common)


def _completions(q: Qualification, criteria: Sequence[str], mine: frozenset[str], ring: dp.Semiring[Any],
                 wanted: int) -> tuple[Completion, ...]:
    """Distinct completions, cheapest first (pathways adding the same units are one completion)."""
    found: dict[tuple[str, ...], Completion] = {}
    for pathway in _best_first(q, ring, {}, MAX_LOOKED_AT):
        add = tuple(u for u in pathway.units if u not in mine)
        if add not in found:
            found[add] = Completion(add=add, cost=_criteria_values(q, criteria, add), pathway=pathway)
            if len(found) >= wanted:
                break
    return tuple(found.values())


def _by_enumeration(q: Qualification, criteria: Sequence[str], mine: frozenset[str],
                    costs: dict[str, tuple[Any, ...]], alternatives: int, timeout: float | None,
                    common: dict[str, Any], reason: str) -> Audit:
    from .enumerate import _iter_units

    deadline = None if timeout is None else time.monotonic() + timeout
    found, method = _iter_units(q, minimal=False, forced={}, deadline=deadline)
    width = len(criteria) + 2
    best: dict[tuple[str, ...], tuple[tuple[Any, ...], int, tuple[str, ...]]] = {}
    optimum: tuple[Any, ...] | None = None
    ties = 0
    usable: set[str] = set()
    for index, units in enumerate(found):
        cost = _price(costs, units, width)
        primary = cost[: len(criteria)]
        if optimum is None or primary < optimum:
            optimum, ties, usable = primary, 1, set(units)
        elif primary == optimum:
            ties += 1
            usable.update(units)
        add = tuple(u for u in units if u not in mine)
        if add not in best or (cost, index) < best[add][:2]:
            best[add] = (cost, index, units)
            if len(best) > 4 * (1 + alternatives) + 64:  # keep the table small
                keep = sorted(best.items(), key=lambda kv: kv[1][:2])[: 1 + alternatives]
                best = dict(keep)
    complete = deadline is None or time.monotonic() <= deadline
    status = Status.COMPLETE if complete else Status.PARTIAL
    unknown: tuple[str, ...] = common["unknown"]
    if optimum is None:
        return Audit(achieved=False, remaining=None, completions=(), ties=0, progress=(),
                     not_counting=unknown, method=method,
                     status=Status.INFEASIBLE if complete else Status.PARTIAL,
                     proof=f"enumeration found no pathway ({reason})", **common)
    ranked = sorted(best.items(), key=lambda kv: kv[1][:2])[: 1 + alternatives]
    completions = tuple(Completion(add=add, cost=_criteria_values(q, criteria, add), pathway=Pathway.of(q, units))
                        for add, (_c, _i, units) in ranked)
    held: tuple[str, ...] = common["held"]
    not_counting = tuple(u for u in held if u in unknown or (u in mine and u not in usable))
    first = completions[0]
    proof = (f"exact: every pathway enumerated ({reason})" if complete
             else f"partial: enumeration stopped at the time limit ({reason})")
    return Audit(achieved=not first.add, remaining=dict(zip(criteria, optimum)), completions=completions,
                 ties=ties, progress=progress(q, mine, first.pathway.units), not_counting=not_counting,
                 method=method, status=status, proof=proof, **common)


# -- what the achieved units count towards -----------------------------------------------------
def blocked_units(q: Qualification, held: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Units not held that can no longer help: each barred with some held unit.

    >>> from solver.model import Barred, Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abc"),
    ...     requirements=(Group(id="G", units=("a", "b", "c")),), barred=(Barred(units=("a", "b")),))
    >>> blocked_units(q, ["a"])
    {'b': ('a',)}
    """
    mine = set(held)
    out: dict[str, list[str]] = {}
    for barred in q.barred:
        present = [u for u in barred.units if u in mine]
        for uid in barred.units:
            if uid in mine:
                continue
            for other in present:
                if other not in out.setdefault(uid, []):
                    out[uid].append(other)
    order = {u: i for i, u in enumerate(q.unit_ids())}
    return {u: tuple(out[u]) for u in sorted(out, key=lambda u: order.get(u, len(order))) if out[u]}


def _allocation(q: Qualification, pathway: frozenset[str]) -> dict[str, int | None]:
    """A group (index in depth-first order) for each unit of a pathway under which the rules hold.

    Units listed in one non-double-counting group have no choice; for the others the first
    allocation found that satisfies the tree is used (tried in order, at most a few
    thousand; past that, each unit goes to the first group listing it).
    """
    groups = list(q.iter_groups())
    options: dict[str, list[int | None]] = {}
    for uid in pathway:
        homes: list[int | None] = [i for i, g in enumerate(groups) if uid in g.units and not g.double_counting]
        options[uid] = homes or [None]
    fixed = {u: o[0] for u, o in options.items() if len(o) == 1}
    free = sorted(u for u, o in options.items() if len(o) > 1)
    if not free:
        return fixed
    for tries, pick in enumerate(itertools.product(*(options[u] for u in free))):
        alloc = {**fixed, **dict(zip(free, pick))}
        if tries > 5000 or all(ok for ok, _c in _walk(q, pathway, alloc)[: len(q.requirements)]):
            return alloc
    return {**fixed, **{u: options[u][0] for u in free}}


def _limits_hold(q: Qualification, node: Any, units: Sequence[str]) -> tuple[bool, bool]:
    """(every limit holds, some maximum is passed) for these counted units."""
    credits = sum((q.unit(u).credits or _ZERO for u in units), _ZERO)
    low = ((node.min_credits is None or credits >= node.min_credits)
           and (node.min_units is None or len(units) >= node.min_units))
    over = ((node.max_credits is not None and credits > node.max_credits)
            or (node.max_units is not None and len(units) > node.max_units))
    return low and not over, over


def _walk(q: Qualification, units: Iterable[str], alloc: Mapping[str, int | None]) -> list[tuple[bool, list[str]]]:
    """(satisfied, counted units) for the top-level requirements, then every node depth first."""
    chosen = [u for u in q.unit_ids() if u in set(units)]
    position = itertools.count()
    rows: list[tuple[bool, list[str]]] = []

    def visit(node: Requirement) -> tuple[bool, list[str]]:
        slot = len(rows)
        rows.append((False, []))
        if isinstance(node, Group):
            index = next(position)
            counted = [u for u in chosen if (u in node.units if node.double_counting else alloc.get(u) == index)]
            ok, _over = _limits_hold(q, node, counted)
            ok = ok and (not node.mandatory or len(counted) == len(set(node.units)))
        else:
            parts = [visit(child) for child in node.requirements]
            seen = {u for _ok, c in parts for u in c}
            counted = [u for u in chosen if u in seen]
            ok, _over = _limits_hold(q, node, counted)
            ok = ok and sum(1 for done, _c in parts if done) >= node.needed()
        rows[slot] = (ok, counted)
        return ok, counted

    tops = [visit(r) for r in q.requirements]
    return tops + rows


def progress(q: Qualification, held: Iterable[str], pathway: Iterable[str]) -> tuple[RequirementProgress, ...]:
    """Each rule's standing: every requirement, then qualification-wide limits and level rules.

    Requirements come depth first, in file order.

    ``held`` are the learner's units of ``q``; ``pathway`` is the completion (achieved units
    and added ones) that decides where a unit listed in several groups counts.

    Examples
    --------
    >>> from solver.load import load_qualification, bundled_rules
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> rows = progress(q, ["promote-products", "support-improvements"], [])
    >>> [(r.rule, str(r.status), len(r.held_units)) for r in rows]
    [('group mandatory', 'not yet', 0), ('group optional', 'exceeded', 2)]
    """
    given = set(held)
    mine = [u for u in q.unit_ids() if u in given]
    final = frozenset(pathway)
    groups = list(q.iter_groups())
    alloc = dict(_allocation(q, final))
    for uid in mine:  # achieved units left out of the completion count where first listed
        if uid not in alloc:
            homes = [i for i, g in enumerate(groups) if uid in g.units and not g.double_counting]
            alloc[uid] = homes[0] if homes else None
    top = len(q.requirements)
    now = _walk(q, mine, alloc)[top:]
    then = _walk(q, final, alloc)[top:]
    out: list[RequirementProgress] = []

    def row(rule: str, title: str, node: Any, have: list[str], after: list[str], ok: bool,
            missing: tuple[str, ...] = ()) -> None:
        _ok, over = _limits_hold(q, node, have)
        out.append(RequirementProgress(
            rule=rule, title=title, wants=node.describe(),
            held_units=tuple(have), held_credits=sum((q.unit(u).credits or _ZERO for u in have), _ZERO),
            after_units=len(after), after_credits=sum((q.unit(u).credits or _ZERO for u in after), _ZERO),
            status=Progress.EXCEEDED if over else Progress.MET if ok else Progress.NOT_YET, missing=missing))

    for node, (ok, have), (_done, after) in zip(q.iter_requirements(), now, then):
        missing = tuple(u for u in node.units if u not in given) if isinstance(node, Group) and node.mandatory else ()
        name = f"group {node.id}" if isinstance(node, Group) else f"{node.kind} {node.id}"
        row(name, node.title, node, have, after, ok, missing)
    if q.limits():
        row("qualification", q.title, _Whole(q), mine, sorted(final), _limits_hold(q, q, mine)[0])
    for i, rule in enumerate(q.level_rules):
        have = [u for u in mine if rule.applies_to(q.unit(u).level)]
        after = [u for u in final if rule.applies_to(q.unit(u).level)]
        row(f"level_rules[{i}]", _level_title(rule), rule, have, after, _limits_hold(q, rule, have)[0])
    return tuple(out)


class _Whole:
    """The qualification-wide limits, read like a rule."""

    def __init__(self, q: Qualification) -> None:
        self.min_credits, self.max_credits = q.min_credits, q.max_credits
        self.min_units, self.max_units = q.min_units, q.max_units
        self.q = q

    def describe(self) -> str:
        return self.q.describe_limits()


def _level_title(rule: LevelRule) -> str:
    return f"units at level {rule.level} or above" if rule.kind == "at_or_above" else f"units below level {rule.level}"


# -- many learners, one structure ---------------------------------------------------------------
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

    The structure is compiled once: the dimensions of :mod:`solver.dp`, packed
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
    >>> from solver.load import load_qualification, bundled_rules
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
        self.fast = dp.supports(q) is None
        if self.fast:
            try:
                self._compile(max_states)
            except dp.NotSupported:
                self.fast = False
        if not self.fast:
            self.method = dp_method(q)

    # -- compiling -------------------------------------------------------------------------------
    def _compile(self, max_states: int) -> None:
        q = self.q
        plan = dp._plan(q, ())
        caps = [int(d.cap or 0) for d in plan.dims]
        strides = []
        size = 1
        for cap in caps:
            strides.append(size)
            size *= cap + 1
        if size > max_states:
            raise dp.NotSupported(f"{size} states (more than {max_states})")
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
            bounds = [(plan.index[prefix + name], low, high) for name, low, high in dp._bounds(node, plan.scale)]
            return [all((low is None or st[i] >= low) and (high is None or st[i] <= high) for i, low, high in bounds)
                    for st in states]

        self.ok = {id(node): verdicts(node) for node in q.iter_requirements()}
        # A group that must hold can never recover from a passed maximum (sums only grow).
        self.alive = {}
        for g in q.iter_groups():
            highs = [(plan.index[n], high) for n, _low, high in dp._bounds(g, plan.scale) if high is not None]
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
        self.coupled = dp._coupled_units(q)
        self.below = {id(node): dp._units_below(node) for node in q.iter_requirements()}
        self.memo: dict[Any, tuple[dict[int, Any], dict[int, Any]]] = {}
        # One integer per unit: criteria first (lexicographic), then units added, then achieved used.
        n = len(self.candidates)
        k = n + 1
        values = {u: _unit_cost(q, u, self.criteria) for u in self.candidates}
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
            if free and not dp._consistent(q, fixed):
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
        remaining = _criteria_values(q, self.criteria, add)
        not_counting = []
        for uid in held:
            if uid not in mine:
                not_counting.append(uid)
            elif uid not in chosen:
                other = self._solve(cost, {uid: True})
                extra = None if other is None else [u for u in other if u not in mine]
                if extra is None or _criteria_values(q, self.criteria, extra) != remaining:
                    not_counting.append(uid)
        pathway = Pathway.of(q, chosen)
        return Audit(achieved=not add, remaining=remaining,
                     completions=(Completion(add=add, cost=remaining, pathway=pathway),), ties=None,
                     progress=progress(q, mine, chosen), not_counting=tuple(not_counting), method=self.method,
                     proof="exact: dynamic programming over every pathway (least cost of the missing units)",
                     **common)
