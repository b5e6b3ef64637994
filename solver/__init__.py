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

from .count import breakdown, count_pathways
from .enumerate import iter_pathways
from .errors import (
    InfeasibleError,
    Location,
    QualificationError,
    RuleError,
    RuleSetError,
    UsageError,
)
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

__all__ = [
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
    "UsageError",
    "breakdown",
    "bundled_rules",
    "cheapest_pathways",
    "count_pathways",
    "find_structure",
    "iter_pathways",
    "iter_rules",
    "load_folder",
    "load_library",
    "load_qualification",
    "relax",
    "validate",
]
