"""Measuring a line model: junk-line precision and recall, and the share of content lost.

Content loss counts the characters of gold-content lines the model would remove,
over all gold-content characters: the number the shipped threshold is chosen by.
``core_content_loss`` measures the same through the real cleaner (the model as a
stage, with rules and detectors off), where removals can cascade over passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core import Cleaner
from ..model import LineModel
from ..stages import Stage
from .dataset import LabelledPage
from .labels import CONTENT, JUNK


def line_metrics(pages: Sequence[LabelledPage], scores: Sequence[Sequence[float]], threshold: float, model: LineModel) -> dict[str, Any]:
    """Precision/recall of junk lines and content characters lost at ``threshold`` (lines ``model`` may remove)."""
    tp = fp = fn = 0
    content_chars = lost_chars = 0
    for page, page_scores in zip(pages, scores):
        for i in page.labelled:
            removed = i > 0 and page_scores[i] >= threshold and model.eligible(page.words[i], page.lines[i])
            label = page.labels[i]
            if label == JUNK:
                tp += removed
                fn += not removed
            elif label == CONTENT:
                fp += removed
                content_chars += len(page.lines[i])
                lost_chars += len(page.lines[i]) if removed else 0
    return {
        "threshold": round(threshold, 4),
        "junk_precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "junk_recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "removed_lines": tp + fp,
        "content_chars_lost": round(lost_chars / content_chars, 5) if content_chars else None,
        "pages": len(pages),
        "lines": sum(len(p.labelled) for p in pages),
    }


def core_content_loss(pages: Sequence[LabelledPage], stage: Stage) -> dict[str, Any]:
    """Content and junk lines the cleaner removes with ``stage`` as its only stage."""
    cleaner = Cleaner(builtin=False, detectors=False, model=False, extra_stages=[stage])
    content_chars = lost_chars = junk = junk_removed = 0
    for page in pages:
        result = cleaner.explain_text("\n".join(page.lines), evidence=page.evidence or None)
        removed = {r.line - 1 for r in result.removals}
        for i in page.labelled:
            if page.labels[i] == CONTENT:
                content_chars += len(page.lines[i])
                lost_chars += len(page.lines[i]) if i in removed else 0
            elif page.labels[i] == JUNK:
                junk += 1
                junk_removed += i in removed
    return {
        "content_chars_lost": round(lost_chars / content_chars, 5) if content_chars else None,
        "junk_recall": round(junk_removed / junk, 4) if junk else None,
    }
