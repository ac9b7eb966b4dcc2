"""Per-document scores and per-extractor summaries for each dataset.

Per-document records go into the JSON (so runs can be diffed page by page);
summaries are what the markdown tables show.
"""

from __future__ import annotations

from . import metrics
from .datasets import Page


def score_aeb_doc(page: Page, output: str) -> dict:
    """Normalised shingle TP/FP/FN plus per-doc P/R/F1 (see metrics.aeb_doc_scores)."""
    triple = metrics.aeb_tp_fp_fn(page.gold, output)
    doc = metrics.aeb_doc_scores(triple)
    doc["tp_fp_fn"] = list(triple)
    return doc


def summarise_aeb(docs: dict[str, dict], n_bootstrap: int = 1000) -> dict:
    """AEB corpus P/R/F1 (+ bootstrap 95 % half-widths) from the stored triples.

    Works from the stored triples, so a summary recomputed from the JSON is
    identical to the one printed.
    """
    triples = [tuple(d["tp_fp_fn"]) for d in docs.values()]
    out = metrics.aeb_aggregate(triples)
    out.update(metrics.aeb_bootstrap_ci(triples, n_bootstrap))
    return out


def score_wcxb_doc(page: Page, output: str) -> dict:
    """WCXB word P/R/F1 and snippet rates (None when the page has no such snippets)."""
    p, r, f1 = metrics.wcxb_word_prf(output, page.gold)
    return {
        "type": page.extra.get("page_type"),
        "precision": p, "recall": r, "f1": f1,
        "with_kept": metrics.snippet_rate(output, page.extra.get("with", [])),
        "without_leaked": metrics.snippet_rate(output, page.extra.get("without", [])),
    }


def summarise_wcxb(docs: dict[str, dict], n_bootstrap: int = 0) -> dict:
    """Means of per-page scores (WCXB averages per page, unlike AEB).

    Word P/R/F1 for article pages and for all pages, per-type F1, and the
    mean per-page ``with`` kept / ``without`` leaked rates over all pages
    that have such snippets.
    """
    vals = list(docs.values())
    arts = [d for d in vals if d["type"] == "article"]
    out: dict = {"n_all": len(vals), "n_articles": len(arts)}
    for tag, group in (("all", vals), ("articles", arts)):
        for k in ("precision", "recall", "f1"):
            out[f"{k}_{tag}"] = metrics.mean_or_none(d[k] for d in group)
    out["with_kept"] = metrics.mean_or_none(d["with_kept"] for d in vals)
    out["without_leaked"] = metrics.mean_or_none(d["without_leaked"] for d in vals)
    out["without_leaked_articles"] = metrics.mean_or_none(d["without_leaked"] for d in arts)
    out["with_kept_articles"] = metrics.mean_or_none(d["with_kept"] for d in arts)
    types = sorted({d["type"] for d in vals})
    out["f1_by_type"] = {t: metrics.mean_or_none(d["f1"] for d in vals if d["type"] == t)
                         for t in types}
    return out
