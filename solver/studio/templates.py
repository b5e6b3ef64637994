"""Starting points for a new structure in the studio (``New structure`` on the workspace page)."""

from __future__ import annotations

import re

__all__ = ["TEMPLATES", "template_text"]

TEMPLATES = {
    "blank": """\
# {title}: a new structure. Edit it in the builder or here; see rules/README.md for every key.
kind: qualification
id: {id}
title: {title}
min_credits: 10
units:
  - {{id: unit-1, title: First mandatory unit, credits: 5, level: 2}}
  - {{id: unit-2, title: First optional unit, credits: 3, level: 2}}
  - {{id: unit-3, title: Second optional unit, credits: 5, level: 2}}
requirements:
  - kind: group
    id: mandatory
    title: Mandatory units
    mandatory: true
    units: [unit-1]
  - kind: group
    id: optional
    title: Optional units
    min_credits: 5
    units: [unit-2, unit-3]
""",
    "credits-diploma": """\
# {title}: mandatory units, then optional groups with credit minima and maxima.
kind: qualification
id: {id}
title: {title}
level: 2
min_credits: 20
units:
  - {{id: core-1, title: Core unit one, credits: 5, level: 2}}
  - {{id: core-2, title: Core unit two, credits: 5, level: 2}}
  - {{id: opt-a1, title: Option A1, credits: 3, level: 2}}
  - {{id: opt-a2, title: Option A2, credits: 3, level: 2}}
  - {{id: opt-b1, title: Option B1, credits: 4, level: 2}}
  - {{id: opt-b2, title: Option B2, credits: 4, level: 3}}
requirements:
  - kind: group
    id: mandatory
    title: Mandatory units
    mandatory: true
    units: [core-1, core-2]
  - kind: all_of
    id: optional
    title: Optional units
    requirements:
      - {{kind: group, id: A, title: Optional Group A, min_credits: 3, units: [opt-a1, opt-a2]}}
      - {{kind: group, id: B, title: Optional Group B, max_credits: 8, units: [opt-b1, opt-b2]}}
""",
}


def template_text(template: str, name: str) -> str:
    """The text of a template for a file called ``name`` (its id and title come from the name).

    Examples
    --------
    >>> template_text("blank", "my draft").splitlines()[2:4]
    ['id: MY-DRAFT', 'title: My draft']
    """
    words = re.sub(r"[^A-Za-z0-9]+", " ", name).strip() or "New structure"
    ident = "-".join(words.upper().split())
    return TEMPLATES[template].format(id=ident, title=words[:1].upper() + words[1:])
