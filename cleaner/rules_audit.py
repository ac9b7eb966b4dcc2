"""Auditing rules before they are trusted: would a rule remove too much of a typical document?

A learned or hand-written rule that matches a large share of an ordinary article
(a pattern like ``\\w`` matching every line) is a mistake waiting to delete text.
``article-cleaner rules check`` runs each rule on sample documents and flags those.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .matcher import Matcher
from .rules import Rule
from .textlines import line_key, normalize_space, split_text, word_count

DEFAULT_MAX_SHARE = 0.2


@dataclass(frozen=True)
class Flag:
    """Evidence that ``rule_id`` removes ``share`` of the characters of ``sample``."""

    rule_id: str
    sample: str
    share: float
    lines: int
    total_lines: int
    example: str

    def __str__(self) -> str:
        return (
            f"rule {self.rule_id!r} would remove {self.share:.0%} of {self.sample} "
            f"({self.lines} of {self.total_lines} lines), e.g. {self.example[:80]!r}"
        )


def default_samples() -> list[tuple[str, str]]:
    """The built-in typical article shipped with the package, as ``(name, text)``."""
    path = resources.files("cleaner") / "data" / "sample_article.txt"
    return [("built-in sample article", path.read_text(encoding="utf-8"))]


def read_samples(paths: Iterable[str | Path]) -> list[tuple[str, str]]:
    """Text files as samples; directories contribute their ``*.txt`` files recursively."""
    samples = []
    for raw in paths:
        path = Path(raw)
        files = sorted(path.rglob("*.txt")) if path.is_dir() else [path]
        for file in files:
            samples.append((str(file), file.read_text(encoding="utf-8", errors="replace")))
    return samples


def audit(rules: Sequence[Rule], samples: Sequence[tuple[str, str]], max_share: float = DEFAULT_MAX_SHARE) -> list[Flag]:
    """Flags for every (rule, sample) pair where the rule alone removes more than ``max_share``.

    Site scopes are ignored on purpose: a site rule that eats a whole article of its
    site is just as wrong.
    """
    flags: list[Flag] = []
    matchers = [(rule, Matcher([_unscoped(rule)], timeout=0.05)) for rule in rules]
    for name, text in samples:
        lines = [normalize_space(raw) for _, raw in split_text(text).lines]
        items = [(line, line_key(line), word_count(line), number) for number, line in enumerate(lines, 1)]
        total_chars = sum(len(line) for line in lines) or 1
        for rule, matcher in matchers:
            hit = [item[0] for item, found in zip(items, matcher.match_many(items, None)) if found.rule is not None]
            share = sum(len(line) for line in hit) / total_chars
            if hit and share > max_share:
                flags.append(Flag(rule.id, name, share, len(hit), len(lines), hit[0]))
    return flags


def _unscoped(rule: Rule) -> Rule:
    from dataclasses import replace

    return replace(rule, sites=())
