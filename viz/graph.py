"""Qualification structures as networkx graphs: qualification → requirements → units.

The graph is the hand-over point between the model and every picture or
analysis: :func:`to_graph` turns one qualification (or several, sharing unit
nodes) into a :class:`networkx.DiGraph` whose node attributes carry all a
drawing needs, so drawing code never goes back to the model.

Node keys
---------
* a unit is keyed by its unit id (``"make-calls"``), so units with the same id
  in several qualifications are one node;
* a qualification by its id (``"L2-DIP-CS"``);
* a requirement (group or combination) by ``"<qualification id>/<requirement id>"``
  (``"L2-DIP-CS/B"``).

Edges
-----
``kind="requirement"``
    qualification → top-level requirement, combination → sub-requirement.
``kind="member"``
    group → each unit it lists (with ``mandatory`` and ``qualification``).
``kind="prerequisite"``
    required unit → the unit that requires it (the order a learner takes them).
    A prerequisite met by any one of several units is no edge: the unit that needs it
    carries them as ``requires_one_of``, their ids joined by ", ".
``kind="barred"``
    between units that may not be taken together, one edge per pair, from the
    unit listed first to the later one, with the handbook's ``reason``.

Examples
--------
>>> from solver.model.load import bundled_rules, load_qualification
>>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
>>> G = to_graph(q)
>>> G.nodes["L2-DIP-CS/B"]["total_credits"]
Decimal('58')
>>> G.nodes["make-calls"]["credits"], G.nodes["make-calls"]["group"]
(Decimal('3'), 'L2-DIP-CS/B')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import networkx as nx

from solver.handbook.english import node_sentences
from solver.model import Combination, Group, Qualification, Requirement, Unit
from solver.model.errors import UsageError

__all__ = [
    "STATUSES",
    "counts_credits",
    "family_graph",
    "requirement_key",
    "to_graph",
    "unit_nodes",
]

#: The unit statuses a caller may supply (the solver computes them).
STATUSES = ("dead", "forced", "free")


def requirement_key(q: Qualification, requirement: Requirement) -> str:
    """Return the node key of a requirement of ``q``: ``"<qualification id>/<requirement id>"``.

    >>> from solver.model import Group, Qualification
    >>> g = Group(id="B")
    >>> requirement_key(Qualification(id="Q", title="T", requirements=(g,)), g)
    'Q/B'
    """
    return f"{q.id}/{requirement.id}"


def _status_value(value: object) -> str:
    text = value.value if isinstance(value, enum.Enum) else value
    if not isinstance(text, str) or text.lower() not in STATUSES:
        raise UsageError(f"unit status {value!r}: expected one of {', '.join(STATUSES)}")
    return text.lower()


def _unit_attrs(unit: Unit) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "kind": "unit",
        "title": unit.title,
        "credits": unit.credits,
        "level": unit.level,
        "glh": unit.glh,
        "hours": unit.hours,
        "path": unit.loc.path,
        "file": unit.loc.file,
        "elements": len(unit.elements),
        "mandatory": False,
        "groups": (),
        "group": None,
        "qualifications": (),
    }
    return {k: v for k, v in attrs.items() if v is not None}


def _total(q: Qualification, unit_ids: Iterable[str]) -> Decimal:
    return sum((q.unit(u).credits or Decimal(0) for u in unit_ids if q.has_unit(u)), Decimal(0))


def _units_under(node: Requirement) -> list[str]:
    if isinstance(node, Group):
        return list(node.units)
    seen: dict[str, None] = {}
    for child in node.requirements:
        for uid in _units_under(child):
            seen.setdefault(uid, None)
    return list(seen)


def counts_credits(q: Qualification) -> bool:
    """Whether any rule of ``q`` counts credits (else it is a unit-count structure such as an NVQ).

    >>> from solver.model import Group, Qualification
    >>> counts_credits(Qualification(id="Q", title="T", requirements=(Group(id="g", min_units=1),)))
    False
    """
    nodes = [q, *q.iter_requirements(), *q.level_rules]
    return any(n.min_credits is not None or n.max_credits is not None for n in nodes)


def _add_requirement(G: nx.DiGraph, q: Qualification, node: Requirement, parent: str, depth: int) -> None:
    key = requirement_key(q, node)
    if key in G:
        raise UsageError(f"node key {key!r} is used twice (a unit id or a repeated requirement id)")
    units = _units_under(node)
    G.add_node(
        key,
        kind=node.kind,
        title=node.title or node.id,
        id=node.id,
        rule=node.describe(),
        sentences=" ".join(node_sentences(node, q)),
        total_credits=_total(q, units),
        unit_count=len(units),
        mandatory=isinstance(node, Group) and node.mandatory,
        path=node.loc.path,
        depth=depth,
        qualification=q.id,
        counts_credits=counts_credits(q),
        **node.limits(),
    )
    G.add_edge(parent, key, kind="requirement")
    if isinstance(node, Combination):
        G.nodes[key]["needed"] = node.needed()
        for child in node.requirements:
            _add_requirement(G, q, child, key, depth + 1)
        return
    mandatory_units = q.mandatory_unit_ids()
    for uid in node.units:
        if not q.has_unit(uid):
            raise UsageError(f"{q.id}: group {node.id!r} lists unit {uid!r}, which is not defined")
        unit = q.unit(uid)
        if uid in G and G.nodes[uid].get("kind") != "unit":
            raise UsageError(f"unit id {uid!r} clashes with a qualification or requirement node key")
        if uid not in G:
            G.add_node(uid, **_unit_attrs(unit))
            G.nodes[uid]["_unit"] = unit
        elif G.nodes[uid]["_unit"] != unit:
            raise UsageError(f"unit {uid!r} is defined differently in {q.id} and "
                             f"{', '.join(G.nodes[uid]['qualifications'])}")
        attrs = G.nodes[uid]
        attrs["groups"] = (*attrs["groups"], key)
        attrs.setdefault("group", key)
        if q.id not in attrs["qualifications"]:
            attrs["qualifications"] = (*attrs["qualifications"], q.id)
        is_mandatory = uid in mandatory_units
        attrs["mandatory"] = attrs["mandatory"] or is_mandatory
        G.add_edge(key, uid, kind="member", mandatory=is_mandatory, qualification=q.id)


def _add_qualification(G: nx.DiGraph, q: Qualification) -> None:
    if q.id in G:
        raise UsageError(f"qualification {q.id!r} appears twice, or its id is also a unit id")
    units = q.unit_ids()
    G.add_node(
        q.id,
        kind="qualification",
        title=q.title,
        id=q.id,
        rule=q.describe_limits(),
        total_credits=_total(q, units),
        unit_count=len(units),
        mandatory=True,
        path="",
        depth=0,
        qualification=q.id,
        counts_credits=counts_credits(q),
        **{k: v for k, v in (("level", q.level), ("glh", q.glh), ("awarding_body", q.awarding_body or None),
                             ("file", q.loc.file)) if v is not None},
        **q.limits(),
    )
    for node in q.requirements:
        _add_requirement(G, q, node, q.id, 1)
    for entry in q.prerequisites:
        for required in entry.requires:
            G.add_edge(required, entry.unit, kind="prerequisite", qualification=q.id)
        if entry.requires_one_of and entry.unit in G:
            G.nodes[entry.unit]["requires_one_of"] = ", ".join(entry.requires_one_of)
    for barred in q.barred:
        for i, first in enumerate(barred.units):
            for second in barred.units[i + 1:]:
                G.add_edge(first, second, kind="barred", reason=barred.reason, qualification=q.id)


def to_graph(
    qualifications: Qualification | Iterable[Qualification],
    *,
    status: Mapping[str, object] | None = None,
) -> nx.DiGraph:
    """Build the unit-group graph of one qualification, or of several sharing unit nodes.

    Parameters
    ----------
    qualifications
        A qualification, or several (then units with the same id are one node,
        with ``qualifications`` naming every qualification that lists them).
    status
        Optional unit id → ``"dead"``, ``"forced"`` or ``"free"`` (a string or
        a string-valued ``Enum``), as computed by the solver; stored as the
        units' ``status`` attribute.

    Returns
    -------
    networkx.DiGraph
        Nodes carry ``kind`` (``qualification``, ``group``, ``all_of``,
        ``any_of``, ``at_least`` or ``unit``), ``title``, ``path`` and
        ``mandatory``. Qualifications and requirements add ``rule`` (in words),
        ``total_credits`` (sum of the credits of the distinct units under
        them), ``unit_count``, ``depth``, ``counts_credits`` (whether any rule
        of their qualification counts credits) and any limits that are set
        (``min_credits`` ...). Units add ``credits``, ``level``, ``glh``,
        ``hours`` when set, ``elements`` (how many), ``groups`` (keys of every
        group listing them), ``group`` (the first) and ``qualifications``.
        ``G.graph["qualifications"]`` lists the qualification ids in order.

    Raises
    ------
    UsageError
        When a status is unknown or names a unit not in the graph, or node
        keys clash.

    Examples
    --------
    >>> from solver.model.load import bundled_rules, load_qualification
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> G = to_graph(q, status={"promote-products": "free"})
    >>> G.nodes["OCR-NVQ2-CS/optional"]["rule"]
    'min 1 unit, max 1 unit'
    >>> sorted(G.successors("OCR-NVQ2-CS"))
    ['OCR-NVQ2-CS/mandatory', 'OCR-NVQ2-CS/optional']
    >>> G.nodes["promote-products"]["status"]
    'free'
    """
    qs = (qualifications,) if isinstance(qualifications, Qualification) else tuple(qualifications)
    G = nx.DiGraph(qualifications=tuple(q.id for q in qs))
    G.graph["title"] = qs[0].title if len(qs) == 1 else " + ".join(q.title for q in qs)
    for q in qs:
        _add_qualification(G, q)
    for _, attrs in G.nodes(data=True):
        attrs.pop("_unit", None)
    for uid, value in (status or {}).items():
        if G.nodes.get(uid, {}).get("kind") != "unit":
            raise UsageError(f"status given for {uid!r}, which is not a unit of "
                             f"{', '.join(G.graph['qualifications'])}")
        G.nodes[uid]["status"] = _status_value(value)
    return G


def family_graph(
    qualifications: Iterable[Qualification], *, status: Mapping[str, object] | None = None
) -> nx.DiGraph:
    """Build the graph of several qualifications at once; same as ``to_graph(list_of_qualifications)``.

    Examples
    --------
    >>> from solver.model.load import bundled_rules, load_qualification
    >>> qs = [load_qualification(bundled_rules() / n) for n in
    ...       ("ocr-l2-nvq-customer-service.yaml", "l2-diploma-customer-service.yaml")]
    >>> G = family_graph(qs)
    >>> len(unit_nodes(G)), G.nodes["develop-relationships"]["qualifications"]
    (43, ('OCR-NVQ2-CS', 'L2-DIP-CS'))
    """
    return to_graph(tuple(qualifications), status=status)


def unit_nodes(G: nx.DiGraph) -> list[str]:
    """List the unit node keys of ``G``, in the order they were added (first-listed order).

    >>> from solver.model import Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=(Unit(id="u", title="U"),),
    ...                   requirements=(Group(id="g", units=("u",)),))
    >>> unit_nodes(to_graph(q))
    ['u']
    """
    return [n for n, kind in G.nodes(data="kind") if kind == "unit"]
