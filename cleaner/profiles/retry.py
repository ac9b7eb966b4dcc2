"""A page where extraction missed the site's article container, extracted again within it.

A profile knows where a site's article lives (the container path, found on most of the
pages it was learned from). When a new page has that element but its extraction holds
(almost) none of the element's text, trafilatura picked something else (a comment
thread, a teaser list, a short intro block): the page is extracted again from a copy of
itself that holds only the container (and its ancestors, so every path stays the same),
and the warnings say so.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..tracer import squeeze
from .paths import Block, PathCache

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from ..extraction import Extraction
    from .profile import SiteProfile

MISSED_SHARE = 0.1
"""Extraction missed the container when it holds under this share of the container's text
(letters and digits). One number for all sites; on the tuning half of the Dragnet sites
0.1 to 0.5 made no difference and 0.7 was worse, so the least eager one is used
(``bench/site_benchmark.py``, column ``retry``; it triggers on no Dragnet page)."""


def inside(path: str, container: str) -> bool:
    """Whether an element with ``path`` lies in (or is) an element with the ``container`` path."""
    return path == container or path.startswith(container + " > ")


def chars_inside(container: str, traced: Sequence[Block | None], lines: Sequence[str]) -> int:
    """Letters and digits of the extracted ``lines`` whose block (``traced``) lies in the container."""
    return sum(len(squeeze(line)) for block, line in zip(traced, lines) if block is not None and inside(block.path, container))


def find_container(root: HtmlElement, container: str) -> HtmlElement | None:
    """The page's element with the ``container`` path holding the most text, if any."""
    tag = container.rsplit(" > ", 1)[-1].split(".", 1)[0].split("#", 1)[0]
    paths = PathCache()
    found = [element for element in root.iter(tag) if paths.path(element) == container]
    return max(found, key=lambda element: len(element.text_content()), default=None)


def missed_container(
    profile: SiteProfile, root: HtmlElement, traced: Sequence[Block | None], lines: Sequence[str], page_chars: int,
) -> HtmlElement | None:
    """The container element of a page (``root``, with ``page_chars`` letters and digits of
    text) whose extraction (``lines``, their blocks ``traced``) holds under
    :data:`MISSED_SHARE` of its text, while the container holds more text than the whole
    extraction; ``None`` when the profile has no container, the page does not have it, or
    extraction found it. (A container smaller than what was extracted is no missed article:
    on a WCXB site the container learned from three pages whose extraction was a promo bar
    was a promo slide, and pages whose article was extracted were retried within it.)"""
    if profile.container is None:
        return None
    held = chars_inside(profile.container, traced, lines)
    if held >= MISSED_SHARE * page_chars:
        return None  # it holds that share of the whole page, so of any container in it: not missed
    element = find_container(root, profile.container)
    if element is None:
        return None
    chars = len(squeeze(element.text_content()))
    extracted = sum(len(squeeze(line)) for line in lines)
    return element if chars > extracted and held < MISSED_SHARE * chars else None


def only_container(root: HtmlElement, element: HtmlElement) -> HtmlElement:
    """A copy of the page (``root``) holding only ``element`` and its ancestors (and the
    ``<head>``): paths in the copy are the same as in the page."""
    route: list[int] = []
    current = element
    while current is not root:
        parent = current.getparent()
        if parent is None:
            raise ValueError("element is not in the page")
        route.append(parent.index(current))
        current = parent
    copied = copy.deepcopy(root)
    node = copied
    for position in reversed(route):
        keep = node[position]
        for child in list(node):
            if child is not keep and child.tag != "head":
                node.remove(child)  # with its tail text
        node.text = keep.tail = None
        node = keep
    return copied


def retry_missed(
    profile: SiteProfile, extraction: Extraction, traced: Sequence[Block | None],
    root: HtmlElement | None = None, page_chars: int | None = None,
) -> Extraction | None:
    """``extraction`` done again within the site's article container when it missed it (see
    :func:`missed_container`; ``traced``: its lines' blocks), else ``None``. ``root`` and
    ``page_chars`` (the page and its letters and digits) default to the page the extraction
    was traced in."""
    if profile.container is None:
        return None
    index = extraction.page
    if root is None and index is not None and index.owners:
        root = index.owners[0].getroottree().getroot()
    if page_chars is None and index is not None:
        page_chars = len(index.stream)
    if root is None or page_chars is None:
        return None
    element = missed_container(profile, root, traced, extraction.lines, page_chars)
    return retry_extraction(profile, extraction, element, root) if element is not None else None


def retry_extraction(profile: SiteProfile, extraction: Extraction, element: HtmlElement, root: HtmlElement) -> Extraction | None:
    """``extraction`` done again within ``element`` (the site's container on ``root``, the
    page), with a warning saying so; ``None`` when trafilatura finds no text there either."""
    from ..extraction import EXTRACTION, Extraction, extract_tree

    retried = extract_tree(only_container(root, element), extraction.url, EXTRACTION)
    if not retried.blocks:
        return None
    warning = (
        f"extraction missed the article container of {profile.site} ({_tail(profile.container or '')}, found on "
        f"{profile.container_pages} of {profile.pages} pages); extracted again within it"
    )
    return Extraction(
        retried.url, retried.blocks, retried.evidence, extraction.metadata,
        (*retried.warnings, warning), retried.fallback, retried.page,
    )


def _tail(path: str) -> str:
    return " > ".join(path.split(" > ")[-2:])
