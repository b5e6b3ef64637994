"""Depth-first search over units, in the documented pathway order, with sound pruning.

For structures whose allocation is fixed (every unit in one group, no double
counting) the search keeps running sums of credits and units for every rule's
scope, so deciding a unit and undoing it cost a few additions. It prunes a
branch when a rule that must hold can no longer be met (a minimum out of
reach, a maximum exceeded, a mandatory unit left out, a barred pair taken),
and, for minimal pathways, when a unit already taken could be dropped
whatever is added later. Every leaf is still checked exactly, so pruning
only ever saves time.

The search is iterative (no recursion), streams pathways, and keeps memory
flat however many it visits.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..model.structure import Combination, Group, LevelRule, Qualification, Requirement
from .kernel import NotSupported, credit_scale, unit_credits, whole_limits
from .kernel import supports as fixed_allocation

__all__ = ["SearchNotSupported", "Searcher", "supports"]


def supports(q: Qualification) -> str | None:
    """Why the search cannot take ``q``, or ``None``: overlapping pools and double counting are beyond it.

    Barred sets and prerequisites, however many, are not: it checks them as it goes.
    """
    if q.barred or q.prerequisites:
        q = dataclasses.replace(q, barred=(), prerequisites=())
    return fixed_allocation(q)


class SearchNotSupported(NotSupported):
    """The structure's allocation is not fixed; use the constraint engine."""


@dataclass
class _Scope:
    """A place where sums are kept: a group, a combination, the root, or a level rule."""

    node: Group | Combination | Qualification | LevelRule | None
    min_credits: int | None
    max_credits: int | None
    min_units: int | None
    max_units: int | None
    must_hold: bool
    size: int = 0  # units listed (for mandatory groups)


class Searcher:
    """Search the pathways of one qualification; reuse it for several runs.

    Parameters
    ----------
    q
        A qualification whose allocation is fixed (see :func:`solver.exact.tree.supports`,
        ignoring its limit on coupled units).

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> s = Searcher(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"))
    >>> [len(p) for p in s.iter_pathways()]
    [5, 5, 5, 5]
    """

    def __init__(self, q: Qualification) -> None:
        reason = supports(q)
        if reason is not None:
            raise SearchNotSupported(reason)
        self.q = q
        self.units = list(q.unit_ids())
        self.pos = {u: i for i, u in enumerate(self.units)}
        scale = credit_scale(q)
        credits = unit_credits(q, scale)
        self.credit = [credits[u] for u in self.units]
        self.scopes: list[_Scope] = []
        self.scopes_of: list[list[int]] = [[] for _ in self.units]
        self.group_scope: dict[int, int] = {}  # id(group) -> scope index
        self.tree: list[tuple[int, Requirement]] = []
        self.mandatory_pos: list[bool] = [False] * len(self.units)

        def limits(node: Any, must: bool, size: int = 0) -> _Scope:
            low_c, high_c, low_u, high_u = whole_limits(node, scale)
            return _Scope(node=node, min_credits=low_c, max_credits=high_c, min_units=low_u, max_units=high_u,
                          must_hold=must, size=size)

        root = len(self.scopes)
        self.scopes.append(limits(q, True))
        self.root = root

        def walk(node: Requirement, must: bool, chain: list[int]) -> int:
            index = len(self.scopes)
            if isinstance(node, Group):
                self.scopes.append(limits(node, must, len(node.units)))
                for uid in node.units:
                    p = self.pos[uid]
                    self.scopes_of[p].extend([index, *chain])
                    if node.mandatory and must:
                        self.mandatory_pos[p] = True
                return index
            self.scopes.append(limits(node, must))
            every = node.needed() >= len(node.requirements)
            for child in node.requirements:
                walk(child, must and every, [index, *chain])
            return index

        self.top = [walk(r, True, [root]) for r in q.requirements]
        for i, rule in enumerate(q.level_rules):
            index = len(self.scopes)
            self.scopes.append(limits(rule, True))
            for p, uid in enumerate(self.units):
                if rule.applies_to(q.unit(uid).level):
                    self.scopes_of[p].append(index)
            del i
        self.index_of = {id(s.node): k for k, s in enumerate(self.scopes)}
        self.barred_with: list[list[int]] = [[] for _ in self.units]
        for barred in q.barred:
            members = [self.pos[u] for u in barred.units if u in self.pos]
            for a in members:
                self.barred_with[a].extend(b for b in members if b != a)
        self.needed_by: list[bool] = [False] * len(self.units)
        for prereq in q.prerequisites:
            for uid in (*prereq.requires, *prereq.requires_one_of):
                if uid in self.pos:
                    self.needed_by[self.pos[uid]] = True

    # -- exact evaluation from sums ----------------------------------------------------------
    def _ok(self, k: int, credits: list[int], count: list[int]) -> bool:
        s = self.scopes[k]
        c, n = credits[k], count[k]
        if s.min_credits is not None and c < s.min_credits:
            return False
        if s.max_credits is not None and c > s.max_credits:
            return False
        if s.min_units is not None and n < s.min_units:
            return False
        return not (s.max_units is not None and n > s.max_units)

    def _holds(self, node: Requirement, credits: list[int], count: list[int]) -> bool:
        k = self.index_of[id(node)]
        if isinstance(node, Group):
            if node.mandatory and count[k] < len(node.units):
                return False
            return self._ok(k, credits, count)
        satisfied = 0
        for child in node.requirements:
            if self._holds(child, credits, count):
                satisfied += 1
        return satisfied >= node.needed() and self._ok(k, credits, count)

    def _valid(self, taken: list[bool], credits: list[int], count: list[int]) -> bool:
        if not self._ok(self.root, credits, count):
            return False
        for k in range(len(self.scopes)):
            if isinstance(self.scopes[k].node, LevelRule) and not self._ok(k, credits, count):
                return False
        if not all(self._holds(r, credits, count) for r in self.q.requirements):
            return False
        if self.q.prerequisites:
            held = {u for u, t in zip(self.units, taken) if t}
            return all(p.holds(held) for p in self.q.prerequisites)
        return True

    def _minimal(self, taken: list[bool], credits: list[int], count: list[int]) -> bool:
        for p, t in enumerate(taken):
            if not t:
                continue
            self._move(p, credits, count, -1)
            taken[p] = False
            still = self._valid(taken, credits, count) and not self._barred_clash(taken)
            taken[p] = True
            self._move(p, credits, count, +1)
            if still:
                return False
        return True

    def _barred_clash(self, taken: list[bool]) -> bool:
        return any(t and any(taken[b] for b in self.barred_with[p]) for p, t in enumerate(taken))

    def _move(self, p: int, credits: list[int], count: list[int], sign: int) -> None:
        w = self.credit[p] * sign
        for k in self.scopes_of[p]:
            credits[k] += w
            count[k] += sign

    def _surely_droppable(self, p: int, credits: list[int], count: list[int]) -> bool:
        """Whether unit ``p`` could be dropped from any completion of the current choice."""
        if self.mandatory_pos[p] or self.needed_by[p]:
            return False
        for k in self.scopes_of[p]:
            s = self.scopes[k]
            if s.min_credits is not None and credits[k] - self.credit[p] < s.min_credits:
                return False
            if s.min_units is not None and count[k] - 1 < s.min_units:
                return False
            if isinstance(s.node, Group) and s.node.mandatory:
                return False
        return True

    # -- the search ------------------------------------------------------------------------------
    def iter_pathways(
        self,
        *,
        minimal: bool = False,
        forced: Mapping[str, bool] | None = None,
        deadline: float | None = None,
    ) -> Iterator[tuple[str, ...]]:
        """Yield pathways (unit ids in candidate order) in the documented order.

        Stops silently at ``deadline`` (a :func:`time.monotonic` value); callers that
        need to know compare the clock themselves.
        """
        n = len(self.units)
        fixed = [None if forced is None else forced.get(u) for u in self.units]
        credits = [0] * len(self.scopes)
        count = [0] * len(self.scopes)
        avail_c = [0] * len(self.scopes)
        avail_n = [0] * len(self.scopes)
        for p in range(n):
            for k in self.scopes_of[p]:
                avail_c[k] += self.credit[p]
                avail_n[k] += 1
        taken = [False] * n
        step = [0] * (n + 1)  # 0: try take, 1: try leave, 2: done
        applied = [0] * n  # 0 none, 1 taken, 2 left
        scopes, scopes_of, credit = self.scopes, self.scopes_of, self.credit
        i = 0
        ticks = 0
        while i >= 0:
            if i == n:
                if self._valid(taken, credits, count) and (not minimal or self._minimal(taken, credits, count)):
                    yield tuple(u for u, t in zip(self.units, taken) if t)
                i -= 1
                continue
            ticks += 1
            if deadline is not None and ticks & 1023 == 0 and time.monotonic() > deadline:
                return
            # undo what was applied at this level last time
            if applied[i] == 1:
                taken[i] = False
                for k in scopes_of[i]:
                    credits[k] -= credit[i]
                    count[k] -= 1
                    avail_c[k] += credit[i]
                    avail_n[k] += 1
            elif applied[i] == 2:
                for k in scopes_of[i]:
                    avail_c[k] += credit[i]
                    avail_n[k] += 1
            applied[i] = 0
            s = step[i]
            if s == 0:
                step[i] = 1
                if fixed[i] is not False and not any(taken[b] for b in self.barred_with[i]):
                    ok = True
                    for k in scopes_of[i]:
                        credits[k] += credit[i]
                        count[k] += 1
                        avail_c[k] -= credit[i]
                        avail_n[k] -= 1
                        sc = scopes[k]
                        if sc.must_hold and ((sc.max_credits is not None and credits[k] > sc.max_credits)
                                             or (sc.max_units is not None and count[k] > sc.max_units)):
                            ok = False
                    taken[i] = True
                    applied[i] = 1
                    if ok and minimal:
                        ok = not any(taken[p] and self._surely_droppable(p, credits, count) for p in range(i + 1))
                    if ok:
                        i += 1
                        step[i] = 0
                        continue
                    continue  # the undo at the top of the loop reverts it
            if s <= 1:
                step[i] = 2
                if fixed[i] is not True and not self.mandatory_pos[i]:
                    ok = True
                    for k in scopes_of[i]:
                        avail_c[k] -= credit[i]
                        avail_n[k] -= 1
                        sc = scopes[k]
                        if sc.must_hold and ((sc.min_credits is not None
                                              and credits[k] + avail_c[k] < sc.min_credits)
                                             or (sc.min_units is not None and count[k] + avail_n[k] < sc.min_units)):
                            ok = False
                    applied[i] = 2
                    if ok:
                        i += 1
                        step[i] = 0
                        continue
                    continue
            step[i] = 0
            i -= 1
