"""Numbers in words or digits, unit ids, and names of groups, as handbooks write them.

Examples
--------
>>> digits("four mandatory units plus one optional unit, making a total of twenty-five units")
'4 mandatory units plus 1 optional unit, making a total of 25 units'
>>> [m.group(0) for m in UNIT_ID.finditer("Y/506/1938, SHC 31, HSC 024, Advo 301, SITXFSA005, COMP1130")]
['Y/506/1938', 'SHC 31', 'HSC 024', 'Advo 301', 'SITXFSA005', 'COMP1130']
>>> group_key("Optional Group B"), group_key("Group B - Deal with calls"), group_key("the Mandatory Group")
('group b', 'group b', 'mandatory')
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["UNIT_ID", "digits", "group_key", "number", "slug", "title_case"]

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_VALUES = {w: i for i, w in enumerate(_ONES)} | {w: 10 * i for i, w in enumerate(_TENS) if w}
_WORD = "|".join(sorted(_VALUES, key=len, reverse=True))
_NUMBER_WORDS = re.compile(
    rf"\b(?:(?P<h>{_WORD})\s+hundred(?:\s+and)?\s*)?(?P<t>{_WORD})(?:[\s-](?P<o>{_WORD}))?\b|\b(?P<h2>{_WORD})\s+hundred\b",
    re.IGNORECASE)

#: Unit ids as handbooks print them: Ofqual references, training-package codes, course codes,
#: awarding-body codes with a space (``SHC 31``).
UNIT_ID = re.compile(
    r"\b(?:[A-Z]/\d{3}/\d{4}|[A-Z]{3}[A-Z0-9]{1,5}\d{3}[A-Z]?|[A-Z]{2,5}\d{3,4}[A-Z]?"
    r"|(?!(?:Level|Group|Unit|Units|Page|Table|Part|Year|Stage|Section|Step|Total|Option|Credit|Band)\b)"
    r"[A-Z][A-Za-z]{1,4} \d{2,3})\b")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8}
_SMALL = {"in", "of", "and", "the", "for", "to", "a", "an", "with", "on", "at", "by", "or"}


def _word_value(match: re.Match[str]) -> str:
    if match.group("h2"):
        return str(_VALUES[match.group("h2").lower()] * 100)
    tens, ones = match.group("t").lower(), (match.group("o") or "").lower()
    value = _VALUES[tens]
    if ones:
        if value < 20 or value % 10 or _VALUES[ones] >= 10:
            return match.group(0)
        value += _VALUES[ones]
    if match.group("h"):
        value += 100 * _VALUES[match.group("h").lower()]
    return str(value)


def digits(text: str) -> str:
    """Write numbers given in words (``four``, ``twenty-five``, ``one hundred and twenty``) as digits."""
    return _NUMBER_WORDS.sub(_word_value, text)


def number(text: str) -> Decimal | None:
    """A plain number (``5``, ``7.5``, ``7,5``), or ``None``."""
    text = text.strip().replace(",", ".")
    if not re.fullmatch(r"\d{1,6}(?:\.\d{1,6})?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern rules it out
        return None


def level_of(text: str) -> int | None:
    """A level cell: ``2``, ``Level 3``, ``L4``, ``Entry 3`` (0), ``III`` (AQF 3)."""
    text = text.strip()
    match = re.fullmatch(r"(?:level|l|rqf|qcf|aqf)?\s*(\d{1,2})", text, re.IGNORECASE)
    if match:
        return int(match.group(1))
    if re.fullmatch(r"(?:entry|e)\s*\d?", text, re.IGNORECASE):
        return 0
    return _ROMAN.get(text.upper())


def group_key(text: str) -> str:
    """The part of a group's name that sentences refer to it by.

    ``Group B`` and ``Optional Group B`` are ``group b``; mandatory, compulsory and
    core groups are ``mandatory``; optional and elective ones ``optional``;
    anything else is its words in lower case.
    """
    low = re.sub(r"[*_]", "", text.lower())
    letter = re.search(r"\bgroups?\s+([a-z]{1,2}\d?|\d{1,2})\b", low)
    if letter and letter.group(1) not in ("of", "or", "in", "to", "is"):
        return f"group {letter.group(1)}"
    words = re.findall(r"[a-z0-9]+", low)
    if words and words[0] in ("the", "this", "these"):
        words = words[1:]
    plain = [w for w in words if w not in ("units", "unit", "group", "groups", "courses", "modules")]
    if plain and plain[0] in ("mandatory", "compulsory", "core") and len(plain) <= 2:
        return "mandatory"
    if plain and plain[0] in ("optional", "elective", "electives") and len(plain) <= 2:
        return "optional"
    return " ".join(words)


def slug(text: str, *, limit: int = 40) -> str:
    """A short id from a title: lower case words joined by hyphens.

    >>> slug("Optional Group A"), slug("Deliver customer service!")
    ('optional-group-a', 'deliver-customer-service')
    """
    words = re.findall(r"[a-z0-9]+", text.lower())
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit and out:
            break
        out = f"{out}-{word}" if out else word
    return out or "x"


def title_case(text: str) -> str:
    """A title printed in capitals, in ordinary case, keeping short acronyms.

    >>> title_case("OCR LEVEL 2 NVQ IN CUSTOMER SERVICE")
    'OCR Level 2 NVQ in Customer Service'
    >>> title_case("Level 2 Diploma")
    'Level 2 Diploma'
    """
    if any(c.islower() for c in text):
        return text
    out = []
    for i, word in enumerate(text.split()):
        low = word.lower()
        if low in _SMALL and i:
            out.append(low)
        elif len(word) <= 3 and word.isalpha() and low not in _SMALL and word not in ("ONE", "TWO", "SIX", "TEN"):
            out.append(word)
        else:
            out.append(word[:1] + word[1:].lower())
    return " ".join(out)
