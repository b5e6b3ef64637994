"""qualpath's solver: rules of combination as data, and exact answers about their pathways.

The pipeline, one stage per module::

    rules/*.yaml --load--> Qualification --validate--> problems
                 --compile--> CompiledProblem (python-constraint)  --solve--> results
                 --dp / search--> exact counts, optima, pathways   --report--> text, JSON

Examples
--------
>>> from solver import load_qualification, bundled_rules, count_pathways, cheapest_pathways
>>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
>>> count_pathways(q).pathways
67418986
>>> cheapest_pathways(q, by="credits").optimum
{'credits': Decimal('45')}
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the real imports, for type checkers and readers
    from .count import breakdown, count_pathways
    from .csp import CompiledProblem, compile_problem
    from .enumerate import iter_pathways
    from .errors import (
        InfeasibleError,
        Location,
        QualificationError,
        RuleError,
        RuleSetError,
        UsageError,
    )
    from .explain import explain
    from .feasible import Feasibility, check_feasible
    from .load import bundled_rules, find_structure, load_folder, load_library, load_qualification
    from .model import (
        Barred,
        Combination,
        Declared,
        Element,
        Group,
        LevelRule,
        Library,
        Prerequisite,
        Qualification,
        Unit,
    )
    from .optimise import cheapest_pathways
    from .results import Breakdown, CountResult, Method, Optimum, Pathway, Status
    from .rules import RuleRef, iter_rules, relax
    from .validate import validate

# Imported on first use, so `qualpath --help` and `qualpath check` start fast.
_LAZY = {
    "CompiledProblem": "csp",
    "Feasibility": "feasible",
    "check_feasible": "feasible",
    "compile_problem": "csp",
    "explain": "explain",
    "Barred": "model",
    "Breakdown": "results",
    "Combination": "model",
    "CountResult": "results",
    "Declared": "model",
    "Element": "model",
    "Group": "model",
    "InfeasibleError": "errors",
    "LevelRule": "model",
    "Library": "model",
    "Location": "errors",
    "Method": "results",
    "Optimum": "results",
    "Pathway": "results",
    "Prerequisite": "model",
    "Qualification": "model",
    "QualificationError": "errors",
    "RuleError": "errors",
    "RuleRef": "rules",
    "RuleSetError": "errors",
    "Status": "results",
    "Unit": "model",
    "UsageError": "errors",
    "breakdown": "count",
    "bundled_rules": "load",
    "cheapest_pathways": "optimise",
    "count_pathways": "count",
    "find_structure": "load",
    "iter_pathways": "enumerate",
    "iter_rules": "rules",
    "load_folder": "load",
    "load_library": "load",
    "load_qualification": "load",
    "relax": "rules",
    "validate": "validate",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "Barred",
    "Breakdown",
    "Combination",
    "CompiledProblem",
    "CountResult",
    "Declared",
    "Element",
    "Feasibility",
    "Group",
    "InfeasibleError",
    "LevelRule",
    "Library",
    "Location",
    "Method",
    "Optimum",
    "Pathway",
    "Prerequisite",
    "Qualification",
    "QualificationError",
    "RuleError",
    "RuleRef",
    "RuleSetError",
    "Status",
    "Unit",
    "UsageError",
    "breakdown",
    "bundled_rules",
    "cheapest_pathways",
    "check_feasible",
    "compile_problem",
    "count_pathways",
    "explain",
    "find_structure",
    "iter_pathways",
    "iter_rules",
    "load_folder",
    "load_library",
    "load_qualification",
    "relax",
    "validate",
]
