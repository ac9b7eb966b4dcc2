"""Where a page's text lives in its markup: each block element's stable path and own text.

A site's template shows in its markup: the footer is ``div#footer > p`` on every page,
the related-stories box ``div.related > ul > li`` with other links each time. This
module reads one parsed page into :class:`PageBlocks`: for every block element that
holds text of its own, a *path* (the tags from ``<body>`` down, each with its class and
id tokens, digits templated, per-page taxonomy classes dropped, no positions), a key of
its own text (a hash of the text with whitespace removed, case folded, digits kept: a
date that changes is a different text) and how much of that text is link text.

It reuses the page index that HTML evidence already built (``cleaner.tracer.PageIndex``),
so a page that was extracted costs one walk over its text nodes, not a second parse.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from ..evidence import LINKED
from ..tracer import trace_elements

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from ..tracer import PageIndex

_DIGITS = regex.compile(r"\d+")
_ID_WORDS = regex.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")
VOLATILE_CLASS_PREFIXES = ("tag-", "category-", "format-", "author-", "status-", "postid-", "page-id-", "parent-pageid-")
"""Class tokens that name the page's own taxonomy (WordPress ``tag-politics``): they differ
from page to page on the same template element, so they are left out of paths."""
MAX_TOKEN_CHARS = 40
SLUG_WORDS = 3
"""An id of this many words is a slug of the element's text (``what-is-seo``), not a role."""


@dataclass(frozen=True)
class Block:
    """One block element's own text on one page: where it is, what it says, how linked."""

    path: str
    key: str
    chars: int
    linked_chars: int

    @property
    def linked(self) -> bool:
        return self.linked_chars >= LINKED * self.chars


def step_of(element: HtmlElement) -> str:
    """``div.post-body#main``: the element's tag with its stable class tokens and id."""
    tag = element.tag if isinstance(element.tag, str) else "?"
    if tag in ("body", "html"):
        return tag
    return _step(tag, element.get("class") or "", element.get("id") or "")


@lru_cache(maxsize=8192)
def _step(tag: str, classes: str, ident: str) -> str:
    """:func:`step_of` by attribute values (cached: a site repeats them on every page)."""
    tokens = sorted({
        _DIGITS.sub("0", token.lower()) for token in classes.split()
        if len(token) <= MAX_TOKEN_CHARS and not token.lower().startswith(VOLATILE_CLASS_PREFIXES)
    })
    step = tag + "".join("." + token for token in tokens)
    if ident and len(ident) <= MAX_TOKEN_CHARS and len([w for w in _ID_WORDS.split(ident) if w]) < SLUG_WORDS:
        step += "#" + _DIGITS.sub("0", ident.lower())
    return step


class PathCache:
    """Paths of a page's elements, each computed once (a path is its parent's path plus a step)."""

    def __init__(self) -> None:
        self._paths: dict[int, tuple[str, HtmlElement]] = {}

    def path(self, element: HtmlElement) -> str:
        known = self._paths.get(id(element))
        if known is not None:
            return known[0]
        chain: list[HtmlElement] = []
        current: HtmlElement | None = element
        base = ""
        while current is not None:
            cached = self._paths.get(id(current))
            if cached is not None:
                base = cached[0]
                break
            chain.append(current)
            if current.tag == "body":
                break
            current = current.getparent()
        for link in reversed(chain):
            step = step_of(link)
            base = step if not base or step == "body" else f"{base} > {step}"
            self._paths[id(link)] = (base, link)  # the element is kept alive with its id
        return base


def text_key(squeezed: str) -> str:
    """A short stable key of a block's text (whitespace removed, case folded)."""
    return hashlib.blake2b(squeezed.encode("utf-8"), digest_size=8).hexdigest()


@dataclass
class PageBlocks:
    """A page's blocks with text of their own, by element, and the paths of its elements."""

    blocks: dict[int, Block]
    elements: dict[int, HtmlElement]
    paths: PathCache

    def block_of(self, element: HtmlElement) -> Block | None:
        return self.blocks.get(id(element))


def read_blocks(index: PageIndex, only: Iterable[HtmlElement | None] | None = None) -> PageBlocks:
    """Every block element of the indexed page that holds text of its own (see module doc),
    or only those of ``only`` (applying a profile needs just the extracted lines' blocks,
    and paths are most of the cost)."""
    wanted = None if only is None else {id(element) for element in only if element is not None}
    stream, starts, owners = index.stream, index.starts, index.owners
    texts: dict[int, list[str]] = {}
    chars: dict[int, list[int]] = {}
    elements: dict[int, HtmlElement] = {}
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(stream)
        block = index.element_at(start)
        slot = id(block)
        if wanted is not None and slot not in wanted:
            continue
        owner = owners[number]
        linked = _inside_link(owner, block)
        if slot not in texts:
            texts[slot] = []
            chars[slot] = [0, 0]
            elements[slot] = block
        texts[slot].append(stream[start:end])
        chars[slot][0] += end - start
        if linked:
            chars[slot][1] += end - start
    paths = PathCache()
    blocks = {
        slot: Block(paths.path(elements[slot]), text_key("".join(parts)), chars[slot][0], chars[slot][1])
        for slot, parts in texts.items()
    }
    return PageBlocks(blocks, elements, paths)


def _inside_link(owner: HtmlElement, block: HtmlElement) -> bool:
    current: HtmlElement | None = owner
    while current is not None and current is not block:
        if current.tag == "a":
            return True
        current = current.getparent()
    return False


def traced_blocks(index: PageIndex, lines: Sequence[str]) -> list[Block | None]:
    """Each extracted line's block (``None`` when untraced; lines are traced as the HTML
    evidence traces them), reading only those blocks: what applying a profile needs of a page."""
    elements = trace_elements(index, lines)
    blocks = read_blocks(index, elements)
    return [None if element is None else blocks.block_of(element) for element in elements]


def container_path(traced: Sequence[HtmlElement | None], words: Sequence[int], paths: PathCache, share: float) -> str | None:
    """The path of the deepest element holding ``share`` of the extracted words: where the
    article lives on this page (``None`` when nothing was traced)."""
    total = sum(w for element, w in zip(traced, words) if element is not None)
    if not total:
        return None
    held: dict[int, list] = {}
    for element, w in zip(traced, words):
        current = element
        chain = []
        while current is not None and current.tag != "html":
            chain.append(current)
            current = current.getparent()
        for depth, ancestor in enumerate(reversed(chain)):
            slot = held.setdefault(id(ancestor), [0, depth, ancestor])
            slot[0] += w
    best = max((slot for slot in held.values() if slot[0] >= share * total), key=lambda slot: slot[1], default=None)
    return paths.path(best[2]) if best is not None else None
