"""Features of a line for the line model, computed for a whole view in one pass.

Plain-text features follow boilerpipe's shallow text features (length, punctuation,
capitalisation, position, the neighbours' lengths, stop-word share, furniture
words; not paragraph breaks, which trafilatura's output does not have, and not
"first/last line" flags, which flip when a neighbour is removed and let removals
cascade over the core's passes); HTML evidence (tag, hint, link density) adds what the markup knew when the
line came from ``clean_html``. Every feature is a float; names are stable because
the shipped model refers to them by name.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

import regex

from .evidence import HEADING_TAGS, Hint
from .view import Line, is_body

_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’-]*")
_URLISH = regex.compile(r"https?://|www\.|\.com\b|@\w|\b[\w.+-]+@[\w-]+\.\w")
_TIMEISH = regex.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{4}-\d{2}-\d{2}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b(?:updated|published|posted)\b",
    regex.IGNORECASE,
)
_SEPARATORS = regex.compile(r"\s[|»›>•·/]\s")
_BULLET = regex.compile(r"^[-–—•·*▶►>]\s")
_FURNITURE = re.compile(
    r"\b(?:share|shares|shared|subscribe|subscriber|subscription|newsletters?|cookies?|advertisement|advertising|ad|ads|sponsored"
    r"|related|read more|more from|more on|see also|also read|recommended|trending|popular|most read|click|tap|follow"
    r"|sign up|sign in|log in|login|register|comments?|copyright|all rights reserved|photo|photos|image|images|credit"
    r"|getty|reuters|afp|associated press|file photo|source|tags?|topics?|email|print|facebook|twitter|instagram|whatsapp"
    r"|linkedin|pinterest|youtube|download|app|watch|video|videos|listen|podcast|menu|home|skip|search|privacy|terms"
    r"|contact us|about us|next|previous|back to top|loading|please|browser|javascript|enable|updated|published)\b"
)
"""Run on the lowercased line with the standard library's ``re``: a fifth of the time of a
case-insensitive ``regex`` alternation, the model's most expensive feature otherwise."""
_URLISH_LITERALS = ("http", "www.", ".com", "@")
"""Every alternative of :data:`_URLISH` needs one of these (lowercased); most lines have none."""
_TIMEISH_WORDS = ("updated", "published", "posted")
"""With a digit, what :data:`_TIMEISH` needs at least one of."""
STOP_WORDS = frozenset(
    """a about after all also an and any are as at be because been but by can could did do does for from had has have he her
    his how i if in into is it its just like may more most my new no not of on one only or our out over said says she so some
    than that the their them then there these they this to up us was we were what when which who will with would you your
    le la les de des du et en un une est que qui pour dans pas sur au der die das und ist nicht mit den von zu el los las y
    por con para una es del se il che di e per non""".split()
)

FEATURE_NAMES: tuple[str, ...] = (
    "log_words", "log_chars", "short", "ends_sentence", "ends_colon", "bullet", "title_case", "all_caps",
    "digit_share", "urlish", "timeish", "separators", "furniture", "stop_share", "pos_top", "pos_bottom",
    "before_body", "after_body", "prev_log_words", "next_log_words", "prev_body",
    "next_body", "repeated_in_doc", "short_no_end", "long_sentence",
    "has_evidence", "link_density", "hint_share", "hint_related", "hint_nav", "hint_caption", "hint_other",
    "tag_heading", "tag_list",
)

# What each feature says when it pushes a line towards "junk" (used in explanations).
DESCRIPTIONS: Mapping[str, str] = {
    "log_words": "few words", "log_chars": "short", "short": "very short", "ends_sentence": "no sentence end",
    "ends_colon": "ends with a colon", "bullet": "starts with a bullet", "title_case": "capitalised words",
    "all_caps": "all capitals", "digit_share": "mostly digits", "urlish": "a link or handle", "timeish": "a date or time",
    "separators": "separator characters", "furniture": "furniture words", "stop_share": "few function words",
    "pos_top": "near the top", "pos_bottom": "near the bottom",
    "before_body": "before the article body", "after_body": "after the article body", "prev_log_words": "after a short line",
    "next_log_words": "before a short line", "prev_body": "next to body text", "next_body": "next to body text",
"repeated_in_doc": "repeated in the page", "short_no_end": "short, no sentence end",
    "long_sentence": "a long sentence", "has_evidence": "HTML evidence", "link_density": "mostly link text",
    "hint_share": "in a share or promo block", "hint_related": "in a related-links block", "hint_nav": "in navigation",
    "hint_caption": "a caption", "hint_other": "in page furniture", "tag_heading": "a heading", "tag_list": "a list item",
}

_HINTS: dict[Hint, str] = {
    **dict.fromkeys(("share", "social", "newsletter", "subscribe", "cookie", "ad", "promo", "widget"), "hint_share"),
    **dict.fromkeys(("related", "recommended", "tag"), "hint_related"),
    **dict.fromkeys(("nav", "breadcrumb", "header", "footer", "aside"), "hint_nav"),
    **dict.fromkeys(("figcaption", "caption"), "hint_caption"),
}
"""Evidence hints (:data:`cleaner.evidence.Hint`) grouped; any other hint counts as ``hint_other``."""


def _log(x: float) -> float:
    return math.log1p(x)


def line_features(view: Sequence[Line], wanted: Sequence[bool] | None = None) -> list[list[float]]:
    """One feature vector (ordered as :data:`FEATURE_NAMES`) per line of ``view``.

    With ``wanted``, only lines flagged there get their features computed (the
    others get an empty list): the model skips lines it may not remove anyway.
    """
    count = len(view)
    if not count:
        return []
    body = [is_body(line) for line in view]
    first_body = next((i for i, b in enumerate(body) if b), count)
    last_body = next((i for i in range(count - 1, -1, -1) if body[i]), -1)
    keys = Counter(line.key for line in view)
    span = max(count - 1, 1)
    rows: list[list[float]] = []
    for index, line in enumerate(view):
        if wanted is not None and not wanted[index]:
            rows.append([])
            continue
        text = line.text
        lower = text.lower()
        words = _WORD.findall(text)
        letters = sum(map(str.isalpha, text))
        digits = sum(map(str.isdigit, text))
        upper_words = sum(1 for w in words if w[0].isupper())
        stop = sum(1 for w in words if w.casefold() in STOP_WORDS)
        ends = line.ends
        evidence = line.evidence
        hint = evidence.hint if evidence is not None else None
        tag = evidence.tag if evidence is not None else ""
        hint_name = _HINTS.get(hint, "hint_other") if hint else None
        rows.append([
            _log(line.words),
            _log(len(text)),
            float(line.words <= 3),
            float(ends),
            float(text.endswith(":")),
            float(bool(_BULLET.match(text))),
            upper_words / len(words) if words else 0.0,
            float(letters >= 3 and text.upper() == text),
            digits / len(text),
            float(any(part in lower for part in _URLISH_LITERALS) and bool(_URLISH.search(text))),
            float((digits > 0 or any(word in lower for word in _TIMEISH_WORDS)) and bool(_TIMEISH.search(text))),
            float(len(_SEPARATORS.findall(text))),
            float(min(len(_FURNITURE.findall(lower)), 3)),
            stop / len(words) if words else 0.0,
            index / span,
            (count - 1 - index) / span,
            float(index < first_body),
            float(index > last_body),
            _log(view[index - 1].words) if index else 0.0,
            _log(view[index + 1].words) if index + 1 < count else 0.0,
            float(index > 0 and body[index - 1]),
            float(index + 1 < count and body[index + 1]),
            float(keys[line.key] > 1),
            float(line.words <= 8 and not ends),
            float(line.words >= 15 and ends),
            float(evidence is not None),
            evidence.link_density if evidence is not None else 0.0,
            float(hint_name == "hint_share"),
            float(hint_name == "hint_related"),
            float(hint_name == "hint_nav"),
            float(hint_name == "hint_caption"),
            float(hint_name == "hint_other"),
            float(tag in HEADING_TAGS),
            float(tag == "li"),
        ])
    return rows

