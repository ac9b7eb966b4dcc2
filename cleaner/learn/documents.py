"""Reading a corpus for the learner: directories of text/HTML files and JSON Lines feeds.

Every input becomes a :class:`Document` (an id, an optional URL, and its non-blank,
whitespace-normalised lines). HTML goes through :func:`extract_text`, the one place
that decides how pages become text, so the learner sees what ``clean_html`` sees.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from ..errors import CleanerError
from ..inputs import decode_bytes, looks_like_html
from ..textlines import normalize_space, split_text

TEXT_SUFFIXES = (".txt", ".txt.gz")
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
JSONL_SUFFIXES = tuple(f"{base}{packed}" for base in (".jsonl", ".jl", ".ndjson") for packed in ("", ".gz", ".zst"))


class LearnInputError(CleanerError):
    """A learner input is missing, unreadable or not in a format the learner reads."""


@dataclass(frozen=True)
class Document:
    """One document of the corpus: where it came from, its URL if known, its lines."""

    id: str
    url: str | None
    lines: tuple[str, ...]


@dataclass(frozen=True)
class FeedFields:
    """Which JSON Lines fields hold the text, the HTML and the URL of an item."""

    text: str = "text"
    html: str = "html"
    url: str = "url"


def extract_text(html: str, url: str | None = None) -> str:
    """Article text of an HTML page, extracted exactly as ``clean_html`` extracts it."""
    return "\n\n".join("\n".join(block) for block in extract_blocks(html, url)[0])


def extract_blocks(html: str, url: str | None = None) -> tuple[list[list[str]], list[Any] | None]:
    """trafilatura's output blocks (lists of lines) and, when available, each line's HTML evidence.

    The extraction of ``clean_html`` (``cleaner.html.extract_article``).
    """
    from ..html import EXTRACTION, extract_article, parse_html

    tree = parse_html(html)
    extracted = extract_article(tree, url, EXTRACTION) if tree is not None else None
    if extracted is None:
        return [], None
    return extracted.blocks, extracted.evidence


def text_lines(text: str) -> tuple[str, ...]:
    """The non-blank, whitespace-normalised lines of ``text``."""
    return tuple(normalize_space(raw) for _number, raw in split_text(text).lines)


def open_maybe_gzip(path: Path) -> IO[bytes]:
    """Open ``path`` for reading bytes, decompressing ``.gz`` files."""
    if path.suffix == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


def has_suffix(path: Path, suffixes: tuple[str, ...]) -> bool:
    """Whether ``path``'s name ends with one of ``suffixes`` (case-insensitive)."""
    name = path.name.lower()
    return any(name.endswith(s) for s in suffixes)


def read_file_document(path: Path, *, url: str | None = None) -> Document | None:
    """A document from one ``.txt``/``.html`` file (``None`` when it holds no text)."""
    with open_maybe_gzip(path) as handle:
        data = handle.read()
    text = decode_bytes(data)
    if has_suffix(path, HTML_SUFFIXES) or (not has_suffix(path, TEXT_SUFFIXES) and looks_like_html(text)):
        text = extract_text(text, url)
    lines = text_lines(text)
    return Document(str(path), url, lines) if lines else None


def item_document(item: dict[str, Any], fields: FeedFields, doc_id: str) -> Document | None:
    """The :class:`Document` of one feed item: its non-blank HTML field extracted, else its
    text field; ``None`` when it holds neither (values of other types are ignored)."""
    url = item.get(fields.url)
    url = url if isinstance(url, str) and url else None
    html = item.get(fields.html)
    text = item.get(fields.text)
    if isinstance(html, str) and html.strip():
        text = extract_text(html, url)
    if not isinstance(text, str) or not text.strip():
        return None
    lines = text_lines(text)
    return Document(doc_id, url, lines) if lines else None


def iter_documents(inputs: Iterable[str | os.PathLike[str]], fields: FeedFields = FeedFields()) -> Iterator[Document]:
    """Every document under ``inputs``: directories are walked (sorted), feeds read item by item.

    The same reading as the parallel learner's (``cleaner.corpus.learning``), one item at a time.
    """
    from ..corpus.learning import iter_work_items, work_item_document

    for item in iter_work_items(inputs):
        document = work_item_document(item, fields)
        if document is not None:
            yield document
