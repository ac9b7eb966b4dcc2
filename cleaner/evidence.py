"""What the HTML source says about an extracted line: the typed value the core's stages read.

The DOM tracer (:mod:`cleaner.tracer`) makes one :class:`Evidence` per extracted line;
the core carries it on :class:`~cleaner.view.Line` (``None`` for plain text), the
``html.evidence`` detector and the line model's features read it. Nothing here needs lxml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

Hint = Literal[
    "nav", "aside", "footer", "header", "figcaption", "caption", "share", "social", "newsletter",
    "subscribe", "related", "recommended", "comment", "byline", "author", "date", "tag",
    "breadcrumb", "ad", "promo", "cookie", "widget",
]
"""What a junk-signalling tag or class/id token says a block is (see ``cleaner.tracer.TOKEN_HINTS``)."""

HINTS: frozenset[Hint] = frozenset(get_args(Hint))

JUNK_HINTS: frozenset[Hint] = frozenset({
    "nav", "breadcrumb", "share", "social", "newsletter", "subscribe", "cookie", "ad", "promo",
    "related", "recommended", "comment", "caption", "figcaption",
})
"""Hints of blocks that never hold article text: a non-prose line in one goes.
(``widget`` is not one: page builders wrap article text in ``elementor-widget``.)"""

META_HINTS: frozenset[Hint] = frozenset({"byline", "author", "date", "tag"})
"""Hints of article metadata blocks: a short label line (not a heading) in one goes."""

PAGE_HINTS: frozenset[Hint] = frozenset({"aside", "footer"})
"""Page regions that hold both: a line there goes only when it is mostly links.
(``header`` is not one: article cards and headings sit in ``entry-header`` blocks.)"""

DECIDING_HINTS: frozenset[Hint] = JUNK_HINTS | META_HINTS | PAGE_HINTS
"""Hints the ``html.evidence`` detector acts on; the others (``widget``, ``header``) only
describe the element, and the tracer lets a deciding hint further up win over them."""

HEADING_TAGS: frozenset[str] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


LINKED = 0.5
"""Link density from which text counts as link text ("mostly linked"): a navigation line, a
teaser, a block of links. One number for the detectors and the site profiles."""


@dataclass(frozen=True)
class Evidence:
    """The source element of an extracted line, as the tracer found it.

    ``tag``: the element's tag, lowercased (``"p"``, ``"li"``, ``"h1"`` ...).
    ``ancestors``: ancestor tags, nearest first, up to ``<body>`` (at most 8).
    ``hint``: the first junk-signalling tag or class/id token on the element or an ancestor
    (``"share"``, ``"related"``, ``"figcaption"`` ...), or ``None``.
    ``link_density``: share of the element's letters and digits inside ``<a>`` (0..1).
    """

    tag: str
    ancestors: tuple[str, ...] = ()
    hint: Hint | None = None
    link_density: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (round-trips through :meth:`from_dict`)."""
        return {"tag": self.tag, "ancestors": list(self.ancestors), "hint": self.hint, "link_density": self.link_density}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evidence:
        """Evidence from its JSON form; a ``ValueError`` names a hint the tracer does not make."""
        hint = data.get("hint")
        if hint is not None and hint not in HINTS:
            raise ValueError(f"unknown evidence hint {hint!r}; known: {', '.join(sorted(HINTS))}")
        return cls(
            str(data.get("tag") or ""), tuple(str(a) for a in data.get("ancestors") or ()), hint,
            float(data.get("link_density") or 0.0),
        )
