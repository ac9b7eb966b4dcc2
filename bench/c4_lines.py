"""C4's line rules, as datatrove's ``C4QualityFilter`` applies them, for the text benchmark.

A faithful re-implementation of the line-level part of
``datatrove.pipeline.filters.c4_filters.C4QualityFilter.filter`` (datatrove, Hugging Face,
Apache-2.0; C4 rules from Raffel et al. 2020, https://jmlr.org/papers/volume21/20-074/20-074.pdf)
with its defaults (``split_paragraph=True``): a line is dropped when a word is longer than
1000 characters, when (after removing ``[1]``/``[edit]``/``[citation needed]``) it does not
end in ``. ? ! " '`` or ends in ``...``, when it has fewer than 3 words, when it contains
"javascript", or when it contains a cookie/terms/privacy-policy phrase.

The rules that discard the *whole document* (fewer than 5 sentences kept, "lorem ipsum", a
``{``) are not applied: the benchmark compares line removal, and a dropped document has no
line-level answer. :func:`document_dropped` says when datatrove would have dropped it
(reported as a count).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

CITATION = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
END_PUNCTUATION = (".", "?", "!", '"', "'")
ELLIPSIS = "..."
POLICY_SUBSTRINGS = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")
MIN_WORDS_PER_LINE = 3
MAX_WORD_LENGTH = 1000


def line_dropped(line: str) -> bool:
    """Whether C4's line rules drop ``line``."""
    line = line.strip()
    words = line.split()
    if any(len(word) > MAX_WORD_LENGTH for word in words):
        return True
    line = CITATION.sub("", line)
    if not line.endswith(END_PUNCTUATION) or line.endswith(ELLIPSIS):
        return True
    if len(words) < MIN_WORDS_PER_LINE:
        return True
    lower = line.lower()
    return "javascript" in lower or any(p in lower for p in POLICY_SUBSTRINGS)


def removed_lines(lines: Sequence[str]) -> set[int]:
    """Indices of the lines C4's line rules drop."""
    return {i for i, line in enumerate(lines) if line_dropped(line)}


def document_dropped(lines: Sequence[str]) -> bool:
    """Whether datatrove would drop the whole document (lorem ipsum, ``{``, or under 5 kept lines;
    datatrove counts sentences with a tokenizer, here each kept line counts as at least one)."""
    kept = [line for i, line in enumerate(lines) if not line_dropped(line)]
    return any("lorem ipsum" in line.lower() or "{" in line for line in kept) or len(kept) < 5
