"""HTML pages and trafilatura: decoding, parsing within limits, the text body, the metadata.

The page is parsed once (trafilatura's ``load_html``); ``bare_extraction`` works on a
copy of that tree and returns the text body; metadata is extracted from the same tree
on first access (:class:`LazyMetadata`). :mod:`cleaner.extraction` puts these together
into an :class:`~cleaner.extraction.Extraction`, which the core cleans.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any


from .errors import ExtractionError, InputTypeError
from .inputs import decode_html, describe_type
from .textlines import normalize_space

if TYPE_CHECKING:  # lxml is imported by trafilatura when a page is parsed, not with the package
    from lxml.html import HtmlElement

METADATA_FIELDS = ("title", "author", "date", "sitename", "url", "hostname", "description", "categories", "tags", "language", "image")
"""Fields of trafilatura's metadata copied to ``Result.metadata`` when found."""

MAX_HTML_CHARS = 20_000_000
"""Pages longer than this (characters, or bytes before decoding) are refused with
:class:`ExtractionError`; trafilatura's own download limit is the same 20 MB."""

MAX_HTML_ELEMENTS = 100_000
"""Pages with more elements than this are refused with :class:`ExtractionError`:
trafilatura's cost grows faster than linearly in the element count (about 7 s for 50,000
tiny elements here, over 4 minutes and 1.9 GB for 1,000,000), while real article pages
have a few thousand. Elements nested deeper than lxml's limit (256 levels) are dropped
by the parser, so such a page may yield no text (a warning says so)."""

def parse_html(html: Any) -> HtmlElement | None:
    """The page as an lxml tree; ``None`` for empty or blank input.

    Raises :class:`InputTypeError` for non-text input, :class:`DecodeError` for bytes
    that decode as nothing, :class:`ExtractionError` when lxml cannot build a tree.
    """
    if isinstance(html, (bytes, bytearray, memoryview)):
        text = decode_html(bytes(html))
    elif isinstance(html, str):
        text = html
    else:
        raise InputTypeError(
            f"expected HTML as str or bytes, got {describe_type(html)}; "
            "pass the page source, e.g. response.text or response.body"
        )
    if len(text) > MAX_HTML_CHARS:
        raise ExtractionError(
            f"the page is {len(text):,} characters, over the limit of {MAX_HTML_CHARS:,}; "
            "it is unlikely to be one article: split it, or clean its text with kind='text'"
        )
    if not text.strip():
        return None
    from trafilatura.utils import load_html

    try:
        tree = load_html(text)
        if tree is None or not len(tree):
            # a fragment ("<p>x</p>") is rejected as dubious HTML; a wrapper makes it a document
            tree = load_html(f"<html><body><div>{text}</div></body></html>")
    except Exception as err:
        raise ExtractionError(f"could not parse the HTML ({type(err).__name__}: {err})") from err
    if tree is None:
        raise ExtractionError("could not parse the HTML: lxml built no document tree from it")
    elements = _count_elements(tree, MAX_HTML_ELEMENTS + 1)
    if elements > MAX_HTML_ELEMENTS:
        raise ExtractionError(
            f"the page has over {MAX_HTML_ELEMENTS:,} elements; extraction time grows faster than "
            "the page, so it is refused: clean its text with kind='text' instead"
        )
    return tree


def _count_elements(tree: HtmlElement, stop: int) -> int:
    """Number of elements in ``tree`` (counted by libxml2, capped at ``stop``)."""
    return min(int(tree.xpath("count(//*)")), stop)


def extract_document(tree: HtmlElement, url: str | None, settings: Mapping[str, Any]) -> Any:
    """trafilatura's ``Document`` (the text body) for ``tree``; ``None`` when it finds no text.

    Metadata is not extracted here: :class:`LazyMetadata` does it on first access.
    """
    from trafilatura import bare_extraction

    try:
        return bare_extraction(tree, url=url, with_metadata=False, **settings)
    except Exception as err:
        raise ExtractionError(f"trafilatura could not extract this page ({type(err).__name__}: {err})") from err


def document_blocks(document: Any) -> list[list[str]]:
    """The extracted text as blocks (one per element of trafilatura's output body) of lines."""
    from trafilatura.xml import xmltotxt

    body = getattr(document, "body", None)
    if body is None:
        return []
    blocks: list[list[str]] = []
    if body.text and normalize_space(body.text):
        blocks.append([normalize_space(body.text)])
    for child in body:
        lines = [line for line in xmltotxt(child, False).splitlines() if normalize_space(line)]
        if lines:
            blocks.append(lines)
    return blocks


def document_metadata(document: Any) -> dict[str, Any]:
    """The metadata fields trafilatura found (``title``, ``date``, ``author`` ...)."""
    found: dict[str, Any] = {}
    for name in METADATA_FIELDS:
        value = getattr(document, name, None)
        if value:
            found[name] = value
    return found


class LazyMetadata(Mapping[str, Any]):
    """``Result.metadata`` of an HTML page, extracted by trafilatura on first access.

    Metadata extraction (author and date search) costs about a quarter of an extraction,
    so callers that only want the text do not pay for it. Pickling (process pools)
    extracts first and sends a plain ``dict``.
    """

    def __init__(self, tree: HtmlElement, url: str | None, settings: Mapping[str, Any]) -> None:
        self._source: tuple[HtmlElement, str | None, Mapping[str, Any]] | None = (tree, url, settings)
        self._data: dict[str, Any] = {}

    def _load(self) -> dict[str, Any]:
        if self._source is not None:
            tree, url, settings = self._source
            self._source = None
            from trafilatura.metadata import extract_metadata

            try:
                # asked for explicitly, so trafilatura's extensive search (whatever ``fast`` says)
                document = extract_metadata(tree, url, settings.get("date_extraction_params"), True)
                self._data = document_metadata(document)
            except Exception:
                self._data = {}
            if url and "url" not in self._data:
                self._data["url"] = url
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return repr(self._load()) if self._source is None else "LazyMetadata(<not extracted yet>)"

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self._load()),))
