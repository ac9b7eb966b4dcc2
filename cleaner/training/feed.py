"""Benchmark pages as a JSON Lines feed for ``article-cleaner learn``, and how learned rules fare on them.

    python -m cleaner.training.feed export wcxb ../shared/data/wcxb-dev /tmp/wcxb.jsonl --cache /tmp/ac-cache
    article-cleaner learn /tmp/wcxb.jsonl -o /tmp/wcxb-rules.json --min-sites 3
    python -m cleaner.training.feed measure wcxb ../shared/data/wcxb-dev /tmp/wcxb-rules.json --cache /tmp/ac-cache

``export`` writes one ``{"url", "text"}`` item per page (text already extracted, so
learning does not extract again); ``measure`` applies only the learned rules to the
same pages and reports how many of their removals hit gold-content lines.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from ..core import Cleaner
from .benchmarks import AEB_NAME, Page, load_pages
from .labels import CONTENT, JUNK, label_lines


def export_feed(pages: Sequence[Page], path: str | os.PathLike[str]) -> int:
    """Write ``pages`` as a feed; returns the number of items."""
    with open(path, "w", encoding="utf-8") as handle:
        for page in pages:
            handle.write(json.dumps({"url": page.url, "text": "\n".join(page.lines), "id": page.id}, ensure_ascii=False) + "\n")
    return len(pages)


def measure_rules(pages: Sequence[Page], rules_path: str | os.PathLike[str]) -> dict[str, Any]:
    """Share of learned-rule removals that hit gold content (and content characters lost)."""
    cleaner = Cleaner(rules=[rules_path], builtin=False, detectors=False, model=False)
    removed = hit_content = hit_junk = content_chars = lost_chars = 0
    examples: list[str] = []
    for page in pages:
        labels = label_lines(page.lines, page.gold, title=page.title, without=page.without, gold_has_title=page.dataset != AEB_NAME)
        result = cleaner.explain_text("\n".join(page.lines), url=page.url)
        gone = {r.line - 1 for r in result.removals if r.source == "learned"}
        for i, label in enumerate(labels):
            if label == CONTENT:
                content_chars += len(page.lines[i])
        for i in gone:
            removed += 1
            if labels[i] == CONTENT:
                hit_content += 1
                lost_chars += len(page.lines[i])
                if len(examples) < 10:
                    examples.append(page.lines[i][:100])
            elif labels[i] == JUNK:
                hit_junk += 1
    return {
        "pages": len(pages), "learned_removals": removed, "hit_gold_content": hit_content, "hit_junk": hit_junk,
        "false_removal_rate": round(hit_content / removed, 4) if removed else None,
        "content_chars_lost": round(lost_chars / content_chars, 5) if content_chars else None,
        "content_examples": examples,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cleaner.training.feed", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("export", "measure"))
    parser.add_argument("benchmark", choices=("aeb", "wcxb"))
    parser.add_argument("root", help="benchmark directory")
    parser.add_argument("path", help="feed to write (export) or rules file to measure (measure)")
    parser.add_argument("--cache", help="extraction cache directory")
    args = parser.parse_args(argv)
    pages = load_pages(args.benchmark, args.root, args.cache)
    if args.action == "export":
        print(f"wrote {export_feed(pages, args.path)} items to {args.path}", file=sys.stderr)
    else:
        print(json.dumps(measure_rules(pages, args.path), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
