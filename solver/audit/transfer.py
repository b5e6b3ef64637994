"""Credit transfer: which achieved units count towards another qualification, and what remains.

A unit a learner holds *carries* into a target qualification when the target
lists a unit with the same id (a shared library), or a unit declared
equivalent (``Unit.equivalent``, in either direction: the target unit names
the held one, or the held unit, as defined in the source qualification,
names the target one). The carried units are then audited against the target
(:func:`solver.audit.audit`): achieved or not, and the proven cheapest way
to finish.

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> nvq = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> dip = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
>>> t = transfer(nvq, dip, ["nvq-positive-impression", "resolve-problems", "promote-products"])
>>> [c.unit for c in t.carried], t.not_carried
(['resolve-problems', 'promote-products'], ('nvq-positive-impression',))
>>> t.audit.remaining
{'credits': Decimal('38')}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..answers.cheapest import parse_criteria
from ..model.load import load_folder
from ..model.results import Status, json_number
from ..model.structure import Qualification, format_number
from .results import Audit
from .single import audit

__all__ = ["Carried", "Closeness", "Transfer", "carry_over", "rank_qualifications", "transfer"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Carried:
    """A held unit that counts in the target, as ``as_unit``, and why (``same id`` or ``equivalent``)."""

    unit: str
    as_unit: str
    how: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready."""
        return {"unit": self.unit, "as_unit": self.as_unit, "how": self.how}


@dataclass(frozen=True, slots=True, kw_only=True)
class Transfer:
    """What carries from one qualification to another, and the audit against the target."""

    source: str
    target: str
    carried: tuple[Carried, ...]
    not_carried: tuple[str, ...]
    audit: Audit

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``source``, ``target``, ``carried``, ``not_carried``, ``audit``."""
        return {"source": self.source, "target": self.target, "carried": [c.to_dict() for c in self.carried],
                "not_carried": list(self.not_carried), "audit": self.audit.to_dict()}


@dataclass(frozen=True, slots=True, kw_only=True)
class Closeness:
    """How close a learner is to one qualification (a row of :func:`rank_qualifications`)."""

    qualification: str
    title: str
    carried: tuple[Carried, ...]
    audit: Audit

    @property
    def key(self) -> tuple[Any, ...]:
        """Sort key: achieved first, then least remaining, then fewest units to add, then id."""
        a = self.audit
        if a.remaining is None:
            return (2, (), 0, self.qualification)
        add = len(a.best.add) if a.best else 0
        return (0 if a.achieved else 1, tuple(a.remaining.values()), add, self.qualification)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the full audit under ``audit``)."""
        a = self.audit
        return {"qualification": self.qualification, "title": self.title, "achieved": a.achieved,
                "remaining": None if a.remaining is None else {k: json_number(v) for k, v in a.remaining.items()},
                "add": list(a.best.add) if a.best else [], "carried": [c.to_dict() for c in self.carried],
                "status": a.status.value, "audit": a.to_dict()}

    def __repr__(self) -> str:
        a = self.audit
        if a.remaining is None:
            left = "not known (partial)" if a.status is Status.PARTIAL else "no pathway"
        else:
            left = "achieved" if a.achieved else ", ".join(
                f"{format_number(v)} {k}" for k, v in a.remaining.items()) + " to add"
            left += " (partial: not proven)" if a.status is Status.PARTIAL and not a.achieved else ""
        return f"Closeness({self.qualification}: {left})"


def carry_over(target: Qualification, held: Iterable[str],
               source: Qualification | None = None) -> tuple[tuple[Carried, ...], tuple[str, ...]]:
    """Which held units count in ``target``: ``(carried, not carried)``.

    A held unit carries by id when ``target`` lists it; otherwise through an
    equivalence declared on the target unit or, when ``source`` is given, on the
    held unit as ``source`` defines it. Each target unit is credited once.

    >>> from solver.model import Group, Qualification, Unit
    >>> t = Qualification(id="T", title="T", units=(Unit(id="x", title="x", equivalent=("old-x",)),),
    ...     requirements=(Group(id="G", units=("x",)),))
    >>> carry_over(t, ["old-x", "y"])
    ((Carried(unit='old-x', as_unit='x', how='equivalent'),), ('y',))
    """
    t_ids = target.unit_ids()
    t_set = set(t_ids)
    named_by: dict[str, str] = {}
    for uid in t_ids:
        for other in target.unit(uid).equivalent:
            named_by.setdefault(other, uid)
    carried: list[Carried] = []
    lost: list[str] = []
    used: set[str] = set()
    for uid in dict.fromkeys(held):
        as_unit: str | None = None
        how = "equivalent"
        if uid in t_set and uid not in used:
            as_unit, how = uid, "same id"
        elif uid in named_by and named_by[uid] not in used:
            as_unit = named_by[uid]
        elif source is not None and source.has_unit(uid):
            as_unit = next((e for e in source.unit(uid).equivalent if e in t_set and e not in used), None)
        if as_unit is None:
            lost.append(uid)
        else:
            used.add(as_unit)
            carried.append(Carried(unit=uid, as_unit=as_unit, how=how))
    return tuple(carried), tuple(lost)


def transfer(source: Qualification, target: Qualification, achieved: Iterable[str], *,
             by: str | Sequence[str] = ("credits",), alternatives: int = 3) -> Transfer:
    """Carry a learner's units from ``source`` to ``target`` and audit them there.

    Parameters
    ----------
    source, target : Qualification
        Where the units were achieved, and the qualification to finish.
    achieved : iterable of str
        The learner's units (ids as ``source`` knows them).
    by : str or sequence of str
        Criteria for the cost of what remains in ``target``.
    alternatives : int
        Further completions to show.

    Returns
    -------
    Transfer
    """
    carried, lost = carry_over(target, achieved, source)
    result = audit(target, [c.as_unit for c in carried], by=by, alternatives=alternatives)
    return Transfer(source=source.id, target=target.id, carried=carried, not_carried=lost, audit=result)


def rank_qualifications(qualifications: str | Path | Iterable[Qualification], achieved: Iterable[str], *,
                        by: str | Sequence[str] = ("units",), top: int | None = None) -> tuple[Closeness, ...]:
    """Every qualification, closest first, for a learner holding ``achieved``.

    Closest means: achieved first, then least ``by`` remaining (proven optimal per
    qualification), then fewest units to add. The default is units, the one measure every
    structure has (NVQs and training packages carry no credits). Units carry by id or by
    an equivalence declared in the target.

    Parameters
    ----------
    qualifications : folder or iterable of Qualification
        A folder of rule files (every qualification in it) or loaded structures.
    achieved : iterable of str
        The learner's units.
    by : str or sequence of str
        Criteria for what remains (default ``units``).
    top : int, optional
        Keep only the closest ``top``.

    Examples
    --------
    >>> from solver.model.load import bundled_rules
    >>> nvq = ["nvq-positive-impression", "nvq-reliable-service", "develop-relationships",
    ...        "resolve-problems", "promote-products"]
    >>> ranked = rank_qualifications(bundled_rules(), nvq)
    >>> ranked[0]
    Closeness(OCR-NVQ2-CS: achieved)
    >>> [r for r in ranked if r.qualification == "L2-DIP-CS"]
    [Closeness(L2-DIP-CS: 9 units to add)]
    """
    criteria = parse_criteria(by)
    if isinstance(qualifications, (str, Path)):
        found: Iterable[Qualification] = load_folder(qualifications)
    else:
        found = qualifications
    held = tuple(achieved)
    rows = []
    for q in found:
        carried, _lost = carry_over(q, held)
        rows.append(Closeness(qualification=q.id, title=q.title, carried=carried,
                              audit=audit(q, [c.as_unit for c in carried], by=criteria, alternatives=0)))
    rows.sort(key=lambda r: r.key)
    return tuple(rows if top is None else rows[:top])

