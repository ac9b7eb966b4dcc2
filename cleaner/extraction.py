"""An HTML page in, data out: what trafilatura kept, each line's HTML evidence, metadata, warnings.

:func:`extract` is the whole HTML side of ``clean_html``: parse the page once, let
trafilatura extract its text body (again with its full cascade when the fast pass came
out short), trace every extracted line back to its source element
(:mod:`cleaner.tracer`). The :class:`Extraction` it returns is plain data: the core
(:meth:`cleaner.Cleaner.explain_extraction`) cleans it like text, with the evidence, and
builds the :class:`~cleaner.result.Result` once. Nothing here knows the core.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .evidence import Evidence
from .html import LazyMetadata, document_blocks, extract_document, parse_html
from .tracer import PageIndex, line_evidence, squeeze

if TYPE_CHECKING:
    from lxml.html import HtmlElement

EXTRACTION: Mapping[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "fast": True,
    "date_extraction_params": {"original_date": False, "extensive_search": False},
}
"""trafilatura settings of ``bare_extraction``, chosen by measurement (docs/benchmarks.md):
comments are not article text; ``fast`` skips trafilatura's readability and jusText
fallbacks, which cost about a fifth of its time and help only on pages where its own
extraction comes out short, so they run only there (:data:`FALLBACK_SHARE`); the cheap
date search keeps metadata extraction from doubling the cost of a page."""

FALLBACK_SHARE = 0.15
"""With ``fast`` extraction, a page whose extracted text is under this share of the page's
text (letters and digits, scripts and styles excluded) is extracted again with trafilatura's
full cascade. Chosen on WCXB article pages: all of the fallbacks' gain there came from pages
whose fast extraction was short; at 0.15 about one page in twenty is extracted twice."""

NO_TEXT = "trafilatura found no article text in this page"
TOO_DEEP = "page too deeply nested to trace lines to their HTML elements; cleaned as text"


@dataclass(frozen=True, eq=False)
class Extraction:
    """What trafilatura kept of a page, ready for the core.

    ``blocks``: the extracted text, one tuple of lines per element of trafilatura's output
    (joined with blank lines between blocks, :attr:`text`). ``evidence``: one entry per
    line of :attr:`lines` describing its source element (``None`` for a line that could not
    be traced), or ``None`` when the page is too deeply nested to trace at all.
    ``metadata``: what trafilatura finds (title, author, date ...), extracted on first
    access. ``warnings``: what went wrong without stopping the extraction. ``fallback``:
    whether trafilatura's full cascade ran after a short fast extraction.
    """

    url: str | None = None
    blocks: tuple[tuple[str, ...], ...] = ()
    evidence: tuple[Evidence | None, ...] | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    fallback: bool = False
    page: PageIndex | None = field(default=None, repr=False)
    """The page's text index when its lines were traced: a site profile traces them to the
    page's blocks with it (``cleaner.profiles``). Not plain data: dropped when pickled."""

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "page": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    @property
    def lines(self) -> tuple[str, ...]:
        """Every extracted line, in order (what :attr:`evidence` is aligned with)."""
        return tuple(line for block in self.blocks for line in block)

    @property
    def text(self) -> str:
        """The extracted text: lines of a block on consecutive lines, blocks apart by a blank line."""
        return "\n\n".join("\n".join(block) for block in self.blocks)


def extract(html: Any, url: str | None = None, *, settings: Mapping[str, Any] | None = None) -> Extraction:
    """Extract the article of an HTML page (``str`` or ``bytes``) and trace its lines.

    ``settings`` replaces :data:`EXTRACTION` (trafilatura's ``bare_extraction`` options).
    Raises :class:`~cleaner.errors.InputTypeError`, :class:`~cleaner.errors.DecodeError` or
    :class:`~cleaner.errors.ExtractionError` (see :func:`cleaner.html.parse_html`); an empty
    page gives an empty extraction, a page without article text one with a warning.
    """
    tree = parse_html(html)
    if tree is None:
        return Extraction(url)
    return extract_tree(tree, url, dict(EXTRACTION if settings is None else settings))


def extract_tree(tree: HtmlElement, url: str | None, settings: Mapping[str, Any]) -> Extraction:
    """:func:`extract` on a parsed page.

    With ``fast`` settings, a page whose extraction is short next to its own text (see
    :data:`FALLBACK_SHARE`) is extracted again without ``fast``.
    """
    document = extract_document(tree, url, settings)
    blocks = document_blocks(document) if document is not None else []
    try:
        index: PageIndex | None = PageIndex(tree)
    except RecursionError:
        index = None
    fallback = False
    if settings.get("fast") and index is not None and _short(blocks, index):
        full = extract_document(tree, url, {**settings, "fast": False})
        if full is not None:
            blocks, fallback = document_blocks(full), True
    if not blocks:
        return Extraction(url, warnings=(NO_TEXT,), fallback=fallback)
    try:
        evidence = line_evidence(tree, blocks, index) if index is not None else None
    except RecursionError:
        evidence = None
    return Extraction(
        url, tuple(tuple(block) for block in blocks), None if evidence is None else tuple(evidence),
        LazyMetadata(tree, url, settings), () if evidence is not None else (TOO_DEEP,), fallback,
        index if evidence is not None else None,
    )


def _short(blocks: list[list[str]], index: PageIndex) -> bool:
    extracted = sum(len(squeeze(line)) for block in blocks for line in block)
    return extracted < FALLBACK_SHARE * len(index.stream)
