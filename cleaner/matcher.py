"""Matching lines against a rule set fast: one hash lookup plus one combined regex per line.

Exact rules become a dict from normalised key to rules. Pattern rules are joined
into a few alternations (grouped by case sensitivity and word limit) that answer
"does any pattern match?" in one pass; only when one does are the individual
patterns run to name the rule. Every regex call has a timeout: a pattern that
times out counts as no match and is reported, the document is still cleaned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import regex

from .rules import Rule, compile_pattern

_BACKREF = regex.compile(r"\\[1-9]|\(\?P=|\\g<|\(\?\(|\(\?[a-zA-Z]*\)")


@dataclass(frozen=True)
class PatternTimeout:
    """A pattern that hit its time limit on a line; reported, treated as no match."""

    rule_id: str
    line: int


@dataclass
class _PatternGroup:
    rules: list[Rule]
    compiled: list[regex.Pattern[str]]
    combined: regex.Pattern[str] | None
    max_words: int | None


@dataclass
class Match:
    """What the matcher found for one line: the first rule in set order, or nothing."""

    rule: Rule | None
    timeouts: list[PatternTimeout] = field(default_factory=list)


class Matcher:
    """Compiled form of a list of rules; build once, match many lines."""

    def __init__(self, rules: Iterable[Rule], *, timeout: float = 0.05) -> None:
        self.timeout = timeout
        self._order: dict[str, int] = {}
        self._exact: dict[str, list[Rule]] = {}
        patterns: list[Rule] = []
        for rule in rules:
            self._order[rule.id] = len(self._order)
            if rule.kind == "exact":
                for key in rule.keys:
                    self._exact.setdefault(key, []).append(rule)
            else:
                patterns.append(rule)
        self._groups = _build_groups(patterns)
        self.has_site_rules = any(rule.sites for rule in patterns) or any(
            rule.sites for bucket in self._exact.values() for rule in bucket
        )

    def match(self, text: str, key: str, words: int, number: int, host: str | None) -> Match:
        """Find the rule that removes a line (``text`` normalised, ``key`` its line key)."""
        found: Rule | None = None
        for rule in self._exact.get(key, ()):
            if rule.applies_to(host) and (rule.max_words is None or words <= rule.max_words):
                found = rule
                break
        timeouts: list[PatternTimeout] = []
        for group in self._groups:
            if group.max_words is not None and words > group.max_words:
                continue
            for rule in _search_group(group, text, words, number, host, self.timeout, timeouts):
                if found is None or self._order[rule.id] < self._order[found.id]:
                    found = rule
                break
        return Match(found, timeouts)


def _build_groups(patterns: list[Rule]) -> list[_PatternGroup]:
    """Group combinable patterns by (case sensitivity, word limit); others stand alone."""
    buckets: dict[tuple[bool, int | None], list[Rule]] = {}
    alone: list[Rule] = []
    for rule in patterns:
        assert rule.pattern is not None
        if _BACKREF.search(rule.pattern):
            alone.append(rule)
        else:
            limit = None if rule.max_words is None else _bucket_limit(rule.max_words)
            buckets.setdefault((rule.case_sensitive, limit), []).append(rule)
    groups: list[_PatternGroup] = []
    for (case_sensitive, limit), rules in sorted(buckets.items(), key=lambda kv: (kv[0][0], kv[0][1] or 10**9)):
        compiled = [compile_pattern(r.pattern or "", r.case_sensitive) for r in rules]
        combined: regex.Pattern[str] | None = None
        if len(rules) > 1:
            try:
                combined = compile_pattern("|".join(f"(?:{r.pattern})" for r in rules), case_sensitive)
            except regex.error:
                combined = None
        groups.append(_PatternGroup(rules, compiled, combined, limit))
    for rule in alone:
        groups.append(_PatternGroup([rule], [compile_pattern(rule.pattern or "", rule.case_sensitive)], None, rule.max_words))
    return groups


def _bucket_limit(max_words: int) -> int:
    """Round a word limit up to a small set of buckets so few alternations are built."""
    for limit in (3, 8, 15, 30, 60, 120):
        if max_words <= limit:
            return limit
    return max_words


def _search_group(
    group: _PatternGroup, text: str, words: int, number: int, host: str | None,
    timeout: float, timeouts: list[PatternTimeout],
) -> list[Rule]:
    """Rules of ``group`` matching ``text``, in set order; timeouts are recorded."""
    if group.combined is not None:
        try:
            if group.combined.search(text, timeout=timeout) is None:
                return []
        except TimeoutError:
            pass  # fall through to the individual patterns to name the culprit
    hits: list[Rule] = []
    for rule, compiled in zip(group.rules, group.compiled):
        if rule.max_words is not None and words > rule.max_words:
            continue
        if not rule.applies_to(host):
            continue
        try:
            if compiled.search(text, timeout=timeout) is not None:
                hits.append(rule)
                break
        except TimeoutError:
            timeouts.append(PatternTimeout(rule.id, number))
    return hits
