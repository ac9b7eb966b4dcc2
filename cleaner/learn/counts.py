"""Document-frequency counts of normalised lines, per site and across sites.

The counts are the learner's whole state: adding a document, merging two states
(learned on shards of a corpus) and writing/reading JSON are all it supports, so
learning can be split over processes or machines and the order of documents does
not change the outcome.

Memory is bounded by pruning (lossy counting): when the tables together hold more
than ``max_keys`` keys, every key seen in only one document is dropped (then two,
three... until at most half of ``max_keys`` remain). A dropped key starts again from
zero when it recurs, so its support is underestimated by at most the number of
documents it had when it was dropped; lines that recur in a large share of a site's
pages are seen again long before the next pruning and keep their counts.

For lines of ``LEAD_MIN_WORDS`` words or more the state also keeps a bottom-k sketch
(the ``LEADS_KEPT`` smallest 64-bit hashes) of the *other* lead paragraph of each
document the line occurs in. A syndicated story repeated on many pages always comes
with the same lead, so its paragraphs show one distinct lead; site furniture comes
with a different article each time. The sketch merges by union, independent of order.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CleanerError
from ..profiles.learner import ProfileCounts
from ..view import Line, is_body
from .documents import Document
from ..sites import site_of

STATE_FORMAT = "article-cleaner-learn-state"
STATE_VERSION = 1
EDGE_LINES = 3  # the first and last lines of a document always count as its edges
DEFAULT_MAX_KEYS = 2_000_000
LEAD_MIN_WORDS = 8
LEADS_KEPT = 16


class StateError(CleanerError):
    """A learner state file is unreadable or not a state this version writes."""


@dataclass
class KeyStats:
    """How often one normalised line occurred: in how many documents, and where.

    ``top``/``bottom``: documents where it sat before the first body paragraph (or in
    the first lines) / after the last one (or in the last lines). ``score_sum``: the
    line model's junk scores in thousandths, summed over the ``scored`` documents.
    ``example``: the smallest raw spelling seen (deterministic under any order); ``last``
    the largest: when they differ in their digits, a dated line changed between pages.
    """

    docs: int = 0
    top: int = 0
    bottom: int = 0
    score_sum: int = 0
    scored: int = 0
    example: str = ""
    sites: set[str] = field(default_factory=set)
    leads: list[int] = field(default_factory=list)
    last: str = ""

    def add(self, other: KeyStats) -> None:
        self.docs += other.docs
        self.top += other.top
        self.bottom += other.bottom
        self.score_sum += other.score_sum
        self.scored += other.scored
        if other.example and (not self.example or other.example < self.example):
            self.example = other.example
        self.last = max(self.last, other.last)
        self.sites |= other.sites
        if other.leads:
            self.leads = heapq.nsmallest(LEADS_KEPT, set(self.leads) | set(other.leads))

    @property
    def distinct_leads(self) -> int:
        """Distinct lead paragraphs seen with this line (exact up to ``LEADS_KEPT``)."""
        return len(self.leads)

    @property
    def edge_share(self) -> float:
        """Share of its documents in which the line sat at the top or the bottom."""
        return min(1.0, max(self.top, self.bottom) / self.docs) if self.docs else 0.0

    @property
    def mean_score(self) -> float | None:
        """Mean line-model junk score, or ``None`` when no model scored it."""
        return self.score_sum / self.scored / 1000 if self.scored else None

    def to_row(self, with_sites: bool) -> list[Any]:
        row: list[Any] = [self.docs, self.top, self.bottom, self.score_sum, self.scored, self.example, self.leads]
        row.append(sorted(self.sites) if with_sites else [])
        row.append(self.last)
        return row

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> KeyStats:
        sites = set(row[7]) if len(row) > 7 else set()
        leads = sorted(int(x) for x in row[6])
        last = str(row[8]) if len(row) > 8 else ""  # states written before dated lines were checked have none
        return cls(int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]), str(row[5]), sites, leads, last)


@dataclass
class SiteCounts:
    """Documents seen from one site and the per-line counts among them."""

    docs: int = 0
    keys: dict[str, KeyStats] = field(default_factory=dict)


class LineCounts:
    """The mergeable, streaming state of the learner (see the module docstring)."""

    def __init__(self, *, max_keys: int = DEFAULT_MAX_KEYS, corpus: Iterable[str] = (), max_docs_per_site: int | None = None) -> None:
        if max_keys < 2:
            raise CleanerError("max_keys must be at least 2")
        self.max_keys = max_keys
        self.max_docs_per_site = max_docs_per_site  # a site's counts freeze after this many (in-crawl learning)
        self.sites: dict[str, SiteCounts] = {}
        self.global_keys: dict[str, KeyStats] = {}
        self.documents = 0
        self.pruned = 0
        self.corpus: set[str] = set(corpus)
        self.profiles = ProfileCounts()
        """Block counts of the HTML pages, per site, for site profiles (``cleaner.profiles``)."""
        self._size = 0

    # -- counting ------------------------------------------------------------------

    def add_document(self, document: Document, scores: Sequence[float] | None = None) -> bool:
        """Count each distinct line key of ``document`` once (first occurrence's position).

        Returns whether it was counted: not when its site already has ``max_docs_per_site``.
        """
        site = site_of(document.url)
        bucket = self.sites.get(site)
        if bucket is not None and self.max_docs_per_site is not None and bucket.docs >= self.max_docs_per_site:
            return False
        if document.page is not None:
            self.profiles.add(document.page)
        view = [Line.make(i + 1, text, 1) for i, text in enumerate(document.lines)]
        body = [i for i, line in enumerate(view) if is_body(line)]
        first_body = body[0] if body else len(view)
        last_body = body[-1] if body else -1
        leads = [_hash(view[i].key) for i in body[:2]]
        per_doc: dict[str, KeyStats] = {}
        count = len(view)
        for index, line in enumerate(view):
            if not line.key or line.key in per_doc:
                if line.key in per_doc:
                    known = per_doc[line.key]
                    known.example, known.last = min(known.example, line.text), max(known.last, line.text)
                continue
            top = index <= first_body or index < EDGE_LINES
            bottom = index >= last_body or index >= count - EDGE_LINES
            stats = KeyStats(1, int(top), int(bottom), 0, 0, line.text, last=line.text)
            if line.words >= LEAD_MIN_WORDS:
                own = _hash(line.key)
                other = next((h for h in leads if h != own), None)
                stats.leads = [other if other is not None else own]
            if scores is not None and index < len(scores):
                stats.score_sum, stats.scored = round(scores[index] * 1000), 1
            per_doc[line.key] = stats
        bucket = self.sites.setdefault(site, SiteCounts())
        bucket.docs += 1
        self.documents += 1
        for key, stats in per_doc.items():
            self._add(bucket.keys, key, stats)
            global_stats = KeyStats(stats.docs, stats.top, stats.bottom, stats.score_sum, stats.scored, stats.example, {site}, list(stats.leads), stats.last)
            self._add(self.global_keys, key, global_stats)
        if self._size > self.max_keys:
            self.prune()
        return True

    def _add(self, table: dict[str, KeyStats], key: str, stats: KeyStats) -> None:
        current = table.get(key)
        if current is None:
            table[key] = stats
            self._size += 1
        else:
            current.add(stats)

    def prune(self) -> None:
        """Drop the rarest keys until at most half of ``max_keys`` remain (see module docstring)."""
        floor = 1
        while self._size > self.max_keys // 2:
            for table in [*(b.keys for b in self.sites.values()), self.global_keys]:
                rare = [k for k, s in table.items() if s.docs <= floor]
                for key in rare:
                    del table[key]
                self.pruned += len(rare)
                self._size -= len(rare)
            floor += 1

    # -- merging and persistence -----------------------------------------------------

    def merge(self, other: LineCounts) -> None:
        """Add ``other``'s counts to these (counts of disjoint shards add up exactly)."""
        for site, theirs in other.sites.items():
            bucket = self.sites.setdefault(site, SiteCounts())
            bucket.docs += theirs.docs
            for key, stats in theirs.keys.items():
                self._add(bucket.keys, key, _copy(stats))
        for key, stats in other.global_keys.items():
            self._add(self.global_keys, key, _copy(stats))
        self.documents += other.documents
        self.pruned += other.pruned
        self.corpus |= other.corpus
        self.profiles.merge(other.profiles)
        if self._size > self.max_keys:
            self.prune()

    def to_json(self) -> dict[str, Any]:
        """The state as JSON-ready data, keys sorted so equal states write equal files."""
        return {
            "format": STATE_FORMAT,
            "version": STATE_VERSION,
            "corpus": sorted(self.corpus),
            "documents": self.documents,
            "pruned": self.pruned,
            "max_keys": self.max_keys,
            "sites": {
                site: {"docs": b.docs, "keys": {k: b.keys[k].to_row(False) for k in sorted(b.keys)}}
                for site, b in sorted(self.sites.items())
            },
            "global": {k: self.global_keys[k].to_row(True) for k in sorted(self.global_keys)},
            "profiles": self.profiles.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, origin: str = "<state>") -> LineCounts:
        if not isinstance(data, Mapping) or data.get("format") != STATE_FORMAT:
            raise StateError(f"{origin}: not a learner state file (written by `article-cleaner learn --save-state`)")
        if data.get("version") != STATE_VERSION:
            raise StateError(f"{origin}: state version {data.get('version')!r}; this article-cleaner reads version {STATE_VERSION}")
        try:
            counts = cls(max_keys=int(data.get("max_keys", DEFAULT_MAX_KEYS)), corpus=data.get("corpus", ()))
            counts.documents = int(data["documents"])
            counts.pruned = int(data.get("pruned", 0))
            for site, raw in data["sites"].items():
                bucket = SiteCounts(int(raw["docs"]), {k: KeyStats.from_row(r) for k, r in raw["keys"].items()})
                counts.sites[site] = bucket
                counts._size += len(bucket.keys)
            counts.global_keys = {k: KeyStats.from_row(r) for k, r in data["global"].items()}
            counts._size += len(counts.global_keys)
            counts.profiles = ProfileCounts.from_json(data.get("profiles", {}))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise StateError(f"{origin}: malformed learner state ({type(exc).__name__}: {exc})") from None
        return counts

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the state as JSON (gzip-compressed when ``path`` ends in ``.gz``)."""
        text = json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))
        path = Path(path)
        if path.suffix == ".gz":
            import gzip

            with gzip.open(path, "wt", encoding="utf-8") as handle:
                handle.write(text)
        else:
            path.write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> LineCounts:
        """Read a state written by :meth:`save`."""
        path = Path(path)
        try:
            if path.suffix == ".gz":
                import gzip

                with gzip.open(path, "rt", encoding="utf-8") as handle:
                    data = json.load(handle)
            else:
                data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise StateError(f"{path}: cannot read learner state ({exc.strerror or exc})") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise StateError(f"{path}: learner state is not valid JSON ({exc})") from None
        return cls.from_json(data, origin=str(path))


def _copy(stats: KeyStats) -> KeyStats:
    return KeyStats(stats.docs, stats.top, stats.bottom, stats.score_sum, stats.scored, stats.example, set(stats.sites), list(stats.leads), stats.last)


def _hash(key: str) -> int:
    """A stable 63-bit hash of a line key (the same in every process, unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big") >> 1

