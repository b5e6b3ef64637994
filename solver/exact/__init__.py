"""The exact engines and their shared kernel.

:mod:`.kernel` reads the rules in engine terms once (credit scale, minimum rounded up and
maximum rounded down, the qualification-wide dimensions) and holds the semirings. The
engines build on it: the requirement-tree programme (:mod:`.tree`, with dense array
convolutions in :mod:`.dense`), the unit-type programme for overlapping pools
(:mod:`.interchangeable`), minimal pathways (:mod:`.frontier_minimal`, with
:mod:`.frontier_merge` and :mod:`.frontier_sparse`; :mod:`.minimal`),
the min-plus programme (:mod:`.minplus`) and trace-back (:mod:`.trace_back`) for the
cheapest pathway of a product of groups, and the ordered enumerators (:mod:`.product`,
:mod:`.search`).
This stage imports only :mod:`solver.model`.

Examples
--------
>>> from solver.model import bundled_rules, load_qualification
>>> solve(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"), COUNT)
4
"""

from .engines import Question, choose, engine, least, least_each, presence, solve, solve_minimal
from .kernel import (
    COUNT,
    MAX_CONDITIONED_UNITS,
    Dim,
    MinCount,
    NotSupported,
    Semiring,
    consistent,
    coupled_units,
    credit_scale,
    first_least,
    from_bits,
    make_plan,
    product_shape,
    rule_bounds,
    supports,
    unit_credits,
    units_below,
    whole_limits,
    wide_dims,
)
from .tree import Engine, distribution

__all__ = [
    "COUNT",
    "MAX_CONDITIONED_UNITS",
    "Dim",
    "Engine",
    "MinCount",
    "NotSupported",
    "Question",
    "Semiring",
    "choose",
    "consistent",
    "coupled_units",
    "credit_scale",
    "distribution",
    "engine",
    "first_least",
    "from_bits",
    "least",
    "least_each",
    "make_plan",
    "presence",
    "product_shape",
    "rule_bounds",
    "solve",
    "solve_minimal",
    "supports",
    "unit_credits",
    "units_below",
    "whole_limits",
    "wide_dims",
]
