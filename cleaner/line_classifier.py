"""The document-aware line classifier: judges every line, sentences included, in two passes.

Pass one scores each line from its words (hashed word unigrams and bigrams) and its dense
features: shape (length, case, punctuation, digits, link/handle/time patterns, a trailing
credit, caption grammar: a full date with "in City, State"), position relative to the lede
and the end, repetition and near-repetition of other lines, similarity to the first line,
neighbours' shape, and HTML evidence when the text came from ``clean_html``
(the registered features of :mod:`cleaner.features` supply the shallow and HTML features).
What depends on a line alone is worked out once per distinct line (:func:`line_facts`), so the
rounds of a cleaning re-score a shrinking document cheaply.
Pass two rescores each line from its dense features plus the first-pass scores of its
neighbours: a run of captions or teasers is a run. Pass one is a logistic regression; pass two
is either one too or gradient-boosted trees (:mod:`cleaner.trees`), whichever cross-validation
chose. Both ship as plain JSON (no pickle) and are scored in pure Python.
"""

from __future__ import annotations

import json
import math
import os
import weakref
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from .errors import CleanerError
from .evidence import Evidence
from .features import FEATURE_NAMES as BASE_FEATURES
from .features import FEATURES, ViewFacts
from .features import LineFacts as LineFactsBase
from .model import read_model_json
from .stages import FunctionStage
from .trees import Trees
from .view import Line, Verdict

FORMAT = "article-cleaner-line-classifier"
VERSION = 2
READS = frozenset({1, 2})
"""Versions this module loads: 1 has a logistic pass two only, 2 adds tree ensembles."""
RULE_ID = "model.line"
MAX_WORDS = 150
"""Lines longer than this are never removed: a block of text, not a line (found on a CleanEval
page that came as one 11,687-character line)."""

_TOKEN = regex.compile(r"\w+")
_DIGITS_TO_ZERO = str.maketrans("123456789", "000000000")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WEEKDAY = regex.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", regex.I)
_FULL_DATE = regex.compile(rf"\b{_MONTH}\s+\d{{1,2}},?\s+(?:19|20)\d\d\b|\b\d{{1,2}}\s+{_MONTH}\s+(?:19|20)\d\d\b", regex.I)
_PLACE = regex.compile(r"\bin (?:[A-Z][\w.'-]+ ){0,3}[A-Z][\w.'-]+, (?:[A-Z][\w.'-]+ ?){1,3}[.)]?")
_CREDIT_TAIL = regex.compile(
    r"(?:\((?:[^()]{0,60}(?:/|photo|image|credit|getty|reuters|\bap\b|afp|epa|file)[^()]{0,60})\)\s*$"
    r"|(?:/|\|)\s*(?:getty images|ap|afp|reuters|epa|shutterstock|[A-Z][\w.]+(?: [A-Z][\w.]+){0,3})\s*\)?\s*$"
    r"|\b(?:photo|image|picture|credit)s?\s*(?:by|:|credit:?)\s*[A-Z][^.]{0,60}$)",
    regex.I,
)
_PHOTO = regex.compile(r"\b(?:photos?|pictured|image|picture|credit|getty|file photo|ap photo|shutterstock|gallery|video|caption)\b", regex.I)
_HANDLE = regex.compile(r"(?<!\w)@\w{2,}|#\w{3,}")
_PRESENT_VERB = regex.compile(r"^(?:[A-Z][\w'.-]*\s+){1,6}(?:\w+s)\b")

DENSE_FEATURES: tuple[str, ...] = (
    *BASE_FEATURES,
    "is_first", "full_date", "weekday", "place", "caption_like", "credit_tail", "photo_words", "handle",
    "no_letters", "present_verb", "later_copy", "near_copy", "first_line_sim", "lede_distance", "after_last_body",
    "top_nonbody_run", "shape_run", "prev_short", "next_short", "prev_ends", "next_ends", "prev_caption", "next_caption",
)
PASS2_EXTRA: tuple[str, ...] = ("p1_self", "p1_prev", "p1_next", "p1_prev2", "p1_next2", "p1_window_max", "p1_run")

DESCRIPTIONS: Mapping[str, str] = {
    "is_first": "first line", "full_date": "a full date", "weekday": "a weekday", "place": "a place ('in City, State')",
    "caption_like": "caption-like: date and place", "credit_tail": "a trailing photo credit", "photo_words": "photo/video words",
    "handle": "a handle or hashtag", "no_letters": "no letters", "present_verb": "a present-tense clause",
    "later_copy": "a copy of an earlier line", "near_copy": "repeats other text of the document",
    "first_line_sim": "like the first line", "lede_distance": "before the lede", "after_last_body": "after the article's end",
    "top_nonbody_run": "in a run at the top", "shape_run": "in a run of similar lines", "prev_short": "after a short line",
    "next_short": "before a short line", "prev_ends": "after a sentence", "next_ends": "before a sentence",
    "prev_caption": "after a caption-like line", "next_caption": "before a caption-like line",
    "p1_self": "its words and shape", "p1_prev": "the line before looks like junk", "p1_next": "the line after looks like junk",
    "p1_prev2": "a run of junk-like lines", "p1_next2": "a run of junk-like lines", "p1_window_max": "next to junk-like lines",
    "p1_run": "a run of junk-like lines",
}


class ClassifierError(CleanerError):
    """A line classifier file is missing, malformed, or made for other features."""


def tokens_of(text: str) -> list[str]:
    """Lower-cased word tokens with digits folded to ``0`` (what the hashed features see)."""
    return [t if t.isalpha() else t.translate(_DIGITS_TO_ZERO) for t in _TOKEN.findall(text.lower())]


_UNIGRAM = zlib.crc32(b"u ")
_BIGRAM = zlib.crc32(b"b ")
_FIRST = zlib.crc32(b"f ")


def gram_buckets(tokens: Sequence[str], buckets: int) -> list[int]:
    """The bucket of every hashed gram of ``tokens``: unigrams, bigrams, then the first token.

    A gram's bucket is the CRC-32 of ``"u tok"``, ``"b tok1 tok2"`` or ``"f tok"``, worked
    out as a running CRC over each token's bytes (the same number, fewer copies)."""
    if not tokens:
        return []
    raw = [t.encode("utf-8") for t in tokens]
    crc = zlib.crc32
    out = [crc(t, _UNIGRAM) % buckets for t in raw]  # unigram_bucket, inlined on the hot path
    out += [crc(t, crc(a + b" ", _BIGRAM)) % buckets for a, t in zip(raw, raw[1:])]
    out.append(crc(raw[0], _FIRST) % buckets)
    return out


def unigram_bucket(token: str, buckets: int) -> int:
    """The bucket of one token's unigram (as :func:`gram_buckets` works it out): what an explanation looks up."""
    return zlib.crc32(token.encode("utf-8"), _UNIGRAM) % buckets


def _trigrams(tokens: Sequence[str]) -> frozenset[tuple[str, ...]]:
    if len(tokens) < 3:
        return frozenset({tuple(tokens)}) if tokens else frozenset()
    return frozenset(zip(tokens, tokens[1:], tokens[2:]))


CONTEXT_BASE = frozenset({
    "pos_top", "pos_bottom", "before_body", "after_body", "prev_log_words", "next_log_words", "prev_body", "next_body",
    "repeated_in_doc",
})
"""Registered features (:mod:`cleaner.features`) that read the line's neighbours or the whole view;
every other registered feature depends on the line's text and evidence only, and is worked out
once per distinct line (``tests/test_line_classifier.py`` checks the split against ``line_features``)."""
OWN_LOCAL = ("full_date", "weekday", "place", "caption_like", "credit_tail", "photo_words", "handle", "no_letters", "present_verb")
"""This module's features of the line alone; the others of :data:`DENSE_FEATURES` read the view."""


@dataclass(frozen=True)
class LocalFacts:
    """What a line's features need of the line alone (text and evidence), worked out once per distinct line."""

    values: Mapping[str, float]
    tokens: tuple[str, ...]
    grams: frozenset[tuple[str, ...]]
    word_set: frozenset[str]


class _OneLine(LineFactsBase):
    """Registered features' facts for context features only: the line's place in the view, nothing read from its text."""

    __slots__ = ()

    def __init__(self, doc: ViewFacts, index: int) -> None:
        self.doc = doc
        self.index = index
        self.line = doc.view[index]
        self.text = self.line.text


_FACTS: dict[tuple[str, Evidence | None], LocalFacts] = {}
_FACTS_LIMIT = 20_000


def line_facts(line: Line) -> LocalFacts:
    """The line-only part of a line's features, worked out once per distinct text and evidence."""
    key = (line.text, line.evidence)
    facts = _FACTS.get(key)
    if facts is None:
        if len(_FACTS) >= _FACTS_LIMIT:
            _FACTS.clear()
        facts = _FACTS[key] = _local_facts(line)
    return facts


def _local_facts(line: Line) -> LocalFacts:
    text = line.text
    facts = LineFactsBase(ViewFacts.of((line,)), 0)
    values = {name: feature.compute(facts) for name, feature in FEATURES.items() if name not in CONTEXT_BASE}
    date = values["digit_share"] > 0 and bool(_FULL_DATE.search(text))  # a full date has digits
    weekday = "day" in text.lower() and bool(_WEEKDAY.search(text))
    place = bool(_PLACE.search(text))
    caption_like = float((date or weekday) and place)
    present = bool(_PRESENT_VERB.match(text))
    values.update({
        "full_date": float(date), "weekday": float(weekday), "place": float(place), "caption_like": caption_like,
        "credit_tail": float(bool(_CREDIT_TAIL.search(text))), "photo_words": float(min(len(_PHOTO.findall(text)), 3)),
        "handle": float(bool(_HANDLE.search(text))), "no_letters": float(not any(c.isalpha() for c in text)),
        "present_verb": float(present and not line.ends or present and caption_like > 0),
    })
    tokens = tuple(tokens_of(text))
    return LocalFacts(values, tokens, _trigrams(tokens), frozenset(tokens))


def run_lengths(values: Sequence[Any]) -> list[int]:
    """For each item, the length of the run of equal neighbours it belongs to."""
    lengths = [0] * len(values)
    start = 0
    for end in range(1, len(values) + 1):
        if end == len(values) or values[end] != values[start]:
            lengths[start:end] = [end - start] * (end - start)
            start = end
    return lengths


def context_features(view: Sequence[Line], facts: Sequence[LocalFacts], names: Sequence[str]) -> list[list[float]]:
    """The features ``names`` that read the view (registered context features and this module's), per line."""
    count = len(view)
    if not count:
        return []
    doc = ViewFacts.of(view)
    gram_count: Counter[tuple[str, ...]] = Counter(g for f in facts for g in f.grams)
    first_body, last_body = doc.first_body, doc.last_body
    first_words = facts[0].word_set
    seen: set[str] = set()
    later = []
    for line in view:
        later.append(float(line.key in seen and line.words >= 2))
        seen.add(line.key)
    caption = [f.values["caption_like"] for f in facts]
    short = [line.words <= 4 for line in view]
    top_run = [0.0] * count
    run = 0
    for i in range(count):
        if doc.body[i]:
            break
        run += 1
    for i in range(min(run, count)):
        top_run[i] = min(run, 6) / 6
    shape_run = [min(n, 6) / 6 for n in run_lengths([(line.words <= 8, line.ends) for line in view])]
    computes = {name: feature.compute for name, feature in FEATURES.items() if name in CONTEXT_BASE}
    rows = []
    for i, line in enumerate(view):
        own = facts[i].grams
        words = facts[i].word_set
        value = {
            "is_first": float(i == 0),
            "later_copy": later[i],
            "near_copy": sum(1 for g in own if gram_count[g] > 1) / len(own) if own and line.words >= 4 else 0.0,
            "first_line_sim": len(words & first_words) / len(words | first_words) if i and words else 0.0,
            "lede_distance": max(-1.0, min(1.0, (first_body - i) / 5)) if i < first_body else 0.0,
            "after_last_body": min(i - last_body, 6) / 6 if i > last_body >= 0 else 0.0,
            "top_nonbody_run": top_run[i], "shape_run": shape_run[i],
            "prev_short": float(i > 0 and short[i - 1]), "next_short": float(i + 1 < count and short[i + 1]),
            "prev_ends": float(i > 0 and view[i - 1].ends), "next_ends": float(i + 1 < count and view[i + 1].ends),
            "prev_caption": caption[i - 1] if i else 0.0, "next_caption": caption[i + 1] if i + 1 < count else 0.0,
        }
        where = _OneLine(doc, i)
        rows.append([value[name] if name in value else computes[name](where) for name in names])
    return rows


def is_context(name: str) -> bool:
    """Whether feature ``name`` reads the view (its neighbours, its position, the other lines)."""
    return name in CONTEXT_BASE or (name in DENSE_FEATURES and name not in BASE_FEATURES and name not in OWN_LOCAL)


def dense_features(view: Sequence[Line], names: Sequence[str] = DENSE_FEATURES) -> list[list[float]]:
    """Dense feature rows (the features ``names``, default :data:`DENSE_FEATURES`) for every line of ``view``."""
    if not view:
        return []
    facts = [line_facts(line) for line in view]
    context_names = [name for name in names if is_context(name)]
    context = context_features(view, facts, context_names)
    rows = []
    for f, ctx in zip(facts, context):
        by_name = dict(zip(context_names, ctx))
        rows.append([by_name[name] if name in by_name else f.values[name] for name in names])
    return rows


def pass2_extra(p1: Sequence[float]) -> list[list[float]]:
    """What pass two adds to a line's dense features: the first-pass logits of the line and its neighbours."""
    count = len(p1)
    out = []
    high = [s > 0.0 for s in p1]
    run_len = [n if up else 0 for n, up in zip(run_lengths(high), high)]

    def at(k: int) -> float:
        return p1[k] if 0 <= k < count else -4.0

    for i in range(count):
        window = [at(k) for k in (i - 2, i - 1, i + 1, i + 2) if 0 <= k < count] or [-4.0]
        out.append([p1[i], at(i - 1), at(i + 1), at(i - 2), at(i + 2), max(window), min(run_len[i], 6) / 6])
    return out


@dataclass(frozen=True)
class Linear:
    """A logistic regression: dense weights, sparse hashed weights, intercept, training means (for explanations)."""

    dense: tuple[float, ...]
    intercept: float
    means: tuple[float, ...]
    hashed: Sequence[float] = ()

    def logit(self, row: Sequence[float], words: Mapping[int, float] | None = None) -> float:
        """The logit of a whole row (``words``: hashed gram bucket -> weight). The stage works out
        the same sum in two parts, the line's own once per distinct line (:meth:`LineClassifier.scores`)."""
        z = self.intercept + sum(w * x for w, x in zip(self.dense, row))
        if words and self.hashed:
            table = self.hashed
            z += sum(table[b] * v for b, v in words.items())
        return z

    def to_json(self) -> dict[str, Any]:
        return {"dense": [round(w, 5) for w in self.dense], "intercept": round(self.intercept, 5),
                "means": [round(m, 4) for m in self.means],
                "hashed": [round(v, 3) for v in self.hashed]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Linear:
        return cls(tuple(float(w) for w in data["dense"]), float(data["intercept"]), tuple(float(m) for m in data["means"]),
                   tuple(float(v) for v in data.get("hashed") or ()))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -40 else 0.0


@dataclass(frozen=True)
class LineClassifier:
    """Two passes over a document's lines (pass one logistic, pass two logistic or boosted trees);
    a line at or above ``threshold`` is junk."""

    first: Linear
    second: Linear | Trees
    threshold: float
    buckets: int
    features: tuple[str, ...] = DENSE_FEATURES
    trained: Mapping[str, Any] = field(default_factory=dict)

    _split: tuple[Any, ...] = field(default=(), init=False, repr=False, compare=False)
    """The features split into the line's own and its context, with both passes' weights for each."""
    _order: tuple[tuple[str, int], ...] = field(default=(), init=False, repr=False, compare=False)
    """Where each feature of a full row comes from: (``"local"`` or ``"context"``, its index there)."""
    _cache: dict[tuple[str, Evidence | None], tuple[float, float, tuple[float, ...]]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    """Per distinct line (text, evidence): the line-only parts of both passes' logits, and its
    line-only feature values; a line scored in one round is not worked out again in the next."""

    def __post_init__(self) -> None:
        own = DENSE_FEATURES[len(BASE_FEATURES):]
        base = self.features[: len(self.features) - len(own)]
        if tuple(self.features[len(base):]) != own or any(name not in FEATURES for name in base):
            raise ClassifierError("line classifier was trained on other features; retrain with `article-cleaner train`")
        if len(self.first.hashed) != self.buckets:
            raise ClassifierError("line classifier: hashed weights and bucket count differ")
        width = len(self.features) + len(PASS2_EXTRA)
        if isinstance(self.second, Trees):
            if self.second.width > width:
                raise ClassifierError("line classifier: its trees read features it does not have")
            second: Sequence[float] = [0.0] * width  # the trees score whole rows (see _passes)
        else:
            second = self.second.dense
        if len(self.first.dense) != len(self.features) or len(second) != width:
            raise ClassifierError("line classifier: weights and features differ in length")
        context = [i for i, name in enumerate(self.features) if is_context(name)]
        local = [i for i, name in enumerate(self.features) if not is_context(name)]
        object.__setattr__(self, "_split", (
            [self.features[i] for i in context], [self.features[i] for i in local],
            [self.first.dense[i] for i in context], [self.first.dense[i] for i in local],
            [second[i] for i in context], [second[i] for i in local],
            second[len(self.features):]))
        place = {i: ("local", n) for n, i in enumerate(local)} | {i: ("context", n) for n, i in enumerate(context)}
        object.__setattr__(self, "_order", tuple(place[i] for i in range(len(self.features))))

    def forget(self) -> None:
        """Empty the per-line caches (this classifier's and the line-only features'): for timing cold runs."""
        self._cache.clear()
        _FACTS.clear()

    def _line_part(self, line: Line) -> tuple[float, float, tuple[float, ...]]:
        key = (line.text, line.evidence)
        part = self._cache.get(key)
        if part is None:
            _c, local_names, _w1c, w1_local, _w2c, w2_local, _x = self._split
            facts = line_facts(line)
            values = tuple(facts.values[name] for name in local_names)
            grams = gram_buckets(facts.tokens, self.buckets)
            table = self.first.hashed
            words = sum(table[b] for b in grams) / math.sqrt(len(grams)) if grams else 0.0
            z1 = self.first.intercept + sum(w * x for w, x in zip(w1_local, values)) + words
            z2 = (self.second.intercept + sum(w * x for w, x in zip(w2_local, values))
                  if isinstance(self.second, Linear) else 0.0)
            part = (z1, z2, values)
            if len(self._cache) >= 50_000:
                self._cache.clear()
            self._cache[key] = part
        return part

    def _passes(self, view: Sequence[Line]) -> tuple[list[float], list[list[float]], list[list[float]]]:
        """Pass-two probabilities, the context feature rows and pass two's extras (:func:`pass2_extra`) of every line of ``view``."""
        context_names, _l, w1_context, _w1l, w2_context, _w2l, w2_extra = self._split
        parts = [self._line_part(line) for line in view]
        context = context_features(view, [line_facts(line) for line in view], context_names)
        p1 = [z1 + sum(w * x for w, x in zip(w1_context, row)) for (z1, _z2, _v), row in zip(parts, context)]
        extra = pass2_extra(p1)
        if isinstance(self.second, Trees):
            trees = self.second
            p2 = [_sigmoid(trees.logit(self._full_row(values, row, more)))
                  for (_z1, _z2, values), row, more in zip(parts, context, extra)]
        else:
            p2 = [_sigmoid(z2 + sum(w * x for w, x in zip(w2_context, row)) + sum(w * x for w, x in zip(w2_extra, more)))
                  for (_z1, z2, _v), row, more in zip(parts, context, extra)]
        return p2, context, extra

    def _full_row(self, local: Sequence[float], context: Sequence[float], extra: Sequence[float]) -> list[float]:
        """A line's pass-two row in feature order, from its line-only values, its context values and the pass-one extras."""
        return [*((local if where == "local" else context)[n] for where, n in self._order), *extra]

    def _row2(self, view: Sequence[Line], k: int, context: Sequence[Sequence[float]], extra: Sequence[Sequence[float]]) -> list[float]:
        """Line ``k``'s full pass-two row (for its explanation)."""
        return self._full_row(self._line_part(view[k])[2], context[k], extra[k])

    def scores(self, view: Sequence[Line]) -> list[float]:
        """Junk probability of every line of ``view``."""
        return self._passes(view)[0] if view else []

    def reasons(self, row2: Sequence[float], text: str, limit: int = 3) -> list[str]:
        """What drove a line's score up: the largest pass-two contributions, in words."""
        names = (*self.features, *PASS2_EXTRA)
        if isinstance(self.second, Trees):
            # A tree can push a score up on a feature's absence ("not at the top"); the words name
            # a feature only when the line has it: above its training mean, or, for the first-pass
            # scores, a first pass leaning to junk.
            means = (*self.first.means, *(0.0 for _ in PASS2_EXTRA))
            pushes = sorted(((push, name) for push, name, x, m in zip(self.second.pushes(row2), names, row2, means) if x > m),
                            reverse=True)
        else:
            pushes = sorted(((w * (x - m), n) for w, x, m, n in zip(self.second.dense, row2, self.second.means, names)), reverse=True)
        out = []
        for push, name in pushes[:limit]:
            if push <= 0.1:
                break
            if isinstance(self.second, Trees) and name in _HIGH_MEANS:
                out.append(_HIGH_MEANS[name])
            elif name == "p1_self":
                tokens = tokens_of(text)
                heavy = sorted(((self.first.hashed[unigram_bucket(t, self.buckets)], t) for t in set(tokens)), reverse=True)
                words = [t for w, t in heavy[:2] if w > 0.3]
                out.append("words " + ", ".join(f"'{t}'" for t in words) if words else "its words and shape")
            else:
                out.append(DESCRIPTIONS.get(name) or _BASE_DESCRIPTIONS.get(name, name))
        return list(dict.fromkeys(out))

    def verdicts(self, view: Sequence[Line]) -> list[Verdict]:
        """Verdicts for the lines of ``view`` at or above the threshold: one scoring of the document,
        as the classifier was trained and validated. Never judged: CJK lines, lines over
        :data:`MAX_WORDS` words, and a document all of whose lines score as junk."""
        if not view:
            return []
        scores, context, extra = self._passes(view)
        found = [k for k, score in enumerate(scores)
                 if score >= self.threshold and view[k].words <= MAX_WORDS and (view[k].text.isascii() or not _cjk(view[k].text))]
        if len(found) == len(view):
            return []  # a whole document is never junk to a line classifier (a page can come as one line)
        out = []
        for k in found:
            why = ", ".join(self.reasons(self._row2(view, k, context, extra), view[k].text)) or "overall shape"
            out.append(Verdict(k, RULE_ID, "model", f"model: {scores[k]:.2f}; {why}"))
        return out

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "features": list(self.features), "pass2_extra": list(PASS2_EXTRA),
                "buckets": self.buckets, "threshold": round(self.threshold, 4), "first": self.first.to_json(),
                "second": self.second.to_json(), "trained": dict(self.trained)}

    def dump(self, path: str | os.PathLike[str]) -> None:
        Path(path).write_text(json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, origin: str = "<classifier>") -> LineClassifier:
        if not isinstance(data, Mapping) or data.get("format") != FORMAT or data.get("version") not in READS:
            raise ClassifierError(f"{origin}: not an article-cleaner line classifier of version {' or '.join(map(str, sorted(READS)))}")
        try:
            second_data = data["second"]
            second = Trees.from_json(second_data) if second_data.get("kind") == "trees" else Linear.from_json(second_data)
            return cls(Linear.from_json(data["first"]), second, float(data["threshold"]),
                       int(data["buckets"]), tuple(str(f) for f in data["features"]), dict(data.get("trained") or {}))
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ClassifierError(f"{origin}: malformed line classifier ({type(exc).__name__}: {exc})") from None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> LineClassifier:
        return cls.from_json(read_model_json(path, "line classifier", ClassifierError), origin=str(path))


_HIGH_MEANS: Mapping[str, str] = {"pos_top": "near the bottom", "pos_bottom": "near the top"}
"""Registered features whose descriptions name their low values (a linear weight reads them that way):
what a high value means, for the tree pass's explanations."""

_CJK_RUN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]{4,}")


def _cjk(text: str) -> bool:
    return bool(_CJK_RUN.search(text))


def _descriptions() -> Mapping[str, str]:
    from .features import DESCRIPTIONS as base

    return base


_BASE_DESCRIPTIONS = _descriptions()


def shipped_path() -> Path:
    return Path(str(resources.files("cleaner") / "data" / "line_classifier.json"))


@lru_cache(maxsize=1)
def shipped_classifier() -> LineClassifier | None:
    """The shipped classifier, loaded once; ``None`` when the package carries none."""
    path = shipped_path()
    return LineClassifier.load(path) if path.is_file() else None


def classifier_stage(classifier: LineClassifier | str | os.PathLike[str] | None = None) -> FunctionStage:
    """The classifier as a core stage, for ``CleanerConfig.extra_stages`` (opt-in; see the README).

    ``classifier``: a loaded classifier, a path to one, or ``None`` for the shipped one.
    The stage is ``settled`` (it judges a view without ghosts) and scores each document once,
    as it was validated: the lines it flags on the first view it sees go; it does not re-score
    what is left (so cleaning its output again may remove a little more).

    >>> from cleaner import Cleaner
    >>> cleaner = Cleaner(model=False, extra_stages=[classifier_stage()])  # doctest: +SKIP
    """
    if classifier is None:
        loaded = shipped_classifier()
        if loaded is None:
            raise ClassifierError(f"no line classifier is installed at {shipped_path()}; train one with `article-cleaner train --labelled`")
        classifier = loaded
    elif not isinstance(classifier, LineClassifier):
        classifier = LineClassifier.load(classifier)
    model = classifier
    judged: dict[int, tuple[weakref.ref[Any], dict[int, Verdict]]] = {}

    def judge(view: Sequence[Line], context: Any) -> list[Verdict]:
        # One scoring per document: the first ghost-free view the classifier sees (what the other
        # stages left). Re-scoring what is left after its own removals let position features
        # cascade (on CleanEval pages, whole pages went); a later call only repeats the first
        # call's verdicts for lines still in the view.
        if any(line.ghost for line in view):
            return []
        seen = judged.get(id(context))
        if seen is None or seen[0]() is not context:
            if len(judged) >= 256:
                judged.clear()
            seen = (weakref.ref(context), {view[v.index].number: v for v in model.verdicts(view)})
            judged[id(context)] = seen
        flagged = seen[1]
        return [Verdict(i, RULE_ID, "model", flagged[line.number].reason) for i, line in enumerate(view) if line.number in flagged]

    return FunctionStage(RULE_ID, judge, settled=True)
