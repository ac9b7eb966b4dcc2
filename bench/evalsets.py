"""The evaluation-only sets (Dragnet, CleanEval, L3S-GN1; ``EVAL-SETS.md``) for the benchmarks.

Research licences: these pages are measured on, never trained on. Each set has the same
layout: ``html/<id>.html.gz``, ``gold/<id>.txt`` and ``meta.jsonl``. :func:`iter_pages`
yields them as :class:`bench.datasets.Page` (for the HTML benchmark);
:func:`page_lines` turns a page into scraped-like text (the article region's block
texts, one per line) labelled by gold alignment, for the text benchmark.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

from cleaner.inputs import decode_bytes
from cleaner.training.labelled import AMBIGUOUS, JUNK, region_lines
from cleaner.training.labels import GoldIndex, words_of

from .datasets import Page

NAMES = ("dragnet", "cleaneval", "l3s-gn1")
DEFAULT_ROOT = "../shared/data"

META = "meta"
"""Label of lines that are neither content nor junk (scored neither way, as in multinews-dev)."""


def missing(root: str | Path) -> str | None:
    """Why the set under ``root`` cannot be used, or ``None``."""
    root = Path(root)
    for need in (root / "html", root / "gold", root / "meta.jsonl"):
        if not need.exists():
            return f"{need} not found"
    return None


def iter_pages(root: str | Path, limit: int | None = None) -> Iterator[Page]:
    """Pages of one evaluation set in id order; ``extra`` holds the page's ``meta.jsonl`` record."""
    root = Path(root)
    with open(root / "meta.jsonl", encoding="utf-8") as handle:
        metas = sorted((json.loads(row) for row in handle if row.strip()), key=lambda m: m["id"])
    for n, meta in enumerate(metas):
        if limit is not None and n >= limit:
            return
        html = decode_bytes(gzip.decompress((root / "html" / f"{meta['id']}.html.gz").read_bytes()))
        gold = (root / "gold" / f"{meta['id']}.txt").read_text(encoding="utf-8")
        yield Page(meta["id"], html, meta.get("url"), gold, meta)


def page_lines(page: Page) -> tuple[list[str], list[str]]:
    """The page's article region as scraped-like text, each line labelled content/junk/meta.

    Lines are every block element's text from a few blocks before the first gold block to
    a few after the last (:func:`cleaner.training.labelled.region_lines`, without markup
    labels: the set's gold decides, so Dragnet's captions count as content), labelled by
    gold alignment. Lines the aligner calls ambiguous, and lines matching what a set keeps
    outside its gold without calling it junk (L3S-GN1's headline and supplemental blocks:
    bylines, datelines, captions), are ``meta``. Dragnet's comments and L3S-GN1's related
    links and comments are not in the gold, so they are junk.
    """
    try:
        labelled = region_lines(page.html, GoldIndex.build(page.gold))
    except Exception:
        labelled = []
    aside = {" ".join(words_of(block)) for key in ("headline", "supplemental") for block in page.extra.get(key) or ()}
    aside.discard("")
    lines, labels = [], []
    for line in labelled:
        lines.append(line.text)
        if line.label == AMBIGUOUS or (line.label == JUNK and " ".join(words_of(line.text)) in aside):
            labels.append(META)
        else:
            labels.append(line.label)
    return lines, labels
