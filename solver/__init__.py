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
    from .answers.cheapest import cheapest_pathways
    from .answers.count import breakdown, count_pathways
    from .answers.feasible import Feasibility, check_feasible
    from .answers.pathways import iter_pathways
    from .csp.explain import explain
    from .csp.problem import CompiledProblem, compile_problem
    from .model.errors import (
        InfeasibleError,
        Location,
        QualificationError,
        RuleError,
        RuleSetError,
        UnknownUnitError,
        UsageError,
    )
    from .model.load import bundled_rules, find_structure, load_folder, load_library, load_qualification
    from .model.results import Breakdown, CountResult, Method, Optimum, Pathway, Status
    from .model.rules import RuleRef, iter_rules, relax
    from .model.structure import (
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
    from .model.validate import validate

# Imported on first use, so `qualpath --help` and `qualpath check` start fast.
_LAZY = {
    "CompiledProblem": "csp.problem",
    "Feasibility": "answers.feasible",
    "check_feasible": "answers.feasible",
    "compile_problem": "csp.problem",
    "explain": "csp.explain",
    "Barred": "model.structure",
    "Breakdown": "model.results",
    "Combination": "model.structure",
    "CountResult": "model.results",
    "Declared": "model.structure",
    "Element": "model.structure",
    "Group": "model.structure",
    "InfeasibleError": "model.errors",
    "LevelRule": "model.structure",
    "Library": "model.structure",
    "Location": "model.errors",
    "Method": "model.results",
    "Optimum": "model.results",
    "Pathway": "model.results",
    "Prerequisite": "model.structure",
    "Qualification": "model.structure",
    "QualificationError": "model.errors",
    "RuleError": "model.errors",
    "RuleRef": "model.rules",
    "RuleSetError": "model.errors",
    "Status": "model.results",
    "Unit": "model.structure",
    "UnknownUnitError": "model.errors",
    "UsageError": "model.errors",
    "breakdown": "answers.count",
    "bundled_rules": "model.load",
    "cheapest_pathways": "answers.cheapest",
    "count_pathways": "answers.count",
    "find_structure": "model.load",
    "iter_pathways": "answers.pathways",
    "iter_rules": "model.rules",
    "load_folder": "model.load",
    "load_library": "model.load",
    "load_qualification": "model.load",
    "relax": "model.rules",
    "validate": "model.validate",
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
    "UnknownUnitError",
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
