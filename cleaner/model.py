"""The line model: a logistic regression over :mod:`cleaner.features`, shipped as plain JSON.

Loading reads JSON (never pickle); scoring is a dot product per line, pure Python, over
the features the model file names (computed from the feature registry in that order).
As a stage of the core (:class:`ModelStage`) it removes only lines it scores at or above
its (high) threshold, and never lines longer than ``max_words`` or sentences of
``sentence_words`` words or more (rules handle junk sentences; the model is for
labels, captions and fragments), nor the first line (the headline: junk above it is
the rules' and detectors' job), and says why in words: the features that pushed
the score up most. It is a settled stage (:mod:`cleaner.stages`): removing a line
changes its neighbours' features, so the core runs it again on what is left until it
removes nothing more.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from collections.abc import Callable

import regex

from .errors import CleanerError
from .features import DESCRIPTIONS, FEATURE_NAMES, FEATURES, line_features
from .stages import Context
from .view import Line, Verdict, ends_sentence

_CJK_RUN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]{4,}")

MODEL_FORMAT = "article-cleaner-line-model"
MODEL_VERSION = 1
RULE_ID = "model.line"


class ModelError(CleanerError):
    """A line model file is missing, malformed, or was made for other features."""


def read_model_json(path: str | os.PathLike[str], what: str, error: type[CleanerError]) -> Any:
    """The JSON of a model file (the line model, the line classifier); ``error`` says why not."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise error(f"{path}: {what} is not valid JSON ({exc})") from None


@dataclass(frozen=True)
class LineModel:
    """Weights over named features; ``score`` is the probability that a line is junk.

    ``means`` are the training means of the features, used to say which features
    pushed a line's score up (its contribution is ``weight * (value - mean)``).
    ``features`` names the registered features (:data:`cleaner.features.FEATURES`) the
    weights go with, in order; any registered features may be used.
    """

    weights: tuple[float, ...]
    intercept: float
    means: tuple[float, ...]
    threshold: float
    max_words: int = 30
    sentence_words: int = 2
    features: tuple[str, ...] = FEATURE_NAMES
    trained: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        unknown = [name for name in self.features if name not in FEATURES]
        if unknown:
            raise ModelError(
                f"line model was trained on other features ({', '.join(unknown[:5])}...), which this version "
                "does not compute; retrain with `article-cleaner train`"
            )
        if not (len(self.weights) == len(self.means) == len(self.features)):
            raise ModelError("line model: weights, means and features differ in length")

    def eligible(self, words: int, text: str, ends: bool | None = None) -> bool:
        """Whether the model may remove a line at all (short enough, not a sentence, not CJK text:
        the model learned from space-separated languages, where a Japanese sentence is one "word").
        ``ends``: whether ``text`` ends like a sentence, when the caller knows already."""
        if words > self.max_words:
            return False
        if words >= self.sentence_words and (ends_sentence(text) if ends is None else ends):
            return False
        return text.isascii() or not _CJK_RUN.search(text)

    def scores(self, view: Sequence[Line]) -> list[float]:
        """Junk probability of every line of ``view``."""
        return [self._score(row) for row in line_features(view, names=self.features)]

    def _score(self, row: Sequence[float]) -> float:
        z = self.intercept + sum(w * x for w, x in zip(self.weights, row))
        return 1.0 / (1.0 + math.exp(-z)) if z > -40 else 0.0

    def reasons(self, row: Sequence[float], limit: int = 3) -> list[str]:
        """Descriptions of the features that raised this row's score the most."""
        pushes = sorted(
            ((w * (x - m), name) for w, x, m, name in zip(self.weights, row, self.means, self.features)),
            reverse=True,
        )
        return [DESCRIPTIONS[name] for push, name in pushes[:limit] if push > 0.05]

    def verdicts(self, view: Sequence[Line]) -> list[Verdict]:
        """Verdicts for the lines of ``view`` at or above the threshold (one round: the core
        runs the model again on what is left, see :class:`ModelStage`)."""
        out: list[Verdict] = []
        wanted = [index > 0 and self.eligible(line.words, line.text, line.ends) for index, line in enumerate(view)]
        if not any(wanted):
            return out
        for index, row in enumerate(line_features(view, wanted, self.features)):
            if not wanted[index]:
                continue
            score = self._score(row)
            if score >= self.threshold:
                why = ", ".join(dict.fromkeys(self.reasons(row))) or "overall shape"
                out.append(Verdict(index, RULE_ID, "model", f"line model: score {score:.2f}; {why}"))
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT, "version": MODEL_VERSION, "kind": "logistic",
            "features": list(self.features), "weights": [round(w, 6) for w in self.weights],
            "intercept": round(self.intercept, 6), "means": [round(m, 6) for m in self.means],
            "threshold": round(self.threshold, 4), "max_words": self.max_words,
            "sentence_words": self.sentence_words, "trained": dict(self.trained),
        }

    def dump(self, path: str | os.PathLike[str]) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, origin: str = "<model>") -> LineModel:
        if not isinstance(data, Mapping) or data.get("format") != MODEL_FORMAT or data.get("version") != MODEL_VERSION:
            raise ModelError(f"{origin}: not a version-{MODEL_VERSION} article-cleaner line model")
        try:
            return cls(
                tuple(float(w) for w in data["weights"]), float(data["intercept"]),
                tuple(float(m) for m in data["means"]), float(data["threshold"]), int(data.get("max_words", 30)),
                int(data.get("sentence_words", 2)), tuple(str(f) for f in data["features"]), dict(data.get("trained") or {}),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{origin}: malformed line model ({type(exc).__name__}: {exc})") from None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> LineModel:
        return cls.from_json(read_model_json(path, "line model", ModelError), origin=str(path))


def shipped_model_path() -> Path:
    """Where the shipped model lives inside the package."""
    return Path(str(resources.files("cleaner") / "data" / "line_model.json"))


@lru_cache(maxsize=1)
def shipped_model() -> LineModel | None:
    """The shipped model, loaded once; ``None`` when the package carries none."""
    path = shipped_model_path()
    if not path.is_file():
        return None
    return LineModel.load(path)


@dataclass(frozen=True)
class ModelStage:
    """A :class:`LineModel` as a settled stage of the core (see :mod:`cleaner.stages`)."""

    model: LineModel
    id: str = "model"
    settled: bool = True

    def verdicts(self, view: Sequence[Line], context: Context) -> list[Verdict]:
        return self.model.verdicts(view)


def default_model_stage() -> ModelStage | None:
    """The core's model stage (the shipped model), or ``None`` when the package carries none."""
    model = shipped_model()
    return None if model is None else ModelStage(model)


def document_scorer(model: LineModel | None = None) -> Callable[[Any], list[float]] | None:
    """Per-line junk scores of a learner :class:`~cleaner.learn.Document` (for the learner's guard)."""
    model = model or shipped_model()
    if model is None:
        return None

    def score(document: Any) -> list[float]:
        view = [Line.make(i + 1, text, 1) for i, text in enumerate(document.lines)]
        return model.scores(view)

    return score
