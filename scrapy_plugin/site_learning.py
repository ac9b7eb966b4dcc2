"""Learning site furniture during a crawl: lines that recur on many pages of one site.

:class:`SiteLineCounter` is the learner of ``article-cleaner learn`` run as pages
arrive: :class:`cleaner.learn.LineCounts` counts, per site (the registered domain of
a page's URL, :func:`cleaner.sites.site_of`), in how many distinct pages each
normalised line occurs, and :func:`cleaner.learn.emit.site_rules` turns the frequent
ones into site-scoped exact rules, with the crawl's thresholds (the
``ARTICLE_CLEANER_LEARN_*`` settings) as its options. Results depend only on the
multiset of pages added, not on their order: the same pages always give the same rules.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cleaner.learn import Document, LearnOptions, LineCounts, today
from cleaner.learn.emit import site_rules, stamp
from cleaner.profiles import PageSummary, ProfileOptions, build_profiles
from cleaner.rules import load_rules, parse_rules
from cleaner.sites import NO_SITE, site_of
from cleaner.textlines import normalize_space


def crawl_options(*, min_pages: int, min_share: float, min_documents: int, sentence_share: float) -> LearnOptions:
    """The learner's options for in-crawl learning (see ``ARTICLE_CLEANER_LEARN_*``).

    A site needs ``min_pages`` pages; a line, ``min_documents`` of them and ``min_share``
    of them, or ``sentence_share`` when it reads like a sentence (the learner's guard,
    asking for the share alone). No word limit; no check against the built-in rules (the
    lines counted are the cleaned text, from which those rules already removed theirs).
    """
    return LearnOptions(
        min_docs=min_documents, min_share=min_share, guard_share=sentence_share, min_site_docs=min_pages,
        max_words=None, guard_evidence=False, skip_builtin=False,
    )


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
        self.options = crawl_options(
            min_pages=min_pages, min_share=min_share, min_documents=min_documents, sentence_share=sentence_share,
        )
        self.counts = LineCounts(corpus=[corpus], max_docs_per_site=max_pages_per_site)
        self.corpus = corpus
        self.date = date or today()
        self._cache: dict[str, list[dict[str, Any]]] = {}  # rules per site, until it gets a page

    def add(self, document_lines: Iterable[str], url: str | None, page: PageSummary | None = None) -> str | None:
        """Count one page's lines (and, for an HTML page, its blocks: ``page``, see
        :func:`cleaner.profiles.runtime.explain_for_learning`) for its site; return the
        site, or ``None`` if not counted."""
        site = site_of(url)
        if site == NO_SITE:
            return None
        lines = tuple(line for line in map(normalize_space, document_lines) if line)
        if not self.counts.add_document(Document(url or "", url, lines, page)):
            return None
        self._cache.pop(site, None)
        return site

    def rules(self) -> list[dict[str, Any]]:
        """The learned site rules as rules-file dicts, sorted by site then id."""
        out: list[dict[str, Any]] = []
        for site in sorted(self.counts.sites):
            if site not in self._cache:
                found = [rule for _key, rule in site_rules(site, self.counts.sites[site], self.options)]
                self._cache[site] = stamp(sorted(found, key=lambda rule: rule["id"]), date=self.date, corpus=self.corpus)
            out.extend(self._cache[site])
        profiles = build_profiles(self.counts.profiles, ProfileOptions(min_pages=self.options.min_site_docs), date=self.date)
        out.extend(profile.to_rule_json() for profile in profiles)
        return sorted(out, key=lambda rule: ((rule.get("sites") or [""])[0], rule["id"]))


def learned_signature(rule: dict[str, Any]) -> str:
    """What decides whether the cleaner must be rebuilt: a line rule's id, a profile's id
    with the size of what it holds (its page count alone changes with every page)."""
    profile = rule.get("profile")
    if not isinstance(profile, dict):
        return str(rule["id"])
    container = profile.get("container") or [None, 0]
    return f"{rule['id']}:{len(profile.get('template', []))}:{len(profile.get('changing', []))}:{container[0]}"


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
