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

from typing import TYPE_CHECKING

from .model.lazy import lazy_attributes

if TYPE_CHECKING:  # the real imports, for type checkers and readers
    from .answers.cheapest import cheapest_pathways
    from .answers.count import breakdown, count_pathways
    from .answers.feasible import Feasibility, check_feasible
    from .answers.pathways import iter_pathways
    from .csp.explain import explain
    from .csp.problem import CompiledProblem, compile_problem
    from .model import (
        Barred,
        Breakdown,
        Combination,
        CountResult,
        Declared,
        Element,
        Group,
        InfeasibleError,
        LevelRule,
        Library,
        Location,
        Method,
        Optimum,
        Pathway,
        Prerequisite,
        Qualification,
        QualificationError,
        RuleError,
        RuleRef,
        RuleSetError,
        Status,
        Unit,
        UsageError,
        bundled_rules,
        find_structure,
        iter_rules,
        load_folder,
        load_library,
        load_qualification,
        relax,
        validate,
    )

# Imported on first use, so `qualpath --help` and `qualpath check` start fast.
#: Names the model stage's own face provides (it loads them on first use in turn).
_FROM_MODEL = (
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
    "bundled_rules",
    "find_structure",
    "iter_rules",
    "load_folder",
    "load_library",
    "load_qualification",
    "relax",
    "validate",
)

_LAZY = {
    "CompiledProblem": "csp.problem",
    "Feasibility": "answers.feasible",
    "check_feasible": "answers.feasible",
    "compile_problem": "csp.problem",
    "explain": "csp.explain",
    "breakdown": "answers.count",
    "cheapest_pathways": "answers.cheapest",
    "count_pathways": "answers.count",
    "iter_pathways": "answers.pathways",
    **dict.fromkeys(_FROM_MODEL, "model"),
}


__getattr__ = lazy_attributes(__name__, _LAZY, globals())


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
