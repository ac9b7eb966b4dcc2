"""Turning line counts into rules: support thresholds and the guard for real content.

A line becomes a site rule when it occurs in at least ``min_docs`` documents and in
at least ``min_share`` of its site's documents; a global rule when it is such site
furniture on at least ``min_sites`` sites. Mere repetition across sites is not
enough for a global rule: common subheadings ("Key Takeaways", "Final Thoughts")
recur on many sites once each, while furniture recurs within each site. Syndicated wire copy repeats whole paragraphs across
pages and sites, so repetition alone is not enough for a long, sentence-like line
("guarded" lines: ``guard_words`` words or more ending like a sentence, or
``2 * guard_words`` words or more): it must also clear ``guard_share`` and twice the
document/site minimum, come with as many distinct lead paragraphs as it needs documents
(so one story syndicated to many pages does not count as many), sit at the top or
bottom of the page (``guard_edge_share`` of its documents), and, when a line model
scored it, look like junk to the model.

The Scrapy pipeline's in-crawl learning emits its site rules here too, per site as
pages arrive (:func:`site_rules`), with its own thresholds: a minimum of pages per
site (``min_site_docs``), no word limit, and a guard that asks only for the share
(``guard_evidence=False``): a crawl has few pages per site when rules are first due.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any

import regex

from ..profiles.learner import build_profiles
from ..rules import RuleFile, RuleSet, load_builtin, parse_rules
from ..textlines import word_count
from ..view import ends_sentence
from .counts import LEADS_KEPT, KeyStats, LineCounts, SiteCounts
from ..sites import NO_SITE

_LETTER = regex.compile(r"\p{L}")


@dataclass(frozen=True)
class LearnOptions:
    """Thresholds of the learner (documented defaults; see the module docstring).

    ``min_docs``: documents a site line must occur in. ``min_share``: share of its
    site's documents. ``min_sites``: sites a global line must be furniture of.
    ``max_words``: longer lines are never learned (``None``: no limit). ``guard_*``:
    the extra demands on long, sentence-like lines. ``min_model_score``: mean
    line-model junk score a guarded line needs when the model scored it.
    ``skip_builtin``: do not relearn lines the built-in exact rules already remove.
    ``min_site_docs``: documents a site needs before any of its lines is learned.
    ``guard_evidence``: a guarded line also needs twice the documents, distinct
    leads, the edge position and the model's score (``False``: the share alone).
    ``date_aware``: a line with a date or a time is not learned when its digits differ
    between pages (digits are templated in keys, so a site's datelines would otherwise
    share one: "24 July 2012 Last updated at 06:50"), and a line that sits between body
    paragraphs in more than ``max_middle_share`` of its pages is a recurring subheading,
    not furniture (``False``: as before; measured in ``bench/site_benchmark.py``).
    """

    min_docs: int = 5
    min_share: float = 0.5
    min_sites: int = 3
    max_words: int | None = 40
    guard_words: int = 12
    guard_share: float = 0.8
    guard_edge_share: float = 0.9
    min_model_score: float = 0.5
    skip_builtin: bool = True
    min_site_docs: int = 1
    guard_evidence: bool = True
    date_aware: bool = True
    max_middle_share: float = 0.5

    def to_json(self) -> dict[str, Any]:
        """The options as recorded in a rules file; those only in-crawl learning changes
        (``min_site_docs``, ``guard_evidence``) only when changed."""
        data = asdict(self)
        for option in fields(self):
            if option.name in _CRAWL_OPTIONS and data[option.name] == option.default:
                del data[option.name]
        return data


_CRAWL_OPTIONS = ("min_site_docs", "guard_evidence", "date_aware", "max_middle_share")


def is_guarded(text: str, options: LearnOptions) -> bool:
    """Whether a line reads like a sentence of article text (long, or long and punctuated)."""
    words = word_count(text)
    return (words >= options.guard_words and ends_sentence(text)) or words >= 2 * options.guard_words


def rule_id(scope: str, key: str) -> str:
    """``learned:<scope>:<8 hex digits of the key>``: stable across runs and corpora."""
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return f"learned:{scope}:{digest}"


def _passes_guard(stats: KeyStats, options: LearnOptions, need: int) -> bool:
    if stats.distinct_leads < min(need, LEADS_KEPT) or stats.edge_share < options.guard_edge_share:
        return False
    score = stats.mean_score
    return score is None or score >= options.min_model_score


def _support(stats: KeyStats) -> dict[str, Any]:
    support: dict[str, Any] = {
        "docs": stats.docs,
        "top_share": round(stats.top / stats.docs, 3),
        "bottom_share": round(stats.bottom / stats.docs, 3),
    }
    if stats.leads:
        support["distinct_leads"] = stats.distinct_leads
    if stats.mean_score is not None:
        support["model_score"] = round(stats.mean_score, 3)
    return support


def site_rules(site: str, bucket: SiteCounts, options: LearnOptions, known_keys: frozenset[str] = frozenset()) -> list[tuple[str, dict[str, Any]]]:
    """``(key, rule object)`` for every line of one site with enough support, in key order."""
    if bucket.docs < options.min_site_docs:
        return []
    found: list[tuple[str, dict[str, Any]]] = []
    for key in sorted(bucket.keys):
        stats = bucket.keys[key]
        if key in known_keys or not _learnable(key, stats, options):
            continue
        if options.date_aware and (changing_date(stats) or stats.docs - stats.top - stats.bottom > options.max_middle_share * stats.docs):
            continue
        share = stats.docs / bucket.docs
        guarded = is_guarded(stats.example, options)
        need_docs = options.min_docs * (2 if guarded and options.guard_evidence else 1)
        need_share = options.guard_share if guarded else options.min_share
        if stats.docs < need_docs or share < need_share:
            continue
        if guarded and options.guard_evidence and not _passes_guard(stats, options, need_docs):
            continue
        support = {**_support(stats), "site_docs": bucket.docs, "share": round(share, 3), "sites": 1}
        where = site or "documents without a URL"
        reason = f"occurs in {stats.docs} of {bucket.docs} pages of {where}"
        found.append((key, _rule(rule_id(site or "nosite", key), stats, reason, support, site or None, guarded)))
    return found


def candidate_rules(counts: LineCounts, options: LearnOptions, known_keys: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Rule objects (rules-file JSON) for every line with enough support, sorted by id.

    A line that qualifies as furniture on ``min_sites`` named sites or more becomes one
    global rule instead of its site rules.
    """
    by_key: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for site in sorted(counts.sites):
        for key, rule in site_rules(site, counts.sites[site], options, known_keys):
            by_key.setdefault(key, []).append((site, rule))
    rules: list[dict[str, Any]] = []
    for key, found in by_key.items():
        named = [site for site, _rule_ in found if site != NO_SITE]
        if len(named) >= options.min_sites:
            stats = counts.global_keys.get(key) or KeyStats(sum(r["learned"]["support"]["docs"] for _s, r in found), example=found[0][1]["lines"][0])
            sites_seen = len(stats.sites - {NO_SITE}) or len(named)
            support = {**_support(stats), "sites": sites_seen, "furniture_sites": len(named)}
            reason = f"site furniture on {len(named)} sites (occurs on {sites_seen} sites, {stats.docs} pages)"
            rules.append(_rule(rule_id("global", key), stats, reason, support, None, is_guarded(stats.example, options)))
        else:
            rules.extend(rule for _site, rule in found)
    return sorted(rules, key=lambda r: r["id"])


_DATED = regex.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d"
    r"|\d(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|\b\d{1,2}:\d{2}\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b",
    regex.IGNORECASE,
)
_DIGIT_RUNS = regex.compile(r"\d+")


def changing_date(stats: KeyStats) -> bool:
    """Whether a line holds a date or time whose digits differ between its pages (a dateline)."""
    if not stats.last or not _DATED.search(stats.example):
        return False
    return _DIGIT_RUNS.findall(stats.example) != _DIGIT_RUNS.findall(stats.last)


def _learnable(key: str, stats: KeyStats, options: LearnOptions) -> bool:
    return bool(_LETTER.search(key)) and (options.max_words is None or word_count(stats.example) <= options.max_words)


def stamp(rules: list[dict[str, Any]], *, date: str, corpus: str) -> list[dict[str, Any]]:
    """``rules`` with the date and corpus they were learned from recorded (in place)."""
    for rule in rules:
        rule["learned"].update({"date": date, "corpus": corpus})
        rule["reason"] += " (learned)"
    return rules


def _rule(rid: str, stats: KeyStats, reason: str, support: dict[str, Any], site: str | None, guarded: bool) -> dict[str, Any]:
    rule: dict[str, Any] = {"id": rid, "kind": "exact", "lines": [stats.example], "reason": reason, "source": "learned"}
    if site:
        rule["sites"] = [site]
    rule["learned"] = {"support": support, "example": stats.example, "guarded": guarded}
    return rule


def builtin_exact_keys() -> frozenset[str]:
    """Keys the built-in global exact rules already remove (not worth relearning)."""
    rule_set = RuleSet.from_sources((), builtin=True)
    return frozenset(k for r in rule_set.rules if r.kind == "exact" and not r.sites and r.action == "remove" for k in r.keys)


def build_rule_file(
    counts: LineCounts, options: LearnOptions, *, name: str = "learned", date: str,
    known_keys: Iterable[str] | None = None, include_builtin: bool = False,
) -> RuleFile:
    """The validated rules file for ``counts`` (``date`` is recorded in every rule).

    ``include_builtin`` puts the built-in (hand-written) rules first, so the file is a
    complete replacement for ``cleaner/data/rules.json``.
    """
    if known_keys is None:
        known_keys = builtin_exact_keys() if options.skip_builtin else ()
    corpus = ", ".join(sorted(counts.corpus)) or name
    raw_rules = stamp(candidate_rules(counts, options, frozenset(known_keys)), date=date, corpus=corpus)
    raw_rules += [profile.to_rule_json() for profile in build_profiles(counts.profiles, date=date)]
    data = {
        "version": 1,
        "name": name,
        "description": f"rules learned by article-cleaner from {counts.documents} documents ({corpus})",
        "generated": {
            "by": "article-cleaner learn", "date": date, "corpus": corpus, "documents": counts.documents,
            "sites": len(counts.sites), "pruned_keys": counts.pruned, "options": options.to_json(),
        },
        "rules": raw_rules,
    }
    if include_builtin:
        builtin = load_builtin()
        data["rules"] = [rule.to_json() for rule in builtin.rules] + raw_rules
        if builtin.disable:
            data["disable"] = list(builtin.disable)
        generated = data["generated"]
        assert isinstance(generated, dict)
        generated["includes"] = f"built-in rules {builtin.name!r} ({len(builtin.rules)} rules)"
    return parse_rules(data, origin=name)
