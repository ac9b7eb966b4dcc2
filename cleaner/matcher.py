"""Matching lines against a rule set fast: a hash lookup per line, a few regex passes per document.

Exact rules become a dict from normalised key to rules. Pattern rules are cut into
their top-level alternatives: ``^``-anchored ones are joined into one alternation
(short-line ones apart), the others run only on lines containing a literal they
require. Each group runs once over the document's lines joined by newlines
(MULTILINE); only lines where something matched are then checked alternative by
alternative to name the rule. Every regex call has a timeout: a pattern that times
out (twice) counts as no match and is reported; the document is still cleaned.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

import regex

from .rules import Rule, compile_pattern

_BACKREF = regex.compile(r"\\[1-9]|\(\?P=|\\g<|\(\?\(|\(\?[a-zA-Z]*\)")
_ESCAPED_SYMBOL = regex.compile(r"\\[^\w]")  # "\(" is a literal parenthesis, never the start of "(?(" or "(?i)"
_QUANTIFIER_OPTIONAL = ("?", "*")
RETRY_FACTOR = 10  # a timed-out pattern is retried once with this many times the limit
SHORT_LINE_WORDS = 15  # anchored patterns limited to short lines are joined apart, run on short lines only


@dataclass(frozen=True)
class PatternTimeout:
    """A pattern that hit its time limit on a line; reported, treated as no match."""

    rule_id: str
    line: int


@dataclass
class Match:
    """What the matcher found for one line: the first rule in set order, or nothing."""

    rule: Rule | None
    timeouts: list[PatternTimeout] = field(default_factory=list)


@dataclass
class _Alternative:
    rule: Rule
    compiled: regex.Pattern[str]


@dataclass
class _Joined:
    """Alternatives joined into one pattern that answers "does any of them match?"."""

    members: list[_Alternative]
    anchored: bool
    max_words: int | None
    document: regex.Pattern[str] | None = None
    literal: str | None = None
    case_sensitive: bool = False


class Matcher:
    """Compiled form of a list of rules; build once, match many lines."""

    def __init__(self, rules: Iterable[Rule], *, timeout: float = 0.05) -> None:
        self.timeout = timeout
        self._order: dict[str, int] = {}
        self._exact: dict[str, list[Rule]] = {}
        patterns: list[Rule] = []
        for rule in rules:
            if rule.kind == "profile":  # applied to HTML pages by cleaner.profiles, not to lines
                continue
            self._order[rule.id] = len(self._order)
            if rule.kind == "exact":
                for key in rule.keys:
                    self._exact.setdefault(key, []).append(rule)
            else:
                patterns.append(rule)
        self._joined = _build(patterns)
        self._needs_folding = any(j.literal is not None and not j.case_sensitive for j in self._joined)
        self._has_literals = any(j.literal is not None for j in self._joined)

    def match(self, text: str, key: str, words: int, number: int, host: str | None) -> Match:
        """Find the rule that removes one line (``text`` normalised, ``key`` its line key)."""
        return self.match_many([(text, key, words, number)], host)[0]

    def match_many(self, lines: Sequence[tuple[str, str, int, int]], host: str | None) -> list[Match]:
        """Match many lines (``(text, key, words, number)``) with one regex call per group.

        The lines are joined with ``\\n`` and each joined group runs once over the whole
        block in MULTILINE mode; only lines where something matched (or that a match
        straddled) are then checked alternative by alternative to name the rule. The
        call over the block has a timeout proportional to the number of lines; when it
        expires, every line is checked on its own, each call with the per-line timeout.
        """
        results: list[Match] = []
        for _text, key, words, _number in lines:
            best: Rule | None = None
            for rule in self._exact.get(key, ()):
                if _eligible(rule, words, host):
                    best = rule
                    break
            result = Match(best)
            results.append(result)
        if not lines:
            return results
        folded = [text.casefold() for text, _, _, _ in lines] if self._needs_folding else []
        whole = "\n".join(text for text, _, _, _ in lines) if self._has_literals else ""
        whole_folded = "\n".join(folded)
        for joined in self._joined:
            if joined.literal is not None and joined.literal not in (whole if joined.case_sensitive else whole_folded):
                continue  # one substring test over the document instead of one per line
            eligible = [
                i for i, line in enumerate(lines)
                if (joined.max_words is None or line[2] <= joined.max_words)
                and (joined.literal is None or joined.literal in (line[0] if joined.case_sensitive else folded[i]))
            ]
            for index in self._candidates(joined, [lines[i][0] for i in eligible]):
                index = eligible[index]
                text, _key, words, number = lines[index]
                result = results[index]
                for alternative in joined.members:
                    if self._better(alternative.rule, result.rule) and _eligible(alternative.rule, words, host):
                        if _search(alternative, text, number, self.timeout, result.timeouts, anchored=joined.anchored):
                            result.rule = alternative.rule
        return results

    def _candidates(self, joined: _Joined, texts: list[str]) -> Iterable[int]:
        """Positions in ``texts`` where ``joined`` may match, from one pass over them joined."""
        if not texts:
            return ()
        if joined.document is None:
            return range(len(texts))
        block = "\n".join(texts)
        starts = list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))
        hits: set[int] = set()
        try:
            for found in joined.document.finditer(block, timeout=self.timeout * (1 + len(texts))):
                first = bisect_right(starts, found.start()) - 1
                last = bisect_right(starts, max(found.end() - 1, found.start())) - 1
                hits.update(range(first, last + 1))
        except TimeoutError:
            return range(len(texts))
        return sorted(hits)

    def _better(self, rule: Rule, best: Rule | None) -> bool:
        return best is None or self._order[rule.id] < self._order[best.id]


def _eligible(rule: Rule, words: int, host: str | None) -> bool:
    return (rule.max_words is None or words <= rule.max_words) and rule.applies_to(host)


def _search(
    alternative: _Alternative, text: str, number: int, timeout: float,
    timeouts: list[PatternTimeout], anchored: bool = False,
) -> bool:
    find = alternative.compiled.match if anchored else alternative.compiled.search
    try:
        return find(text, timeout=timeout) is not None
    except TimeoutError:
        pass
    # The timeout is wall-clock time: on a loaded machine a pause of the process can
    # trip it. One retry with ten times the limit keeps results stable under load
    # while a truly catastrophic pattern still gives up.
    try:
        return find(text, timeout=timeout * RETRY_FACTOR) is not None
    except TimeoutError:
        timeouts.append(PatternTimeout(alternative.rule.id, number))
        return False


def _build(patterns: list[Rule]) -> list[_Joined]:
    """Sort every pattern alternative into a group run once per document."""
    anchored: dict[tuple[bool, bool], list[_Alternative]] = {}
    searched: dict[bool, list[_Alternative]] = {}
    joined: list[_Joined] = []
    for rule in patterns:
        pattern = rule.pattern or ""
        if _BACKREF.search(_ESCAPED_SYMBOL.sub("", pattern)):
            whole = _Alternative(rule, compile_pattern(pattern, rule.case_sensitive))
            joined.append(_Joined([whole], False, rule.max_words, _single_for_block(rule)))
            continue
        for part in split_alternatives(pattern):
            try:
                compiled = compile_pattern(part, rule.case_sensitive)
            except regex.error:  # an alternative that only compiles in context: keep the rule whole
                whole = _Alternative(rule, compile_pattern(pattern, rule.case_sensitive))
                joined.append(_Joined([whole], False, rule.max_words, _single_for_block(rule)))
                break
            if part.startswith("^"):
                short = rule.max_words is not None and rule.max_words <= SHORT_LINE_WORDS
                anchored.setdefault((rule.case_sensitive, short), []).append(_Alternative(rule, compiled))
                continue
            literal = required_literal(part)
            if literal:
                member = _Alternative(rule, compiled)
                joined.append(_Joined(
                    [member], False, rule.max_words,
                    _compile_block(part, rule.case_sensitive), literal if rule.case_sensitive else literal.casefold(),
                    rule.case_sensitive,
                ))
            else:
                searched.setdefault(rule.case_sensitive, []).append(_Alternative(rule, compiled))
    for (case_sensitive, _short), members in sorted(anchored.items()):
        joined.append(_Joined(
            members, True, _limit(members), _join_for_block(members, case_sensitive, True),
        ))
    for case_sensitive, members in sorted(searched.items()):
        joined.append(_Joined(
            members, False, _limit(members), _join_for_block(members, case_sensitive, False),
        ))
    return joined


def _single_for_block(rule: Rule) -> regex.Pattern[str] | None:
    return _compile_block(rule.pattern or "", rule.case_sensitive)


def _compile_block(pattern: str, case_sensitive: bool) -> regex.Pattern[str] | None:
    try:
        return compile_pattern(pattern, case_sensitive, multiline=True)
    except regex.error:
        return None


def _join_for_block(members: list[_Alternative], case_sensitive: bool, anchored: bool) -> regex.Pattern[str] | None:
    """The members as one MULTILINE pattern over lines joined by newlines (``^`` factored out)."""
    parts = [m.compiled.pattern[1:] if anchored else m.compiled.pattern for m in members]
    body = "|".join(f"(?:{part})" for part in parts)
    source = f"^(?:{body})" if anchored else body
    try:
        return compile_pattern(source, case_sensitive, multiline=True)
    except regex.error:
        return None


def _limit(members: list[_Alternative]) -> int | None:
    limits = [m.rule.max_words for m in members]
    return None if any(x is None for x in limits) else max(x for x in limits if x is not None)


def split_alternatives(pattern: str) -> list[str]:
    """The top-level ``|`` alternatives of a pattern (groups and classes respected)."""
    alternatives: list[str] = []
    current: list[str] = []
    depth = 0
    in_class = False
    escaped = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            alternatives.append("".join(current))
            current = []
            continue
        current.append(char)
    alternatives.append("".join(current))
    return alternatives


def required_literal(alternative: str) -> str | None:
    """The longest run of literal characters outside groups and classes that every match
    of ``alternative`` must contain, or ``None`` when there is none."""
    runs: list[str] = []
    current: list[str] = []
    depth = 0
    i = 0
    n = len(alternative)

    def close() -> None:
        if current:
            runs.append("".join(current))
            current.clear()

    while i < n:
        char = alternative[i]
        following = alternative[i + 1] if i + 1 < n else ""
        if depth:
            if char == "\\":
                i += 2
                continue
            if char == "[":
                i = _skip_class(alternative, i)
                continue
            depth += char == "("
            depth -= char == ")"
            i += 1
            continue
        if char == "(":
            close()
            depth = 1
            i += 1
            continue
        if char == "[":
            close()
            i = _skip_class(alternative, i)
            continue
        if char == "\\":
            escaped = alternative[i + 1] if i + 1 < n else ""
            literal = escaped if escaped and not escaped.isalnum() else None
            after = alternative[i + 2] if i + 2 < n else ""
            if literal is None or after in _QUANTIFIER_OPTIONAL or (after == "{" and alternative[i + 3 : i + 4] == "0"):
                close()
            else:
                current.append(literal)
            i += 2
            continue
        if char == "{":
            close()
            end = alternative.find("}", i)
            i = n if end < 0 else end + 1
            continue
        if char in ".^$+*?}|)":
            close()
            i += 1
            continue
        if following in _QUANTIFIER_OPTIONAL or (following == "{" and alternative[i + 2 : i + 3] == "0"):
            close()
            i += 1
            continue
        current.append(char)
        i += 1
    close()
    best = max(runs, key=len, default="")
    return best or None


def _skip_class(pattern: str, start: int) -> int:
    """Index just past the character class opening at ``start``."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "]":
            return i + 1
        i += 1
    return i
