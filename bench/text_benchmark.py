"""Junk-line removal on scraped text (and, with ``--html``, extraction quality on pages), side by side.

    python -m bench.text_benchmark [--multinews DIR] [--data DIR] [--model PATH|rev:COMMIT ...]
        [--limit N] [--html] [--aeb DIR] [--wcxb DIR] [--json OUT.json]

Text systems, each run on the same lines: ``identity`` (removes nothing), ``c4-lines`` (C4's
line rules as datatrove's ``C4QualityFilter`` applies them, :mod:`bench.c4_lines`),
``cleaner`` (the installed cleaner with its shipped line model) and, for each ``--model``, the
cleaner with that line model instead (``rev:COMMIT`` reads ``cleaner/data/line_model.json``
as it was at a git commit, e.g. today's model after a new one is shipped).

Text datasets: ``multinews-dev`` (real scraped news text, hand-labelled content/junk/meta) and
text made from each evaluation-only set (Dragnet, CleanEval, L3S-GN1): the text of every block
element of the page's article region (a few blocks around the gold), one per line, labelled by
gold alignment (:mod:`bench.evalsets`).
Scores: junk recall (junk lines removed / junk lines), precision (junk removed / lines removed,
meta lines left out), F1 of the two, content characters and lines kept; ``meta`` lines are
scored neither way and their removals are counted. Our cleaner's removals are read from
``explain`` (exact input line numbers), so no output-to-input matching is needed.

``--html`` adds extraction quality: ``trafilatura`` (no comments), ``clean_html`` and, per
``--model``, ``clean_html`` with that model, on AEB (shingle F1, corpus), WCXB dev article
pages and the evaluation-only sets (mean per-page word F1). Slow: several CPU-minutes per system.
Missing data is reported and skipped.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import c4_lines, datasets, evalsets, metrics

DEFAULT_DATA = "../shared/data"
MODEL_FILE = "cleaner/data/line_model.json"

RemoveFn = Callable[[Sequence[str]], set[int]]


@dataclass(frozen=True)
class Doc:
    """One labelled text document: lines and their labels (content, junk or meta)."""

    id: str
    lines: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass
class Tally:
    """Counts for one system on one dataset."""

    junk: int = 0
    junk_removed: int = 0
    content_removed: int = 0
    meta: int = 0
    meta_removed: int = 0
    content_lines: int = 0
    content_chars: int = 0
    content_chars_kept: int = 0
    seconds: float = 0.0
    docs: int = 0

    def add(self, doc: Doc, removed: set[int]) -> None:
        self.docs += 1
        for i, (line, label) in enumerate(zip(doc.lines, doc.labels)):
            gone = i in removed
            if label == "junk":
                self.junk += 1
                self.junk_removed += gone
            elif label == "meta":
                self.meta += 1
                self.meta_removed += gone
            else:
                self.content_lines += 1
                self.content_removed += gone
                self.content_chars += len(line)
                self.content_chars_kept += 0 if gone else len(line)

    def summary(self) -> dict[str, Any]:
        removed = self.junk_removed + self.content_removed
        p = self.junk_removed / removed if removed else None
        r = self.junk_removed / self.junk if self.junk else None
        f1 = 2 * p * r / (p + r) if p is not None and r is not None and p + r else 0.0
        return {
            "precision": p, "recall": r, "f1": f1,
            "content_chars_kept": self.content_chars_kept / self.content_chars if self.content_chars else None,
            "content_lines_kept": 1 - self.content_removed / self.content_lines if self.content_lines else None,
            "meta_removed": f"{self.meta_removed}/{self.meta}", "ms_per_doc": 1000 * self.seconds / max(self.docs, 1),
        }


# -- data -------------------------------------------------------------------------

def multinews_docs(root: Path, limit: int | None) -> list[Doc]:
    with open(root / "docs.jsonl", encoding="utf-8") as handle:
        rows = [json.loads(row) for row in handle if row.strip()]
    return [Doc(r["id"], tuple(x["text"] for x in r["lines"]), tuple(x["label"] for x in r["lines"])) for r in rows[:limit]]


def evalset_docs(root: Path, limit: int | None) -> list[Doc]:
    docs = []
    for page in evalsets.iter_pages(root, limit):
        lines, labels = evalsets.page_lines(page)
        if lines:
            docs.append(Doc(page.id, tuple(lines), tuple(labels)))
    return docs


def text_datasets(args: argparse.Namespace) -> Iterator[tuple[str, list[Doc] | str]]:
    """Each text dataset ``--sets`` wants: its documents, or why it is skipped (loaded one at a time)."""
    multinews = Path(args.multinews or Path(args.data) / "multinews-dev")
    if wanted(args, "multinews-dev"):
        yield "multinews-dev", (multinews_docs(multinews, args.limit) if (multinews / "docs.jsonl").is_file()
                                else f"{multinews / 'docs.jsonl'} not found")
    for name in evalsets.NAMES:
        root = Path(args.data) / name
        if wanted(args, f"{name} (page text)"):
            yield f"{name} (page text)", evalsets.missing(root) or evalset_docs(root, args.limit)


# -- systems ------------------------------------------------------------------------

def load_model_stage(spec: str) -> Any:
    """A line-model stage from a file path or ``rev:COMMIT[:PATH]`` (a model file as it was at a
    commit; PATH defaults to the old model, ``cleaner/data/line_model.json``). Either model format:
    the logistic line model or the two-pass line classifier."""
    from cleaner.line_classifier import FORMAT, LineClassifier, classifier_stage
    from cleaner.model import LineModel, ModelStage

    if spec.startswith("rev:"):
        commit, _, path = spec[4:].partition(":")
        repo = Path(__file__).resolve().parents[1]
        raw = subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{path or MODEL_FILE}"],
                             check=True, capture_output=True, text=True).stdout
        data = json.loads(raw)
    else:
        data = json.loads(Path(spec).read_text(encoding="utf-8"))
    if data.get("format") == FORMAT:
        return classifier_stage(LineClassifier.from_json(data, origin=spec))  # the stage users get
    return ModelStage(LineModel.from_json(data, origin=spec))


def cleaner_for(model: str | None) -> Any:
    """The default cleaner, or one whose line model is ``model`` (see :func:`load_model_stage`)."""
    from cleaner import Cleaner

    if model is None:
        return Cleaner()
    return Cleaner(model=False, extra_stages=[load_model_stage(model)])


def cleaner_remover(cleaner: Any) -> RemoveFn:
    def remove(lines: Sequence[str]) -> set[int]:
        result = cleaner.explain_text("\n".join(lines))
        return {r.line - 1 for r in result.removals}
    return remove


def text_systems(models: Iterable[str]) -> dict[str, RemoveFn]:
    systems: dict[str, RemoveFn] = {"identity": lambda lines: set(), "c4-lines": c4_lines.removed_lines,
                                    "cleaner": cleaner_remover(cleaner_for(None))}
    for spec in models:
        systems[f"cleaner+{spec}"] = cleaner_remover(cleaner_for(spec))
    return systems


def run_text(docs: Sequence[Doc], remove: RemoveFn) -> dict[str, Any]:
    tally = Tally()
    for doc in docs:
        started = time.perf_counter()
        removed = remove(doc.lines)
        tally.seconds += time.perf_counter() - started
        tally.add(doc, removed)
    return tally.summary()


# -- HTML ---------------------------------------------------------------------------

def html_systems(models: Iterable[str]) -> dict[str, Callable[[str, str | None], str]]:
    import trafilatura

    def trafilatura_nc(html: str, url: str | None) -> str:
        return trafilatura.extract(html, url=url, include_comments=False) or ""

    def with_cleaner(cleaner: Any) -> Callable[[str, str | None], str]:
        return lambda html, url: cleaner.explain_html(html, url=url).text

    systems = {"trafilatura (no comments)": trafilatura_nc, "clean_html": with_cleaner(cleaner_for(None))}
    for spec in models:
        systems[f"clean_html+{spec}"] = with_cleaner(cleaner_for(spec))
    return systems


def html_datasets(args: argparse.Namespace) -> Iterator[tuple[str, tuple[list[datasets.Page], str] | str]]:
    """Each HTML dataset ``--sets`` wants: its pages and how it is scored (``aeb`` or ``words``), or why it is skipped."""
    if wanted(args, "AEB"):
        yield "AEB", datasets.aeb_missing(args.aeb) or (list(datasets.iter_aeb(args.aeb, limit=args.limit)), "aeb")
    if wanted(args, "WCXB dev articles"):
        yield "WCXB dev articles", datasets.wcxb_missing(args.wcxb) or (
            [p for p in datasets.iter_wcxb(args.wcxb, limit=args.limit) if p.extra.get("page_type") == "article"], "words")
    for name in evalsets.NAMES:
        root = Path(args.data) / name
        if wanted(args, name):
            yield name, evalsets.missing(root) or (list(evalsets.iter_pages(root, args.limit)), "words")


def in_fold(pages: Sequence[datasets.Page], spec: str) -> list[datasets.Page]:
    """The pages whose site (registered domain of the URL, else the data set's domain, else the page id, as
    training groups them) is in fold ``spec`` (K/N)."""
    from cleaner.sites import site_of
    from cleaner.training.labelled import parse_fold, site_fold

    def site(page: datasets.Page) -> str:  # as cleaner.training.labelled names a WCXB page's site
        domain = str(page.extra.get("domain") or "")
        return site_of(page.url or "//" + domain) or domain

    k, n = parse_fold(spec)
    return [p for p in pages if site_fold(site(p) or p.id, n) == k]


def run_html(pages: Sequence[datasets.Page], scoring: str, extract: Callable[[str, str | None], str]) -> dict[str, Any]:
    triples, f1s, seconds, errors = [], [], 0.0, 0
    for page in pages:
        started = time.perf_counter()
        try:
            out = extract(page.html, page.url)
        except Exception:
            out, errors = "", errors + 1
        seconds += time.perf_counter() - started
        if scoring == "aeb":
            triples.append(metrics.aeb_tp_fp_fn(page.gold, out))
        else:
            f1s.append(metrics.wcxb_word_prf(out, page.gold)[2])
    f1 = metrics.aeb_aggregate(triples)["f1"] if scoring == "aeb" else sum(f1s) / max(len(f1s), 1)
    return {"f1": f1, "errors": errors, "ms_per_page": 1000 * seconds / max(len(pages), 1)}


# -- report -------------------------------------------------------------------------

def _pct(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def text_table(name: str, rows: dict[str, dict[str, Any]], docs: Sequence[Doc]) -> str:
    junk = sum(label == "junk" for d in docs for label in d.labels)
    content = sum(label == "content" for d in docs for label in d.labels)
    out = [f"\n### {name}: {len(docs)} documents, {junk} junk / {content} content lines\n",
           "| system | junk precision | junk recall | junk F1 | content chars kept | content lines kept | meta removed | ms/doc |",
           "|---|---|---|---|---|---|---|---|"]
    for system, s in rows.items():
        out.append(f"| {system} | {_pct(s['precision'])} | {_pct(s['recall'])} | {_pct(s['f1'])} | "
                   f"{_pct(s['content_chars_kept'], 4)} | {_pct(s['content_lines_kept'], 4)} | {s['meta_removed']} | {s['ms_per_doc']:.1f} |")
    return "\n".join(out)


def html_table(name: str, rows: dict[str, dict[str, Any]], pages: int, scoring: str) -> str:
    what = "shingle F1 (corpus)" if scoring == "aeb" else "word F1 (mean per page)"
    base = next(iter(rows.values()))["f1"]
    out = [f"\n### {name}: {pages} pages, {what}\n", "| system | F1 | vs trafilatura | errors | ms/page |", "|---|---|---|---|---|"]
    for system, s in rows.items():
        out.append(f"| {system} | {s['f1']:.4f} | {s['f1'] - base:+.4f} | {s['errors']} | {s['ms_per_page']:.0f} |")
    return "\n".join(out)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.text_benchmark", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA, help="folder of the shared data sets (default: %(default)s)")
    ap.add_argument("--multinews", help="multinews-dev folder (default: DATA/multinews-dev)")
    ap.add_argument("--model", action="append", default=[], metavar="PATH|rev:COMMIT",
                    help="also run the cleaner with this line model (repeatable)")
    ap.add_argument("--limit", type=int, help="only the first N documents/pages of each set")
    ap.add_argument("--no-text", action="store_true", help="skip the text tables")
    ap.add_argument("--html", action="store_true", help="also run the (slow) HTML tables")
    ap.add_argument("--aeb", default=datasets.DEFAULT_AEB, help="AEB folder (default: %(default)s)")
    ap.add_argument("--wcxb", default=datasets.DEFAULT_WCXB, help="WCXB dev folder (default: %(default)s)")
    ap.add_argument("--sets", help="only these data sets (comma-separated names as the tables print them, e.g. "
                    "'AEB,WCXB dev articles,dragnet'; an evaluation set's name also names its page text)")
    ap.add_argument("--site-fold", metavar="K/N", help="HTML sets: only the pages whose site is in fold K of N "
                    "(cleaner.training.labelled.site_fold; pair with a model trained with --holdout K/N)")
    ap.add_argument("--json", type=Path, help="write every figure here as JSON")
    return ap.parse_args(argv)


def wanted(args: argparse.Namespace, name: str) -> bool:
    """Whether ``--sets`` (if given) names data set ``name`` (``dragnet`` also names ``dragnet (page text)``)."""
    return not args.sets or any(name == s or name.startswith(f"{s} (") for s in (x.strip() for x in args.sets.split(",")))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    results: dict[str, Any] = {"argv": list(argv if argv is not None else sys.argv[1:]), "text": {}, "html": {}}
    if not args.no_text:
        systems = text_systems(args.model)
        print("## Scraped text: junk lines removed\n")
        for name, docs in text_datasets(args):
            if isinstance(docs, str):
                log(f"[{name}] skipped: {docs}")
                results["text"][name] = {"skipped": docs}
                continue
            rows = {system: run_text(docs, remove) for system, remove in systems.items()}
            results["text"][name] = rows
            print(text_table(name, rows, docs), flush=True)
    if args.html:
        systems_html = html_systems(args.model)
        print("\n## HTML: extraction quality\n")
        for name, loaded in html_datasets(args):
            if isinstance(loaded, str):
                log(f"[{name}] skipped: {loaded}")
                results["html"][name] = {"skipped": loaded}
                continue
            pages, scoring = loaded
            if args.site_fold:
                pages = in_fold(pages, args.site_fold)
            rows = {}
            for system, extract in systems_html.items():
                log(f"[{name}] {system} on {len(pages)} pages")
                rows[system] = run_html(pages, scoring, extract)
            results["html"][name] = rows
            print(html_table(name, rows, len(pages), scoring), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
