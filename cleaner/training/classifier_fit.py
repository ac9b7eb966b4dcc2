"""Training the line classifier (:mod:`cleaner.line_classifier`) from labelled documents.

    article-cleaner train --labelled /tmp/labelled.jsonl --golden golden -o classifier.json

Data: the labelled documents of :mod:`cleaner.training.labelled` (WCXB dev article pages
and AEB only) plus the golden text cases. Ambiguous lines stay in their documents (they
are context) but are neither trained on nor scored.

Validation is site-grouped: folds are built by registered domain (all pages of a site in
one fold, ``GroupKFold``). Pass one's out-of-fold logits feed pass two (stacking), and
pass two's out-of-fold scores choose the threshold: the lowest at which the training
folds keep at least ``1 - max_content_loss`` of the content characters. The model is
chosen by measurement among pass one alone, a logistic pass two and a pass two of
gradient-boosted trees (scikit-learn's ``HistGradientBoostingClassifier``, :data:`TREES`,
exported as data: :mod:`cleaner.trees`): the one with the best out-of-fold junk F1 at its
own threshold. With pass one alone, pass two only passes pass one's score through. The
shipped model is then fitted on all documents (pass two on pass one's out-of-fold logits,
as it was validated), with a fixed seed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]

from ..evidence import Evidence
from ..line_classifier import (
    DENSE_FEATURES,
    PASS2_EXTRA,
    LineClassifier,
    Linear,
    dense_features,
    gram_buckets,
    line_facts,
    pass2_extra,
)
from ..trees import Tree, Trees
from .dataset import view_of
from .labelled import CONTENT, JUNK, LabelledDoc

BUCKETS = 1 << 15
FOLDS = 5
MAX_ITER = 2000
TOL = 1e-3
"""L-BFGS stopping tolerance: at 1e-4 a pass-one fit on the 50k region lines took 38 s (269 iterations), at 1e-3 14 s (108)."""


TREES: dict[str, Any] = {"max_iter": 200, "learning_rate": 0.1, "max_leaf_nodes": 31, "min_samples_leaf": 40}
"""The tree pass's settings (no early stopping: every fit uses all its rows and the same number of trees).
Chosen by site-grouped CV F1 at 99.7% of content kept (docs: the README's line classifier section)."""
PASS_TWO = ("linear", "trees")


@dataclass
class Matrix:
    """Every line of every document: dense rows, hashed words (sparse), labels (1 junk, 0 content,
    -1 left out), the site (for grouping), the document, characters and where it came from."""

    dense: Any
    words: Any
    labels: Any
    groups: list[str]
    doc_of: Any
    chars: Any
    sources: Any


def build(docs: Sequence[LabelledDoc], buckets: int = BUCKETS) -> Matrix:
    dense: list[list[float]] = []
    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    labels: list[int] = []
    groups: list[str] = []
    doc_of: list[int] = []
    chars: list[int] = []
    sources: list[str] = []
    for d, doc in enumerate(docs):
        lines = [line for line in doc.lines if line.text.strip()]
        if not lines:
            continue
        view = view_of([line.text for line in lines], (), [Evidence.from_dict(line.evidence) if line.evidence else None for line in lines])
        dense.extend(dense_features(view))
        for line, labelled in zip(view, lines):
            grams = gram_buckets(line_facts(line).tokens, buckets)
            indices.extend(grams)
            data.extend([1.0 / math.sqrt(len(grams))] * len(grams) if grams else [])
            indptr.append(len(indices))
            labels.append(1 if labelled.label == JUNK else 0 if labelled.label == CONTENT else -1)
            groups.append(doc.site or doc.page)
            doc_of.append(d)
            chars.append(len(labelled.text))
            sources.append(f"{doc.dataset}/{doc.source}")
    words = sparse.csr_matrix((np.asarray(data), np.asarray(indices, dtype=np.int64), np.asarray(indptr)), shape=(len(labels), buckets))
    words.sum_duplicates()
    return Matrix(np.asarray(dense, dtype=float).reshape(len(labels), len(DENSE_FEATURES)), words, np.asarray(labels),
                  groups, np.asarray(doc_of), np.asarray(chars), np.asarray(sources))


def _fit(x_dense: Any, words: Any, y: Any, c: float) -> Linear:
    """A logistic regression (L-BFGS, deterministic) on standardised dense features and, when given, hashed words."""
    from sklearn.linear_model import LogisticRegression

    mean = x_dense.mean(axis=0)
    scale = x_dense.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    z = (x_dense - mean) / scale
    x = sparse.hstack([sparse.csr_matrix(z), words], format="csr") if words is not None else z
    model = LogisticRegression(C=c, max_iter=MAX_ITER, solver="lbfgs", tol=TOL)
    model.fit(x, y)
    coef = model.coef_[0]
    n = x_dense.shape[1]
    dense = coef[:n] / scale
    intercept = float(model.intercept_[0] - np.sum(dense * mean))
    return Linear(tuple(float(w) for w in dense), intercept, tuple(float(v) for v in mean),
                  tuple(float(w) for w in coef[n:]) if words is not None else ())


def _fit_trees(x: Any, y: Any, seed: int) -> Trees:
    """Gradient-boosted trees (:data:`TREES`), deterministic for a seed, exported as :class:`~cleaner.trees.Trees`."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    model = HistGradientBoostingClassifier(random_state=seed, early_stopping=False, **TREES)
    with threadpool_limits(limits=1):  # OpenMP threads on a shared machine mostly wait for each other
        model.fit(x, y)
    return export_trees(model)


def export_trees(model: Any) -> Trees:
    """A fitted binary ``HistGradientBoostingClassifier`` as plain data (numeric features only).

    Its split nodes get the count-weighted mean of their leaves as value (for explanations).
    scikit-learn has no public accessor for the fitted trees: this reads ``_predictors`` and
    ``_baseline_prediction`` (present since 0.21; ``tests/test_line_classifier.py`` checks the
    export against ``decision_function``, so a change there fails a test, not a model)."""
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        value = [float(v) for v in nodes["value"]]
        count = [int(c) for c in nodes["count"]]
        leaf = [bool(x) for x in nodes["is_leaf"]]
        left, right = [int(n) for n in nodes["left"]], [int(n) for n in nodes["right"]]
        for i in range(len(nodes) - 1, -1, -1):  # children come after their parent
            if not leaf[i]:
                a, b = left[i], right[i]
                value[i] = (value[a] * count[a] + value[b] * count[b]) / max(count[a] + count[b], 1)
        trees.append(Tree(tuple(-1 if leaf[i] else int(nodes["feature_idx"][i]) for i in range(len(nodes))),
                          tuple(0.0 if leaf[i] else float(nodes["num_threshold"][i]) for i in range(len(nodes))),
                          tuple(0 if leaf[i] else left[i] for i in range(len(nodes))),
                          tuple(0 if leaf[i] else right[i] for i in range(len(nodes))), tuple(value)))
    return Trees(float(np.ravel(model._baseline_prediction)[0]), tuple(trees))


def _tree_logits(trees: Trees, rows: Any) -> Any:
    return np.asarray([trees.logit(row) for row in rows.tolist()])


def _logits(linear: Linear, dense: Any, words: Any = None) -> Any:
    z = dense @ np.asarray(linear.dense) + linear.intercept
    if words is not None:
        z = z + words @ np.asarray(linear.hashed)
    return z


def _sigmoid(z: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def _folds(groups: Sequence[str], seed: int, folds: int = FOLDS) -> Any:
    """Fold of every row: sites shuffled with ``seed``, then dealt to the lightest fold (balanced by rows)."""
    import random
    from collections import Counter

    sizes = Counter(groups)
    sites = sorted(sizes)
    random.Random(seed).shuffle(sites)
    sites.sort(key=lambda s: -sizes[s])
    load = [0] * folds
    fold_of = {}
    for site in sites:
        k = min(range(folds), key=lambda i: load[i])
        fold_of[site] = k
        load[k] += sizes[site]
    return np.asarray([fold_of[g] for g in groups])


def pass2_matrix(m: Matrix, p1: Any) -> Any:
    """Pass-two rows of every line: its dense features plus its document's first-pass logits around it."""
    extra = np.zeros((len(m.labels), len(PASS2_EXTRA)))
    bounds = np.flatnonzero(np.diff(m.doc_of)) + 1
    for start, end in zip([0, *bounds], [*bounds, len(m.labels)]):
        extra[start:end] = pass2_extra([float(v) for v in p1[start:end]])
    return np.hstack([m.dense, extra])



@dataclass
class OutOfFold:
    """Site-grouped out-of-fold scores of every row: pass one's logits, and each kind of pass two's probabilities."""

    p1: Any
    second: dict[str, Any]
    fold: Any


def cross_validate(m: Matrix, c1: float, c2: float, seed: int, kinds: Sequence[str] = PASS_TWO) -> OutOfFold:
    """Pass one's out-of-fold logits, then each kind of pass two (``linear``, ``trees``) fitted on them, out of fold."""
    fold = _folds(m.groups, seed)
    p1 = np.zeros(len(m.labels))
    for k in range(FOLDS):
        train = np.flatnonzero((fold != k) & (m.labels >= 0))
        first = _fit(m.dense[train], m.words[train], m.labels[train], c1)
        test = np.flatnonzero(fold == k)
        p1[test] = _logits(first, m.dense[test], m.words[test])
    rows2 = pass2_matrix(m, p1)
    second = {kind: np.zeros(len(m.labels)) for kind in kinds}
    for k in range(FOLDS):
        train = np.flatnonzero((fold != k) & (m.labels >= 0))
        test = np.flatnonzero(fold == k)
        if "linear" in second:
            second["linear"][test] = _sigmoid(_logits(_fit(rows2[train], None, m.labels[train], c2), rows2[test]))
        if "trees" in second:
            second["trees"][test] = _sigmoid(_tree_logits(_fit_trees(rows2[train], m.labels[train], seed), rows2[test]))
    return OutOfFold(p1, second, fold)


def metrics_at(m: Matrix, scores: Any, threshold: float, rows: Any = None) -> dict[str, Any]:
    """Junk precision, recall, F1 and content characters kept of the lines scoring at or above ``threshold``."""
    keep = np.ones(len(m.labels), dtype=bool) if rows is None else rows
    gone = (np.asarray(scores) >= threshold) & keep
    junk = (m.labels == 1) & keep
    content = (m.labels == 0) & keep
    tp, fp, fn = int(np.sum(gone & junk)), int(np.sum(gone & content)), int(np.sum(~gone & junk))
    total = int(np.sum(m.chars[content]))
    lost = int(np.sum(m.chars[content & gone]))
    p = tp / (tp + fp) if tp + fp else 0.0
    r_ = tp / (tp + fn) if tp + fn else 0.0
    return {"threshold": round(threshold, 4), "precision": round(p, 4), "recall": round(r_, 4),
            "f1": round(2 * p * r_ / (p + r_), 4) if p + r_ else 0.0,
            "content_chars_kept": round(1 - lost / total, 5) if total else None}


def choose_threshold(m: Matrix, scores: Any, max_loss: float) -> float:
    """The lowest threshold (grid of 0.005 from 0.5) keeping ``1 - max_loss`` of content characters."""
    content = m.labels == 0
    total = float(np.sum(m.chars[content])) or 1.0
    for step in range(100, 200):
        threshold = round(step * 0.005, 3)
        lost = float(np.sum(m.chars[content & (np.asarray(scores) >= threshold)]))
        if 1 - lost / total >= 1 - max_loss:
            return threshold
    return 0.995


def second_logits(second: Linear | Trees, rows2: Any) -> Any:
    """Pass two's logits of pass-two rows, whichever kind it is."""
    return _tree_logits(second, rows2) if isinstance(second, Trees) else _logits(second, rows2)


def scores_of(classifier: LineClassifier, m: Matrix) -> Any:
    """The classifier's junk probability of every row (as in :meth:`LineClassifier.scores`, vectorised)."""
    p1 = _logits(classifier.first, m.dense, m.words)
    return _sigmoid(second_logits(classifier.second, pass2_matrix(m, p1)))


def evaluate(classifier: LineClassifier, docs: Sequence[LabelledDoc]) -> dict[str, Any]:
    """The classifier at its own threshold on other labelled documents (a transfer test: never trained on them)."""
    m = build(docs, classifier.buckets)
    return metrics_at(m, scores_of(classifier, m), classifier.threshold)


TARGETS = (0.005, 0.004, 0.003, 0.002)
"""Content-loss targets the report shows side by side (threshold, CV figures, figures on ``evaluate``)."""


def train(docs: Sequence[LabelledDoc], *, seed: int = 0, c1: float = 1.0, c2: float = 1.0,
          max_content_loss: float = 0.005, buckets: int = BUCKETS,
          evaluate_on: Sequence[LabelledDoc] = (), kinds: Sequence[str] = PASS_TWO) -> tuple[LineClassifier, dict[str, Any]]:
    """Cross-validate, choose the model and its threshold, fit on everything; returns the classifier and a report.

    ``kinds``: the kinds of pass two to measure against pass one alone (:data:`PASS_TWO`).

    The report holds the site-grouped CV figures at the chosen threshold (overall and per
    source) and, for each content-loss target of :data:`TARGETS`, the threshold the training
    folds give and the figures at it, on the folds and on ``evaluate_on`` (documents never
    trained on, e.g. another benchmark): how strict the folds' target must be to hold out of
    distribution."""
    m = build(docs, buckets)
    oof = cross_validate(m, c1, c2, seed, kinds)
    p1 = oof.p1
    candidates = {"one pass": _sigmoid(p1), **{f"two passes, {kind}": scores for kind, scores in oof.second.items()}}
    measured = {name: metrics_at(m, scores, choose_threshold(m, scores, max_content_loss)) for name, scores in candidates.items()}
    chosen = max(measured, key=lambda name: (measured[name]["f1"], name == "one pass"))  # a tie goes to the simplest
    threshold, scores = measured[chosen]["threshold"], candidates[chosen]
    passes = 1 if chosen == "one pass" else 2
    report: dict[str, Any] = {"seed": seed, "c1": c1, "c2": c2, "max_content_loss": max_content_loss,
                              "documents": len(docs), "lines": len(m.labels),
                              "junk": int(np.sum(m.labels == 1)), "content": int(np.sum(m.labels == 0)),
                              "left_out": int(np.sum(m.labels < 0)),
                              "sites": len(set(m.groups)), "threshold": threshold, "passes": passes, "model": chosen,
                              "trees": dict(TREES) if "trees" in kinds else None,
                              "cv_site_grouped": metrics_at(m, scores, threshold),
                              "cv_models": measured}
    for source in sorted(set(m.sources.tolist())):
        report[f"cv_{source}"] = metrics_at(m, scores, threshold, m.sources == source)
    train_rows = np.flatnonzero(m.labels >= 0)
    first = _fit(m.dense[train_rows], m.words[train_rows], m.labels[train_rows], c1)
    rows2 = pass2_matrix(m, p1)
    second: Linear | Trees
    if chosen == "two passes, trees":
        second = _fit_trees(rows2[train_rows], m.labels[train_rows], seed)
    elif chosen == "two passes, linear":
        second = _fit(rows2[train_rows], None, m.labels[train_rows], c2)
    else:
        # pass one measured better: pass two passes its score through unchanged
        weights = [0.0] * rows2.shape[1]
        weights[len(DENSE_FEATURES)] = 1.0  # p1_self
        second = Linear(tuple(weights), 0.0, tuple(float(v) for v in rows2.mean(axis=0)))
    held_out = build(evaluate_on, buckets) if evaluate_on else None
    held_scores = None
    if held_out is not None:
        held_p1 = _logits(first, held_out.dense, held_out.words)
        held_scores = _sigmoid(held_p1) if passes == 1 else _sigmoid(second_logits(second, pass2_matrix(held_out, held_p1)))
    report["targets"] = []
    for loss in TARGETS:
        at = choose_threshold(m, scores, loss)
        entry = {"max_content_loss": loss, "threshold": at, "cv": metrics_at(m, scores, at),
                 **{f"cv_{source}": metrics_at(m, scores, at, m.sources == source) for source in sorted(set(m.sources.tolist()))}}
        if held_out is not None:
            entry["evaluate_on"] = metrics_at(held_out, held_scores, at)
        report["targets"].append(entry)
    trained = {"by": "article-cleaner train --labelled", "seed": seed, "data": "WCXB dev article pages + AEB (+ golden cases)",
               "validation": f"{FOLDS}-fold site-grouped cross-validation (registered domain)",
               **{k: v for k, v in report.items()
                  if k.startswith("cv_") or k in ("threshold", "lines", "sites", "max_content_loss", "model", "trees")}}
    return LineClassifier(first, second, threshold, buckets, DENSE_FEATURES, trained), report
