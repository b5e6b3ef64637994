"""What this package uses of the rest of ``solver``, imported in this one place: the model layer only.

The model, its errors, the rule-file writer and the validator. (The check after an
import calls the public API on first use, in :func:`.review.check_imported`.)
"""

from ..model import (
    Barred,
    Combination,
    Declared,
    Element,
    Group,
    LevelRule,
    Prerequisite,
    Qualification,
    QualificationError,
    Requirement,
    Unit,
    UsageError,
    dump_qualification,
    format_number,
    validate,
)

__all__ = [
    "Barred",
    "Combination",
    "Declared",
    "Element",
    "Group",
    "LevelRule",
    "Prerequisite",
    "Qualification",
    "QualificationError",
    "Requirement",
    "Unit",
    "UsageError",
    "dump_qualification",
    "format_number",
    "validate",
]
