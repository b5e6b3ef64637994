"""From the handbook and back: import rules of combination from a handbook, write its structure pages.

Import reads a handbook's structure page (plain text, Markdown, PDF, Word
``.docx``, HTML) into a :class:`~solver.model.Qualification`, with where each
value came from and a review list of everything it did not use or had to
infer (:func:`import_handbook`, :func:`write_yaml`, :func:`check_imported`).
Export writes the structure pages from the rules: the rule of combination in
sentences, declared figures, a table per group, elements, and the diagram
(:func:`handbook_page`, :func:`write_handbook`).

The package uses only the model layer of ``solver`` (model, errors, load, dump,
validate); the check after an import calls the public API on first use.
"""

from .read import import_handbook, import_source
from .review import Check, ImportResult, ReviewItem, ReviewKind, check_imported, format_review
from .sources import HandbookError, Line, Source, Where, read_source

__all__ = [
    "Check",
    "HandbookError",
    "ImportResult",
    "Line",
    "ReviewItem",
    "ReviewKind",
    "Source",
    "Where",
    "check_imported",
    "format_review",
    "import_handbook",
    "import_source",
    "read_source",
]
