"""Loaders for the two benchmark datasets (read in place, never copied).

Each loader yields ``Page(id, html, url, gold, extra)`` in id order.  HTML is
returned decoded as UTF-8 (the benchmarks' own scripts read it that way) so
extractors are timed on identical in-memory input.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any, NamedTuple
from collections.abc import Iterator

DEFAULT_AEB = "../shared/data/article-extraction-benchmark"
DEFAULT_WCXB = "../shared/data/wcxb-dev"


class Page(NamedTuple):
    id: str
    html: str
    url: str | None
    gold: str
    extra: dict[str, Any]


def _read_html(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")


def aeb_missing(root: str | Path) -> str | None:
    """Why the AEB data cannot be used, or None if it looks complete."""
    root = Path(root)
    for need in (root / "ground-truth.json", root / "html"):
        if not need.exists():
            return f"{need} not found"
    return None


def wcxb_missing(root: str | Path) -> str | None:
    """Why the WCXB data cannot be used, or None if it looks complete."""
    root = Path(root)
    for need in (root / "ground-truth", root / "html"):
        if not need.exists():
            return f"{need} not found"
    return None


def iter_aeb(root: str | Path, limit: int | None = None,
             skipped: list | None = None) -> Iterator[Page]:
    """AEB pages; gold is ``articleBody``.  Pages without HTML go to ``skipped``."""
    root = Path(root)
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    n = 0
    for pid in sorted(truth):
        if limit is not None and n >= limit:
            return
        html_path = root / "html" / f"{pid}.html.gz"
        if not html_path.exists():
            if skipped is not None:
                skipped.append((pid, "no html file"))
            continue
        item = truth[pid]
        n += 1
        yield Page(pid, _read_html(html_path), item.get("url"),
                   item.get("articleBody") or "", {})


def _wcxb_page_type(data: dict, meta: dict) -> str:
    """Page type as WCXB evaluate.py reads it (``_internal.page_type.primary``,
    'category' -> 'collection', default 'article'), falling back to
    metadata.json when the ground-truth file has none."""
    pt = (data.get("_internal") or {}).get("page_type")
    if isinstance(pt, dict):
        pt = pt.get("primary")
    if not isinstance(pt, str) or not pt:
        pt = meta.get("page_type") or "article"
    return "collection" if pt == "category" else pt


def iter_wcxb(root: str | Path, limit: int | None = None,
              skipped: list | None = None) -> Iterator[Page]:
    """WCXB pages; gold is ``ground_truth.main_content``.

    Pages with missing/empty gold or no HTML are not yielded but appended to
    ``skipped`` as (id, reason).  (WCXB's evaluate.py instead scores them 1.0
    if the prediction is empty too, else 0.0.)  ``extra`` carries
    page_type, domain and the ``with``/``without`` snippet lists.
    """
    root = Path(root)
    meta_path = root / "metadata.json"
    meta = {}
    if meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8")).get("files", {})
    n = 0
    for gt_path in sorted((root / "ground-truth").glob("*.json")):
        if limit is not None and n >= limit:
            return
        pid = gt_path.stem
        data = json.loads(gt_path.read_text(encoding="utf-8"))
        gt = data.get("ground_truth")
        reason = None
        if not isinstance(gt, dict):
            reason = "no ground_truth object"
        elif not (gt.get("main_content") or "").strip():
            reason = "empty main_content"
        html_path = root / "html" / f"{pid}.html.gz"
        if reason is None and not html_path.exists():
            reason = "no html file"
        if reason is not None:
            if skipped is not None:
                skipped.append((pid, reason))
            continue
        m = meta.get(pid, {})
        extra = {
            "page_type": _wcxb_page_type(data, m),
            "domain": m.get("domain"),
            "with": list(gt.get("with") or []),
            "without": list(gt.get("without") or []),
        }
        n += 1
        yield Page(pid, _read_html(html_path), data.get("url") or gt.get("url"),
                   gt["main_content"], extra)
