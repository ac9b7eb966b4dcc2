"""The DOM tracer: which element of the page each extracted line came from, and what it says.

trafilatura keeps lines from captions, share bars and "related" lists now and then;
the page's markup says what they are. This module maps every extracted line back to
the block element of the original DOM that holds it and describes that element as an
:class:`~cleaner.evidence.Evidence` value (tag, ancestors, junk hint, link density), so
the text core never touches lxml.

Mapping is by text: the page's text nodes are joined once into one whitespace-free
string; each line is a substring search in it, aligned in reading order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from .evidence import DECIDING_HINTS, HEADING_TAGS, Evidence, Hint

if TYPE_CHECKING:  # lxml comes with the parsed page
    from lxml.html import HtmlElement

KEY_CHARS = 48
"""Characters (whitespace dropped) of a line searched for in the page's text."""

MAX_ANCESTORS = 8
HINT_DEPTH = 8
"""How many elements (the source element and its ancestors) are searched for a hint."""

WRAPPER_SHARE = 0.4
"""A hinted element holding more than this share of the extracted words is the article's
container (``<article class="post tag-politics">``), not a junk block: its hint is dropped."""

_NON_ALNUM = regex.compile(r"[\W_]+")
_TOKEN_SPLIT = regex.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "select", "option"})

BLOCK_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li dt dd td th tr blockquote pre figcaption caption div section article "
    "aside nav footer header main figure ul ol dl table form address details summary body".split()
)
"""Elements a line of trafilatura's output is traced to (the nearest one holding its first text)."""

MAX_TRIES = 64
"""Matches of a line's text looked at (most inside a text node, not at its start) before giving up."""
MAX_OCCURRENCES = 8

TAG_HINTS: dict[str, Hint] = {
    "nav": "nav", "aside": "aside", "footer": "footer", "header": "header", "figcaption": "figcaption",
}
"""Tags that are junk hints by themselves."""

TOKEN_HINTS: dict[str, Hint] = {
    **dict.fromkeys(("nav", "navbar", "navigation", "menu", "submenu", "topnav", "subnav", "pagination", "pager"), "nav"),
    **dict.fromkeys(("aside", "sidebar", "rail", "sidebox"), "aside"),
    **dict.fromkeys(("footer", "foot", "colophon"), "footer"),
    **dict.fromkeys(("header", "masthead", "topbar"), "header"),
    **dict.fromkeys(("figcaption",), "figcaption"),
    **dict.fromkeys(("caption", "captions", "credit", "credits", "imagecredit", "photocredit", "cutline"), "caption"),
    **dict.fromkeys(("share", "shares", "sharing", "sharebar", "sharetools", "addthis", "sharethis", "sociallinks"), "share"),
    **dict.fromkeys(("social", "follow", "followus"), "social"),
    **dict.fromkeys(("newsletter", "newsletters", "signup", "optin"), "newsletter"),
    **dict.fromkeys(("subscribe", "subscription", "subscriptions", "paywall", "regwall"), "subscribe"),
    **dict.fromkeys(("related", "relatedarticles", "relatedposts", "relatedstories", "morestories", "readmore", "readnext", "seealso", "alsoread"), "related"),
    **dict.fromkeys(("recommended", "recommendations", "recirc", "recirculation", "taboola", "outbrain", "trending", "popular", "mostread", "mostpopular"), "recommended"),
    **dict.fromkeys(("comment", "comments", "disqus", "replies", "respond"), "comment"),
    **dict.fromkeys(("byline", "bylines", "dateline"), "byline"),
    **dict.fromkeys(("author", "authors", "contributor", "contributors", "writer"), "author"),
    **dict.fromkeys(("date", "timestamp", "pubdate", "published", "posted", "datetime"), "date"),
    **dict.fromkeys(("tags", "tag", "tagcloud", "keywords", "topics"), "tag"),
    **dict.fromkeys(("breadcrumb", "breadcrumbs", "crumbs", "crumb"), "breadcrumb"),
    **dict.fromkeys(("ad", "ads", "advert", "adverts", "advertisement", "advertising", "adsbygoogle", "adslot", "adunit", "dfp", "sponsored", "sponsor"), "ad"),
    **dict.fromkeys(("promo", "promos", "promotion", "promoted", "teaser", "cta"), "promo"),
    **dict.fromkeys(("cookie", "cookies", "consent", "gdpr"), "cookie"),
    **dict.fromkeys(("widget", "widgets"), "widget"),
}
"""Class/id tokens (split on punctuation and camelCase, lowercased) that signal a junk block."""

SLUG_TOKENS = 3
"""An id of this many words is a slug of the element's text, not a role (ignored)."""

_TAXONOMY_PREFIXES = ("tag-", "category-", "format-")
"""WordPress-style taxonomy classes on the article element (``tag-politics``): not hints."""


def _key(text: str) -> str:
    """Letters and digits of ``text``, casefolded (for class names)."""
    return _NON_ALNUM.sub("", text).casefold()


def squeeze(text: str) -> str:
    """``text`` without whitespace and table bars, casefolded: how lines and page text are
    compared (cheap: no regex, so the whole page can be keyed)."""
    return "".join(text.split()).replace("|", "").casefold()


class PageIndex:
    """The page's text as one string of letters and digits, with where each text node starts.

    Built once per page from lxml's list of text nodes; a line is then found with one
    substring search (from where the previous line was found, so reading order decides
    between the headline in ``<h1>`` and its copy in a breadcrumb), at the start of a
    text node, and its source is the nearest block element holding that node.
    """

    def __init__(self, root: HtmlElement) -> None:
        body = root.find("body") if root.tag == "html" else None
        parts: list[str] = []
        self.starts: list[int] = []
        self.owners: list[HtmlElement] = []
        self._start_set: set[int] = set()
        offset = 0
        for node in (body if body is not None else root).xpath(".//text()"):
            if not node or node.isspace():
                continue
            owner = node.getparent()
            if owner is None:
                continue
            if node.is_tail:
                owner = owner.getparent()
                if owner is None:
                    continue
            elif owner.tag in _SKIP or not isinstance(owner.tag, str):
                continue
            key = squeeze(node)
            if not key:
                continue
            parts.append(key)
            self.starts.append(offset)
            self.owners.append(owner)
            offset += len(key)
        self.stream = "".join(parts)
        self._start_set = set(self.starts)

    def occurrences(self, line: str) -> list[int]:
        """Offsets where ``line`` starts a text node of the page (at most ``MAX_OCCURRENCES``)."""
        found = self._occurrences(squeeze(line[: 4 * KEY_CHARS])[:KEY_CHARS])
        if not found and line.startswith("- "):  # trafilatura's list-item marker
            found = self._occurrences(squeeze(line[2 : 4 * KEY_CHARS])[:KEY_CHARS])
        return found

    def _occurrences(self, key: str) -> list[int]:
        found: list[int] = []
        if not key:
            return found
        position = self.stream.find(key)
        tries = 0
        while position >= 0 and tries < MAX_TRIES and len(found) < MAX_OCCURRENCES:
            if position in self._start_set:
                found.append(position)
            position = self.stream.find(key, position + 1)
            tries += 1
        return found

    def element_at(self, position: int) -> HtmlElement:
        """The block element holding the text node that starts at ``position``."""
        return _block_of(self.owners[bisect_right(self.starts, position) - 1])

    def find(self, line: str, after: int = 0, before: int | None = None) -> tuple[HtmlElement, int] | None:
        """The block element where ``line`` starts, and the offset: between ``after`` and
        ``before`` the last occurrence, else the first from ``after``, else the first."""
        found = self.occurrences(line)
        if not found:
            return None
        return self.element_at(_choose(found, after, before)), _choose(found, after, before)


def _choose(found: list[int], after: int, before: int | None) -> int:
    """Align a repeated line: the copy between its neighbours' positions, nearest the next one."""
    if before is not None:
        inside = [p for p in found if after <= p < before]
        if inside:
            return inside[-1]
    return next((p for p in found if p >= after), found[0])


def _block_of(element: HtmlElement) -> HtmlElement:
    """``element`` or its nearest ancestor that is a block (not an inline wrapper like ``<a>``)."""
    current = element
    while current is not None and current.tag not in BLOCK_TAGS:
        parent = current.getparent()
        if parent is None:
            break
        current = parent
    return current if current is not None else element


def _tokens(value: str) -> list[str]:
    return [t.lower() for t in _TOKEN_SPLIT.split(value) if t]


def element_hint(element: HtmlElement) -> Hint | None:
    """The junk hint of ``element`` alone: its tag, else its first junk class/id token."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in TAG_HINTS:
        return TAG_HINTS[tag]
    classes, ident = element.get("class"), element.get("id")
    if ident and (tag in HEADING_TAGS or len(_tokens(ident)) >= SLUG_TOKENS):
        ident = None  # "what-is-social-media-marketing": an anchor made from the heading's text
    if not classes and not ident:
        return None
    return _attribute_hint(classes or "", ident or "")


@lru_cache(maxsize=4096)
def _attribute_hint(classes: str, ident: str) -> Hint | None:
    """The first junk token of a class and an id attribute (cached: sites repeat them)."""
    for attribute, value in (("class", classes), ("id", ident)):
        for name in value.split():
            if attribute == "class" and name.lower().startswith(_TAXONOMY_PREFIXES):
                continue
            for token in _tokens(name):
                hint = TOKEN_HINTS.get(token)
                if hint is not None:
                    return hint
            joined = TOKEN_HINTS.get(_key(name))
            if joined is not None:
                return joined
    return None


def link_density(element: HtmlElement) -> float:
    """Share of ``element``'s letters and digits that sit inside ``<a>`` elements."""
    total = len(squeeze(element.text_content()))
    if not total:
        return 0.0
    linked = sum(len(squeeze(a.text_content())) for a in element.iter("a"))
    return min(1.0, linked / total)


class _Describer:
    """Evidence of elements, with the hint search cached per element."""

    def __init__(self, total_words: int) -> None:
        self.total_words = max(total_words, 1)
        # keyed by id(): the element is stored with its hint, which keeps its proxy (and id) alive
        self._hints: dict[int, tuple[Hint | None, HtmlElement]] = {}
        self._wrapper: dict[int, bool] = {}

    def hint(self, element: HtmlElement) -> Hint | None:
        """The hint of the nearest hinted element up from ``element``; a hint that decides
        nothing (``widget``, ``header``) gives way to a deciding one further up, so a
        sidebar ``<aside>`` holding ``class="widget"`` blocks still counts as an aside."""
        first: Hint | None = None
        current: HtmlElement | None = element
        for _ in range(HINT_DEPTH):
            if current is None or current.tag in ("body", "html"):
                break
            cached = self._hints.get(id(current))
            if cached is None:
                cached = self._hints[id(current)] = (element_hint(current), current)
            hint = cached[0]
            if hint is not None:
                if self._is_wrapper(current):
                    break
                if hint in DECIDING_HINTS:
                    return hint
                first = first or hint
            current = current.getparent()
        return first

    def _is_wrapper(self, holder: HtmlElement) -> bool:
        known = self._wrapper.get(id(holder))
        if known is None:
            words = len(holder.text_content().split())
            known = words > WRAPPER_SHARE * self.total_words and words > 150
            self._wrapper[id(holder)] = known
        return known

    def describe(self, element: HtmlElement) -> Evidence:
        ancestors: list[str] = []
        parent = element.getparent()
        while parent is not None and len(ancestors) < MAX_ANCESTORS:
            tag = parent.tag if isinstance(parent.tag, str) else ""
            ancestors.append(tag.lower())
            if tag == "body":
                break
            parent = parent.getparent()
        density = 1.0 if "a" in ancestors else link_density(element)
        return Evidence(str(element.tag).lower(), tuple(ancestors), self.hint(element), round(density, 3))


def trace_elements(index: PageIndex, lines: Sequence[str]) -> list[HtmlElement | None]:
    """The block element each of ``lines`` (in reading order) starts in, ``None`` when it
    cannot be found. Lines found once in the page anchor the alignment; a line found several
    times (the headline also in a breadcrumb, a subheading also in a table of contents) takes
    the copy just before the next anchor. What HTML evidence (:func:`line_evidence`) and site
    profiles (``cleaner.profiles``) read a line's element from."""
    found = [index.occurrences(line) for line in lines]
    next_anchor: list[int | None] = [None] * len(lines)
    upcoming: int | None = None
    for i in range(len(lines) - 1, -1, -1):
        next_anchor[i] = upcoming
        if len(found[i]) == 1:
            upcoming = found[i][0]
    elements: list[HtmlElement | None] = []
    cursor = 0
    for i, positions in enumerate(found):
        if not positions:
            elements.append(None)
            continue
        cursor = _choose(positions, cursor, next_anchor[i])
        elements.append(index.element_at(cursor))
    return elements


def line_evidence(
    root: HtmlElement, blocks: Sequence[Sequence[str]], index: PageIndex | None = None,
) -> list[Evidence | None]:
    """One :class:`~cleaner.evidence.Evidence` per line of ``blocks`` (lines grouped by output block), in order.

    Each line is traced to its element by :func:`trace_elements`. A line that cannot be
    traced (its text was rewritten by the extractor) inherits the evidence of the line
    before it in the same block, else None.
    """
    if index is None:
        index = PageIndex(root)
    lines = [(number, line) for number, block in enumerate(blocks) for line in block]
    elements = trace_elements(index, [line for _, line in lines])
    total_words = sum(len(line.split()) for _, line in lines)
    describer = _Describer(total_words)
    described: dict[int, Evidence] = {}
    evidence: list[Evidence | None] = []
    previous: tuple[int, Evidence | None] = (-1, None)
    for (block_number, _line), element in zip(lines, elements):
        if element is None:
            evidence.append(previous[1] if previous[0] == block_number else None)
            continue
        known = described.get(id(element))
        if known is None:  # the element stays alive in ``elements`` while its id is a key
            known = described[id(element)] = describer.describe(element)
        evidence.append(known)
        previous = (block_number, known)
    return evidence
