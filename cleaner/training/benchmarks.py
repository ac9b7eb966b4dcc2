"""The shared benchmark pages as labelled documents: extracted lines plus gold text.

Extraction (trafilatura through ``cleaner.html``, as ``clean_html`` does it, with each
line's HTML evidence) is the slow step, so extracted pages are cached as JSON Lines
in a cache directory keyed by benchmark name; delete the cache to re-extract.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CleanerError
from ..evidence import Evidence
from ..inputs import decode_bytes
from ..learn.documents import extract_blocks
from ..textlines import normalize_space, split_text

AEB_NAME = "aeb"
WCXB_NAME = "wcxb"


@dataclass(frozen=True)
class Page:
    """One benchmark page: extracted lines, gold article text and what else the gold says."""

    dataset: str
    id: str
    url: str | None
    lines: tuple[str, ...]
    gold: str
    title: str | None = None
    without: tuple[str, ...] = ()
    page_type: str = "article"
    domain: str | None = None
    gaps: tuple[int, ...] = ()
    evidence: tuple[Evidence | None, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "dataset": self.dataset, "id": self.id, "url": self.url, "lines": list(self.lines),
            "gold": self.gold, "title": self.title, "without": list(self.without),
            "page_type": self.page_type, "domain": self.domain, "gaps": list(self.gaps),
            "evidence": [e.to_dict() if e else None for e in self.evidence],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Page:
        return cls(
            str(data["dataset"]), str(data["id"]), data.get("url") or None,  # type: ignore[arg-type]
            tuple(data["lines"]), str(data["gold"]), data.get("title") or None,  # type: ignore[arg-type]
            tuple(data.get("without") or ()), str(data.get("page_type") or "article"),  # type: ignore[arg-type]
            data.get("domain") or None,  # type: ignore[arg-type]
            tuple(data.get("gaps") or ()),  # type: ignore[arg-type]
            tuple(_evidence(e) for e in data.get("evidence") or ()),  # type: ignore[attr-defined]
        )


def _evidence(raw: Any) -> Evidence | None:
    return Evidence.from_dict(raw) if raw else None


def extracted(html: str, url: str | None) -> tuple[tuple[str, ...], tuple[int, ...], tuple[Evidence | None, ...]]:
    """Lines, gaps and per-line HTML evidence of a page, as ``clean_html`` sees them."""
    blocks, evidence = extract_blocks(html, url)
    split = split_text("\n\n".join("\n".join(block) for block in blocks))
    lines = tuple(normalize_space(raw) for _n, raw in split.lines)
    if evidence is None or len(evidence) != len(lines):
        evidence = [None] * len(lines)
    return lines, split.gaps, tuple(evidence)


def _read_gz(path: Path) -> str:
    with gzip.open(path, "rb") as handle:
        return decode_bytes(handle.read())


def aeb_pages(root: Path) -> Iterator[Page]:
    """article-extraction-benchmark: ``html/<id>.html.gz`` + ``ground-truth.json`` (no titles)."""
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        entry = truth[page_id]
        if not (entry.get("articleBody") or "").strip():
            continue  # no gold: every line would be labelled junk
        html = _read_gz(root / "html" / f"{page_id}.html.gz")
        url = entry.get("url")
        lines, gaps, evidence = extracted(html, url)
        yield Page(AEB_NAME, page_id, url, lines, entry["articleBody"], gaps=gaps, evidence=evidence)


def wcxb_pages(root: Path) -> Iterator[Page]:
    """WCXB dev: ``html/<id>.html.gz`` + ``ground-truth/<id>.json`` (+ ``metadata.json``)."""
    meta = json.loads((root / "metadata.json").read_text(encoding="utf-8")).get("files", {})
    for truth_path in sorted((root / "ground-truth").glob("*.json")):
        data = json.loads(truth_path.read_text(encoding="utf-8"))
        page_id = truth_path.stem
        gold = data.get("ground_truth") or {}
        if not (gold.get("main_content") or "").strip():
            continue  # empty gold (a few WCXB pages): every line would be labelled junk
        html = _read_gz(root / "html" / f"{page_id}.html.gz")
        url = data.get("url")
        info = meta.get(page_id, {})
        lines, gaps, evidence = extracted(html, url)
        yield Page(
            WCXB_NAME, page_id, url, lines, gold["main_content"],
            gold.get("title"), tuple(s for s in gold.get("without") or () if isinstance(s, str)),
            info.get("page_type", "article"), info.get("domain"), gaps, evidence,
        )


READERS = {AEB_NAME: aeb_pages, WCXB_NAME: wcxb_pages}


def load_pages(name: str, root: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None = None) -> list[Page]:
    """All pages of benchmark ``name`` under ``root``, from the cache when it exists."""
    root = Path(root)
    if not root.is_dir():
        raise CleanerError(f"{root}: benchmark directory not found (expected the shared data, e.g. ../shared/data/...)")
    cache = Path(cache_dir) / f"{name}-pages.jsonl" if cache_dir else None
    if cache is not None and cache.is_file():
        with open(cache, encoding="utf-8") as handle:
            pages = [Page.from_json(json.loads(row)) for row in handle if row.strip()]
        return [page for page in pages if page.gold.strip()]  # caches written before pages without gold were skipped
    if cache is None:
        return list(_progress(READERS[name](root), name))
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".partial")
    pages = []
    with open(tmp, "w", encoding="utf-8") as handle:
        for page in _progress(READERS[name](root), name):
            pages.append(page)
            handle.write(json.dumps(page.to_json(), ensure_ascii=False) + "\n")
            handle.flush()
    tmp.replace(cache)
    return pages


def _progress(pages: Iterator[Page], name: str) -> Iterator[Page]:
    import sys

    if not sys.stderr.isatty():
        return pages
    from tqdm import tqdm

    return iter(tqdm(pages, desc=f"extracting {name}", unit="page"))
