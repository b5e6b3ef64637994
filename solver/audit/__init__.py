r"""Audit a learner: achieved or not, progress on every rule, and the cheapest way to finish.

A learner holds a set ``A`` of achieved units. They have *achieved* the
qualification when some subset of ``A`` is a pathway (extra units may break a
maximum, so ``A`` itself need not be one). The *cheapest completion* is the
least cost of ``P \ A`` over every pathway ``P``, by the criteria of
``qualpath cheapest`` (credits, units, glh, fee, hours, lexicographic).

How it is proved: every unit of ``A`` costs nothing and every other unit its
criterion value, and the dynamic programme of :mod:`solver.exact.tree` over the
(least cost, number of ways) semiring minimises over *every* pathway at once.
Two hidden criteria break ties: fewer units added, then more achieved units
used, so the completion shown counts as much of what the learner holds as it
can. The completions themselves come from the best-first search of
:mod:`solver.answers.cheapest`, cheapest first. Structures outside the programme's
family are solved by enumerating every pathway (exact, bounded by ``timeout``).

The code is split by what it does: :mod:`solver.audit.results` (what an audit
reports), :mod:`solver.audit.single` (:func:`audit`), :mod:`solver.audit.progress`
(:func:`progress`, :func:`blocked_units`) and :mod:`solver.audit.many`
(:class:`Auditor`); this module gathers them.

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> a = audit(q, ["nvq-positive-impression", "resolve-problems"], by="units")
>>> a.achieved, a.remaining
(False, {'units': 3})
>>> a.completions[0].add
('nvq-reliable-service', 'develop-relationships', 'support-improvements')
"""

from .many import Auditor
from .progress import blocked_units, progress
from .results import Audit, Completion, Progress, RequirementProgress
from .single import MAX_LOOKED_AT as MAX_LOOKED_AT
from .single import audit

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
