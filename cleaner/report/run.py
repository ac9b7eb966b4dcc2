"""What a cleaning run removed, counted from its JSON Lines output (one pass, bounded memory).

The input is what ``article-cleaner clean --jsonl --explain-field F`` writes (or the
datatrove steps with ``explanation="removals"``, or ``clean_columns`` with an
``explain_column``): one record per document, holding the cleaned text and an
explanation object (or that object as JSON text) with the removed lines.
"""

from __future__ import annotations

import heapq
import json
import math
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..streams import close_stream, numbered_lines, open_input
from ..errors import CleanerError
from ..result import Removal
from ..sites import NO_SITE, site_of
from ..textlines import line_key

HISTOGRAM_BINS = 10  # share of characters removed: nothing, then (0, 10%], (10%, 20%], ... (90%, 100%]
MAX_LINE_KEYS = 200_000  # distinct removed lines tracked before the rarest are forgotten


class ReportError(CleanerError):
    """The run file cannot be read as cleaning output (say which field holds what)."""


@dataclass(frozen=True)
class ReportFields:
    """Where each record keeps its explanation, cleaned text, URL and id (dotted paths reach nested fields)."""

    explain: str = "explanation"
    output: str = "clean_text"
    url: str = "url"
    id: str = "id"


@dataclass(frozen=True)
class DocumentLoss:
    """One document's loss: characters removed and kept, its removals (kept only for the listed ones)."""

    record: int
    id: str
    url: str | None
    removed_chars: int
    kept_chars: int
    removals: tuple[Removal, ...] = ()

    @property
    def share(self) -> float:
        """Share of the document's characters (removed lines plus cleaned text) that was removed."""
        whole = self.removed_chars + self.kept_chars
        return self.removed_chars / whole if whole else 0.0


@dataclass(frozen=True)
class FrequentLine:
    """A removed line (normalised) with how often it went, an example as written, and its usual rule."""

    key: str
    count: int
    example: str
    rule_id: str


@dataclass
class SiteTotals:
    """One site's documents, removed lines and characters."""

    documents: int = 0
    lines_removed: int = 0
    removed_chars: int = 0
    kept_chars: int = 0
    rules: Counter[str] = field(default_factory=Counter)

    @property
    def share(self) -> float:
        whole = self.removed_chars + self.kept_chars
        return self.removed_chars / whole if whole else 0.0


@dataclass
class RunReport:
    """Everything the run report shows, counted from the records."""

    source: str
    records: int = 0
    explained: int = 0
    unexplained: int = 0
    documents_with_removals: int = 0
    lines_removed: int = 0
    removed_chars: int = 0
    kept_chars: int = 0
    by_source: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    reasons: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    histogram: list[int] = field(default_factory=lambda: [0] * (HISTOGRAM_BINS + 1))
    top_documents: list[DocumentLoss] = field(default_factory=list)
    frequent_lines: list[FrequentLine] = field(default_factory=list)
    sites: dict[str, SiteTotals] = field(default_factory=dict)

    @property
    def share(self) -> float:
        whole = self.removed_chars + self.kept_chars
        return self.removed_chars / whole if whole else 0.0


def histogram_bin(share: float) -> int:
    """The bin of a share in [0, 1]: 0 for nothing removed, 1 for (0, 0.1], ..., 10 for (0.9, 1]."""
    if share <= 0:
        return 0
    return min(math.ceil(share * HISTOGRAM_BINS), HISTOGRAM_BINS)


def field_value(record: dict[str, Any], path: str) -> Any:
    """``record[path]``, where ``a.b`` reaches ``record["a"]["b"]``; ``None`` when absent."""
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def explanation_of(record: dict[str, Any], fields: ReportFields) -> dict[str, Any] | None:
    """The record's explanation object (parsed when stored as JSON text), ``None`` when it has none."""
    value = field_value(record, fields.explain)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return None
    if not isinstance(value, dict) or not isinstance(value.get("removals"), list):
        return None
    return value


def removed_lines(explanation: dict[str, Any]) -> list[Removal]:
    out = []
    for item in explanation["removals"]:
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            out.append(Removal(int(item.get("line") or 0), item["text"], str(item.get("rule_id", "?")),
                                   str(item.get("source", "?")), str(item.get("reason", ""))))
    return out


class RunCounter:
    """Adds records one by one; ``finish()`` gives the :class:`RunReport`."""

    def __init__(self, source: str, fields: ReportFields, top: int = 20, lines: int = 30) -> None:
        self.report = RunReport(source)
        self.fields, self.top, self.lines = fields, top, lines
        self._heap: list[tuple[float, int, DocumentLoss]] = []
        self._line_counts: Counter[str] = Counter()
        self._line_examples: dict[str, tuple[str, Counter[str]]] = {}

    def add(self, number: int, record: Any) -> None:
        report = self.report
        report.records += 1
        explanation = explanation_of(record, self.fields) if isinstance(record, dict) else None
        if explanation is None:
            report.unexplained += 1
            return
        report.explained += 1
        removals = removed_lines(explanation)
        output = field_value(record, self.fields.output)
        kept_chars = len(output) if isinstance(output, str) else 0
        removed_chars = sum(len(r.text) for r in removals)
        url = field_value(record, self.fields.url)
        url = url if isinstance(url, str) and url else explanation.get("url") if isinstance(explanation.get("url"), str) else None
        key = field_value(record, self.fields.id)
        doc = DocumentLoss(number, str(key) if key is not None else f"record {number}", url, removed_chars, kept_chars)
        report.lines_removed += len(removals)
        report.removed_chars += removed_chars
        report.kept_chars += kept_chars
        report.histogram[histogram_bin(doc.share)] += 1
        if removals:
            report.documents_with_removals += 1
            self._keep_if_top(doc, removals)
        site = site_of(url) if url else NO_SITE
        totals = report.sites.setdefault(site, SiteTotals())
        totals.documents += 1
        totals.lines_removed += len(removals)
        totals.removed_chars += removed_chars
        totals.kept_chars += kept_chars
        for removal in removals:
            report.by_source[removal.source] += 1
            report.by_rule[removal.rule_id] += 1
            report.reasons.setdefault(removal.rule_id, removal.reason)
            report.sources.setdefault(removal.rule_id, removal.source)
            totals.rules[removal.rule_id] += 1
            self._count_line(removal)

    def _keep_if_top(self, doc: DocumentLoss, removals: list[Removal]) -> None:
        if self.top <= 0:
            return
        if len(self._heap) < self.top:
            heapq.heappush(self._heap, (doc.share, -doc.record, _with_removals(doc, removals)))
        elif (doc.share, -doc.record) > self._heap[0][:2]:
            heapq.heapreplace(self._heap, (doc.share, -doc.record, _with_removals(doc, removals)))

    def _count_line(self, removal: Removal) -> None:
        key = line_key(removal.text)
        if not key:
            return
        self._line_counts[key] += 1
        _example, rules = self._line_examples.setdefault(key, (removal.text, Counter()))
        rules[removal.rule_id] += 1
        if len(self._line_counts) > MAX_LINE_KEYS:  # forget the lines seen once; frequent ones are long past that
            for rare in [k for k, c in self._line_counts.items() if c == 1]:
                del self._line_counts[rare], self._line_examples[rare]

    def finish(self) -> RunReport:
        report = self.report
        report.top_documents = [doc for _share, _neg, doc in sorted(self._heap, key=lambda e: (-e[0], -e[1]))]
        report.frequent_lines = [
            FrequentLine(key, count, self._line_examples[key][0], self._line_examples[key][1].most_common(1)[0][0])
            for key, count in sorted(self._line_counts.items(), key=lambda kv: (-kv[1], kv[0]))[: self.lines]
        ]
        return report


def _with_removals(doc: DocumentLoss, removals: list[Removal]) -> DocumentLoss:
    return DocumentLoss(doc.record, doc.id, doc.url, doc.removed_chars, doc.kept_chars, tuple(removals))


def count_records(records: Iterable[tuple[int, Any]], source: str, fields: ReportFields, *, top: int = 20, lines: int = 30) -> RunReport:
    """The report of ``(record number, record)`` pairs."""
    counter = RunCounter(source, fields, top, lines)
    for number, record in records:
        counter.add(number, record)
    return counter.finish()


def read_run(path: str | os.PathLike[str], fields: ReportFields | None = None, *, top: int = 20, lines: int = 30) -> RunReport:
    """The report of a JSON Lines run file (``.gz``/``.zst`` by name); unreadable lines count as unexplained."""
    fields = fields or ReportFields()
    stream = open_input(path)
    try:
        report = count_records(_records(stream), os.fspath(path), fields, top=top, lines=lines)
    finally:
        close_stream(stream)
    if report.records and not report.explained:
        raise ReportError(
            f"{os.fspath(path)}: none of its {report.records} records has an explanation in field {fields.explain!r}; "
            "write one with 'article-cleaner clean --jsonl IN --explain-field explanation' or name the field with --explain-field"
        )
    return report


def _records(stream: Any) -> Iterable[tuple[int, Any]]:
    for number, raw in numbered_lines(stream):
        if not raw.strip():
            continue
        try:
            yield number, json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            yield number, None
