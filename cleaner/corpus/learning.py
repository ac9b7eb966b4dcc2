"""Counting a corpus for the learner on N processes: shard counts merged in the parent.

The inputs are read as work items, exactly as the single-process learner reads them
(``cleaner.learn.documents``); workers turn batches of items into documents (HTML
extraction is the expensive part) and count each batch into its own
:class:`~cleaner.learn.LineCounts`, which the parent merges. The counts are
order-independent, so the learned rules equal the single-process ones.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from ..learn import Document, LineCounts
from ..learn.counts import DEFAULT_MAX_KEYS
from ..learn.documents import WorkItem, iter_work_items, work_item_document
from ..model import document_scorer
from ..records import RecordFields
from .pool import batched, ordered_map, resolve_jobs
from .progress import Progress

BATCH_SIZE = 32


Scorer = Callable[[Document], Any]
_worker: tuple[RecordFields, Scorer | None, int] | None = None


def init_worker(fields: RecordFields, use_model: bool, max_keys: int) -> None:
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
    inputs: Iterable[str | os.PathLike[str]], *, fields: RecordFields = RecordFields(), counts: LineCounts | None = None,
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
