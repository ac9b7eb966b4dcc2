"""Training the line model (scikit-learn logistic regression) and exporting it as JSON.

The model only ever judges lines it may remove (not the first line, at most
``MAX_WORDS`` words and not a sentence of ``SENTENCE_WORDS`` words or more), so it is
trained on those lines only.
The shipped model is trained on WCXB dev article pages plus the golden cases. Its
threshold is the lowest score at which out-of-fold predictions on the training pages
lose at most half of ``max_content_loss`` of the content characters, raised if needed
above every line a golden case keeps and to at least ``min_threshold`` (0.85): in the
core, removals cascade over passes (a removed neighbour changes a line's features),
which loses several times the per-line estimate. AEB is held out and reported; the reverse
direction (train on AEB, test on WCXB) and 5-fold cross-validation within each
benchmark are reported too.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import CleanerError
from ..features import FEATURE_NAMES
from ..model import LineModel, ModelStage
from .benchmarks import AEB_NAME, WCXB_NAME, load_pages
from .dataset import LabelledPage, from_goldens, from_page
from .evaluate import core_content_loss, line_metrics
from .labels import CONTENT

MAX_WORDS = 30
SENTENCE_WORDS = 2
FOLDS = 5
THRESHOLD_GRID = tuple(round(0.5 + 0.005 * i, 3) for i in range(100))
GOLDEN_MARGIN = 0.02


@dataclass(frozen=True)
class TrainingConfig:
    """Where the data is and how to train (``seed`` fixes fold assignment and the solver)."""

    aeb: str | None = None
    wcxb: str | None = None
    golden: tuple[str, ...] = ()
    cache: str | None = None
    seed: int = 0
    max_content_loss: float = 0.005
    regularisation: float = 1.0
    min_threshold: float = 0.85


def _template(threshold: float = 1.0) -> LineModel:
    zeros = tuple(0.0 for _ in FEATURE_NAMES)
    return LineModel(zeros, 0.0, zeros, threshold, MAX_WORDS, SENTENCE_WORDS)


def _matrix(pages: Sequence[LabelledPage]) -> tuple[list[tuple[float, ...]], list[int]]:
    """Rows and labels of the labelled lines the model may judge."""
    rule = _template()
    rows, labels = [], []
    for page in pages:
        for i in page.labelled:
            if i > 0 and rule.eligible(page.words[i], page.lines[i]):
                rows.append(page.features[i])
                labels.append(page.labels[i])
    return rows, labels


def fit(pages: Sequence[LabelledPage], config: TrainingConfig, threshold: float = 1.0) -> LineModel:
    """A logistic regression on standardised features, folded back to raw-feature weights."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    rows, labels = _matrix(pages)
    if len(set(labels)) < 2:
        raise CleanerError("training data needs both content and junk lines")
    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels)
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    classifier = LogisticRegression(C=config.regularisation, max_iter=5000, random_state=config.seed)
    classifier.fit((x - scaler.mean_) / scale, y)
    coef = classifier.coef_[0] / scale
    intercept = float(classifier.intercept_[0] - np.sum(coef * scaler.mean_))
    return LineModel(
        tuple(float(c) for c in coef), intercept, tuple(float(m) for m in scaler.mean_), threshold, MAX_WORDS, SENTENCE_WORDS,
    )


def page_scores(model: LineModel, pages: Sequence[LabelledPage]) -> list[list[float]]:
    """The model's score of every line of every page (precomputed features)."""
    return [[model._score(row) for row in page.features] for page in pages]


def out_of_fold_scores(pages: Sequence[LabelledPage], config: TrainingConfig) -> list[list[float]]:
    """Scores of every page from a model that did not see it (``FOLDS`` folds by page, seeded)."""
    order = list(range(len(pages)))
    random.Random(config.seed).shuffle(order)
    scores: list[list[float]] = [[] for _ in pages]
    for k in range(FOLDS):
        held = set(order[k::FOLDS])
        model = fit([p for i, p in enumerate(pages) if i not in held], config)
        for i in held:
            scores[i] = [model._score(row) for row in pages[i].features]
    return scores


def choose_threshold(pages: Sequence[LabelledPage], scores: Sequence[Sequence[float]], budget: float) -> float:
    """The lowest grid threshold whose content loss stays within ``budget``."""
    rule = _template()
    for threshold in THRESHOLD_GRID:
        if (line_metrics(pages, scores, threshold, rule)["content_chars_lost"] or 0.0) <= budget:
            return threshold
    return THRESHOLD_GRID[-1]


def golden_floor(model: LineModel, golden: Sequence[LabelledPage]) -> float:
    """A threshold just above the highest score of any eligible line a golden case keeps."""
    top = 0.0
    for page, page_scores_ in zip(golden, page_scores(model, golden)):
        for i, label in enumerate(page.labels):
            if i > 0 and label == CONTENT and model.eligible(page.words[i], page.lines[i]):
                top = max(top, page_scores_[i])
    return round(top + GOLDEN_MARGIN, 3)


def _load(config: TrainingConfig) -> dict[str, list[LabelledPage]]:
    data: dict[str, list[LabelledPage]] = {}
    if config.wcxb:
        data[WCXB_NAME] = [from_page(p) for p in load_pages(WCXB_NAME, config.wcxb, config.cache) if p.page_type == "article"]
    if config.aeb:
        data[AEB_NAME] = [from_page(p) for p in load_pages(AEB_NAME, config.aeb, config.cache)]
    return data


def train_and_evaluate(config: TrainingConfig) -> tuple[LineModel, dict[str, Any]]:
    """Train the shipped model and report its out-of-sample quality (see module docstring)."""
    data = _load(config)
    golden = from_goldens(config.golden) if config.golden else []
    budget = config.max_content_loss / 2
    rule = _template()
    report: dict[str, Any] = {"seed": config.seed, "max_words": MAX_WORDS, "sentence_words": SENTENCE_WORDS, "budget": budget}
    thresholds: dict[str, float] = {}
    for name, pages in data.items():
        oof = out_of_fold_scores(pages, config)
        thresholds[name] = choose_threshold(pages, oof, budget)
        report[f"cv_{name}"] = line_metrics(pages, oof, thresholds[name], rule)
    train_name = WCXB_NAME if WCXB_NAME in data else next(iter(data), None)
    train_pages = [*(data[train_name] if train_name else []), *golden]
    if not train_pages:
        raise CleanerError("no labelled pages to train on: give --wcxb, --aeb or --golden")
    cv_threshold = thresholds.get(train_name or "", None)
    if cv_threshold is None:
        cv_threshold = choose_threshold(train_pages, out_of_fold_scores(train_pages, config), budget)
    model = fit(train_pages, config)
    floor = golden_floor(model, golden) if golden else 0.0
    threshold = max(cv_threshold, floor, config.min_threshold)
    report["threshold"] = {"cross_validated": cv_threshold, "golden_floor": floor or None, "minimum": config.min_threshold, "shipped": threshold}
    model = LineModel(model.weights, model.intercept, model.means, threshold, MAX_WORDS, SENTENCE_WORDS)
    for name, pages in data.items():
        if name == train_name:
            continue
        report[f"train_{train_name}_test_{name}"] = {
            **line_metrics(pages, page_scores(model, pages), threshold, rule),
            "through_core": core_content_loss(pages, ModelStage(model)),
        }
        reverse = fit(pages, config)
        reverse_pages = data[train_name] if train_name else []
        report[f"train_{name}_test_{train_name}"] = line_metrics(reverse_pages, page_scores(reverse, reverse_pages), thresholds[name], rule)
    trained = {
        "by": "article-cleaner train", "seed": config.seed,
        "data": f"{train_name} article pages" + (" + golden cases" if golden else ""), "pages": len(train_pages),
        "threshold": report["threshold"],
        "held_out": {k: v for k, v in report.items() if k.startswith(f"train_{train_name}_test_")},
    }
    model = LineModel(model.weights, model.intercept, model.means, threshold, MAX_WORDS, SENTENCE_WORDS, trained=trained)
    return model, report
