"""Labelled lines at scale, caption-rich, from the permissive benchmarks (WCXB dev, AEB).

    python -m cleaner.training.labelled --wcxb ../shared/data/wcxb-dev \
        --aeb ../shared/data/article-extraction-benchmark --out /tmp/labelled.jsonl

Each page gives several *documents* (sequences of lines, as a scraper or an extractor
would hand them to ``clean``), every line labelled by the page's gold text:

- ``cleaner``: trafilatura's extraction as ``clean_html`` gets it (before cleaning), with
  each line's HTML evidence;
- ``newspaper``: newspaper4k's ``article.text`` (when newspaper4k is installed);
- ``recall``: trafilatura with ``favor_recall=True``;
- ``region``: the text of every block element inside the article region (from a few
  blocks before the first gold-content block to a few after the last), in page order:
  the nearest thing to scraped text, captions and widgets in place.

Gold alignment (:func:`align`): a line is *content* when its words occur in the gold in
order; *junk* when few of its word trigrams do (short lines: when they are no short gold
line and do not occur in the gold at all); otherwise *ambiguous*, left out and counted.
Labels from markup (``region`` only): a line whose element sits in a ``figcaption``, an
``aside``, an element whose class or id says caption/credit, related/share/newsletter/
subscribe/player/gallery/promo, or an embedded tweet's furniture (its text outside the
tweet's paragraph), is junk, unless the gold has it word for word (then it is ambiguous:
the markup and the gold disagree). Documents are written as JSON Lines outside the
repository (the data stays where it is; the labelled file is a cache).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..inputs import decode_bytes
from ..sites import site_of
from ..textlines import normalize_space
from .labels import SHORT_WORDS, GoldIndex, needle_of, words_of

CONTENT = "content"
JUNK = "junk"
AMBIGUOUS = "ambiguous"
REGION_MARGIN = 8
"""Blocks kept before the first and after the last gold-content block of a page."""
JUNK_TRIGRAM_SHARE = 0.2
"""A long line with at most this share of its word trigrams in the gold is junk."""

_MARKUP_JUNK = re.compile(
    r"caption|credit|related|share|sharing|social|newsletter|subscri|player|gallery|promo|recommend|read-?more"
    r"|more-?stories|outbrain|taboola|embed-?(?:video|tweet)|video-?(?:player|embed)|sign-?up",
    re.IGNORECASE,
)
_BLOCK = frozenset(
    ["address", "article", "aside", "blockquote", "body", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"])
_SKIP = frozenset({"script", "style", "noscript", "template", "head"})


@dataclass(frozen=True)
class LabelledLine:
    text: str
    label: str
    why: str = ""
    evidence: dict[str, Any] | None = None


@dataclass(frozen=True)
class LabelledDoc:
    """One extraction of one page, every line labelled (``site``: the registered domain, for grouping)."""

    dataset: str
    page: str
    site: str
    source: str
    lines: tuple[LabelledLine, ...]

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "lines": [asdict(line) for line in self.lines]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LabelledDoc:
        return cls(data["dataset"], data["page"], data["site"], data["source"],
                   tuple(LabelledLine(**line) for line in data["lines"]))


@dataclass
class Counts:
    """What the labelling did, per source and label (ambiguous lines are counted, not kept)."""

    by_source: Counter[str] = field(default_factory=Counter)
    pages: int = 0
    failures: Counter[str] = field(default_factory=Counter)


def align(text: str, gold: GoldIndex) -> str:
    """``content``, ``junk`` or ``ambiguous`` for one line against one page's gold.

    The strict variant of :func:`cleaner.training.labels.label_line` (which trained the line
    model and labels every line): the same gold tests, but a line that is neither clearly in
    the gold nor clearly out of it is left out as ambiguous instead of guessed."""
    tokens = words_of(text)
    if not tokens:
        return AMBIGUOUS
    needle = needle_of(tokens)
    if gold.is_without(needle, len(tokens)):
        return JUNK
    if len(tokens) < SHORT_WORDS:
        if gold.in_short_line(needle, len(tokens)):
            return CONTENT
        return AMBIGUOUS if needle in gold.joined else JUNK
    if needle in gold.joined:
        return CONTENT
    return JUNK if gold.trigram_share(tokens) <= JUNK_TRIGRAM_SHARE else AMBIGUOUS


# -- pages ------------------------------------------------------------------------

@dataclass(frozen=True)
class RawPage:
    dataset: str
    id: str
    url: str | None
    html: str
    gold: str
    title: str | None
    without: tuple[str, ...]
    site: str


def _read_gz(path: Path) -> str:
    with gzip.open(path, "rb") as handle:
        return decode_bytes(handle.read())


def wcxb_raw(root: Path) -> Iterator[RawPage]:
    """WCXB dev article pages (other page types are not article text)."""
    meta = json.loads((root / "metadata.json").read_text(encoding="utf-8")).get("files", {})
    for truth in sorted((root / "ground-truth").glob("*.json")):
        data = json.loads(truth.read_text(encoding="utf-8"))
        gold = data.get("ground_truth") or {}
        info = meta.get(truth.stem, {})
        if not (gold.get("main_content") or "").strip() or info.get("page_type", "article") != "article":
            continue
        url = data.get("url") or gold.get("url")
        yield RawPage("wcxb", truth.stem, url, _read_gz(root / "html" / f"{truth.stem}.html.gz"), gold["main_content"],
                      gold.get("title"), tuple(s for s in gold.get("without") or () if isinstance(s, str)),
                      site_of(url or "//" + (info.get("domain") or "")) or info.get("domain"))


def aeb_raw(root: Path) -> Iterator[RawPage]:
    """article-extraction-benchmark pages (gold body without headline)."""
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        entry = truth[page_id]
        if not (entry.get("articleBody") or "").strip():
            continue
        url = entry.get("url")
        yield RawPage("aeb", page_id, url, _read_gz(root / "html" / f"{page_id}.html.gz"), entry["articleBody"],
                      None, (), site_of(url))


# -- extractions --------------------------------------------------------------------

def _lines(text: str) -> list[str]:
    return [normalize_space(line) for line in text.splitlines() if line.strip()]


def cleaner_lines(page: RawPage) -> tuple[list[str], list[Any]]:
    from .benchmarks import extracted

    lines, _gaps, evidence = extracted(page.html, page.url)
    return list(lines), [e.to_dict() if e else None for e in evidence]


def newspaper_lines(page: RawPage) -> list[str]:
    from newspaper import Article

    article = Article(page.url or "http://example.com/", fetch_images=False)
    article.download(input_html=page.html)
    article.parse()
    return ([article.title] if article.title else []) + _lines(article.text)


def recall_lines(page: RawPage) -> list[str]:
    import trafilatura

    return _lines(trafilatura.extract(page.html, url=page.url, favor_recall=True, include_comments=False) or "")


def _attrs(element: Any) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def block_lines(html: str) -> list[tuple[str, str]]:
    """Every block element's text in page order, with what the markup says (``""`` or a junk reason)."""
    import lxml.html
    from lxml import etree

    root = lxml.html.fromstring(html)
    out: list[tuple[str, str]] = []
    parts: list[str] = []
    stack: list[Any] = []
    why_now = ""
    skip = 0

    def flush() -> None:
        nonlocal parts, why_now
        text = " ".join("".join(parts).split())
        if text:
            out.append((text, why_now))
        parts, why_now = [], ""

    def markup_reason() -> str:
        for depth, element in enumerate(reversed(stack)):
            tag = element.tag if isinstance(element.tag, str) else ""
            if tag in ("figcaption", "aside"):
                return tag
            attrs = _attrs(element)
            if "twitter-tweet" in attrs or "instagram-media" in attrs:
                return "" if any(e.tag == "p" for e in stack[len(stack) - depth:]) else "embedded post furniture"
            match = _MARKUP_JUNK.search(attrs)
            if match:
                return f"class {match.group(0).lower()}"
        return ""

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else None
        if event == "start":
            if tag is None or tag in _SKIP:
                skip += 1
                continue
            if skip:
                continue
            stack.append(element)
            if tag in _BLOCK or tag == "br":
                flush()
            if element.text and element.text.strip():
                if not "".join(parts).strip():
                    why_now = markup_reason()
                parts.append(element.text)
        else:
            if tag is None or tag in _SKIP:
                skip -= 1
            elif not skip:
                if tag in _BLOCK:
                    flush()
                stack.pop()
            if not skip and element.tail and element.tail.strip() and element is not root:
                if not "".join(parts).strip():
                    why_now = markup_reason()
                parts.append(element.tail)
            elif not skip and element.tail:
                parts.append(element.tail)
    flush()
    return out


def region_lines(html: str, gold: GoldIndex, *, markup: bool = True) -> list[LabelledLine]:
    """The article region's blocks, labelled by gold and (with ``markup``) by markup (see module docstring)."""
    blocks = block_lines(html)
    labels = [align(text, gold) for text, _why in blocks]
    content = [i for i, label in enumerate(labels) if label == CONTENT and len(words_of(blocks[i][0])) >= SHORT_WORDS]
    if len(content) < 2:
        return []
    start, end = max(0, content[0] - REGION_MARGIN), min(len(blocks), content[-1] + REGION_MARGIN + 1)
    out = []
    for (text, why), label in zip(blocks[start:end], labels[start:end]):
        if markup and why and label != CONTENT:
            out.append(LabelledLine(text, JUNK, f"markup: {why}"))
        elif markup and why:
            out.append(LabelledLine(text, AMBIGUOUS, f"markup says {why}, gold has it"))
        else:
            out.append(LabelledLine(text, label, "gold"))
    return out


EXTRACTIONS = ("cleaner", "newspaper", "recall", "region")


def page_docs(page: RawPage, counts: Counts, sources: Sequence[str] = EXTRACTIONS) -> list[LabelledDoc]:
    """The labelled documents of one page (an extraction that fails is counted and skipped)."""
    gold_has_title = page.dataset != "aeb"
    gold = GoldIndex.build(page.gold, page.title if gold_has_title else None, page.without)
    docs = []
    for source in sources:
        try:
            if source == "region":
                lines = region_lines(page.html, gold)
            else:
                evidence: list[Any] = []
                if source == "cleaner":
                    texts, evidence = cleaner_lines(page)
                else:
                    texts = newspaper_lines(page) if source == "newspaper" else recall_lines(page)
                lines = [LabelledLine(t, align(t, gold), "gold", evidence[i] if i < len(evidence) else None)
                         for i, t in enumerate(texts)]
        except Exception as exc:
            counts.failures[f"{source}: {type(exc).__name__}"] += 1
            continue
        if not gold_has_title:
            # AEB's gold has no headline: a junk-looking line among the first three is left out
            lines = [LabelledLine(x.text, AMBIGUOUS, "aeb headline?") if i < 3 and x.label == JUNK and len(x.text.split()) >= 4
                     else x for i, x in enumerate(lines)]
        for line in lines:
            counts.by_source[f"{source} {line.label}"] += 1
        if any(line.label != AMBIGUOUS for line in lines):
            docs.append(LabelledDoc(page.dataset, page.id, page.site, source, tuple(lines)))
    counts.pages += 1
    return docs


def golden_docs(dirs: Sequence[str | Path]) -> list[LabelledDoc]:
    """The golden text cases as labelled documents: input lines kept in the expected output are
    content, the others junk (each case is its own site for grouping)."""
    from ..golden import discover
    from ..textlines import strip_bullet

    docs = []
    for case in discover(dirs):
        if case.input_path.suffix != ".txt":
            continue
        expected = {normalize_space(line) for line in case.expected_path.read_text(encoding="utf-8").splitlines() if line.strip()}
        lines = _lines(case.input_path.read_text(encoding="utf-8"))
        labelled = tuple(LabelledLine(line, CONTENT if line in expected or strip_bullet(line) in expected else JUNK, "golden")
                         for line in lines)
        docs.append(LabelledDoc("golden", case.name, f"golden:{case.name}", "golden", labelled))
    return docs


def site_fold(site: str, folds: int) -> int:
    """The fold (0..folds-1) of a site for a held-out split that needs no data: the CRC-32 of its name
    modulo ``folds``. ``article-cleaner train --holdout K/N`` leaves fold K's sites out and
    ``bench.text_benchmark --site-fold K/N`` cleans only fold K's pages, so each page is cleaned
    by a model that never saw its site."""
    return zlib.crc32(site.encode("utf-8")) % folds


def parse_fold(spec: str) -> tuple[int, int]:
    """``"K/N"`` as ``(K, N)``; ``ValueError`` unless ``0 <= K < N``."""
    k, n = (int(x) for x in spec.split("/"))
    if not 0 <= k < n:
        raise ValueError(f"fold {spec!r}: want K/N with 0 <= K < N")
    return k, n


def read_docs(path: str | Path) -> list[LabelledDoc]:
    with open(path, encoding="utf-8") as handle:
        return [LabelledDoc.from_json(json.loads(row)) for row in handle if row.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m cleaner.training.labelled", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wcxb", help="WCXB dev folder")
    ap.add_argument("--aeb", help="article-extraction-benchmark folder")
    ap.add_argument("--out", required=True, help="labelled documents, JSON Lines (keep it outside the repository)")
    ap.add_argument("--sources", default=",".join(EXTRACTIONS), help="extractions to label (default: %(default)s)")
    ap.add_argument("--limit", type=int, help="only the first N pages of each benchmark")
    ap.add_argument("--shard", default="0/1", help="K/N: only pages whose position modulo N is K (run N in parallel)")
    args = ap.parse_args(argv)
    sources = [s for s in args.sources.split(",") if s]
    k, n = (int(x) for x in args.shard.split("/"))
    counts = Counts()
    with open(args.out, "w", encoding="utf-8") as handle:
        for reader, root in ((wcxb_raw, args.wcxb), (aeb_raw, args.aeb)):
            if not root:
                continue
            if not Path(root).is_dir():
                print(f"{root}: not found, skipped", file=sys.stderr)
                continue
            for position, page in enumerate(reader(Path(root))):
                if args.limit is not None and position >= args.limit:
                    break
                if position % n != k:
                    continue
                handle.writelines(json.dumps(doc.to_json(), ensure_ascii=False) + "\n" for doc in page_docs(page, counts, sources))
    print(json.dumps({"pages": counts.pages, "lines": dict(sorted(counts.by_source.items())),
                      "failures": dict(counts.failures)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
