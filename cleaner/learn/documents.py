"""Reading a corpus for the learner: directories of text/HTML files and JSON Lines feeds.

Every input becomes a :class:`Document` (an id, an optional URL, and its non-blank,
whitespace-normalised lines). Feed items are read by :class:`~cleaner.records.RecordAdapter`,
the reader the corpus runner, Dask and the Scrapy pipeline use too; HTML goes through
:func:`extract_text`, the one place that decides how pages become text, so the learner
sees what ``clean_html`` sees. Inputs are read as work items (one feed line, or one
file) so that the parallel learner (``cleaner.corpus.learning``) reads exactly as this
module does, batch by batch in worker processes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from ..errors import CleanerError
from ..inputs import decode_bytes, to_text
from ..records import Kind, Page, RecordAdapter, RecordFields, decide_kind
from ..sites import site_of
from ..streams import close_stream, numbered_lines, open_input
from ..textlines import normalize_space, split_text

if TYPE_CHECKING:
    from ..profiles import PageSummary

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
    page: PageSummary | None = None
    """What an HTML page adds to its site's profile (``cleaner.profiles``); ``None`` for text."""


def extract_text(html: str, url: str | None = None) -> str:
    """Article text of an HTML page, extracted exactly as ``clean_html`` extracts it."""
    return "\n\n".join("\n".join(block) for block in extract_blocks(html, url)[0])


def extract_page(html: str, url: str | None = None) -> tuple[str, PageSummary | None]:
    """The article text of an HTML page (as :func:`extract_text`) and its summary for the
    site profile (``None`` when the page cannot be traced)."""
    from ..extraction import extract
    from ..profiles import page_summary

    extraction = extract(html, url)
    if extraction.page is None:
        return extraction.text, None
    return extraction.text, page_summary(site_of(url), extraction.page, extraction.lines)


def extract_blocks(html: str, url: str | None = None) -> tuple[list[list[str]], list[Any] | None]:
    """trafilatura's output blocks (lists of lines) and, when available, each line's HTML evidence.

    The extraction of ``clean_html`` (:func:`cleaner.extraction.extract`).
    """
    from ..extraction import extract

    extraction = extract(html, url)
    if not extraction.blocks:
        return [], None
    return [list(block) for block in extraction.blocks], None if extraction.evidence is None else list(extraction.evidence)


def text_lines(text: str) -> tuple[str, ...]:
    """The non-blank, whitespace-normalised lines of ``text``."""
    return tuple(normalize_space(raw) for _number, raw in split_text(text).lines)


def has_suffix(path: Path, suffixes: tuple[str, ...]) -> bool:
    """Whether ``path``'s name ends with one of ``suffixes`` (case-insensitive)."""
    name = path.name.lower()
    return any(name.endswith(s) for s in suffixes)


def page_document(page: Page | None, doc_id: str) -> Document | None:
    """The :class:`Document` of a page: HTML extracted, text as is; ``None`` when it holds no
    text (blank, nothing extracted, or a value that is not text)."""
    if page is None or page.blank or not isinstance(page.content, (str, bytes, bytearray)):
        return None
    text = to_text(page.content)
    summary = None
    if page.kind == "html":
        text, summary = extract_page(text, page.url)
    lines = text_lines(text)
    return Document(doc_id, page.url, lines, summary) if lines else None


def read_file_document(path: Path, *, url: str | None = None) -> Document | None:
    """A document from one ``.txt``/``.html`` file (``None`` when it holds no text); a file
    of another name is HTML when it looks like HTML."""
    with open_input(path) as handle:
        data = handle.read()
    text = decode_bytes(data, html=has_suffix(path, HTML_SUFFIXES))
    kind: Kind | Literal["auto"] = "html" if has_suffix(path, HTML_SUFFIXES) else "text" if has_suffix(path, TEXT_SUFFIXES) else "auto"
    return page_document(Page(str(path), text, decide_kind(kind, text), url), str(path))


def record_document(record: Any, fields: RecordFields, doc_id: str) -> Document | None:
    """The document of one feed item or Dask record (``None`` when it is not an object or holds no text)."""
    if not isinstance(record, dict):
        return None
    return page_document(RecordAdapter(record, fields).page(), doc_id)


class WorkItem(NamedTuple):
    """One unit of input: a feed line (``number``, ``raw``) or a whole file (``number`` 0)."""

    path: str
    number: int
    raw: bytes


def _readable(path: Path) -> bool:
    return has_suffix(path, TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES)


def iter_work_items(inputs: Iterable[str | os.PathLike[str]]) -> Iterator[WorkItem]:
    """Every item under ``inputs``: directory files in sorted order, a feed line by line, a file whole."""
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            files: list[Path] = []
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames.sort()
                files.extend(Path(dirpath) / f for f in filenames if _readable(Path(f)))
            for file in sorted(files):
                yield from _items_of(file)
        elif path.is_file():
            yield from _items_of(path)
        else:
            raise LearnInputError(f"{path}: no such file or directory")


def _items_of(path: Path) -> Iterator[WorkItem]:
    if not has_suffix(path, JSONL_SUFFIXES):
        yield WorkItem(str(path), 0, b"")
        return
    stream = open_input(path)
    try:
        for number, raw in numbered_lines(stream):
            if raw.strip():
                yield WorkItem(str(path), number, raw)
    finally:
        close_stream(stream)


def work_item_document(item: WorkItem, fields: RecordFields) -> Document | None:
    """The document of one work item (``None`` when it holds no text); bad JSON is an error."""
    if item.number == 0:
        return read_file_document(Path(item.path))
    try:
        record = json.loads(item.raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise LearnInputError(f"{item.path}:{item.number}: not a JSON object ({reason}); expected one item per line") from None
    if not isinstance(record, dict):
        raise LearnInputError(f"{item.path}:{item.number}: expected a JSON object per line, got {type(record).__name__}")
    return record_document(record, fields, f"{item.path}:{item.number}")


def iter_documents(inputs: Iterable[str | os.PathLike[str]], fields: RecordFields = RecordFields()) -> Iterator[Document]:
    """Every document under ``inputs``: directories are walked (sorted), feeds read item by item.

    The same reading as the parallel learner's (``cleaner.corpus.learning``), one item at a time.
    """
    for item in iter_work_items(inputs):
        document = work_item_document(item, fields)
        if document is not None:
            yield document
