"""Counting a corpus for the learner on N processes: shard counts merged in the parent.

The inputs are read as work items (one feed line, or one text/HTML file); workers turn
batches of items into documents (HTML extraction is the expensive part) and count each
batch into its own :class:`~cleaner.learn.LineCounts`, which the parent merges. The
counts are order-independent, so the learned rules equal the single-process ones.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple
from collections.abc import Callable

from ..learn import Document, FeedFields, LineCounts
from ..learn.counts import DEFAULT_MAX_KEYS
from ..model import document_scorer
from ..learn.documents import HTML_SUFFIXES, JSONL_SUFFIXES, TEXT_SUFFIXES, LearnInputError, has_suffix, read_file_document
from .pool import batched, ordered_map, resolve_jobs
from .progress import Progress
from .records import record_document
from .streams import close_stream, numbered_lines, open_input

BATCH_SIZE = 32


class WorkItem(NamedTuple):
    """One unit of input: a feed line (``number``, ``raw``) or a whole file (``number`` 0)."""

    path: str
    number: int
    raw: bytes


def _is_feed(path: Path) -> bool:
    return has_suffix(path, JSONL_SUFFIXES)


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
    if not _is_feed(path):
        yield WorkItem(str(path), 0, b"")
        return
    stream = open_input(path)
    try:
        for number, raw in numbered_lines(stream):
            if raw.strip():
                yield WorkItem(str(path), number, raw)
    finally:
        close_stream(stream)


def work_item_document(item: WorkItem, fields: FeedFields) -> Document | None:
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


Scorer = Callable[[Document], Any]
_worker: tuple[FeedFields, Scorer | None, int] | None = None


def init_worker(fields: FeedFields, use_model: bool, max_keys: int) -> None:
    """Pool initializer: remember the fields and load the line model once per process."""
    global _worker
    _worker = (fields, document_scorer() if use_model else None, max_keys)


def count_batch(batch: list[WorkItem]) -> LineCounts:
    """Worker task: the counts of one batch of items."""
    if _worker is None:
        raise RuntimeError("count_batch called in a process that init_worker did not set up")
    fields, scorer, max_keys = _worker
    counts = LineCounts(max_keys=max_keys)
    for item in batch:
        document = work_item_document(item, fields)
        if document is not None:
            counts.add_document(document, scorer(document) if scorer is not None else None)
    return counts


def count_parallel(
    inputs: Iterable[str | os.PathLike[str]], *, fields: FeedFields = FeedFields(), counts: LineCounts | None = None,
    use_model: bool = True, jobs: int | None = None, progress: bool | None = None, batch_size: int = BATCH_SIZE,
) -> LineCounts:
    """Count ``inputs`` on ``jobs`` processes into ``counts`` (a new state by default) and return it."""
    jobs = resolve_jobs(jobs)
    counts = counts if counts is not None else LineCounts(max_keys=DEFAULT_MAX_KEYS)
    with Progress("learning", enabled=progress) as bar:
        batches = batched(iter_work_items(inputs), batch_size)
        for shard, size in ordered_map(_count_sized, batches, jobs=jobs, initializer=init_worker,
                                       initargs=(fields, use_model, counts.max_keys)):
            counts.merge(shard)
            bar.advance(size)
    return counts


def _count_sized(batch: list[WorkItem]) -> tuple[LineCounts, int]:
    return count_batch(batch), len(batch)
