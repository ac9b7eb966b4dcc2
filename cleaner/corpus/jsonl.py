"""Cleaning a JSON Lines dump: stream records through worker processes, write them in order.

The parent only reads and writes bytes; parsing, cleaning and serialising happen in the
workers, each of which gets its :class:`~cleaner.core.Cleaner` once from the factory
(:func:`cleaner.factory.cleaner_for`). The output is always valid JSON Lines: a record
that cannot be read goes, with its line number and what is wrong, to the rejects file
(``OUT.rejects.jsonl`` unless named); one whose cleaning raises is written through
unchanged. Neither stops the run; the :class:`~cleaner.corpus.progress.Summary` counts
them. Records are appended in input order, so a killed run leaves complete records and
at most one torn last line, and ``resume=True`` continues it.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from typing import IO, NamedTuple

from ..config import CleanerConfig
from ..core import Cleaner
from ..factory import cleaner_for
from .pool import batched, ordered_map, resolve_jobs
from .progress import Progress, Summary
from ..records import MalformedRecord, RecordAdapter, RecordFields
from ..streams import STDIO, CorpusError, close_stream, numbered_lines, open_input, open_output
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
    """Where each outcome goes: the output, or the rejects file; counted, problems reported.

    The rejects file is opened on the first malformed record. Before a reject is written
    the output is flushed, and the reject is flushed at once, so what a killed run leaves
    on disk is a prefix of the input in both files (see :func:`completed_records`).
    """

    def __init__(self, label: str, output: IO[bytes], rejects: Rejects, progress: Progress) -> None:
        self.label, self.output, self.rejects, self.progress = label, output, rejects, progress
        self.summary = Summary()
        self.problems = 0

    def write(self, outcome: LineOutcome) -> None:
        if outcome.status == BLANK:
            return
        self.summary.documents += 1
        if outcome.status == OK:
            self.summary.cleaned += 1
            self.summary.lines_removed += outcome.removed
        else:
            if outcome.status == MALFORMED:
                self.summary.malformed += 1
            else:
                self.summary.failed += 1
            self.problems += 1
            if self.problems <= MESSAGES_SHOWN:
                self.progress.write(f"{self.label}:{outcome.number}: {outcome.status} record: {outcome.message}")
        if outcome.status == MALFORMED:
            self.output.flush()
            self.rejects.write(self.label, outcome)
        else:
            self.output.write(outcome.data + b"\n")
        self.progress.advance(1)

    def finish(self) -> Summary:
        if self.problems > MESSAGES_SHOWN:
            self.progress.write(f"{self.label}: {self.problems - MESSAGES_SHOWN} more problem record(s) not shown")
        if self.summary.malformed:
            self.progress.write(f"{self.label}: {self.summary.malformed} malformed record(s) written to {self.rejects.path}")
        return self.summary.finish()


class Rejects:
    """The rejects file: one JSON object per malformed input line, opened when first needed.

    ``{"source", "line", "error", "raw"}`` (``raw_base64`` instead of ``raw`` when the
    line is not UTF-8), so the rejects file is valid JSON Lines and nothing is lost.
    """

    def __init__(self, path: str, *, append: bool = False) -> None:
        self.path, self.append = path, append
        self._stream: IO[bytes] | None = None

    def write(self, source: str, outcome: LineOutcome) -> None:
        if self._stream is None:
            self._stream = open_output(self.path, append=self.append)
        entry: dict[str, object] = {"source": source, "line": outcome.number, "error": outcome.message}
        try:
            entry["raw"] = outcome.data.decode("utf-8")
        except UnicodeDecodeError:
            entry["raw_base64"] = base64.b64encode(outcome.data).decode("ascii")
        self._stream.write(json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n")
        self._stream.flush()

    def close(self) -> None:
        if self._stream is not None:
            close_stream(self._stream)


def default_rejects(destination: str | os.PathLike[str]) -> str:
    """``OUT.rejects.jsonl`` beside the output (``out.jsonl.gz`` -> ``out.rejects.jsonl``);
    ``article-cleaner.rejects.jsonl`` in the current directory when the output is stdout."""
    name = os.fspath(destination)
    if name == STDIO:
        return "article-cleaner.rejects.jsonl"
    base = name
    for suffix in (".gz", ".zst"):
        if base.lower().endswith(suffix):
            base = base[: -len(suffix)]
    for suffix in (".jsonl", ".jl", ".ndjson", ".json"):
        if base.lower().endswith(suffix):
            base = base[: -len(suffix)]
            break
    return base + ".rejects.jsonl"


def completed_records(path: str) -> int:
    """Complete records (lines ending in a newline) in ``path``, cutting off a torn last line.

    0 when the file does not exist. The file is truncated after its last newline, so
    appending continues on a record boundary.
    """
    try:
        handle = open(path, "r+b")
    except FileNotFoundError:
        return 0
    with handle:
        data = handle.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            handle.truncate(end)
        return data.count(b"\n", 0, end)


def _resumable(name: str) -> str:
    if name == STDIO or name.lower().endswith((".gz", ".zst")):
        raise CorpusError(f"{name}: --resume needs an uncompressed output file (-o OUT.jsonl); compress it when the run is done")
    return name


def _skip_records(lines: Iterator[tuple[int, bytes]], count: int) -> Iterator[tuple[int, bytes]]:
    """``lines`` after the first ``count`` non-blank ones (those a resumed run already wrote)."""
    for number, raw in lines:
        if count <= 0:
            yield number, raw
        elif raw.strip():
            count -= 1


def clean_jsonl(
    source: str | os.PathLike[str], destination: str | os.PathLike[str], *,
    fields: RecordFields = RecordFields(), rules: Sequence[str | os.PathLike[str]] = (), builtin: bool = True,
    jobs: int | None = None, rejects: str | os.PathLike[str] | None = None, progress: bool | None = None,
    batch_size: int = BATCH_SIZE, resume: bool = False,
) -> Summary:
    """Clean every record of ``source`` into ``destination`` (``-``: stdin/stdout; ``.gz``/``.zst`` by name).

    ``jobs``: worker processes (``None``: all cores). ``rejects``: where malformed records
    go (default :func:`default_rejects`). ``resume``: continue an interrupted run into the
    same uncompressed ``destination``: the records it and the rejects file hold are
    skipped in the input (a torn last line is dropped and redone), the rest appended.
    Problems are reported on stderr; the summary counts this run's records.
    """
    jobs = resolve_jobs(jobs)
    config = CleanerConfig(rules=tuple(os.fspath(r) for r in rules), builtin=builtin)
    cleaner_for(config)  # fail fast, in the parent, on a bad rules file (and -j 1 reuses it)
    rejects_path = os.fspath(rejects) if rejects is not None else default_rejects(destination)
    done = 0
    if resume:
        done = completed_records(_resumable(os.fspath(destination))) + completed_records(_resumable(rejects_path))
    elif rejects_path != STDIO and os.path.exists(rejects_path):
        open(rejects_path, "wb").close()  # a new run's rejects, like its output, start empty
    with ExitStack() as streams:
        reader = open_input(source)
        streams.callback(close_stream, reader)
        output = open_output(destination, append=resume)
        streams.callback(close_stream, output)
        reject_output = Rejects(rejects_path, append=resume)
        streams.callback(reject_output.close)
        bar = streams.enter_context(Progress("cleaning", enabled=progress))
        if done:
            bar.write(f"{os.fspath(source)}: resuming after {done} record(s) already written")
        sink = OutcomeWriter(os.fspath(source), output, reject_output, bar)
        batches = batched(_skip_records(numbered_lines(reader), done), batch_size)
        for outcomes in ordered_map(clean_batch, batches, jobs=jobs, initializer=init_worker, initargs=(config, fields)):
            for outcome in outcomes:
                sink.write(outcome)
        return sink.finish()
