"""Training the line classifier (:mod:`cleaner.line_classifier`) from labelled documents.

    python -m cleaner.training.classifier_fit /tmp/labelled.jsonl -o cleaner/data/line_classifier.json

Data: the labelled documents of :mod:`cleaner.training.labelled` (WCXB dev article pages
and AEB only) plus the golden text cases. Ambiguous lines stay in their documents (they
are context) but are neither trained on nor scored.

Validation is site-grouped: folds are built by registered domain (all pages of a site in
one fold, ``GroupKFold``). Pass one's out-of-fold logits feed pass two (stacking), and
pass two's out-of-fold scores choose the threshold: the lowest at which the training
folds keep at least ``1 - max_content_loss`` of the content characters. One pass or two is
chosen by measurement: when pass one's out-of-fold junk F1 at its own threshold is higher,
pass two only passes pass one's score through. The shipped
model is then fitted on all documents (pass two on pass one's out-of-fold logits, as it
was validated), with a fixed seed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..evidence import Evidence
from ..line_classifier import DENSE_FEATURES, LineClassifier, Linear, dense_features, hashed, pass2_rows, tokens_of
from .dataset import view_of
from .labelled import CONTENT, JUNK, LabelledDoc, read_docs

BUCKETS = 1 << 15
FOLDS = 5


@dataclass
class Matrix:
    """Every line of every document: dense rows, hashed words, labels (1 junk, 0 content, -1 left out), groups."""

    dense: list[list[float]]
    words: list[dict[int, float]]
    labels: list[int]
    groups: list[str]
    doc_of: list[int]
    chars: list[int]
    sources: list[str]


def build(docs: Sequence[LabelledDoc], buckets: int = BUCKETS) -> Matrix:
    m = Matrix([], [], [], [], [], [], [])
    for d, doc in enumerate(docs):
        lines = [line for line in doc.lines if line.text.strip()]
        if not lines:
            continue
        view = view_of([line.text for line in lines], (), [Evidence.from_dict(line.evidence) if line.evidence else None for line in lines])
        for line, row in zip(lines, dense_features(view)):
            m.dense.append(row)
            m.words.append(hashed(tokens_of(line.text), buckets))
            m.labels.append(1 if line.label == JUNK else 0 if line.label == CONTENT else -1)
            m.groups.append(doc.site or doc.page)
            m.doc_of.append(d)
            m.chars.append(len(line.text))
            m.sources.append(f"{doc.dataset}/{doc.source}")
    return m


def _sparse(m: Matrix, rows: Any, dense: Any, buckets: int) -> Any:
    from scipy import sparse  # type: ignore[import-untyped]

    data, indices, indptr = [], [], [0]
    for r in rows:
        for b, v in m.words[r].items():
            indices.append(b)
            data.append(v)
        indptr.append(len(indices))
    words = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), buckets))
    return sparse.hstack([sparse.csr_matrix(dense), words], format="csr")


def _fit(x_dense: Any, y: Any, sample: Any, m: Matrix | None, buckets: int, c: float, seed: int) -> Linear:
    """A logistic regression on standardised dense features (+ hashed words when ``m`` is given)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    mean = x_dense.mean(axis=0)
    scale = x_dense.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    z = (x_dense - mean) / scale
    x = _sparse(m, sample, z, buckets) if m is not None else z
    model = LogisticRegression(C=c, max_iter=3000, solver="liblinear", random_state=seed)
    model.fit(x, y)
    coef = model.coef_[0]
    n = x_dense.shape[1]
    dense = coef[:n] / scale
    intercept = float(model.intercept_[0] - np.sum(dense * mean))
    return Linear(tuple(float(w) for w in dense), intercept, tuple(float(v) for v in mean),
                  tuple(float(w) for w in coef[n:]) if m is not None else ())


def _folds(groups: Sequence[str], seed: int) -> list[int]:
    """Fold of every row: sites shuffled with ``seed``, then dealt round-robin (balanced by rows)."""
    import random
    from collections import Counter

    sizes = Counter(groups)
    sites = sorted(sizes)
    random.Random(seed).shuffle(sites)
    sites.sort(key=lambda s: -sizes[s])
    load = [0] * FOLDS
    fold_of = {}
    for site in sites:
        k = min(range(FOLDS), key=lambda i: load[i])
        fold_of[site] = k
        load[k] += sizes[site]
    return [fold_of[g] for g in groups]


def cross_validate(m: Matrix, c1: float, c2: float, seed: int, buckets: int = BUCKETS) -> tuple[list[float], list[float], Any]:
    """Site-grouped out-of-fold pass-one logits and pass-two scores of every row."""
    import numpy as np

    dense = np.asarray(m.dense, dtype=float)
    labels = np.asarray(m.labels)
    fold = np.asarray(_folds(m.groups, seed))
    p1 = np.zeros(len(m.labels))
    for k in range(FOLDS):
        train = np.where((fold != k) & (labels >= 0))[0]
        first = _fit(dense[train], labels[train], train, m, buckets, c1, seed)
        test = np.where(fold == k)[0]
        p1[test] = [first.logit(m.dense[r], m.words[r]) for r in test]
    rows2 = _pass2_matrix(m, p1)
    p2 = np.zeros(len(m.labels))
    for k in range(FOLDS):
        train = np.where((fold != k) & (labels >= 0))[0]
        second = _fit(rows2[train], labels[train], train, None, buckets, c2, seed)
        test = np.where(fold == k)[0]
        p2[test] = [1 / (1 + np.exp(-second.logit(rows2[r]))) for r in test]
    return list(p1), list(p2), fold


def _pass2_matrix(m: Matrix, p1: Any) -> Any:
    import numpy as np

    out: list[list[float]] = []
    start = 0
    while start < len(m.doc_of):
        end = start
        while end < len(m.doc_of) and m.doc_of[end] == m.doc_of[start]:
            end += 1
        out.extend(pass2_rows(m.dense[start:end], list(p1[start:end])))
        start = end
    return np.asarray(out, dtype=float)


def metrics_at(m: Matrix, scores: Sequence[float], threshold: float, rows: Sequence[int] | None = None) -> dict[str, Any]:
    tp = fp = fn = 0
    content = lost = 0
    for r in rows if rows is not None else range(len(m.labels)):
        label = m.labels[r]
        gone = scores[r] >= threshold
        if label == 1:
            tp += gone
            fn += not gone
        elif label == 0:
            fp += gone
            content += m.chars[r]
            lost += m.chars[r] if gone else 0
    p = tp / (tp + fp) if tp + fp else 0.0
    r_ = tp / (tp + fn) if tp + fn else 0.0
    return {"threshold": round(threshold, 4), "precision": round(p, 4), "recall": round(r_, 4),
            "f1": round(2 * p * r_ / (p + r_), 4) if p + r_ else 0.0,
            "content_chars_kept": round(1 - lost / content, 5) if content else None}


def choose_threshold(m: Matrix, scores: Sequence[float], max_loss: float) -> float:
    """The lowest threshold (grid of 0.005) keeping ``1 - max_loss`` of content characters."""
    for step in range(100, 200):
        threshold = step * 0.005
        kept = metrics_at(m, scores, threshold)["content_chars_kept"] or 1.0
        if kept >= 1 - max_loss:
            return threshold
    return 0.995


def train(docs: Sequence[LabelledDoc], *, seed: int = 0, c1: float = 1.0, c2: float = 1.0,
          max_content_loss: float = 0.005, buckets: int = BUCKETS) -> tuple[LineClassifier, dict[str, Any]]:
    """Cross-validate, choose the threshold, fit on everything; returns the classifier and a report."""
    import numpy as np

    m = build(docs, buckets)
    p1, p2, _fold = cross_validate(m, c1, c2, seed, buckets)
    p1_prob = [float(1 / (1 + np.exp(-z))) for z in p1]
    one, two = choose_threshold(m, p1_prob, max_content_loss), choose_threshold(m, p2, max_content_loss)
    one_pass = metrics_at(m, p1_prob, one)
    two_pass = metrics_at(m, p2, two)
    passes = 1 if one_pass["f1"] > two_pass["f1"] else 2
    threshold, scores = (one, p1_prob) if passes == 1 else (two, p2)
    report: dict[str, Any] = {"seed": seed, "c1": c1, "c2": c2, "lines": len(m.labels),
                              "junk": m.labels.count(1), "content": m.labels.count(0), "left_out": m.labels.count(-1),
                              "sites": len(set(m.groups)), "threshold": threshold, "passes": passes,
                              "cv_site_grouped": metrics_at(m, scores, threshold),
                              "cv_one_pass": one_pass, "cv_two_passes": two_pass}
    for source in sorted(set(m.sources)):
        rows = [r for r, s in enumerate(m.sources) if s == source]
        report[f"cv_{source}"] = metrics_at(m, scores, threshold, rows)
    dense = np.asarray(m.dense, dtype=float)
    labels = np.asarray(m.labels)
    train_rows = np.where(labels >= 0)[0]
    first = _fit(dense[train_rows], labels[train_rows], train_rows, m, buckets, c1, seed)
    rows2 = _pass2_matrix(m, np.asarray(p1))
    if passes == 2:
        second = _fit(rows2[train_rows], labels[train_rows], train_rows, None, buckets, c2, seed)
    else:
        # pass one measured better: pass two passes its score through unchanged
        weights = [0.0] * rows2.shape[1]
        weights[len(DENSE_FEATURES)] = 1.0  # p1_self
        second = Linear(tuple(weights), 0.0, tuple(float(v) for v in rows2.mean(axis=0)))
    trained = {"by": "article-cleaner train --labelled", "seed": seed, "data": "WCXB dev article pages + AEB (+ golden cases)",
               "validation": "5-fold site-grouped cross-validation (registered domain)",
               **{k: v for k, v in report.items() if k.startswith("cv_") or k in ("threshold", "lines", "sites")}}
    return LineClassifier(first, second, threshold, buckets, DENSE_FEATURES, trained), report


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m cleaner.training.classifier_fit", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("labelled", nargs="+", help="labelled documents (JSON Lines from cleaner.training.labelled)")
    ap.add_argument("-o", "--output", required=True, help="where to write the classifier JSON")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--c1", type=float, default=1.0, help="pass-one inverse regularisation")
    ap.add_argument("--c2", type=float, default=1.0, help="pass-two inverse regularisation")
    ap.add_argument("--max-content-loss", type=float, default=0.005)
    ap.add_argument("--report", help="write the validation report here (JSON)")
    args = ap.parse_args(argv)
    docs = [doc for path in args.labelled for doc in read_docs(path)]
    classifier, report = train(docs, seed=args.seed, c1=args.c1, c2=args.c2, max_content_loss=args.max_content_loss)
    classifier.dump(args.output)
    text = json.dumps(report, indent=1)
    print(text)
    if args.report:
        Path(args.report).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
