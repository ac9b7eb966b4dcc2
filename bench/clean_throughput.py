"""Throughput of the cleaner core on plain text: MB/s and documents/s for one reused ``Cleaner``.

Corpora: the seed articles (``golden/seeds/*/input.txt``) and, when the shared data
is present, the 181 human-annotated article bodies of the article-extraction-benchmark
(``articleBody`` in ``ground-truth.json``, cleaned with their page URL). Each corpus is
cleaned once to warm up (regex caches, lazy imports), then ``--repeat`` timed passes;
the best and the median pass are reported, since a shared machine only ever slows a run down.

    python -m bench.clean_throughput [--aeb PATH] [--repeat N] [--classifier [PATH]]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner import Cleaner

REPO = Path(__file__).resolve().parents[1]
DEFAULT_AEB = REPO.parent / "shared" / "data" / "article-extraction-benchmark"


@dataclass(frozen=True)
class Document:
    """One text to clean, with the URL that enables site-scoped rules."""

    name: str
    text: str
    url: str | None = None


@dataclass(frozen=True)
class Throughput:
    """Timings of one corpus: bytes and documents per pass, seconds of each timed pass."""

    corpus: str
    documents: int
    total_bytes: int
    seconds: tuple[float, ...]
    removed: Counter[str]

    def row(self) -> str:
        best, median = min(self.seconds), statistics.median(self.seconds)
        mb = self.total_bytes / 1e6
        return (
            f"{self.corpus:<9} {self.documents:>5} docs {mb:>7.3f} MB | "
            f"best {mb / best:>6.2f} MB/s {self.documents / best:>8.1f} docs/s | "
            f"median {mb / median:>6.2f} MB/s {self.documents / median:>8.1f} docs/s | "
            f"{median / self.documents * 1e3:.2f} ms/doc"
        )


def seed_documents() -> list[Document]:
    """The seed articles as pinned in ``golden/seeds``."""
    return [
        Document(path.parent.name, path.read_bytes().decode("utf-8"))
        for path in sorted((REPO / "golden" / "seeds").glob("*/input.txt"))
    ]


def aeb_documents(root: Path) -> list[Document]:
    """Article bodies of the article-extraction-benchmark ground truth, in id order."""
    data = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Document(key, value["articleBody"], value.get("url"))
        for key, value in sorted(data.items())
        if value.get("articleBody")
    ]


def measure(corpus: str, documents: Sequence[Document], cleaner: Cleaner, repeat: int,
            before_pass: Callable[[], None] = lambda: None) -> Throughput:
    """Warm up on every document, then time ``repeat`` full passes over the corpus (``before_pass`` runs
    before each, untimed: e.g. forgetting what a cache learnt of these very documents)."""
    removed: Counter[str] = Counter()
    for doc in documents:
        result = cleaner.explain(doc.text, url=doc.url, kind="text")
        removed.update(r.rule_id for r in result.removals)
    seconds = []
    for _ in range(repeat):
        before_pass()
        started = time.perf_counter()
        for doc in documents:
            cleaner.explain(doc.text, url=doc.url, kind="text")
        seconds.append(time.perf_counter() - started)
    total = sum(len(doc.text.encode("utf-8")) for doc in documents)
    return Throughput(corpus, len(documents), total, tuple(seconds), removed)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.clean_throughput", description=__doc__.split("\n\n")[0])
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB, help=f"article-extraction-benchmark folder (default {DEFAULT_AEB})")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per corpus (default 5)")
    parser.add_argument("--classifier", nargs="?", const="shipped", metavar="PATH",
                        help="also time the cleaner with the line classifier in place of the line model (the shipped one, "
                             "or PATH), its per-line caches emptied before every pass")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    cleaners: list[tuple[str, Cleaner, Callable[[], None]]] = [("", Cleaner(), lambda: None)]
    if args.classifier:
        from cleaner.line_classifier import LineClassifier, classifier_stage, shipped_path

        model = LineClassifier.load(shipped_path() if args.classifier == "shipped" else args.classifier)
        cleaners.append(("+clf", Cleaner(model=False, extra_stages=[classifier_stage(model)]), model.forget))
    print(f"clean() throughput, one Cleaner, {args.repeat} timed pass(es) after a warm-up, plain text")
    corpora = [("seeds", seed_documents())]
    ground_truth = args.aeb / "ground-truth.json"
    if ground_truth.is_file():
        corpora.append(("aeb", aeb_documents(args.aeb)))
    else:
        print(f"skipping the AEB article bodies: {ground_truth} not found (pass --aeb PATH)", file=sys.stderr)
    results = [measure(corpus + suffix, documents, cleaner, args.repeat, reset)
               for corpus, documents in corpora for suffix, cleaner, reset in cleaners]
    for result in results:
        print(result.row())
    for result in results:
        top = ", ".join(f"{rule_id} {count}" for rule_id, count in result.removed.most_common(8)) or "none"
        print(f"{result.corpus}: lines removed by rule/detector id: {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
