"""How much article text does cleaning remove? The "content lost" figure of the README.

    python -m bench.content_lost [--aeb PATH] [--json OUT]

For every page of the article-extraction-benchmark, the lines trafilatura extracted
are split into content (the line occurs in the human gold body) and the rest. The
cleaner must account for every extracted line (kept, or removed with an explanation),
and the report counts the content lines it removed, per source and rule.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cleaner import Cleaner
from cleaner.learn.documents import extract_blocks
from cleaner.textlines import normalize_space

DEFAULT_AEB = Path("../shared/data/article-extraction-benchmark")
MIN_CHARS = 20  # shorter lines ("Photo", "Reuters") are too ambiguous to call content


@dataclass
class PageAudit:
    """One page: extracted lines, content lines, and what the cleaner did with them."""

    page: str
    extracted: int = 0
    content: int = 0
    unaccounted: list[str] = field(default_factory=list)
    content_removed: list[tuple[str, str]] = field(default_factory=list)  # (rule id, text)


def gold_text(gold: str) -> str:
    return " ".join(gold.split())


def audit_page(cleaner: Cleaner, page: str, html: str, url: str | None, gold: str) -> PageAudit:
    """Extract, clean and compare one page."""
    audit = PageAudit(page)
    blocks, _evidence = extract_blocks(html, url)  # what explain_html cleans
    if not blocks:
        return audit
    lines = [normalize_space(x) for block in blocks for x in block if normalize_space(x)]
    result = cleaner.explain_html(html, url=url)
    kept = {normalize_space(x) for x in result.text.splitlines()}
    kept |= {change.before for change in result.changes}
    removed = {r.text: r for r in result.removals}
    golden = gold_text(gold)
    audit.extracted = len(lines)
    for line in lines:
        is_content = len(line) >= MIN_CHARS and line in golden
        audit.content += is_content
        if line in kept:
            continue
        removal = removed.get(line)
        if removal is None:
            audit.unaccounted.append(line)
        elif is_content:
            audit.content_removed.append((f"{removal.source}:{removal.rule_id}", line))
    return audit


def iter_pages(root: Path):
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        path = root / "html" / f"{page_id}.html.gz"
        if path.exists():
            yield page_id, gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace"), truth[page_id].get("url"), truth[page_id]["articleBody"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB)
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args(argv)
    if not (args.aeb / "ground-truth.json").exists():
        print(f"article-extraction-benchmark not found at {args.aeb}; nothing measured", file=sys.stderr)
        return 0
    cleaner = Cleaner()
    audits = [audit_page(cleaner, *page) for page in iter_pages(args.aeb)]
    content = sum(a.content for a in audits)
    removed = [item for a in audits for item in a.content_removed]
    unaccounted = sum(len(a.unaccounted) for a in audits)
    by_rule = Counter(rule for rule, _ in removed)
    print(f"pages {len(audits)}, extracted lines {sum(a.extracted for a in audits)}, content lines {content}")
    print(f"content lines removed: {len(removed)} ({len(removed) / max(content, 1):.2%}); lines unaccounted for: {unaccounted}")
    for rule, count in by_rule.most_common():
        print(f"  {count:4d}  {rule}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "content_lines": content, "content_removed": len(removed), "unaccounted": unaccounted,
            "by_rule": dict(by_rule), "examples": removed[:200],
        }, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
