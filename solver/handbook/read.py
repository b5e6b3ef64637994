"""Read a handbook into a qualification: the second pass, rule sentences applied to the sections.

:func:`import_handbook` reads a file (any format of :mod:`.sources`), lays it
out (:mod:`.layout`), reads every paragraph's sentences against the document's
own group names and unit ids (:mod:`.sentences`), and builds the
:class:`~solver.model.Qualification`. Nothing is guessed silently: every
sentence or row not used, every value inferred and every stated figure that
disagrees with the units is a :class:`~.review.ReviewItem`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..model import (
    Barred,
    Combination,
    Declared,
    Element,
    Group,
    LevelRule,
    Prerequisite,
    Qualification,
    Requirement,
    Unit,
)
from .layout import Layout, Paragraph, Section, lay_out
from .review import ImportResult, ReviewItem, ReviewKind
from .sentences import AllUnits, AnyUnits, Bar, Combine, DoubleCounting, Limit, Reading, Requires, read_sentence
from .sentences import split_sentences as _split
from .sources import HandbookError, Source, Where, read_source
from .words import UNIT_ID, slug, title_case

__all__ = ["import_handbook", "import_source"]

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8}


@dataclass(slots=True, kw_only=True)
class _Rules:
    """Limits, flags and kinds gathered for one section (or the qualification)."""

    limits: dict[str, Decimal] = field(default_factory=dict)
    where: dict[str, Where] = field(default_factory=dict)
    mandatory: bool = False
    double_counting: bool = False
    kind: str = ""
    k: int | None = None


class _Reader:
    def __init__(self, layout: Layout, source: Source) -> None:
        self.layout = layout
        self.source = source
        self.sections = [s for s in layout.root.walk() if s is not layout.root]
        self.rules: dict[int, _Rules] = {id(s): _Rules() for s in self.sections}
        self.total = _Rules()
        self.levels: dict[tuple[str, int], _Rules] = {}
        self.barred: list[tuple[tuple[str, ...], str, Where]] = []
        self.requires: list[tuple[str, tuple[str, ...], bool, Where]] = []
        self.review: list[ReviewItem] = []
        self.skipped: list[str] = []
        self.sources: dict[str, Where] = {}
        for s in self.sections:
            if s.key == "mandatory" or (re.search(r"\b(?:mandatory|compulsory)\b", s.title, re.IGNORECASE)
                                        and not re.search(r"\b(?:optional|elective)\b", s.title, re.IGNORECASE)):
                self.rules[id(s)].mandatory = True

    def note(self, kind: ReviewKind, where: Where, text: str) -> None:
        self.review.append(ReviewItem(kind=kind, where=where, text=text))

    # -- references ----------------------------------------------------------------------------------
    def names(self) -> list[str]:
        return [s.title for s in self.sections]

    def resolve(self, ref: tuple[str, str], context: Section | None) -> Section | str | None:
        """A section, ``"total"``, or a reason (text) why the reference names nothing."""
        kind, value = ref
        if kind == "total":
            return "total"
        if kind == "name":
            return self.sections[int(value)]
        if kind == "this":
            return context if context is not None else "'this group' outside any group"
        if kind == "letters":
            letters = [x.upper() for x in value.split(",")]
            found = [s for s in self.sections if s.letter in letters]
            if len(letters) == 1 and len(found) == 1:
                return found[0]
            if len(letters) == 1 and len(found) > 1:
                return f"{len(found)} groups are Group {letters[0]}"
            parents = {id(s.parent): s.parent for s in found}
            if len(found) == len(letters) and len(parents) == 1:
                parent = next(iter(parents.values()))
                if parent is not None and parent is not self.layout.root and len(parent.children) == len(found):
                    return parent
            return f"no single group is Group {' or '.join(letters)}"
        keyed = [s for s in self.sections if s.key == value]
        if value == "mandatory" and not keyed:
            keyed = [s for s in self.sections if self.rules[id(s)].mandatory]
        if value == "optional" and not keyed:
            keyed = [s for s in self.layout.root.children if not self.rules[id(s)].mandatory
                     and self.units_below(s)]
        if len(keyed) == 1:
            return keyed[0]
        return f"{len(keyed)} groups are {value}"

    # -- applying facts --------------------------------------------------------------------------------
    def set_limit(self, rules: _Rules, name: str, value: Decimal, where: Where, label: str, text: str) -> None:
        old = rules.limits.get(name)
        if old is not None and old != value:
            self.note(ReviewKind.CONFLICT, where, f"'{text}' gives {name.replace('_', ' ')} {value} for {label}, "
                      f"but {rules.where[name]} gave {old}; kept {old}")
            return
        rules.limits[name] = value
        rules.where.setdefault(name, where)

    def mandatory_total(self, section: Section, measure: str) -> Decimal:
        if measure == "units":
            return Decimal(len(self.units_below(section)))
        return sum((self.layout.units[u].row.credits or Decimal(0) for u in self.units_below(section)), Decimal(0))

    def units_below(self, section: Section) -> list[str]:
        out: list[str] = []
        for s in section.walk():
            out.extend(u for u in s.units if u not in out)
        return out

    def limit(self, fact: Limit, context: Section | None, where: Where) -> bool:
        if fact.ref[0] == "level":
            kind, level = fact.ref[1].split(":")
            rules = self.levels.setdefault((kind, int(level)), _Rules())
            label = f"level {level}"
            target: Section | str | None = None
        else:
            resolved = self.resolve(fact.ref, context)
            if isinstance(resolved, str) and resolved != "total":
                self.note(ReviewKind.UNUSED, where, f"'{fact.text}': {resolved}")
                return False
            target = resolved
            rules = self.total if target == "total" else self.rules[id(target)]
            label = "the qualification" if target == "total" else f"'{target.title}'"  # type: ignore[union-attr]
        low, high = fact.low, fact.high
        if fact.exact and isinstance(target, Section) and rules.mandatory:
            whole = self.mandatory_total(target, fact.measure)
            if whole != low:
                self.note(ReviewKind.DECLARED, where, f"'{fact.text}': the units of {label} add up to "
                          f"{whole} {fact.measure}, not {low}")
            return True
        if fact.exact and not fact.said_exactly and fact.measure == "credits":
            high = None
            self.note(ReviewKind.INFERRED, where, f"'{fact.text}': read as a minimum of {low} credits for {label}")
        elif fact.exact and not fact.said_exactly and isinstance(target, Section) and target.parent is not None \
                and target.parent is not self.layout.root and "min_units" in self.rules[id(target.parent)].limits:
            # "12 elective units, of which: 3 units must be selected from Group A": the rest may come from any
            # elective group, so the 3 is a minimum
            high = None
            self.note(ReviewKind.INFERRED, where, f"'{fact.text}': read as a minimum of {low} units for {label} "
                      f"(within the {self.rules[id(target.parent)].limits['min_units']} of '{target.parent.title}')")
        for bound, value in (("min", low), ("max", high)):
            if value is not None:
                self.set_limit(rules, f"{bound}_{fact.measure}", value, where, label, fact.text)
        return True

    def apply(self, reading: Reading, paragraph: Paragraph, context: Section | None, where: Where) -> None:
        ok = reading.used
        for fact in reading.facts:
            if isinstance(fact, Limit):
                ok = self.limit(fact, context, where) and ok
            elif isinstance(fact, Bar):
                self.barred.append((fact.units, fact.text, where))
            elif isinstance(fact, Requires):
                self.requires.append((fact.unit, fact.units, fact.one_of, where))
            else:
                target = self.resolve(fact.ref, context)
                if not isinstance(target, Section):
                    self.note(ReviewKind.UNUSED, where, f"'{fact.text}': {target}")
                    ok = False
                    continue
                rules = self.rules[id(target)]
                if isinstance(fact, AllUnits):
                    rules.mandatory = True
                    if fact.count is not None and fact.count != len(self.units_below(target)):
                        self.note(ReviewKind.DECLARED, where, f"'{fact.text}': '{target.title}' lists "
                                  f"{len(self.units_below(target))} units, not {fact.count}")
                elif isinstance(fact, Combine):
                    rules.kind, rules.k = fact.kind, fact.k
                elif isinstance(fact, DoubleCounting):
                    rules.double_counting = True
                elif isinstance(fact, AnyUnits):
                    pass
        if not reading.used and reading.informative:
            what = f" (not understood: '{reading.leftover}')" if reading.facts and reading.leftover else ""
            self.note(ReviewKind.UNUSED, where, f"{reading.text}{what}")
        elif not reading.informative:
            self.skipped.append(f"{where}: {reading.text}")
        del paragraph, ok

    def paragraphs(self, title: str) -> None:
        names = self.names()
        units = list(self.layout.units)
        for paragraph in self.layout.paragraphs:
            text, context, prefixed = paragraph.text, paragraph.section, paragraph.own
            for section in sorted(self.sections, key=lambda s: -len(s.title)):
                match = re.match(rf"\s*{re.escape(section.title)}\s*[-:]\s+(?=\S)", text, re.IGNORECASE)
                if section.title and match and not paragraph.own:
                    context, text, prefixed = section, text[match.end():], True
                    break
            offset = len(paragraph.text) - len(text)
            for sentence in _split(text):
                start = paragraph.text.find(sentence, offset)
                where = paragraph.where(max(start, 0))
                if title:  # the qualification's own name ("Level 2 Diploma in ...") states no rule
                    sentence = re.sub(re.escape(title), "the qualification", sentence, flags=re.IGNORECASE)
                reading = read_sentence(sentence, names=names, units=units, context=prefixed)
                self.apply(reading, paragraph, context, where)

    # -- barred and prerequisite columns ----------------------------------------------------------------
    def cell_units(self, text: str) -> list[str]:
        found = []
        for token in re.split(r"\s*(?:,|;|\band\b|\bor\b|/(?!\d))\s*", text):
            token = re.sub(r"^unit\s+", "", token.strip(), flags=re.I)
            if token in self.layout.units:
                found.append(token)
            elif token:
                return []
        return found

    def columns(self) -> None:
        for uid, text, where in self.layout.barred_cells:
            others = self.cell_units(text)
            if not others:
                self.note(ReviewKind.UNUSED, where, f"barred '{text}' for unit {uid}: no unit of this handbook")
            for other in others:
                pair = tuple(sorted((uid, other)))
                if all(tuple(sorted(b[0])) != pair for b in self.barred):
                    self.barred.append((pair, f"{uid} barred against {other}", where))
        for uid, text, where in self.layout.requires_cells:
            others = self.cell_units(text)
            if not others:
                self.note(ReviewKind.UNUSED, where, f"prerequisite '{text}' for unit {uid}: no unit of this handbook")
                continue
            self.requires.append((uid, tuple(others), " or " in text.lower(), where))


def _unit(entry_id: str, layout: Layout) -> Unit:
    entry = layout.units[entry_id]
    row = entry.row
    return Unit(id=entry_id, title=row.title, credits=row.credits, level=row.level, glh=row.glh,
                hours=row.hours if row.hours is not None else row.tqt, fee=row.fee,
                elements=tuple(Element(id=i, title=t) for i, t in entry.elements))


class _Builder:
    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.ids: set[str] = set()
        self.sources = reader.sources

    def node_id(self, section: Section) -> str:
        base = section.letter or ("mandatory" if section.key == "mandatory" else
                                  "optional" if section.key == "optional" else slug(section.title, limit=24))
        uid, n = base, 2
        while uid in self.ids:
            uid, n = f"{base}-{n}", n + 1
        self.ids.add(uid)
        return uid

    def declared(self, section: Section, path: str) -> Declared | None:
        if not section.declared:
            return None
        for name, where in section.declared_where.items():
            self.sources[f"{path}.declared.{name}"] = where
        credits = section.declared.get("credits")
        units = section.declared.get("units")
        return Declared(credits=credits, units=int(units) if units is not None else None)

    def build(self, section: Section, path: str) -> Requirement | None:
        rules = self.reader.rules[id(section)]
        self.sources[path] = section.where
        for name, where in rules.where.items():
            self.sources[f"{path}.{name}"] = where
        limits = {k: (int(v) if k.endswith("units") else v) for k, v in rules.limits.items()}
        children = [c for c in section.children if self.reader.units_below(c)]
        if not children:
            if not section.units:
                return None
            return Group(id=self.node_id(section), title=section.title, units=tuple(section.units),
                         mandatory=rules.mandatory, double_counting=rules.double_counting,
                         declared=self.declared(section, path), **limits)  # type: ignore[arg-type]
        node_id = self.node_id(section)
        parts: list[Requirement] = []
        if section.units:
            parts.append(Group(id=f"{node_id}-units", title=f"{section.title} (units)", units=tuple(section.units),
                               mandatory=rules.mandatory))
        for i, child in enumerate(children):
            built = self.build(child, f"{path}.requirements[{len(parts)}]")
            del i
            if built is not None:
                parts.append(built)
        kind = rules.kind or "all_of"
        if not (limits or section.declared or rules.kind) and not rules.mandatory:
            return Combination(kind="all_of", id=node_id, title=section.title, requirements=tuple(parts))
        k = rules.k if kind == "at_least" else None
        return Combination(kind=kind, id=node_id, title=section.title, k=k, requirements=tuple(parts),  # type: ignore[arg-type]
                           declared=self.declared(section, path), **limits)  # type: ignore[arg-type]


def _flatten(parts: list[Requirement]) -> list[Requirement]:
    """Top-level all-of nodes that say nothing of their own are just their parts."""
    out: list[Requirement] = []
    for part in parts:
        if isinstance(part, Combination) and part.kind == "all_of" and not part.limits() and part.declared is None \
                and part.title == "":
            out.extend(_flatten(list(part.requirements)))
        else:
            out.append(part)
    return out


def _title(layout: Layout, source: Source) -> tuple[str, Where | None]:
    if "title" in layout.info:
        return layout.info["title"], layout.info_where["title"]
    if layout.title_candidates:
        best = max(layout.title_candidates, key=lambda c: c[0])
        return title_case(best[1]), best[2]
    return Path(source.name).stem, None


def _level(layout: Layout, title: str) -> int | None:
    if "level" in layout.info:
        return int(layout.info["level"])
    match = re.search(r"\blevel\s+(\d)\b", title, re.I)
    if match:
        return int(match.group(1))
    match = re.search(r"\b(?:certificate|diploma)\s+(I{1,3}|IV|V|VI)\b", title)
    return _ROMAN[match.group(1)] if match else None


def import_source(source: Source) -> ImportResult:
    r"""Read a :class:`~.sources.Source` (already read from a file) into a qualification.

    Raises
    ------
    HandbookError
        When no unit table or unit list is found at all.

    Examples
    --------
    >>> from .sources import read_text
    >>> text = ('Level 1 Award in Examples\n\nThe learner must achieve a minimum of 6 credits.\n\n'
    ...         'Mandatory units\nTitle\tCredits\nPlan\t3\n\nOptional units\nTitle\tCredits\n'
    ...         'Give\t3\nReview\t4\n')
    >>> result = import_source(read_text(text))
    >>> q = result.qualification
    >>> q.title, q.min_credits, [(g.id, g.units, g.mandatory) for g in q.iter_groups()], result.review
    ('Level 1 Award in Examples', Decimal('6'), [('mandatory', ('1',), True), ('optional', ('2', '3'), False)], ())
    """
    layout = lay_out(source)
    if not layout.units:
        raise HandbookError(f"{source.name}: found no unit table or unit list (looked for a table with a title "
                            "column, and for numbered or coded unit lines under group headings); nothing to import")
    reader = _Reader(layout, source)
    for where, text in layout.unused:
        reader.note(ReviewKind.UNUSED, where, f"table row not read as a unit: {text}")
    for where, text in layout.inferred:
        reader.note(ReviewKind.INFERRED, where, text)
    for note in source.notes:
        reader.note(ReviewKind.NOTE, source.lines[-1].where if source.lines else Where(), note)
    title, title_where = _title(layout, source)
    if title_where is not None:
        reader.sources["title"] = title_where
    reader.paragraphs(title)
    reader.columns()
    info = layout.info
    q = Qualification(id=info.get("id") or slug(title, limit=48).upper(), title=title, level=_level(layout, title),
                      awarding_body=info.get("awarding_body", ""), source=info.get("source", Path(source.name).name),
                      glh=_dec(info.get("glh")), tqt=_dec(info.get("tqt")), units=_units(reader),
                      requirements=_requirements(reader), declared=_declared_top(reader), **_whole(reader))
    notes = [] if layout.ids_given else ["unit ids are the units' position numbers (the handbook prints none)"]
    return ImportResult(qualification=q, source=source.name, kind=source.kind, sources=dict(reader.sources),
                        review=tuple(reader.review), skipped=tuple(reader.skipped), notes=tuple(notes))


def _units(reader: _Reader) -> tuple[Unit, ...]:
    layout = reader.layout
    for i, uid in enumerate(layout.units):
        reader.sources[f"units[{i}]"] = layout.units[uid].where
    return tuple(_unit(u, layout) for u in layout.units)


def _requirements(reader: _Reader) -> tuple[Requirement, ...]:
    """The requirement tree: one node per section, and units under no heading in one group with no rule."""
    layout = reader.layout
    builder = _Builder(reader)
    parts: list[Requirement] = []
    if layout.root.units:
        parts.append(Group(id="units", title="Units", units=tuple(layout.root.units)))
        reader.note(ReviewKind.INFERRED, layout.units[layout.root.units[0]].where,
                    "units listed under no group heading: put in one group 'Units' with no rule")
    for section in layout.root.children:
        built = builder.build(section, f"requirements[{len(parts)}]")
        if built is not None:
            parts.append(built)
    return tuple(_flatten(parts))


def _declared_top(reader: _Reader) -> Declared | None:
    info, where = reader.layout.info, reader.layout.info_where
    if not any(k.startswith("declared_") for k in info):
        return None
    for key in ("credits", "min_credits", "units"):
        if f"declared_{key}" in info:
            reader.sources[f"declared.{key}"] = where[f"declared_{key}"]
    return Declared(credits=_dec(info.get("declared_credits")), min_credits=_dec(info.get("declared_min_credits")),
                    units=int(info["declared_units"]) if "declared_units" in info else None)


def _limits(rules: _Rules) -> dict[str, Decimal | int]:
    return {k: (int(v) if k.endswith("units") else v) for k, v in rules.limits.items()}


def _whole(reader: _Reader) -> dict[str, Any]:
    """The qualification-wide rules: totals, level rules, barred units, prerequisites (with their sources)."""
    for name, where in reader.total.where.items():
        reader.sources[name] = where
    levels = tuple(LevelRule(kind=kind, level=level, **_limits(r))  # type: ignore[arg-type]
                   for (kind, level), r in reader.levels.items())
    for i, r in enumerate(reader.levels.values()):
        reader.sources[f"level_rules[{i}]"] = next(iter(r.where.values()))
    for i, barred in enumerate(reader.barred):
        reader.sources[f"barred[{i}]"] = barred[2]
    for i, requires in enumerate(reader.requires):
        reader.sources[f"prerequisites[{i}]"] = requires[3]
    return {**_limits(reader.total), "level_rules": levels,
            "barred": tuple(Barred(units=units, reason=text) for units, text, _w in reader.barred),
            "prerequisites": tuple(Prerequisite(unit=u, requires=() if one else others,
                                                requires_one_of=others if one else ())
                                   for u, others, one, _w in reader.requires)}


def _dec(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def import_handbook(path: str | Path) -> ImportResult:
    """Read a handbook's structure page (text, Markdown, PDF, Word, HTML) into a qualification.

    Parameters
    ----------
    path
        The handbook file. Its format is told from its first bytes, then its suffix.

    Returns
    -------
    ImportResult
        The qualification (not yet validated: see :func:`~.review.check_imported`),
        where each value came from, and the review list.

    Raises
    ------
    HandbookError
        For a file that cannot be read at all (empty, binary, encrypted, scanned,
        truncated, too large) or that holds no unit list.
    """
    return import_source(read_source(path))


__all__ += ["UNIT_ID"]
