"""Page layout of unit-group graphs: where each box goes, in inches on an A4 page.

Positions follow networkx's layout convention (a dict node → ``(x, y)``) in
page inches, ``y`` growing upwards from the top edge at 0 (so the page is
the strip ``y < 0``):

* a unit: the centre of its box;
* a group or combination: the top-left corner of its band;
* a qualification: the top centre of its title block (its ``x`` is the
  middle of the page, which fixes the page width).

In the compact view units have no position; their group is summarised.
:func:`band_geometry` recovers every band's rectangle from a ``pos``, so the
drawing code and the layout agree by construction.

Examples
--------
>>> from solver.model.load import bundled_rules, load_qualification
>>> from viz.graph import to_graph
>>> G = to_graph(load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml"))
>>> pos = layout_qualification(G)
>>> page_width(G, pos)
8.27
>>> round(pos["L2-DIP-CS"][0], 3), len(pos)
(4.135, 45)
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import networkx as nx
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from solver.model import format_number
from solver.model.errors import UsageError

from .export import requirement_caption

__all__ = [
    "A4",
    "Band",
    "Style",
    "band_geometry",
    "content_bottom",
    "layout_qualification",
    "page_width",
    "wrap_text",
]

#: A4 in inches, portrait (width, height).
A4 = (8.27, 11.69)
_COMBINATIONS = ("all_of", "any_of", "at_least")


@dataclass(frozen=True, slots=True, kw_only=True)
class Style:
    """Sizes (inches, points) shared by layout and drawing; override any by keyword."""

    margin: float = 0.35
    box_width: float = 1.34
    gap_x: float = 0.09
    gap_y: float = 0.09
    pad: float = 0.1
    band_gap: float = 0.12
    text_pad: float = 0.06
    max_title_lines: int | None = None
    """Wrap a unit's title to at most this many lines (the last cut with …); ``None``: never cut, the boxes grow."""
    show_ids: bool = False
    """Print each unit's id (its handbook number, ``SHC 31``) above its title."""
    rule_sentences: bool = False
    """Write each requirement's rule as a sentence under its heading, as a handbook does."""
    links: str = "auto"
    """Barred pairs and prerequisites: ``"lines"`` drawn between the units, ``"notes"`` written in
    their boxes ("needs X", "not with Y"), ``"auto"`` notes past :data:`MAX_LINKS_DRAWN` links or
    where a prerequisite is met by one of several units (which no line can say: with
    ``"lines"`` it is still written in its box)."""
    line_spacing: float = 1.2
    font: str = "DejaVu Sans"
    title_size: float = 14.0
    subtitle_size: float = 8.5
    header_size: float = 8.5
    unit_size: float = 7.0
    caption_size: float = 6.5
    badge_size: float = 6.0
    legend_size: float = 7.5
    summary_size: float = 7.5
    ribbon_height: float = 0.2
    compact_above: int = 80

    def line(self, size: float) -> float:
        """Height in inches of one line of text at ``size`` points."""
        return self.line_spacing * size / 72

    @property
    def badge_height(self) -> float:
        """Height of a level badge."""
        return self.line(self.badge_size) + 0.03


def make_style(style: Style | None = None, **kwds: Any) -> Style:
    """``style`` (or the default) with the keyword overrides, rejecting unknown names and ``links`` values."""
    base = style or Style()
    names = [f.name for f in dataclasses.fields(Style)]
    for key in kwds:
        if key not in names:
            close = difflib.get_close_matches(key, names, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise UsageError(f"unknown drawing option {key!r}{hint}")
    made = dataclasses.replace(base, **kwds) if kwds else base
    if made.links not in ("auto", "lines", "notes"):
        raise UsageError(f"links={made.links!r}: expected 'auto', 'lines' or 'notes'")
    return made


@lru_cache(maxsize=8192)
def _width(text: str, size: float, bold: bool, font: str) -> float:
    prop = FontProperties(family=font, size=size, weight="bold" if bold else "normal")
    width, _, _ = TextToPath().get_text_width_height_descent(text, prop, ismath=False)
    return float(width) / 72


def text_width(text: str, size: float, *, bold: bool = False, font: str = "DejaVu Sans") -> float:
    """Width in inches of ``text`` set in one line."""
    return _width(text, size, bold, font)


def wrap_text(
    text: str, width: float, size: float, *, bold: bool = False, font: str = "DejaVu Sans",
    max_lines: int | None = None,
) -> list[str]:
    """Greedy word wrap by measured width (inches); over-long words are split.

    >>> wrap_text("Deliver customer service whilst working on customers' premises", 1.22, 7)
    ['Deliver customer service', 'whilst working on', "customers' premises"]
    >>> wrap_text("one two three four", 0.4, 7, max_lines=2)
    ['one two', 'three…']
    """
    lines: list[str] = []
    for word in (w for w in text.split(" ") if w):  # not str.split(): no-break spaces must hold
        while text_width(word, size, bold=bold, font=font) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut] + "-", size, bold=bold, font=font) > width:
                cut -= 1
            piece, word = word[:cut] + "-", word[cut:]
            if lines and text_width(lines[-1] + " " + piece, size, bold=bold, font=font) <= width:
                lines[-1] += " " + piece
            else:
                lines.append(piece)
        if lines and text_width(lines[-1] + " " + word, size, bold=bold, font=font) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if max_lines is not None and len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size, bold=bold, font=font) > width:
            last = last[:-1].rstrip()
        lines = [*lines[: max_lines - 1], last + "…"]
    return lines or [""]


# --- shared geometry ---------------------------------------------------------------------------

def unit_title_lines(G: nx.DiGraph, node: Any, style: Style) -> list[str]:
    """Wrap a unit's title to its box."""
    title = str(G.nodes[node].get("title") or node)
    # a little slack: screen-resolution hinting sets text slightly wider than its outline
    width = style.box_width - 2 * style.text_pad - 0.03
    lines = wrap_text(title, width, style.unit_size, font=style.font, max_lines=style.max_title_lines)
    # ids where asked, where titles repeat ("Unit", "Option": boxes that read alike are told
    # apart, and then every box has its id, so that none reads as missing one), and where the
    # boxes' notes name units ("not with SHC 35": the reader looks for SHC 35)
    if (style.show_ids or _repeated_titles(G) or _notes_name_units(G)) and title != str(node):
        lines = [*wrap_text(str(node), width, style.unit_size, bold=True, font=style.font), *lines]
    return lines


#: With more barred pairs and prerequisites than this between a drawing's units (or any
#: prerequisite met by one of several units), each unit's box says what it needs and what it
#: cannot be taken with ("needs X", "needs one of X, Y", "not with Z") instead of lines being
#: drawn: past a dozen, the lines cross each other and the boxes, and a reader can no longer
#: follow which two units a line joins (a 60-unit diploma with 20 barred pairs).
MAX_LINKS_DRAWN = 12

#: The most lines a unit's "needs ... not with ..." note takes; a longer one ends in "…".
MAX_NOTE_LINES = 3


def choose_links(G: nx.DiGraph, style: Style) -> None:
    """Record on ``G`` how ``style`` says its links are shown (``"auto"``: as :func:`links_as_notes` decides)."""
    if style.links == "auto":
        G.graph.pop("links", None)
    else:
        G.graph["links"] = style.links


def links_as_notes(G: nx.DiGraph) -> bool:
    """Whether barred pairs and prerequisites are written in the units' boxes.

    As the drawing's ``links`` style asks (:func:`choose_links`), else when there are more
    than :data:`MAX_LINKS_DRAWN` or a prerequisite is met by one of several units. A page of
    a larger drawing carries its own answer (:func:`viz.pages.iter_page_graphs`).
    """
    if "links" in G.graph:
        return bool(G.graph["links"] == "notes")
    if "links_auto" not in G.graph:
        links = sum(1 for _u, _v, kind in G.edges(data="kind") if kind in ("barred", "prerequisite"))
        # "any one of these" is no single line: where a unit has such a prerequisite, the boxes say
        G.graph["links_auto"] = links > MAX_LINKS_DRAWN or _any_one_of(G)
    found: bool = G.graph["links_auto"]
    return found


def link_note(G: nx.DiGraph, node: Any) -> str:
    """What a unit needs and what it is barred with, in words ("" for neither).

    A page of a larger drawing (:func:`viz.pages.iter_page_graphs`) carries each unit's note,
    read from the whole drawing, as its ``link_note`` attribute.

    >>> G = nx.DiGraph()
    >>> G.add_edge("A1", "B2", kind="prerequisite"); G.add_edge("B2", "C3", kind="barred")
    >>> G.add_edge("D4", "B2", kind="barred")
    >>> G.nodes["B2"]["requires_one_of"] = "E5, F6"
    >>> link_note(G, "B2")
    'needs A1; needs one of E5, F6; not with C3, D4'
    """
    if "link_note" in G.nodes[node]:  # a page of a larger drawing: read from the whole
        written: str = G.nodes[node]["link_note"]
        return written
    # a handbook number keeps its space when the note wraps ("SHC 31" stays on one line)
    needs = sorted(_unbroken(u) for u, _v, kind in G.in_edges(node, data="kind") if kind == "prerequisite")
    barred = sorted({_unbroken(v) for _u, v, kind in G.out_edges(node, data="kind") if kind == "barred"}
                    | {_unbroken(u) for u, _v, kind in G.in_edges(node, data="kind") if kind == "barred"})
    one_of = one_of_note(G, node)
    parts = ([f"needs {', '.join(needs)}"] if needs else []) + ([one_of] if one_of else []) \
        + ([f"not with {', '.join(barred)}"] if barred else [])
    return "; ".join(parts)


def _notes_name_units(G: nx.DiGraph) -> bool:
    """Whether some unit's box names other units (:func:`link_note_lines`)."""
    return links_as_notes(G) or _any_one_of(G)


def _any_one_of(G: nx.DiGraph) -> bool:
    """Whether some unit has a prerequisite met by any one of several units."""
    return any(attrs.get("requires_one_of") for _n, attrs in G.nodes(data=True))


def _unbroken(uid: Any) -> str:
    return str(uid).replace(" ", "\u00a0")


def one_of_note(G: nx.DiGraph, node: Any) -> str:
    """A unit's prerequisite met by any one of several units, in words ("" for none)."""
    one_of = G.nodes[node].get("requires_one_of")
    return f"needs one of {', '.join(_unbroken(u) for u in one_of.split(', '))}" if one_of else ""


def link_note_lines(G: nx.DiGraph, node: Any, style: Style) -> list[str]:
    """A unit's :func:`link_note` wrapped to its box where links are written, else its :func:`one_of_note`."""
    text = link_note(G, node) if links_as_notes(G) else one_of_note(G, node)
    width = style.box_width - 2 * style.text_pad - 0.03
    return wrap_text(text, width, style.caption_size, font=style.font, max_lines=MAX_NOTE_LINES) if text else []


def _repeated_titles(G: nx.DiGraph) -> set[str]:
    """The unit titles more than one unit of ``G`` has (worked out once per graph)."""
    if "repeated_titles" not in G.graph:
        titles = Counter(str(a.get("title") or n) for n, a in G.nodes(data=True) if a.get("kind") == "unit")
        G.graph["repeated_titles"] = {t for t, n in titles.items() if n > 1}
    found: set[str] = G.graph["repeated_titles"]
    return found


def box_height(G: nx.DiGraph, style: Style) -> float:
    """Return the height of every unit box: room for the longest wrapped title plus the credits row.

    A change view (``G.graph["diff"]`` set) keeps one more line for the change note, and
    links written in the boxes (:func:`links_as_notes`) the lines of the longest note.
    """
    units = [n for n, k in G.nodes(data="kind") if k == "unit"]
    lines = max((len(unit_title_lines(G, u, style)) for u in units), default=1)
    note = style.line(style.caption_size) + 0.02 if G.graph.get("diff") is not None else 0.0
    linked = max((len(link_note_lines(G, u, style)) for u in units), default=0)
    note += linked * style.line(style.caption_size) + 0.02 if linked else 0.0
    return 2 * style.text_pad + lines * style.line(style.unit_size) + 0.05 + style.badge_height + note


def sentence_lines(G: nx.DiGraph, node: Any, width: float, style: Style) -> list[str]:
    """Wrap a requirement's rule as sentences (``Style.rule_sentences``) to its band; none otherwise."""
    text = G.nodes[node].get("sentences") if style.rule_sentences else None
    return wrap_text(str(text), width - 2 * style.pad - 0.05, style.caption_size, font=style.font) if text else []


def heading_height(G: nx.DiGraph, node: Any, width: float, style: Style) -> float:
    """Height of a band's heading and, when shown, the sentences under it."""
    sentences = sentence_lines(G, node, width, style)
    return (len(header_lines(G, node, width, style)) * style.line(style.header_size)
            + (len(sentences) * style.line(style.caption_size) + 0.03 if sentences else 0.0))


def header_lines(G: nx.DiGraph, node: Any, width: float, style: Style) -> list[str]:
    """Wrap a band's heading (title, rule, what is available) to the band."""
    return wrap_text(requirement_caption(G.nodes[node]), width - 2 * style.pad - 0.05, style.header_size,
                     bold=True, font=style.font)


def title_lines(G: nx.DiGraph, node: Any, width: float, style: Style) -> tuple[list[str], list[str]]:
    """Wrap the qualification title and its subtitle line(s) to the page."""
    attrs = G.nodes[node]
    title = str(attrs.get("title_override") or attrs.get("title", node))
    facts = [str(node)]
    if attrs.get("level") is not None:
        facts.append(f"Level {attrs['level']}")
    if attrs.get("awarding_body"):
        facts.append(str(attrs["awarding_body"]))
    if attrs.get("rule"):
        facts.append(str(attrs["rule"]))
    count = attrs.get("unit_count", 0)
    facts.append(f"{count} unit{'' if count == 1 else 's'}")
    if attrs.get("total_credits") and attrs.get("counts_credits", True):
        facts.append(f"{format_number(attrs['total_credits'])} credits in all groups")
    return (wrap_text(title, width, style.title_size, bold=True, font=style.font),
            wrap_text(" · ".join(facts), width, style.subtitle_size, font=style.font))


def title_height(G: nx.DiGraph, node: Any, width: float, style: Style) -> float:
    """Height of a qualification's title block, including the space under it."""
    title, sub = title_lines(G, node, width, style)
    lines = len(title) * style.line(style.title_size) + len(sub) * style.line(style.subtitle_size)
    return lines + 0.04 + 0.16


def summary_height(style: Style) -> float:
    """Height of a compact group's summary: a line of figures, the credit ribbon and its marks."""
    return style.line(style.summary_size) + 0.06 + style.ribbon_height + style.line(style.caption_size) + 0.04


def requirement_children(G: nx.DiGraph, node: Any) -> list[Any]:
    """Sub-requirements of a qualification or combination, in file order."""
    return [c for c in G.successors(node) if G.edges[node, c].get("kind") == "requirement"]


def group_members(G: nx.DiGraph, node: Any) -> list[Any]:
    """Units a group lists, in its order."""
    return [c for c in G.successors(node) if G.edges[node, c].get("kind") == "member"]


def others_lines(G: nx.DiGraph, node: Any, shown: Iterable[Any], width: float, style: Style) -> list[str]:
    """Wrap the note under a group naming units it lists that are drawn in another group."""
    shown = set(shown)
    elsewhere = [u for u in group_members(G, node) if u not in shown]
    if not elsewhere:
        return []
    by_group: dict[Any, list[str]] = {}
    for u in elsewhere:
        by_group.setdefault(G.nodes[u].get("group"), []).append(str(G.nodes[u].get("title", u)))

    def name(g: Any) -> str:
        return str(G.nodes[g].get("title", g)) if g in G else str(g)

    plural = "s" if len(elsewhere) > 1 else ""
    lead = "Also lists" if shown else "Lists"
    if len(by_group) == 1:
        (g, titles), = by_group.items()
        text = f"{lead} {len(elsewhere)} unit{plural} drawn under {name(g)}: {', '.join(titles)}"
    else:
        where = "; ".join(f"{', '.join(titles)} (under {name(g)})" for g, titles in by_group.items())
        text = f"{lead} {len(elsewhere)} unit{plural} drawn in other groups: {where}"
    return wrap_text(text, width - 2 * style.pad, style.caption_size, font=style.font)


@dataclass(frozen=True, slots=True)
class Band:
    """A requirement's rectangle in page inches, with what the drawing puts in it."""

    left: float
    top: float
    right: float
    bottom: float
    header: list[str]
    note: list[str]
    compact: bool
    sentences: list[str] = field(default_factory=list)
    """The rule in words under the heading (``Style.rule_sentences``)."""


def band_geometry(G: nx.DiGraph, pos: Mapping[Any, tuple[float, float]], style: Style) -> dict[Any, Band]:
    """Return the band of every requirement placed in ``pos``, as :func:`layout_qualification` left room."""
    bands: dict[Any, Band] = {}
    box_h = box_height(G, style)

    def visit(node: Any, centre: float) -> float | None:
        if node not in pos:
            return None
        left, top = pos[node]
        right = 2 * centre - left
        header = header_lines(G, node, right - left, style)
        sentences = sentence_lines(G, node, right - left, style)
        y = top - style.pad - heading_height(G, node, right - left, style) - 0.04
        note: list[str] = []
        compact = False
        if G.nodes[node].get("kind") in _COMBINATIONS:
            bottoms = [b for c in requirement_children(G, node) if (b := visit(c, centre)) is not None]
            y = min([y, *bottoms])
        else:
            members = group_members(G, node)
            shown = [u for u in members if u in pos and G.nodes[u].get("group") == node]
            compact = bool(members) and not any(u in pos for u in members)
            if compact:
                y -= summary_height(style)
            else:
                if shown:
                    y = min(pos[u][1] for u in shown) - box_h / 2
                # units drawn in another group are named under this one, so no group looks empty
                note = others_lines(G, node, shown, right - left, style)
                y -= 0.04 + len(note) * style.line(style.caption_size) if note else 0
        bottom = y - style.pad
        bands[node] = Band(left, top, right, bottom, header, note, compact, sentences)
        return bottom

    for node, kind in G.nodes(data="kind"):
        if kind == "qualification" and node in pos:
            for child in requirement_children(G, node):
                visit(child, pos[node][0])
    return bands


def _columns(width: float, style: Style) -> int:
    return max(1, math.floor((width - 2 * style.pad + style.gap_x) / (style.box_width + style.gap_x)))


def _place(G: nx.DiGraph, node: Any, left: float, top: float, width: float, compact: bool,
           style: Style, pos: dict[Any, tuple[float, float]]) -> float:
    pos[node] = (left, top)
    y = top - style.pad - heading_height(G, node, width, style) - 0.04
    if G.nodes[node].get("kind") in _COMBINATIONS:
        for child in requirement_children(G, node):
            inner = width - 2 * style.pad
            y = _place(G, child, left + style.pad, y, inner, compact, style, pos) - style.band_gap
        return y + style.band_gap - style.pad
    members = group_members(G, node)
    if compact and members:
        return y - summary_height(style) - style.pad
    shown = [u for u in members if G.nodes[u].get("group") == node]
    cols, box_h = _columns(width, style), box_height(G, style)
    for i, unit in enumerate(shown):
        row, col = divmod(i, cols)
        pos[unit] = (left + style.pad + col * (style.box_width + style.gap_x) + style.box_width / 2,
                     y - row * (box_h + style.gap_y) - box_h / 2)
    if shown:
        y -= math.ceil(len(shown) / cols) * (box_h + style.gap_y) - style.gap_y
    note = others_lines(G, node, shown, width, style)
    if note:
        y -= 0.04 + len(note) * style.line(style.caption_size)
    return y - style.pad


def footer_height(G: nx.DiGraph, width: float, style: Style) -> float:
    """Room kept under the bands for a pathway caption (two lines) and the legend."""
    groups = sum(1 for _, k in G.nodes(data="kind") if k == "group")
    per_row = max(1, int(width // 2.4))
    rows = math.ceil((groups + 4) / per_row)
    return 0.1 + 2 * style.line(8) + 0.1 + rows * style.line(style.legend_size) * 1.25 + 0.1


def _layout_at(G: nx.DiGraph, page_width: float, compact: bool, style: Style) -> tuple[dict[Any, Any], float]:
    pos: dict[Any, tuple[float, float]] = {}
    width = page_width - 2 * style.margin
    y = -style.margin
    for node, kind in list(G.nodes(data="kind")):
        if kind != "qualification":
            continue
        pos[node] = (page_width / 2, y)
        y -= title_height(G, node, width, style)
        for child in requirement_children(G, node):
            y = _place(G, child, style.margin, y, width, compact, style, pos) - style.band_gap
        y -= 0.15
    return pos, -y + footer_height(G, width, style) + style.margin


def layout_qualification(
    G: nx.DiGraph, *, compact: bool | None = None, orientation: str | None = None, style: Style | None = None,
) -> dict[Any, tuple[float, float]]:
    """Positions for :func:`viz.draw.draw_qualification`: layered bands on an A4 page.

    The qualification's title goes at the top, then each requirement as a
    band (nested combinations as bands around their groups), units as a grid
    of boxes inside their first group. Portrait is used when the drawing fits
    it, else landscape; if neither fits, or there are more than
    ``style.compact_above`` units, the compact view is used (each group
    summarised, units unplaced) unless ``compact`` says otherwise. A change
    view (``G.graph["diff"]``) keeps its unit boxes up to
    ``style.compact_above`` units, on a longer page if need be.

    Parameters
    ----------
    G
        A graph from :func:`viz.graph.to_graph`.
    compact
        ``True`` for the compact view, ``False`` for unit boxes even if the
        page grows beyond A4, ``None`` (default) to choose.
    orientation
        ``"portrait"`` or ``"landscape"`` to force one.
    style
        Sizes; the same ``Style`` must be given to the drawing.

    Returns
    -------
    dict
        Node → ``(x, y)`` in page inches (see the module notes).
    """
    style = style or Style()
    choose_links(G, style)
    if orientation not in (None, "portrait", "landscape"):
        raise UsageError(f"orientation {orientation!r}: expected 'portrait' or 'landscape'")
    widths = {"portrait": [A4[0]], "landscape": [A4[1]], None: [A4[0], A4[1]]}[orientation]
    units = sum(1 for _, k in G.nodes(data="kind") if k == "unit")
    modes = [compact] if compact is not None else ([True] if units > style.compact_above else [False, True])
    if compact is None and modes == [False, True] and (G.graph.get("diff") is not None or style.show_ids
                                                       or _repeated_titles(G) or _notes_name_units(G)):
        # a change view's notes, the unit numbers asked for, those that tell boxes of one title
        # apart and the notes naming other units are in the unit boxes: let the page grow rather
        # than hide them
        modes = [False]
    tried: list[dict[Any, Any]] = []
    for mode in modes:
        for width in widths:
            pos, height = _layout_at(G, width, mode, style)
            limit = A4[1] if width == A4[0] else A4[0]
            if height <= limit + 1e-9:
                return pos
            tried.append(pos)
    return tried[0]


def content_bottom(G: nx.DiGraph, pos: Mapping[Any, tuple[float, float]], style: Style) -> float:
    """Return the lowest ``y`` the bands and unit boxes of a layout reach."""
    half = box_height(G, style) / 2
    bottoms = [b.bottom for b in band_geometry(G, pos, style).values()]
    bottoms += [y - half for n, (_, y) in pos.items() if G.nodes[n].get("kind") == "unit"]
    return min([*bottoms, -style.margin])


def page_width(G: nx.DiGraph, pos: Mapping[Any, tuple[float, float]]) -> float:
    """Return the page width of a layout: twice the first qualification title's ``x`` (A4 if none)."""
    centres = [pos[n][0] for n, k in G.nodes(data="kind") if k == "qualification" and n in pos]
    return 2 * centres[0] if centres else A4[0]
