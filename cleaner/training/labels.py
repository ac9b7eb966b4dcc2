"""Labelling extracted lines as content or junk by aligning them with gold article text.

A line is *content* when its word sequence occurs in the gold text (long lines may
differ a little: 60% of their word trigrams suffice), and *junk* otherwise. Short
lines (under four words) are content only when they equal, or make up more than
half of, a short gold line, so "Advertisement" is not kept because the word occurs in a sentence.
Lines equal to the page title are left unlabelled when the gold has no title, and
a line matching one of WCXB's ``without`` snippets is junk whatever else matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

CONTENT = 0
JUNK = 1
UNKNOWN = -1

_WORD = regex.compile(r"\w+")
SHORT_WORDS = 4
SHORT_GOLD_WORDS = 10
TRIGRAM_SHARE = 0.6


def words_of(text: str) -> list[str]:
    """Lower-cased ``\\w+`` tokens: the unit of alignment."""
    return [w.casefold() for w in _WORD.findall(text)]


@dataclass(frozen=True)
class GoldIndex:
    """The gold text prepared for containment tests."""

    joined: str
    trigrams: frozenset[tuple[str, str, str]]
    short_lines: frozenset[str]
    title: str | None
    without: tuple[str, ...]

    @classmethod
    def build(cls, gold: str, title: str | None = None, without: Sequence[str] = ()) -> GoldIndex:
        tokens = words_of(gold)
        trigrams = frozenset(zip(tokens, tokens[1:], tokens[2:]))
        short = set()
        for raw in gold.splitlines():
            line_words = words_of(raw)
            if 0 < len(line_words) <= SHORT_GOLD_WORDS:
                short.add(" " + " ".join(line_words) + " ")
        if title:
            short.add(" " + " ".join(words_of(title)) + " ")
        joined = " " + " ".join(tokens) + " "
        kept_without = tuple(" " + " ".join(words_of(s)) + " " for s in without if words_of(s))
        return cls(joined, trigrams, frozenset(short), " ".join(words_of(title)) if title else None, kept_without)

    def is_without(self, needle: str, words: int) -> bool:
        """The line is one of WCXB's must-go snippets, or a short line holding one."""
        return any(needle == snippet or (words < SHORT_WORDS * 3 and snippet in needle) for snippet in self.without)

    def in_short_line(self, needle: str, words: int) -> bool:
        """The line is, or makes up more than half of, a short gold line."""
        return any(needle in short and 2 * words > short.count(" ") - 1 for short in self.short_lines)

    def trigram_share(self, tokens: Sequence[str]) -> float:
        """Share of the line's word trigrams found in the gold (lines of three words or more)."""
        grams = list(zip(tokens, tokens[1:], tokens[2:]))
        return sum(1 for g in grams if g in self.trigrams) / len(grams)


def needle_of(tokens: Sequence[str]) -> str:
    """A line's words as the space-delimited string the containment tests look for."""
    return " " + " ".join(tokens) + " "


def label_line(text: str, gold: GoldIndex, *, gold_has_title: bool) -> int:
    """``CONTENT``, ``JUNK`` or ``UNKNOWN`` for one extracted line."""
    tokens = words_of(text)
    if not tokens:
        return UNKNOWN
    needle = needle_of(tokens)
    if gold.is_without(needle, len(tokens)):
        return JUNK
    if not gold_has_title and gold.title and needle.strip() == gold.title:
        return UNKNOWN
    if len(tokens) < SHORT_WORDS:
        return CONTENT if gold.in_short_line(needle, len(tokens)) else JUNK
    if needle in gold.joined:
        return CONTENT
    if len(tokens) >= 6 and gold.trigram_share(tokens) >= TRIGRAM_SHARE:
        return CONTENT
    return JUNK


def label_lines(lines: Sequence[str], gold: str, *, title: str | None = None, without: Sequence[str] = (),
                gold_has_title: bool = True) -> list[int]:
    """Labels for every line of one document."""
    index = GoldIndex.build(gold, title if gold_has_title else None, without)
    if not gold_has_title and title:
        index = GoldIndex(index.joined, index.trigrams, index.short_lines, " ".join(words_of(title)), index.without)
    return [label_line(line, index, gold_has_title=gold_has_title) for line in lines]
