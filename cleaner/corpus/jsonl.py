"""Cleaning a JSON Lines dump: stream records through worker processes, write them in order.

The parent only reads and writes bytes; parsing, cleaning and serialising happen in the
workers, each of which gets its :class:`~cleaner.core.Cleaner` once from the factory
(:func:`cleaner.factory.cleaner_for`). A record that
cannot be read is reported with its line number and written through unchanged (or to
the rejects file); one whose cleaning raises is written through unchanged. Neither
stops the run; the :class:`~cleaner.corpus.progress.Summary` counts them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from contextlib import ExitStack
from typing import IO, NamedTuple

from ..config import CleanerConfig
from ..core import Cleaner
from ..factory import cleaner_for
from .pool import batched, ordered_map, resolve_jobs
from .progress import Progress, Summary
from ..records import MalformedRecord, RecordAdapter, RecordFields
from ..streams import close_stream, numbered_lines, open_input, open_output
from .records import clean_record

BATCH_SIZE = 16
MESSAGES_SHOWN = 20

OK, BLANK, MALFORMED, FAILED = "ok", "blank", "malformed", "failed"


class LineOutcome(NamedTuple):
    """What became of one input line: its status, the bytes to write, lines removed, why it failed."""

    number: int
    status: str
    data: bytes
    removed: int = 0
    message: str = ""


_worker: tuple[CleanerConfig, RecordFields] | None = None


def init_worker(config: CleanerConfig, fields: RecordFields) -> None:
    """Pool initializer: remember what to clean with; the process's cleaner comes from the factory."""
    global _worker
    _worker = (config, fields)


def clean_line(number: int, raw: bytes, cleaner: Cleaner, fields: RecordFields) -> LineOutcome:
    """Parse, clean and serialise one JSON Lines record."""
    if not raw.strip():
        return LineOutcome(number, BLANK, raw)
    try:
        record = json.loads(raw)
        page = RecordAdapter(record, fields).check()
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return LineOutcome(number, MALFORMED, raw, message=f"not valid JSON ({exc})")
    except MalformedRecord as exc:
        return LineOutcome(number, MALFORMED, raw, message=str(exc))
    try:
        cleaned, removed = clean_record(record, page, cleaner, fields)
    except Exception as exc:
        return LineOutcome(number, FAILED, raw, message=f"cleaning failed ({type(exc).__name__}: {exc})")
    return LineOutcome(number, OK, json.dumps(cleaned, ensure_ascii=False).encode("utf-8"), removed)


def clean_batch(batch: list[tuple[int, bytes]]) -> list[LineOutcome]:
    """Worker task: clean a batch of numbered lines with this process's cleaner."""
    if _worker is None:
        raise RuntimeError("clean_batch called in a process that init_worker did not set up")
    config, fields = _worker
    cleaner = cleaner_for(config)
    return [clean_line(number, raw, cleaner, fields) for number, raw in batch]


class OutcomeWriter:
    """Where each outcome goes: the output, or the rejects file; counted, problems reported."""

    def __init__(self, label: str, output: IO[bytes], rejects: IO[bytes] | None, progress: Progress) -> None:
        self.label, self.output, self.rejects, self.progress = label, output, rejects, progress
        self.summary = Summary()
        self.problems = 0

    def write(self, outcome: LineOutcome) -> None:
        if outcome.status == BLANK:
            return
        self.summary.documents += 1
        target = self.output
        if outcome.status == OK:
            self.summary.cleaned += 1
            self.summary.lines_removed += outcome.removed
        else:
            if outcome.status == MALFORMED:
                self.summary.malformed += 1
                target = self.rejects or self.output
            else:
                self.summary.failed += 1
            self.problems += 1
            if self.problems <= MESSAGES_SHOWN:
                self.progress.write(f"{self.label}:{outcome.number}: {outcome.status} record: {outcome.message}")
        target.write(outcome.data + b"\n")
        self.progress.advance(1)

    def finish(self) -> Summary:
        if self.problems > MESSAGES_SHOWN:
            self.progress.write(f"{self.label}: {self.problems - MESSAGES_SHOWN} more problem record(s) not shown")
        return self.summary.finish()


def clean_jsonl(
    source: str | os.PathLike[str], destination: str | os.PathLike[str], *,
    fields: RecordFields = RecordFields(), rules: Sequence[str | os.PathLike[str]] = (), builtin: bool = True,
    jobs: int | None = None, rejects: str | os.PathLike[str] | None = None, progress: bool | None = None,
    batch_size: int = BATCH_SIZE,
) -> Summary:
    """Clean every record of ``source`` into ``destination`` (``-``: stdin/stdout; ``.gz``/``.zst`` by name).

    ``jobs``: worker processes (``None``: all cores). ``rejects``: where malformed
    records go instead of the output. Problems are reported on stderr.
    """
    jobs = resolve_jobs(jobs)
    config = CleanerConfig(rules=tuple(os.fspath(r) for r in rules), builtin=builtin)
    cleaner_for(config)  # fail fast, in the parent, on a bad rules file (and -j 1 reuses it)
    with ExitStack() as streams:
        reader = open_input(source)
        streams.callback(close_stream, reader)
        output = open_output(destination)
        streams.callback(close_stream, output)
        reject_output = open_output(rejects) if rejects is not None else None
        if reject_output is not None:
            streams.callback(close_stream, reject_output)
        bar = streams.enter_context(Progress("cleaning", enabled=progress))
        sink = OutcomeWriter(os.fspath(source), output, reject_output, bar)
        batches = batched(numbered_lines(reader), batch_size)
        for outcomes in ordered_map(clean_batch, batches, jobs=jobs, initializer=init_worker, initargs=(config, fields)):
            for outcome in outcomes:
                sink.write(outcome)
        return sink.finish()
