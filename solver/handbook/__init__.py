"""From the handbook and back: import rules of combination from a handbook, write its structure pages.

Import reads a handbook's structure page (plain text, Markdown, PDF, Word
``.docx``, HTML) into a :class:`~solver.model.Qualification`, with where each
value came from and a review list of everything it did not use or had to
infer (:func:`import_handbook`, :func:`write_yaml`, :func:`check_imported`).
Export writes the structure pages from the rules: the rule of combination in
sentences, declared figures, a table per group, elements, and the diagram
(:func:`handbook_page`, :func:`write_handbook`).

The package reads the model through :mod:`solver.model`'s face, and checks an imported
structure through the answers (``review.check_imported``). The modules, in pipeline order: ``lines`` (what
every format is read into), ``sources`` (text and Markdown, and the choice of reader),
``documents`` (PDF, Word, HTML), ``tables`` and ``words`` (unit tables, ids, numbers,
group names), ``layout`` (sections, units, declared figures, prose), ``sentences`` (rule
sentences into facts), ``read`` (the qualification and the review list), ``review``,
``yamlout`` (the rule file with source comments), ``english`` and ``write`` (the pages).
"""

from .read import import_handbook, import_source
from .review import Check, ImportResult, ReviewItem, ReviewKind, check_imported, format_review
from .sources import HandbookError, Line, Source, Where, read_source
from .write import Block, handbook_page, to_docx, to_html, to_markdown, write_handbook
from .yamlout import write_yaml

__all__ = [
    "Block",
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
    "handbook_page",
    "import_handbook",
    "import_source",
    "read_source",
    "to_docx",
    "to_html",
    "to_markdown",
    "write_handbook",
    "write_yaml",
]
