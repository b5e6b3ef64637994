"""The variables of the compiled problem and what they count, before any constraint is added.

One 0/1 variable ``x[U]`` per candidate unit, allocation variables ``a[U>G]``
for units shared by groups that are not double-counting, satisfaction
variables ``s[N]``, and credits scaled to integers. :class:`Variables` is
the base of the builder in :mod:`solver.csp.problem`, the one module that adds
python-constraint constraints; nothing here touches python-constraint.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal

from ..model.rules import iter_rules
from ..model.structure import Combination, Group, Qualification, Requirement

__all__: list[str] = []


def _lcm_scale(q: Qualification) -> int:
    values: list[Decimal] = [q.unit(u).credits or Decimal(0) for u in q.unit_ids()]
    for node in (q, *q.iter_requirements(), *q.level_rules):
        values += [v for v in (node.min_credits, node.max_credits) if v is not None]
    scale = 1
    for v in values:
        scale = math.lcm(scale, v.as_integer_ratio()[1])
    return scale


class Variables:
    """Variable names, the credit scale and what each requirement counts, for :class:`solver.csp.problem._Builder`."""

    def __init__(self, q: Qualification) -> None:
        self.q = q
        self.scale = _lcm_scale(q)
        self.rules = {(r.path, r.field): r for r in iter_rules(q)}
        self.units = q.unit_ids()
        self.x = {u: f"x[{u}]" for u in self.units}
        self.alloc: dict[tuple[str, str], str] = {}
        self.sat: dict[str, str] = {}
        self.groups: list[tuple[str, Group]] = []
        self._walk(q.requirements, "requirements")
        self.nondc: dict[str, list[str]] = {}
        for path, g in self.groups:
            if not g.double_counting:
                for u in g.units:
                    self.nondc.setdefault(u, []).append(path)
        self.counted_memo: dict[str, dict[str, tuple[str, ...]]] = {}

    def _walk(self, reqs: Sequence[Requirement], prefix: str) -> None:
        for i, r in enumerate(reqs):
            if isinstance(r, Group):
                self.groups.append((f"{prefix}[{i}]", r))
            else:
                self._walk(r.requirements, f"{prefix}[{i}].requirements")

    def fresh(self, name: str, fallback: str) -> str:
        """``name``, or ``fallback`` when two requirements share an id."""
        taken = {*self.alloc.values(), *self.sat.values()}
        return fallback if name in taken else name

    def credits(self, uid: str) -> int:
        value = self.q.unit(uid).credits or Decimal(0)
        num, den = value.as_integer_ratio()
        return num * (self.scale // den)

    def bound(self, limit: str, value: Decimal | int) -> int:
        if limit.endswith("credits"):
            num, den = Decimal(value).as_integer_ratio()
            return num * (self.scale // den)
        return int(value)


    def counted(self, path: str, node: Requirement) -> dict[str, tuple[str, ...]]:
        """Map each unit to the variables whose sum says ``node`` counts it."""
        if path in self.counted_memo:
            return self.counted_memo[path]
        out: dict[str, tuple[str, ...]] = {}
        if isinstance(node, Group):
            for u in node.units:
                own = self.alloc.get((u, path))
                out[u] = (self.x[u],) if node.double_counting or own is None else (own,)
        else:
            merged: dict[str, set[str]] = {}
            for i, child in enumerate(node.requirements):
                for u, vs in self.counted(f"{path}.requirements[{i}]", child).items():
                    merged.setdefault(u, set()).update(vs)
            for u, found in merged.items():
                every = {v for (w, _p), v in self.alloc.items() if w == u}
                whole = self.x[u] in found or (every and found >= every)
                out[u] = (self.x[u],) if whole else tuple(sorted(found))
        self.counted_memo[path] = out
        return out

    def terms(self, counted: Mapping[str, tuple[str, ...]], limit: str) -> list[tuple[str, int]]:
        by_credit = limit.endswith("credits")
        found = []
        for u, vs in counted.items():
            weight = self.credits(u) if by_credit else 1
            if weight:
                found += [(v, weight) for v in vs]
        return found

    def forced(self) -> Iterator[tuple[str, Requirement]]:
        stack = [(f"requirements[{i}]", r) for i, r in reversed(list(enumerate(self.q.requirements)))]
        while stack:
            path, node = stack.pop()
            yield path, node
            if isinstance(node, Combination) and node.needed() >= len(node.requirements) > 0:
                stack += [(f"{path}.requirements[{i}]", r)
                          for i, r in reversed(list(enumerate(node.requirements)))]
