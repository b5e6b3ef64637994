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

from typing import TYPE_CHECKING

from .lazy import lazy_attributes

# A name that is also a module of this package is imported now: importing the module later
# binds the package attribute to it, and a lazy name would then read as the module.
from .validate import validate

if TYPE_CHECKING:  # the real imports, for type checkers and readers
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
    from .validate import iter_requirement_paths

# Imported on first use, so that the command line starts fast (``qualpath --help`` reads only errors).
_LAZY = {
    "Barred": "structure",
    "Breakdown": "results",
    "Combination": "structure",
    "CountResult": "results",
    "Declared": "structure",
    "Element": "structure",
    "Group": "structure",
    "InfeasibleError": "errors",
    "LevelRule": "structure",
    "Library": "structure",
    "Location": "errors",
    "MAX_FILE_BYTES": "load",
    "Method": "results",
    "Optimum": "results",
    "Pathway": "results",
    "PathwayChecker": "check",
    "PathwayMaker": "results",
    "Prerequisite": "structure",
    "Qualification": "structure",
    "QualificationError": "errors",
    "Requirement": "structure",
    "RuleError": "errors",
    "RuleRef": "rules",
    "RuleSetError": "errors",
    "Status": "results",
    "Unit": "structure",
    "UnknownUnitError": "errors",
    "UsageError": "errors",
    "bundled_rules": "load",
    "dump_library": "dump",
    "dump_qualification": "dump",
    "find_structure": "load",
    "format_number": "structure",
    "is_pathway": "check",
    "join_ids": "cells",
    "iter_requirement_paths": "validate",
    "iter_rules": "rules",
    "json_number": "results",
    "load_folder": "load",
    "load_library": "load",
    "load_qualification": "load",
    "relax": "rules",
    "safe_cell": "cells",
    "split_ids": "cells",
    "whole_numbers": "numbers",
}


__getattr__ = lazy_attributes(__name__, _LAZY, globals())


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
