"""Features of a line for the line model: a registry of named functions, one entry per feature.

Plain-text features follow boilerpipe's shallow text features (length, punctuation,
capitalisation, position, the neighbours' lengths, stop-word share, furniture
words; not paragraph breaks, which trafilatura's output does not have, and not
"first/last line" flags, which flip when a neighbour is removed and let removals
cascade over the core's passes); HTML evidence (tag, hint, link density) adds what the
markup knew when the line came from ``clean_html``. Every feature is a float; names are
stable because a model file refers to its features by name.

Adding a feature is one :class:`Feature` entry in :data:`FEATURES` (or a call to
:func:`register` from another module): a name, a function of a :class:`LineFacts`
(the line, its neighbours and what is worked out once per line and per view), and the
words an explanation uses when the feature pushes a line towards junk. A model names the
features it was trained on and :func:`line_features` computes exactly those, in its
order, so a new feature changes no existing model.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

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

_HINTS: dict[Hint, str] = {
    **dict.fromkeys(("share", "social", "newsletter", "subscribe", "cookie", "ad", "promo", "widget"), "hint_share"),
    **dict.fromkeys(("related", "recommended", "tag"), "hint_related"),
    **dict.fromkeys(("nav", "breadcrumb", "header", "footer", "aside"), "hint_nav"),
    **dict.fromkeys(("figcaption", "caption"), "hint_caption"),
}
"""Evidence hints (:data:`cleaner.evidence.Hint`) grouped; any other hint counts as ``hint_other``."""



@dataclass(frozen=True)
class ViewFacts:
    """What features need of the whole view, worked out once per view."""

    view: Sequence[Line]
    body: tuple[bool, ...]
    first_body: int
    last_body: int
    keys: Counter[str]
    span: int

    @classmethod
    def of(cls, view: Sequence[Line]) -> ViewFacts:
        count = len(view)
        body = tuple(is_body(line) for line in view)
        first_body = next((i for i, b in enumerate(body) if b), count)
        last_body = next((i for i in range(count - 1, -1, -1) if body[i]), -1)
        return cls(view, body, first_body, last_body, Counter(line.key for line in view), max(count - 1, 1))


class LineFacts:
    """One line of a view with what several features read, worked out once per line.

    ``index`` is the line's position in ``doc.view``; ``words`` its word tokens (letters),
    ``letters``/``digits`` character counts, ``upper_words`` words starting with a capital,
    ``stop`` function words, ``hint_group`` its evidence hint's group (see :data:`_HINTS`)
    and ``tag`` its source element's tag (``""`` for plain text).
    """

    __slots__ = (
        "doc", "index", "line", "text", "lower", "words", "letters", "digits", "upper_words", "stop",
        "hint_group", "tag",
    )

    def __init__(self, doc: ViewFacts, index: int) -> None:
        self.doc = doc
        self.index = index
        self.line = line = doc.view[index]
        self.text = text = line.text
        self.lower = text.lower()
        self.words: list[str] = _WORD.findall(text)
        self.letters = sum(map(str.isalpha, text))
        self.digits = sum(map(str.isdigit, text))
        self.upper_words = sum(1 for w in self.words if w[0].isupper())
        self.stop = sum(1 for w in self.words if w.casefold() in STOP_WORDS)
        evidence = line.evidence
        hint = evidence.hint if evidence is not None else None
        self.hint_group = _HINTS.get(hint, "hint_other") if hint else None
        self.tag = evidence.tag if evidence is not None else ""

    def neighbour(self, offset: int) -> Line | None:
        """The line ``offset`` places away in the view, if there is one."""
        position = self.index + offset
        return self.doc.view[position] if 0 <= position < len(self.doc.view) else None


@dataclass(frozen=True)
class Feature:
    """A line-model feature: its stable ``name``, how it is computed, and what it says.

    ``description`` is what an explanation says when the feature pushed a line's score
    up ("few words", "in navigation").
    """

    name: str
    compute: Callable[[LineFacts], float]
    description: str


def _log(x: float) -> float:
    return math.log1p(x)


def _share(part: int, whole: list[str]) -> float:
    return part / len(whole) if whole else 0.0


def _body_at(facts: LineFacts, offset: int) -> float:
    position = facts.index + offset
    return float(0 <= position < len(facts.doc.body) and facts.doc.body[position])


def _neighbour_words(facts: LineFacts, offset: int) -> float:
    other = facts.neighbour(offset)
    return _log(other.words) if other is not None else 0.0


def _hint(group: str) -> Callable[[LineFacts], float]:
    return lambda f: float(f.hint_group == group)


FEATURES: dict[str, Feature] = {}
"""Every registered feature by name, in registration order (the order of :data:`FEATURE_NAMES`)."""


def register(feature: Feature) -> Feature:
    """Add ``feature`` to :data:`FEATURES` (a name may be registered once)."""
    if feature.name in FEATURES:
        raise ValueError(f"line-model feature {feature.name!r} is already registered")
    FEATURES[feature.name] = feature
    return feature


for _feature in (
    Feature("log_words", lambda f: _log(f.line.words), "few words"),
    Feature("log_chars", lambda f: _log(len(f.text)), "short"),
    Feature("short", lambda f: float(f.line.words <= 3), "very short"),
    Feature("ends_sentence", lambda f: float(f.line.ends), "no sentence end"),
    Feature("ends_colon", lambda f: float(f.text.endswith(":")), "ends with a colon"),
    Feature("bullet", lambda f: float(bool(_BULLET.match(f.text))), "starts with a bullet"),
    Feature("title_case", lambda f: _share(f.upper_words, f.words), "capitalised words"),
    Feature("all_caps", lambda f: float(f.letters >= 3 and f.text.upper() == f.text), "all capitals"),
    Feature("digit_share", lambda f: f.digits / len(f.text), "mostly digits"),
    Feature(
        "urlish",
        lambda f: float(any(part in f.lower for part in _URLISH_LITERALS) and bool(_URLISH.search(f.text))),
        "a link or handle",
    ),
    Feature(
        "timeish",
        lambda f: float((f.digits > 0 or any(word in f.lower for word in _TIMEISH_WORDS)) and bool(_TIMEISH.search(f.text))),
        "a date or time",
    ),
    Feature("separators", lambda f: float(len(_SEPARATORS.findall(f.text))), "separator characters"),
    Feature("furniture", lambda f: float(min(len(_FURNITURE.findall(f.lower)), 3)), "furniture words"),
    Feature("stop_share", lambda f: _share(f.stop, f.words), "few function words"),
    Feature("pos_top", lambda f: f.index / f.doc.span, "near the top"),
    Feature("pos_bottom", lambda f: (len(f.doc.view) - 1 - f.index) / f.doc.span, "near the bottom"),
    Feature("before_body", lambda f: float(f.index < f.doc.first_body), "before the article body"),
    Feature("after_body", lambda f: float(f.index > f.doc.last_body), "after the article body"),
    Feature("prev_log_words", lambda f: _neighbour_words(f, -1), "after a short line"),
    Feature("next_log_words", lambda f: _neighbour_words(f, 1), "before a short line"),
    Feature("prev_body", lambda f: _body_at(f, -1), "next to body text"),
    Feature("next_body", lambda f: _body_at(f, 1), "next to body text"),
    Feature("repeated_in_doc", lambda f: float(f.doc.keys[f.line.key] > 1), "repeated in the page"),
    Feature("short_no_end", lambda f: float(f.line.words <= 8 and not f.line.ends), "short, no sentence end"),
    Feature("long_sentence", lambda f: float(f.line.words >= 15 and f.line.ends), "a long sentence"),
    Feature("has_evidence", lambda f: float(f.line.evidence is not None), "HTML evidence"),
    Feature(
        "link_density",
        lambda f: f.line.evidence.link_density if f.line.evidence is not None else 0.0,
        "mostly link text",
    ),
    Feature("hint_share", _hint("hint_share"), "in a share or promo block"),
    Feature("hint_related", _hint("hint_related"), "in a related-links block"),
    Feature("hint_nav", _hint("hint_nav"), "in navigation"),
    Feature("hint_caption", _hint("hint_caption"), "a caption"),
    Feature("hint_other", _hint("hint_other"), "in page furniture"),
    Feature("tag_heading", lambda f: float(f.tag in HEADING_TAGS), "a heading"),
    Feature("tag_list", lambda f: float(f.tag == "li"), "a list item"),
):
    register(_feature)

FEATURE_NAMES: tuple[str, ...] = tuple(FEATURES)
"""The names of the features registered here, in order: what a newly trained model uses."""

DESCRIPTIONS: Mapping[str, str] = {name: feature.description for name, feature in FEATURES.items()}
"""What each feature says when it pushes a line towards "junk" (used in explanations)."""


def line_features(
    view: Sequence[Line], wanted: Sequence[bool] | None = None, names: Sequence[str] = FEATURE_NAMES,
) -> list[list[float]]:
    """One feature vector (the features ``names``, in that order) per line of ``view``.

    With ``wanted``, only lines flagged there get their features computed (the
    others get an empty list): the model skips lines it may not remove anyway.
    Raises ``KeyError`` for a name that is not registered.
    """
    if not view:
        return []
    computes = [FEATURES[name].compute for name in names]
    doc = ViewFacts.of(view)
    rows: list[list[float]] = []
    for index in range(len(view)):
        if wanted is not None and not wanted[index]:
            rows.append([])
            continue
        facts = LineFacts(doc, index)
        rows.append([compute(facts) for compute in computes])
    return rows
