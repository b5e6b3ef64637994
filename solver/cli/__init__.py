"""The ``qualpath`` command line: one module per command family, sharing one helpers module.

``app`` builds the parser and maps errors to exit codes; ``answers`` (check, explain, count,
enumerate, cheapest, report), ``design`` (lint, diff), ``audit`` (audit, transfer) and ``draw``
each register their commands; ``common`` holds what they share.
"""

from .app import build_parser, main

__all__ = ["build_parser", "main"]
