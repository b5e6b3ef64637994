"""Imported once by the job server before it forks jobs: load everything a job will need.

Loading a module here instead of in each job is what makes a job start warm (a fork shares
what its parent has loaded). Answering a small bundled structure once goes through the lazy
imports of every stage, so the first real job of a session is as fast as the next.
"""

from __future__ import annotations

from ..model.load import bundled_rules
from . import analysis

__all__: list[str] = []

try:
    for _name in ("ocr-l2-nvq-customer-service.yaml", "l2-diploma-customer-service.yaml"):
        analysis.full_answers(str(bundled_rules()), _name, None, 5.0)
except Exception:
    pass
