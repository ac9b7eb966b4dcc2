"""Learning site furniture during a crawl: lines that recur on many pages of one site.

:class:`SiteLineCounter` counts, per site (the registered domain of a page's URL),
in how many distinct pages each normalised line (:func:`cleaner.textlines.line_key`)
occurs, and turns the frequent ones into site-scoped exact rules in the rules-file
schema of :mod:`cleaner.rules`. Its interface (``add(document_lines, url)`` and
``rules()``) is deliberately small so it can be replaced by ``cleaner.learn``'s
counter later. Results depend only on the multiset of pages added, not on their
order: the same pages always give the same rules.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import regex
from cleaner.learn import rule_id
from cleaner.sites import site_of as learn_site_of
from cleaner.rules import load_rules, parse_rules
from cleaner.textlines import line_key, normalize_space, word_count
from cleaner.view import ends_sentence

SENTENCE_WORDS = 12
_HAS_LETTER = regex.compile(r"\p{L}")


def site_of(url: str | None) -> str | None:
    """The registered domain of ``url`` (``news.bbc.co.uk`` -> ``bbc.co.uk``), offline;
    ``None`` when the URL names no site a rule can be scoped to (see :func:`cleaner.learn.site_of`)."""
    return learn_site_of(url) or None


def is_sentence_like(line: str) -> bool:
    """A long line that reads like article prose: needs far more support to become a rule."""
    return word_count(line) >= SENTENCE_WORDS and ends_sentence(line.rstrip())


class _Site:
    __slots__ = ("pages", "documents", "examples")

    def __init__(self) -> None:
        self.pages = 0
        self.documents: dict[str, int] = {}
        self.examples: dict[str, str] = {}


class SiteLineCounter:
    """Per-site document frequencies of lines, and the site rules they justify.

    A line becomes a rule for its site once the site has ``min_pages`` pages and
    the line occurs in at least ``min_documents`` of them and in at least
    ``min_share`` of them (``sentence_share`` for sentence-like lines). After
    ``max_pages_per_site`` pages a site's counts are frozen, bounding memory.
    """

    def __init__(
        self, *, min_pages: int = 5, min_share: float = 0.5, min_documents: int = 3,
        sentence_share: float = 0.9, max_pages_per_site: int = 500,
        corpus: str = "crawl", date: str | None = None,
    ) -> None:
        self.min_pages = min_pages
        self.min_share = min_share
        self.min_documents = min_documents
        self.sentence_share = sentence_share
        self.max_pages_per_site = max_pages_per_site
        self.corpus = corpus
        self.date = date or _dt.datetime.now(_dt.timezone.utc).date().isoformat()
        self._sites: dict[str, _Site] = {}
        self._cache: dict[str, list[dict[str, Any]]] = {}  # rules per site, until it gets a page

    def add(self, document_lines: Iterable[str], url: str | None) -> str | None:
        """Count one page's lines for its site; return the site, or ``None`` if not counted."""
        site = site_of(url)
        if site is None:
            return None
        state = self._sites.setdefault(site, _Site())
        if state.pages >= self.max_pages_per_site:
            return None
        state.pages += 1
        self._cache.pop(site, None)
        seen: set[str] = set()
        for raw in document_lines:
            line = normalize_space(raw)
            key = line_key(line)
            if not key or key in seen or not _HAS_LETTER.search(key):
                continue
            seen.add(key)
            state.documents[key] = state.documents.get(key, 0) + 1
            known = state.examples.get(key)
            if known is None or line < known:  # order-independent representative
                state.examples[key] = line
        return site

    def rules(self) -> list[dict[str, Any]]:
        """The learned site rules as rules-file dicts, sorted by site then id."""
        out: list[dict[str, Any]] = []
        for site in sorted(self._sites):
            if site not in self._cache:
                self._cache[site] = self._site_rules(site, self._sites[site])
            out.extend(self._cache[site])
        return out

    def _site_rules(self, site: str, state: _Site) -> list[dict[str, Any]]:
        pages = state.pages
        if pages < self.min_pages:
            return []
        out: list[dict[str, Any]] = []
        for key, documents in state.documents.items():
            if documents < self.min_documents:
                continue
            line = state.examples[key]
            needed = self.sentence_share if is_sentence_like(line) else self.min_share
            share = documents / pages
            if share < needed:
                continue
            out.append({
                "id": rule_id(site, key),
                "kind": "exact",
                "lines": [line],
                "sites": [site],
                "source": "learned",
                "learned": {
                    "documents": documents, "share": round(share, 3), "site": site,
                    "date": self.date, "corpus": self.corpus,
                },
                "reason": f"occurs in {documents} of {pages} pages of {site}",
            })
        out.sort(key=lambda rule: rule["id"])
        return out


def rules_file_data(rules: Iterable[dict[str, Any]], *, name: str = "learned-in-crawl") -> dict[str, Any]:
    """A rules-file object holding ``rules``."""
    return {"version": 1, "name": name, "rules": list(rules)}


def load_learned(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The rules of a learned-rules file as dicts; ``[]`` when the file does not exist yet."""
    if not os.path.exists(path):
        return []
    return [rule.to_json() for rule in load_rules(path).rules]


def merge_learned(previous: Iterable[dict[str, Any]], new: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Previous rules updated by new ones with the same id; sorted by site then id."""
    by_id = {rule["id"]: rule for rule in previous}
    by_id.update((rule["id"], rule) for rule in new)
    return sorted(by_id.values(), key=lambda rule: ((rule.get("sites") or [""])[0], rule["id"]))


def save_learned(path: str | os.PathLike[str], rules: Iterable[dict[str, Any]]) -> int:
    """Validate and write ``rules`` atomically as a rules file; return how many were written."""
    data = rules_file_data(rules)
    parse_rules(data, origin=os.fspath(path))  # never write a file we could not load back
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2, ensure_ascii=False)
            out.write("\n")
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return len(data["rules"])
