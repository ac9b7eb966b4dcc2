"""The document as rules, detectors and the line model see it: kept lines with their layout.

A view is rebuilt after every round of removals exactly as the output would read
back in, which is what makes ``clean(clean(x)) == clean(x)`` hold by construction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import regex

from .evidence import Evidence
from .textlines import line_key, word_count

_SENTENCE_END = regex.compile(r"[.!?\u2026;:][\"'\u201d\u2019)\]]*$")


@dataclass(frozen=True)
class Line:
    """One non-blank line of the current view.

    ``number`` is the 1-based line number in the caller's input; ``gap`` the number
    of line breaks separating it from the previous line of the view (1 = same
    paragraph); ``evidence`` what HTML extraction knows of its source element
    (:class:`~cleaner.evidence.Evidence`) or ``None`` for plain text. A ``ghost`` line was
    removed in an earlier round (by any rule, detector or the model) while the rounds
    still find something: detectors may use it as context (a "Related news" header,
    the first copy of a headline) but never remove it again, so that one removal
    does not hide context from the others. ``ends`` says whether the text ends like a
    sentence (:func:`ends_sentence`); it is worked out once, as every stage asks.
    """

    number: int
    text: str
    key: str
    words: int
    gap: int
    evidence: Evidence | None = None
    ghost: bool = False
    ends: bool = field(default=None, compare=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.ends is None:
            object.__setattr__(self, "ends", ends_sentence(self.text))

    @classmethod
    def make(
        cls, number: int, text: str, gap: int, evidence: Evidence | None = None, ghost: bool = False,
    ) -> Line:
        return cls(number, text, line_key(text), word_count(text), gap, evidence, ghost)


@dataclass(frozen=True)
class Verdict:
    """A stage's decision to remove the line at ``index`` of the view."""

    index: int
    rule_id: str
    source: str
    reason: str


def ends_sentence(text: str) -> bool:
    """Whether a line ends like a sentence (terminal punctuation, maybe closing quotes)."""
    return bool(_SENTENCE_END.search(text))


def is_body(line: Line) -> bool:
    """A line that reads as article prose: a long sentence or a very long line."""
    return (line.words >= 12 and line.ends) or line.words >= 30


def top_region(view: Sequence[Line], limit: int = 10) -> range:
    """Indices of the lines before the first body paragraph (at most ``limit`` real lines).

    Ghost lines neither end the region nor count towards the limit.
    """
    real = 0
    for index, line in enumerate(view):
        if line.ghost:
            continue
        if is_body(line) or real == limit:
            return range(index)
        real += 1
    return range(len(view))


def last_body_index(view: Sequence[Line], also: Callable[[Line], bool] | None = None) -> int:
    """Index of the last (non-ghost) body paragraph for which ``also`` holds, or -1 when there is none."""
    for index in range(len(view) - 1, -1, -1):
        line = view[index]
        if not line.ghost and is_body(line) and (also is None or also(line)):
            return index
    return -1
