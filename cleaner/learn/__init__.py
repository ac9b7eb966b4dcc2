"""Learning rules from a corpus: lines that recur across a site's pages are its furniture.

>>> from cleaner.learn import learn, LearnOptions
>>> rule_file = learn(["feed.jsonl"], LearnOptions(min_docs=5), date="2026-01-01")  # doctest: +SKIP
>>> rule_file.dump("learned-rules.json")                                           # doctest: +SKIP

Counting (:class:`LineCounts`) is streaming, bounded and mergeable; emitting rules
(:func:`build_rule_file`) applies the thresholds of :class:`LearnOptions`.
"""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence

from ..rules import RuleFile
from .counts import DEFAULT_MAX_KEYS, KeyStats, LineCounts, StateError
from ..records import RecordFields
from .documents import Document, LearnInputError, extract_text, iter_documents
from .emit import LearnOptions, build_rule_file, is_guarded, rule_id
from ..sites import NO_SITE, site_of

__all__ = [
    "DEFAULT_MAX_KEYS", "Document", "KeyStats", "LearnInputError", "LearnOptions",
    "LineCounts", "NO_SITE", "RecordFields", "StateError", "build_rule_file", "count", "extract_text", "is_guarded",
    "iter_documents", "learn", "rule_id", "site_of", "today",
]

DocumentScorer = Callable[[Document], Sequence[float]]


def today() -> str:
    """Today's date (UTC) as recorded in learned rules."""
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def count(
    documents: Iterable[Document], *, counts: LineCounts | None = None, scorer: DocumentScorer | None = None,
    progress: bool | None = None,
) -> LineCounts:
    """Add ``documents`` to ``counts`` (a new state by default) and return it.

    ``scorer`` (e.g. :func:`cleaner.model.document_scorer`) gives each line a junk
    score, recorded so the guard can consult it. ``progress``: show a tqdm bar
    (default: when stderr is a terminal).
    """
    counts = counts if counts is not None else LineCounts()
    for document in _with_progress(documents, progress):
        counts.add_document(document, scorer(document) if scorer is not None else None)
    return counts


def learn(
    inputs: Iterable[str | os.PathLike[str]], options: LearnOptions = LearnOptions(), *,
    fields: RecordFields = RecordFields(), name: str = "learned", date: str | None = None,
    max_keys: int = DEFAULT_MAX_KEYS, scorer: DocumentScorer | None = None, progress: bool | None = None,
) -> RuleFile:
    """Read ``inputs`` (directories, files, JSON Lines feeds) and return the learned rules."""
    inputs = list(inputs)
    corpus = [os.path.basename(os.fspath(p).rstrip("/")) or os.fspath(p) for p in inputs]
    counts = count(iter_documents(inputs, fields), counts=LineCounts(max_keys=max_keys, corpus=corpus), scorer=scorer, progress=progress)
    return build_rule_file(counts, options, name=name, date=date or today())


def _with_progress(documents: Iterable[Document], progress: bool | None) -> Iterator[Document]:
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        yield from documents
        return
    from tqdm import tqdm

    yield from tqdm(documents, desc="learning", unit="doc", file=sys.stderr)
