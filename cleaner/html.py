"""HTML in: trafilatura extracts the article once, our core cleans what it kept.

The page is parsed once (trafilatura's ``load_html``); ``bare_extraction`` works on a
copy of that tree and returns the text body and the metadata together; the original
tree then tells each extracted line where it came from (``cleaner.evidence``), and the
core removes the junk trafilatura let through, with the same explanations as for text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import regex
from lxml.html import HtmlElement

from .errors import DecodeError, ExtractionError, InputTypeError
from .evidence import PageIndex, line_evidence, squeeze
from .inputs import decode_bytes, describe_type
from .result import Result
from .textlines import normalize_space

if TYPE_CHECKING:
    from .core import Cleaner

EXTRACTION: Mapping[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "fast": True,
    "date_extraction_params": {"original_date": False, "extensive_search": False},
}
"""trafilatura settings of ``bare_extraction``, chosen by measurement (README, benchmark
section): comments are not article text; ``fast`` skips trafilatura's readability and
jusText fallbacks, which cost about a fifth of its time and help only on pages where its
own extraction comes out short, so they run only there (:data:`FALLBACK_SHARE`); the cheap
date search keeps metadata extraction from doubling the cost of a page."""

FALLBACK_SHARE = 0.15
"""With ``fast`` extraction, a page whose extracted text is under this share of the page's
text (letters and digits, scripts and styles excluded) is extracted again with trafilatura's
full cascade. Chosen on WCXB article pages: all of the fallbacks' gain there came from pages
whose fast extraction was short; at 0.15 about one page in twenty is extracted twice."""

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

_META_CHARSET = regex.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", regex.IGNORECASE
)


def decode_html(data: bytes) -> str:
    """Decode HTML bytes: a BOM or valid UTF-8 first, then the declared ``<meta charset>``,
    then the encoding ``charset_normalizer`` detects; :class:`DecodeError` when all fail."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:8192])
    if declared:
        name = declared.group(1).decode("ascii", "ignore")
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return decode_bytes(data)
    except DecodeError as err:
        raise DecodeError(f"could not decode the HTML: {err}") from None


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


class Extraction(NamedTuple):
    """What trafilatura kept of a page: blocks of lines, each line's HTML evidence (``None``
    when the page is too deeply nested to trace), and whether the full cascade ran again."""

    blocks: list[list[str]]
    evidence: list[Mapping[str, Any] | None] | None
    fallback: bool


def extract_article(tree: HtmlElement, url: str | None, settings: Mapping[str, Any]) -> Extraction | None:
    """Extract the article text of ``tree`` and trace its lines; ``None`` when there is none.

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
        return None
    try:
        evidence = line_evidence(tree, blocks, index) if index is not None else None
    except RecursionError:
        evidence = None
    return Extraction(blocks, evidence, fallback)


def _short(blocks: list[list[str]], index: PageIndex) -> bool:
    extracted = sum(len(squeeze(line)) for block in blocks for line in block)
    return extracted < FALLBACK_SHARE * len(index.stream)


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


def explain_html(
    cleaner: Cleaner, html: Any, url: str | None = None, *, extraction: Mapping[str, Any] | None = None,
) -> Result:
    """Extract the article from ``html`` and clean it with ``cleaner``.

    ``extraction`` overrides :data:`EXTRACTION` (trafilatura settings). The result's
    ``kind`` is ``"html"`` and its ``metadata`` holds what trafilatura found.
    """
    tree = parse_html(html)
    if tree is None:
        return Result(text="", kind="html", url=url)
    settings = dict(EXTRACTION if extraction is None else extraction)
    extracted = extract_article(tree, url, settings)
    if extracted is None:
        result = Result(text="", kind="html", url=url)
        result.warnings.append("trafilatura found no article text in this page")
        return result
    blocks, evidence, _fallback = extracted
    text = "\n\n".join("\n".join(block) for block in blocks)
    result = cleaner.explain_text(text, url=url, evidence=evidence)
    result.kind = "html"
    result.metadata = LazyMetadata(tree, url, settings)
    if evidence is None:
        result.warnings.append("page too deeply nested to trace lines to their HTML elements; cleaned as text")
    return result
