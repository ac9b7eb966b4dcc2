"""Splitting text into lines, normalising them, and keying them for rule lookups.

Everything that decides what a "line" is, and when two lines are "the same",
lives here so that rules, detectors, the learner and the golden files agree.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

# Characters that are not ``str.isspace`` but show up as invisible junk inside lines.
_INVISIBLE = "\u200b\u2060\ufeff"
_INVISIBLE_TABLE = str.maketrans("", "", _INVISIBLE)
_SPACE_RUN = regex.compile(r"\s+")

# Quote, apostrophe and dash look-alikes folded to ASCII for matching keys.
_FOLD_TABLE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u00b4": "'", "`": "'", "\u02bc": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
    }
)
_FOLD_CHARS = regex.compile("[" + "".join(regex.escape(chr(c)) for c in _FOLD_TABLE) + "]")
_DIGITS = regex.compile(r"\d+")
# Edge punctuation: the trailing run is found by a reverse search, so a long line is not
# rescanned from every punctuation mark (``^[\W_]+|[\W_]+$`` in one pattern is 10x slower).
_LEADING_PUNCT = regex.compile(r"^[\W_]+")
_TRAILING_PUNCT = regex.compile(r"(?r)[\W_]+$")
_NON_WORD = regex.compile(r"[\W_]+")

# Decorations that may lead a headline: bullets, arrows, dashes used as bullets.
_LEADING_BULLET = regex.compile(r"^(?:[\u2022\u2023\u2043\u2219\u25aa\u25ab\u25b6\u25ba\u25cf\u25e6\u2013\u2014\u00b7\u2027\u27a4\u2794*>-]+\s+)+")


def normalize_space(line: str) -> str:
    """Whitespace-normalise one line: odd spaces become plain spaces, runs collapse, ends trim."""
    if _has_invisible(line):
        line = line.translate(_INVISIBLE_TABLE)
    return _collapse_spaces(line)


def _has_invisible(line: str) -> bool:
    return _INVISIBLE[0] in line or _INVISIBLE[1] in line or _INVISIBLE[2] in line


def _collapse_spaces(text: str) -> str:
    """Runs of whitespace become one space, ends trimmed (``str.split`` is the fast path).

    U+001F is the one character ``str.split`` treats as a space and ``\\s`` does not.
    A printable text (no whitespace but the plain space) without a double space only
    needs its ends trimmed: the common case, checked in C.
    """
    if "  " not in text and text.isprintable():
        return text.strip(" ")
    if "\x1f" in text:
        return _SPACE_RUN.sub(" ", text).strip()
    return " ".join(text.split())


def _fold(text: str) -> str:
    """Quote, apostrophe and dash look-alikes to ASCII (a regex pass beats ``str.translate`` here)."""
    if text.isascii():  # most lines: nothing to fold, and a check costs less than a regex pass
        return text
    return _FOLD_CHARS.sub(lambda m: _FOLD_TABLE[ord(m.group())], text)


def line_key(line: str) -> str:
    """The matching key of a line: case, whitespace, quotes, dashes folded; digits templated.

    ``"Copyright 2016 Foo, Inc."`` and ``"copyright 2017 foo, inc"`` share a key.
    Leading and trailing punctuation is dropped so ``"You are here:"`` equals ``"You are here"``.
    """
    key = _fold(unicodedata.normalize("NFKC", line).casefold())
    key = _DIGITS.sub("0", key)
    key = _LEADING_PUNCT.sub("", key, count=1)
    trailing = _TRAILING_PUNCT.search(key)
    if trailing is not None:
        key = key[: trailing.start()]
    return _collapse_spaces(key)


@lru_cache(maxsize=8192)  # the detectors ask again about the same lines in every round of the core
def loose_key(line: str) -> str:
    """A key for near-duplicate headlines: only letters and digits survive (digits kept)."""
    key = _fold(unicodedata.normalize("NFKC", line).casefold())
    key = key.replace("'", "")
    return _NON_WORD.sub(" ", key).strip()


def strip_bullet(line: str) -> str:
    """Remove a leading decorative bullet (``"• Headline"`` -> ``"Headline"``)."""
    return _LEADING_BULLET.sub("", line, count=1)


def word_count(line: str) -> int:
    """Number of whitespace-separated words in an already normalised line."""
    return line.count(" ") + 1 if line else 0


@dataclass(frozen=True)
class SplitText:
    """A text cut into lines, with what is needed to put the kept lines back together.

    ``lines`` holds ``(number, raw)`` for every non-blank line, 1-based numbers as an
    editor shows them; ``gaps[i]`` is how many line breaks separate line ``i`` from the
    previous non-blank line (1 = same paragraph, 2 = one blank line, ...).
    """

    lines: tuple[tuple[int, str], ...]
    gaps: tuple[int, ...]
    newline: str
    trailing_newline: bool


_BREAK_CHARS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def split_text(text: str) -> SplitText:
    """Split ``text`` on every line break ``str.splitlines`` knows, dropping blank lines."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines: list[tuple[int, str]] = []
    gaps: list[int] = []
    gap = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        gap += 1
        if not raw or raw.isspace() or (_has_invisible(raw) and not normalize_space(raw)):
            continue  # blank; only a line with invisible characters needs normalising to tell
        lines.append((number, raw))
        gaps.append(gap)
        gap = 0
    trailing = bool(text) and text[-1] in _BREAK_CHARS
    return SplitText(tuple(lines), tuple(gaps), newline, trailing)


def join_lines(lines: list[str], gaps: list[int], newline: str, trailing_newline: bool) -> str:
    """Join kept lines, ``gaps[i]`` line breaks before line ``i`` (the first gap is ignored)."""
    if not lines:
        return ""
    parts = [lines[0]]
    for line, gap in zip(lines[1:], gaps[1:]):
        parts.append(newline * max(gap, 1))
        parts.append(line)
    if trailing_newline:
        parts.append(newline)
    return "".join(parts)
