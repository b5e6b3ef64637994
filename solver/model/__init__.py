"""The rule language as data: the typed model, exact numbers, loading, validation and dumping.

This stage imports nothing else of :mod:`solver`. Everything downstream reads a
:class:`Qualification` and the result types defined here; the pathway semantics
(:func:`is_pathway`) is the plain checker every engine is tested against.

Examples
--------
>>> from solver.model import bundled_rules, load_qualification
>>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> len(q.units), [g.id for g in q.iter_groups()]
(8, ['mandatory', 'optional'])
"""

from .cells import join_ids, safe_cell, split_ids
from .check import PathwayChecker, is_pathway
from .dump import dump_library, dump_qualification
from .errors import (
    InfeasibleError,
    Location,
    QualificationError,
    RuleError,
    RuleSetError,
    UnknownUnitError,
    UsageError,
)
from .load import MAX_FILE_BYTES, bundled_rules, find_structure, load_folder, load_library, load_qualification
from .numbers import whole_numbers
from .results import Breakdown, CountResult, Method, Optimum, Pathway, PathwayMaker, Status, json_number
from .rules import RuleRef, iter_rules, relax
from .structure import (
    Barred,
    Combination,
    Declared,
    Element,
    Group,
    LevelRule,
    Library,
    Prerequisite,
    Qualification,
    Requirement,
    Unit,
    format_number,
)
from .validate import iter_requirement_paths, validate

__all__ = [
    "MAX_FILE_BYTES",
    "Barred",
    "Breakdown",
    "Combination",
    "CountResult",
    "Declared",
    "Element",
    "Group",
    "InfeasibleError",
    "LevelRule",
    "Library",
    "Location",
    "Method",
    "Optimum",
    "Pathway",
    "PathwayChecker",
    "PathwayMaker",
    "Prerequisite",
    "Qualification",
    "QualificationError",
    "Requirement",
    "RuleError",
    "RuleRef",
    "RuleSetError",
    "Status",
    "Unit",
    "UnknownUnitError",
    "UsageError",
    "bundled_rules",
    "dump_library",
    "dump_qualification",
    "find_structure",
    "format_number",
    "is_pathway",
    "iter_requirement_paths",
    "iter_rules",
    "join_ids",
    "json_number",
    "load_folder",
    "load_library",
    "load_qualification",
    "relax",
    "safe_cell",
    "split_ids",
    "validate",
    "whole_numbers",
]
