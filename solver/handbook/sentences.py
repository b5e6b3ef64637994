"""Rule sentences: what a handbook's rule of combination says, clause by clause.

:func:`read_sentence` turns one sentence into facts (:class:`Limit`,
:class:`Combine`, :class:`AllUnits`, :class:`Bar`, :class:`Requires`, ...)
that name their target: the whole qualification, a group (by its printed
name, its letter, ``this group``), or a level. Group names and unit ids the
handbook defines are passed in, so a sentence is matched against the
document's own vocabulary. A sentence is *used* when every figure and unit id
in it went into a fact.

Examples
--------
>>> r = read_sentence("The learner must achieve a minimum of 45 credits: 19 credits from the Mandatory "
...                   "Group, a minimum of 3 credits from Optional Group A.", names=["Optional Group A"])
>>> [(f.ref, f.measure, f.low, f.high, f.exact) for f in r.facts]  # doctest: +NORMALIZE_WHITESPACE
[(('total', ''), 'credits', Decimal('45'), None, False),
 (('key', 'mandatory'), 'credits', Decimal('19'), Decimal('19'), True),
 (('name', '0'), 'credits', Decimal('3'), None, False)]
>>> r.used
True
>>> read_sentence("Four mandatory units plus one optional unit, making a total of five units.").facts[1].ref
('key', 'optional')
>>> r = read_sentence("Unit 12 is barred against Unit 13.", units=["12", "13"])
>>> r.facts, r.used
((Bar(units=('12', '13'), text='unit 12 is barred against unit 13'),), True)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .words import digits

__all__ = ["AllUnits", "AnyUnits", "Bar", "Combine", "DoubleCounting", "Limit", "Reading", "Requires",
           "read_sentence", "split_sentences"]

Ref = tuple[str, str]

_N = r"(\d+(?:\.\d+)?)"
_Q = r"(?:(mandatory|compulsory|core|optional|elective|selective|further|additional|other|more)\s+)?"
_W = r"(credit\s+points?|credits?|cps?|units?|courses?|modules?|§[a-z]+§)(?![\w§])"
_QTY = re.compile(
    rf"(?P<a>{_N}\s+{_W}\s+minimum,?\s*(?:and\s+)?{_N}\s+{_W}\s+maximum)"
    rf"|(?P<t>total\s+(?:number\s+of\s+)?(units|credits?)\s*(?:=|is|of|:)\s*{_N})"
    rf"|(?P<v>minimum\s+credit\s+value(?:\s+of\s+(?:the|this)\s+qualification)?\s*(?:is|=|:|of)\s*{_N})"
    rf"|(?P<b>(?:(?:a\s+)?minimum\s+of|min\.?\s+of|at\s+least|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than"
    rf"|not\s+fewer\s+than)\s+{_N}\s+{_Q}{_W})"
    rf"|(?P<c>(?:(?:a\s+)?maximum\s+of|max\.?\s+of|at\s+most|up\s+to|no\s+more\s+than|not\s+more\s+than)\s+{_N}\s+{_Q}{_W})"
    rf"|(?P<d>between\s+{_N}\s+and\s+{_N}\s+{_Q}{_W})"
    rf"|(?P<e>{_N}\s+{_Q}{_W}\s+or\s+more)"
    rf"|(?P<w>of\s+which\s+(at\s+least\s+|a\s+minimum\s+of\s+|up\s+to\s+|a\s+maximum\s+of\s+|no\s+more\s+than\s+)?{_N}"
    rf"(?:\s+{_W})?)"
    rf"|(?P<f>(exactly\s+|a\s+total\s+of\s+|all\s+)?{_N}\s+(?:of\s+the\s+)?{_Q}{_W})")
_VERB = (r"^(?:(?:must|can|may|should|shall|will)\s+(?:be\s+)?|is\s+|are\s+|to\s+be\s+)?"
         r"(?:achieved|completed|selected|taken|chosen|gained|studied|obtained|undertaken|passed|drawn|come)?\s*")
_FROM = re.compile(_VERB + r"(?:from|in|within|across|under|of)\s+(?:the\s+)?(?:any\s+of\s+(?:the\s+)?|each\s+of\s+)?")
_LEVEL = re.compile(_VERB + r"(?:at\s+|from\s+)?(?:(?:credit\s+)?level\s+(\d+)\s+or\s+(above|higher|below|lower)"
                    r"|(above|below)\s+level\s+(\d+)|(?:at\s+)?or\s+above\s+level\s+(\d+))")
_PLACE = re.compile(r"§([a-z]+)§")
_UNIT = r"¤([a-z]+)¤"
_UNITS = rf"{_UNIT}(?:\s*(?:,|and|or|&|/)\s*(?:unit\s+)?{_UNIT})*"
_FILLER = re.compile(r"^(?:[\s,;:.()-]|and\b|or\b|plus\b|in\s+total\b|overall\b|altogether\b|making\b|which\b"
                     r"|for\s+the\s+(?:full\s+)?(?:award|qualification)\b|to\s+achieve\b"
                     r"|(?:in\s+order\s+)?to\s+(?:achieve|gain|complete|obtain|be\s+awarded)\s+(?:the|this)\s+(?:full\s+)?"
                     r"(?:award|qualification|certificate|diploma|degree|programme|minor|major)\b"
                     r"|(?:must|can|may|should)\s+be\s+(?:achieved|taken|completed|gained|claimed)\b)*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Limit:
    """``low``/``high`` credits or units on ``ref``.

    ``exact`` when the sentence gave one figure with no minimum or maximum word
    (``19 credits from the Mandatory Group``); ``said_exactly`` when it said so.
    """

    ref: Ref
    measure: str
    low: Decimal | None
    high: Decimal | None
    exact: bool = False
    said_exactly: bool = False
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Combine:
    """The parts under ``ref`` combine as ``kind`` (``all_of``, ``any_of``, ``at_least`` with ``k``)."""

    ref: Ref
    kind: str
    k: int | None = None
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AllUnits:
    """Every unit of ``ref`` must be achieved (``count`` as stated, if it was)."""

    ref: Ref
    count: int | None = None
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AnyUnits:
    """``ref`` imposes nothing (``any number of units from this group``)."""

    ref: Ref
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DoubleCounting:
    """Units of ``ref`` also count towards other groups."""

    ref: Ref
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Bar:
    """No two of ``units`` may be in one pathway."""

    units: tuple[str, ...]
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Requires:
    """``unit`` needs all of ``units`` (or one of them, when ``one_of``)."""

    unit: str
    units: tuple[str, ...]
    one_of: bool = False
    text: str = ""


Fact = Limit | Combine | AllUnits | AnyUnits | DoubleCounting | Bar | Requires


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """What a sentence said: its facts, whether all of it was used, and what was left."""

    text: str
    facts: tuple[Fact, ...]
    used: bool
    informative: bool
    leftover: str = ""


def _code(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(97 + r) + out
    return out


def _decode(code: str) -> int:
    value = 0
    for ch in code:
        value = value * 26 + ord(ch) - 96
    return value - 1


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph (full stops before a capital, a digit or a quote).

    >>> split_sentences("A minimum of 45 credits. 19 credits from Group A, e.g. Unit 7.5 credits.")
    ['A minimum of 45 credits.', '19 credits from Group A, e.g. Unit 7.5 credits.']
    """
    parts = re.split(r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bNo\.)(?<!\bno\.)(?<=[.!?])\s+(?=[A-Z0-9\"'(§¤])", text.strip())
    return [p.strip() for p in parts if p.strip()]


def _mark(text: str, words: Sequence[str], sign: str) -> str:
    # longest first: 'Optional Group A' before 'Group A'
    order = sorted(range(len(words)), key=lambda i: -len(words[i]))
    for i in order:
        word = digits(words[i]) if sign == "§" else words[i]
        if not word.strip() or word.lower() not in text.lower():  # most names are not in most sentences
            continue
        flags = re.IGNORECASE if sign == "§" else 0
        lead = r"(?<=[Uu]nit )" if sign == "¤" and word.isdigit() else ""
        pattern = rf"(?<![\w/]){lead}{re.escape(word)}(?![\w/])"
        text = re.sub(pattern, f"{sign}{_code(i)}{sign}", text, flags=flags)
    return text


def _ref(text: str) -> tuple[Ref | None, int]:
    """A group reference at the start of ``text``, and how much of it it took."""
    patterns: list[tuple[str, str]] = [
        (r"(?:optional\s+|mandatory\s+)?§([a-z]+)§", "name"),
        (r"(?:this|these|that|the\s+same)(?:\s+(?:optional|mandatory|elective|core|compulsory))?\s+"
         r"(?:group|groups|part|parts|section|list|pool)", "this"),
        (r"(?:optional\s+|elective\s+|mandatory\s+)?groups?\s+([a-z]{1,2}\d?)((?:\s*(?:,|or|and|/)\s*[a-z]{1,2}\d?\b)*)"
         r"(?:\s+(?:electives?|units?))?", "letters"),
        (r"(?:mandatory|compulsory|core)(?:\s+(?:group|units?|courses?|modules?))?", "mandatory"),
        (r"(?:optional|elective)(?:\s+(?:group|units?|courses?|modules?))?", "optional"),
    ]
    for pattern, kind in patterns:
        match = re.match(pattern + r"\b", text)
        if match is None and kind == "name":
            match = re.match(pattern, text)
        if match is None:
            continue
        if kind == "name":
            return ("name", str(_decode(match.group(1)))), match.end()
        if kind == "this":
            return ("this", ""), match.end()
        if kind == "letters":
            letters = [match.group(1), *re.findall(r"[a-z]{1,2}\d?", match.group(2) or "")]
            letters = [x for x in letters if x not in ("or", "and")]
            return ("letters", ",".join(letters)), match.end()
        return ("key", kind), match.end()
    return None, 0


def _target(text: str) -> tuple[Ref | None, str]:
    """What a quantity is about, from the words after it; ``(None, rest)`` when nothing is named."""
    level = _LEVEL.match(text)
    if level and level.end() > 0 and any(level.groups()):
        g = level.groups()
        if g[0]:
            kind = "at_or_above" if g[1] in ("above", "higher") else "below"
            value = int(g[0]) + (1 if kind == "below" else 0)
        elif g[3]:
            kind, value = ("at_or_above", int(g[3]) + 1) if g[2] == "above" else ("below", int(g[3]))
        else:
            kind, value = "at_or_above", int(g[4])
        return ("level", f"{kind}:{value}"), text[level.end():]
    start = _FROM.match(text)
    if start:
        ref, used = _ref(text[start.end():])
        if ref is not None:
            return ref, text[start.end() + used:]
    return None, text


def _limit(m: re.Match[str]) -> tuple[str, Decimal | None, Decimal | None, bool, bool, str]:
    """measure, low, high, exact, said exactly, qualifier of a quantity match."""
    g = m.groupdict()
    groups = m.groups()
    span = m.group(0)
    nums = [Decimal(x) for x in re.findall(r"\d+(?:\.\d+)?", span)]
    measure = "credits" if re.search(r"credit|cps?\b", span) else "units"
    qualifier = next((x for x in groups[1:] if x in ("mandatory", "compulsory", "core", "optional", "elective",
                                                      "selective", "further", "additional", "other", "more")), "")
    if g["a"]:
        return measure, nums[0], nums[1], False, False, qualifier
    if g["t"]:
        return measure, nums[0], nums[0], True, True, qualifier
    if g["v"]:
        return "credits", nums[0], None, False, False, qualifier
    if g["b"] or g["e"]:
        return measure, nums[0], None, False, False, qualifier
    if g["c"]:
        return measure, None, nums[0], False, False, qualifier
    if g["d"]:
        return measure, nums[0], nums[1], False, False, qualifier
    if g["w"]:
        words = span
        measure = "credits" if "credit" in words else ""
        if re.search(r"up\s+to|maximum|no\s+more", words):
            return measure, None, nums[0], False, False, qualifier
        return measure, nums[0], None, False, False, qualifier
    said = bool(re.match(r"exactly|a\s+total\s+of", span))
    return measure, nums[0], nums[0], True, said, qualifier


def _special(text: str, context: bool) -> tuple[list[Fact], str]:
    """Combinations, whole groups, barred units and prerequisites; returns the facts and the text left."""
    facts: list[Fact] = []

    def take(pattern: str, make: object) -> None:
        nonlocal text
        while True:
            match = re.search(pattern, text)
            if match is None:
                return
            fact = make(match)  # type: ignore[operator]
            if fact is None:
                return
            facts.append(fact)
            text = text[: match.start()] + " " + text[match.end():]

    def ref_after(rest: str) -> Ref:
        ref, _used = _ref(rest.strip())
        return ref if ref is not None else ("this", "")

    def combine(m: re.Match[str]) -> Fact:
        which = m.group("which")
        if which.startswith("all"):
            kind, k = "all_of", None
        elif re.fullmatch(r"(?:at\s+least\s+|any\s+)?1|any\s+1|either", which):
            kind, k = "any_of", None
        else:
            kind, k = "at_least", int(re.findall(r"\d+", which)[0])
        return Combine(ref=("this", ""), kind=kind, k=k, text=m.group(0))

    take(r"(?P<which>all|either|at\s+least\s+\d+|any\s+\d+|\d+)\s+of\s+the\s+following(?:\s+\d+)?"
         r"(?:\s+(?:groups|parts|options|specialisations|specializations|pathways|routes|lists|requirements))?",
         combine)
    def whole(pattern: str, make: object) -> None:
        """A phrase that ends in a group reference: take the phrase and the reference, nothing more."""
        nonlocal text
        while (match := re.search(pattern, text)) is not None:
            ref, used = _ref(text[match.end():])
            ref = ref if ref is not None else ("this", "")
            end = match.end() + used
            facts.append(make(match, ref, text[match.start():end]))  # type: ignore[operator]
            text = text[: match.start()] + " " + text[end:]

    whole(r"all\s+(?:(\d+)\s+)?(?:of\s+the\s+)?(?:units|courses|modules)\s+(?:in|of|from|listed\s+in)\s+(?:the\s+)?",
          lambda m, ref, said: AllUnits(ref=ref, count=int(m.group(1)) if m.group(1) else None, text=said))
    take(r"all\s+(?:of\s+)?(?:the\s+)?(?:mandatory|compulsory|core)\s+(?:units|courses|modules)\b",
         lambda m: AllUnits(ref=("key", "mandatory"), text=m.group(0)))
    whole(r"any\s+(?:number\s+of\s+)?(?:units|courses|modules)\s+(?:from|in)\s+(?:the\s+)?",
          lambda m, ref, said: AnyUnits(ref=ref, text=said))
    take(r"units\s+(?:in|of)\s+(?P<rest>.*?)\s+also\s+count\s+towards\s+other\s+(?:groups|requirements)",
         lambda m: DoubleCounting(ref=ref_after(m.group("rest")), text=m.group(0)))
    unit = r"(?:unit\s+)?"
    take(rf"{unit}(?P<a>{_UNITS})\s+(?:is|are)\s+barred\s+(?:against|with|from)\s+{unit}(?P<b>{_UNITS})",
         lambda m: Bar(units=_units(m.group("a")) + _units(m.group("b")), text=m.group(0)))
    take(rf"{unit}(?P<a>{_UNITS})\s+are\s+barred(?:\s+(?:against|with)\s+each\s+other)?",
         lambda m: Bar(units=_units(m.group("a")), text=m.group(0)))
    take(rf"(?:may|must|can)\s*not\s+(?:take|achieve|combine|claim|be\s+awarded|count)\s+(?:both\s+)?{unit}"
         rf"(?P<a>{_UNIT})\s+and\s+{unit}(?P<b>{_UNIT})",
         lambda m: Bar(units=_units(m.group("a")) + _units(m.group("b")), text=m.group(0)))
    take(rf"{unit}(?P<a>{_UNIT})\s+(?:cannot|can\s+not|may\s+not)\s+be\s+(?:taken|combined|achieved)\s+with\s+"
         rf"{unit}(?P<b>{_UNITS})",
         lambda m: Bar(units=_units(m.group("a")) + _units(m.group("b")), text=m.group(0)))
    take(rf"{unit}(?P<a>{_UNIT})\s+(?:requires|needs|has\s+(?:the\s+)?prerequisites?:?)\s+(?P<one>(?:at\s+least\s+)?"
         rf"(?:1|one)\s+of\s+)?{unit}(?P<b>{_UNITS})",
         lambda m: Requires(unit=_units(m.group("a"))[0], units=_units(m.group("b")),
                            one_of=bool(m.group("one")) or (" or " in m.group("b") and " and " not in m.group("b")),
                            text=m.group(0)))
    take(rf"{unit}(?P<a>{_UNIT})\s+(?:may|can)\s+only\s+be\s+taken\s+with\s+{unit}(?P<b>{_UNITS})",
         lambda m: Requires(unit=_units(m.group("a"))[0], units=_units(m.group("b")),
                            one_of=" or " in m.group("b"), text=m.group(0)))
    del context
    return facts, text


def _units(text: str) -> tuple[str, ...]:
    return tuple(f"¤{c}¤" for c in re.findall(r"¤([a-z]+)¤", text))


def read_sentence(text: str, *, names: Sequence[str] = (), units: Sequence[str] = (),
                  context: bool = False) -> Reading:
    """Read one sentence.

    Parameters
    ----------
    text
        The sentence, as printed.
    names
        The names of the document's groups (headings); a reference to one is
        ``('name', 'i')`` with ``i`` its index here.
    units
        The document's unit ids; a unit named in a barred or prerequisite
        sentence comes back as its id.
    context
        The sentence sits under a group (``Group B - The learner must ...``): a
        figure that names no target is about that group (``('this', '')``)
        rather than the whole qualification.
    """
    low = digits(text)
    low = _mark(low, list(units), "¤")
    low = _mark(low, list(names), "§").lower()
    low = re.sub(r"(from|of|in)\s+(?:the|all|all\s+the)\s+\d+\s+(?:units|courses)\s+(?:in|of|listed\s+in)\s+",
                 r"\1 ", low)
    low = re.sub(r"\s+", " ", low).strip()
    informative = bool(re.search(r"\d|¤|barred|prerequisite|requires|must not|may not|cannot|only one|either|"
                                 r"following", low))
    facts, rest = _special(low, context)
    matches = list(_QTY.finditer(rest))
    limits: list[tuple[re.Match[str], Ref | None, str, int]] = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(rest)
        chunk = rest[m.end(): end]
        stripped = chunk.lstrip(" ,;")
        ref, after = _target(stripped)
        taken = len(chunk) - len(stripped) + (len(stripped) - len(after)) if ref is not None else 0
        named = _PLACE.search(m.group(0))
        if named is not None and ref is None:
            ref = ("name", str(_decode(named.group(1))))
        limits.append((m, ref, after, taken))
    resolved: list[Fact] = []
    pending: list[tuple[re.Match[str], str]] = []
    spans: list[tuple[int, int]] = []
    for i, (m, ref, after, taken) in enumerate(limits):
        measure, lo, hi, exact, said, qualifier = _limit(m)
        if not measure:
            measure = next((x.measure for x in reversed(resolved) if isinstance(x, Limit)), "units")
        if ref is None and qualifier in ("mandatory", "compulsory", "core"):
            ref = ("key", "mandatory")
        elif ref is None and qualifier in ("optional", "elective", "selective"):
            ref = ("key", "optional")
        if ref is None:
            gap = after.strip()
            following = limits[i + 1][1] if i + 1 < len(limits) else None
            joined = re.fullmatch(r"(?:and|or|,|and\s+a|plus)?", gap) is not None
            if joined and following is not None and following[0] != "total" and gap != "":
                ref = following
            elif _FILLER.match(after) or after.startswith(":"):
                ref = ("this", "") if context else ("total", "")
            else:
                pending.append((m, after))
                continue
        resolved.append(Limit(ref=ref, measure=measure, low=lo, high=hi, exact=exact, said_exactly=said,
                              text=(m.group(0) + rest[m.end(): m.end() + taken]).strip()))
        spans.append((m.start(), m.end() + taken))
    leftover = rest
    for start, end in sorted(spans, reverse=True):
        leftover = leftover[:start] + " " + leftover[end:]
    facts.extend(resolved)
    left = re.sub(r"§[a-z]+§", " ", leftover)
    unused_figures = re.findall(r"\d+(?:\.\d+)?", left)
    unused_units = re.findall(r"¤[a-z]+¤", " ".join(x for x in [left] if x))
    used = bool(facts) and not pending and not unused_figures and not unused_units
    decoded = tuple(_decode_units(f, units) for f in facts)
    return Reading(text=text, facts=decoded, used=used, informative=informative or bool(facts),
                   leftover=_decode_text(left, units).strip() if not used else "")


def _decode_text(text: str, units: Sequence[str]) -> str:
    return re.sub(r"¤([a-z]+)¤", lambda m: units[_decode(m.group(1))], text)


def _decode_units(fact: Fact, units: Sequence[str]) -> Fact:
    def one(token: str) -> str:
        return units[_decode(token.strip("¤"))]

    if isinstance(fact, Bar):
        return Bar(units=tuple(one(u) for u in fact.units), text=_decode_text(fact.text, units))
    if isinstance(fact, Requires):
        return Requires(unit=one(fact.unit), units=tuple(one(u) for u in fact.units), one_of=fact.one_of,
                        text=_decode_text(fact.text, units))
    return fact
