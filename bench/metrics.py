"""Scoring functions, re-implemented from the benchmarks' own evaluation scripts.

Re-implemented (not imported) so the harness has no dependency on the benchmark
repositories, but kept line-for-line equivalent so our numbers are comparable
with published ones:

* AEB: ``evaluate.py`` of github.com/scrapinghub/article-extraction-benchmark
* WCXB: ``evaluate.py`` of github.com/Murrough-Foley/web-content-extraction-benchmark
"""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence

# --------------------------------------------------------------------------
# Article Extraction Benchmark (AEB): 4-word shingle precision/recall/F1
# --------------------------------------------------------------------------

TpFpFn = tuple[float, float, float]

# Same pattern and flags as AEB evaluate.py.  IGNORECASE does not lowercase:
# tokens keep their case, so "The" and "the" are different tokens.
_AEB_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def aeb_tokenize(text: str | None) -> list[str]:
    """``\\w+`` tokens, case preserved (AEB ``_tokenize``)."""
    return _AEB_TOKEN_RE.findall(text or "")


def aeb_shingles(text: str | None, n: int = 4) -> Counter:
    """Multiset of n-token shingles (AEB ``_ngrams``).

    A text with fewer than ``n`` tokens (but at least one) yields a single
    shorter shingle made of all its tokens; an empty text yields none.
    """
    tokens = aeb_tokenize(text)
    out: Counter = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            out[shingle] += 1
    return out


def aeb_tp_fp_fn(gold: str | None, pred: str | None, n: int = 4) -> TpFpFn:
    """Per-document shingle TP/FP/FN, normalised to sum to 1 (AEB ``string_shingle_matching``).

    Multiset overlap: a shingle seen 3x in the prediction and 1x in gold is
    1 TP + 2 FP.  Normalising makes every document weigh the same; when both
    texts are empty the triple is (0, 0, 0).
    """
    g, p = aeb_shingles(gold, n), aeb_shingles(pred, n)
    tp = fp = fn = 0.0
    for key in g.keys() | p.keys():
        gc, pc = g.get(key, 0), p.get(key, 0)
        tp += min(gc, pc)
        fp += max(0, pc - gc)
        fn += max(0, gc - pc)
    s = tp + fp + fn
    if s > 0:
        return (tp / s, fp / s, fn / s)
    return (tp, fp, fn)


def aeb_precision_score(tp: float, fp: float, fn: float) -> float:
    """AEB ``precision_score`` (1.0 when nothing was wrong, 0.0 when nothing predicted)."""
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def aeb_recall_score(tp: float, fp: float, fn: float) -> float:
    """AEB ``recall_score``."""
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def aeb_aggregate(triples: Sequence[TpFpFn]) -> dict[str, float]:
    """Corpus P/R/F1 exactly as AEB ``metrics_from_tp_fp_fns``.

    Precision is averaged over documents with a non-empty prediction
    (tp+fp > 0), recall over documents with non-empty gold (tp+fn > 0), and
    F1 is the harmonic mean of those two averages (not a mean of per-doc F1).
    An empty prediction therefore costs recall only.  Where evaluate.py would
    raise (no eligible document, or P+R == 0) we return 0.0 instead.
    """
    ps = [aeb_precision_score(*t) for t in triples if t[0] + t[1] > 0]
    rs = [aeb_recall_score(*t) for t in triples if t[0] + t[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return {"precision": p, "recall": r, "f1": f1}


def aeb_bootstrap_ci(triples: Sequence[TpFpFn], n_bootstrap: int = 1000,
                     seed: int | None = 0) -> dict[str, float]:
    """AEB's ``±`` figures: 1.96 x stdev of P/R/F1 over document resamples.

    evaluate.py uses the unseeded global RNG; we seed a private RNG so that
    reruns print the same numbers.
    """
    if n_bootstrap < 2 or not triples:
        return {}
    rng = random.Random(seed)
    n = len(triples)
    samples: dict[str, list[float]] = {}
    for _ in range(n_bootstrap):
        m = aeb_aggregate([triples[rng.randint(0, n - 1)] for _ in range(n)])
        for k, v in m.items():
            samples.setdefault(k, []).append(v)
    return {f"{k}_ci": 1.96 * statistics.stdev(v) for k, v in samples.items()}


def aeb_doc_scores(triple: TpFpFn) -> dict[str, float | None]:
    """Per-document P/R/F1 for diffing runs (not part of AEB's corpus metric).

    ``precision`` is None when the prediction is empty and ``recall`` None when
    gold is empty, mirroring which documents AEB averages over.  ``f1`` is 1.0
    when both are empty, 0.0 when exactly one is.
    """
    tp, fp, fn = triple
    p = aeb_precision_score(*triple) if tp + fp > 0 else None
    r = aeb_recall_score(*triple) if tp + fn > 0 else None
    if p is None and r is None:
        f1 = 1.0
    elif p is None or r is None or p + r == 0:
        f1 = 0.0
    else:
        f1 = 2 * p * r / (p + r)
    return {"precision": p, "recall": r, "f1": f1}


# --------------------------------------------------------------------------
# WCXB: bag-of-words P/R/F1 per page, snippet checks
# --------------------------------------------------------------------------

_WCXB_TOKEN_RE = re.compile(r"\w+")


def wcxb_tokenize(text: str | None) -> list[str]:
    """Lowercased ``\\w+`` tokens (WCXB ``tokenize``)."""
    if not text:
        return []
    return _WCXB_TOKEN_RE.findall(text.lower())


def wcxb_word_prf(pred: str | None, gold: str | None) -> tuple[float, float, float]:
    """Word-level (multiset, order-free) P/R/F1 of one page (WCXB ``word_f1``).

    Empty gold: (1,1,1) if the prediction is empty too, else (0,0,0).
    Empty prediction with non-empty gold: (0,0,0).
    """
    pt, gt = wcxb_tokenize(pred), wcxb_tokenize(gold)
    if not gt:
        return (1.0, 1.0, 1.0) if not pt else (0.0, 0.0, 0.0)
    if not pt:
        return (0.0, 0.0, 0.0)
    overlap = sum((Counter(pt) & Counter(gt)).values())
    p, r = overlap / len(pt), overlap / len(gt)
    f1 = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return (p, r, f1)


def snippet_rate(text: str | None, snippets: Iterable[str]) -> float | None:
    """Share of ``snippets`` found in ``text``, matched as WCXB ``snippet_check`` does.

    Matching is WCXB's: case-insensitive (``str.lower``) plain substring, no
    whitespace normalisation (empty snippets are ignored; the dev data has
    none).  Deviation: WCXB returns 1.0 for an empty list,
    which would count a page without ``without`` snippets as 100 % leaked; we
    return None so such pages are left out of the average.
    """
    snippets = [s for s in snippets if s]
    if not snippets:
        return None
    low = (text or "").lower()
    return sum(1 for s in snippets if s.lower() in low) / len(snippets)


def mean_or_none(values: Iterable[float | None]) -> float | None:
    """Mean of the non-None values (None if there are none): WCXB averages per page."""
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None
