"""Run HTML -> text extractors on AEB and WCXB and report quality and speed.

    python -m bench.html_benchmark [--aeb PATH] [--wcxb PATH] [--extractors a,b]
        [--json OUT.json] [--markdown OUT.md] [--limit N] [--compare OLD.json]

All pages are decompressed into memory first; only the extractor calls are
timed (time.perf_counter), after a short untimed warm-up.  Missing data or an
unavailable extractor is reported and skipped, never fatal.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import sys
import time
from pathlib import Path

from . import compare, datasets, extractors, report, scoring

DATASETS = {
    # key: (title, default path, missing(), iter(), score_doc(), summarise())
    "aeb": ("Article Extraction Benchmark (scrapinghub)", datasets.DEFAULT_AEB,
            datasets.aeb_missing, datasets.iter_aeb,
            scoring.score_aeb_doc, scoring.summarise_aeb),
    "wcxb": ("WCXB dev", datasets.DEFAULT_WCXB,
             datasets.wcxb_missing, datasets.iter_wcxb,
             scoring.score_wcxb_doc, scoring.summarise_wcxb),
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_extractor(fn, pages: list, warmup: int) -> tuple[dict, float, dict]:
    """Outputs, total timed seconds and errors of ``fn`` over ``pages``.

    An exception counts as an empty output and is recorded by page id.
    """
    for page in pages[:warmup]:
        try:
            fn(page.html, page.url)
        except Exception:
            pass
    outputs, times, errors = {}, {}, {}
    gc.collect()
    for page in pages:
        t0 = time.perf_counter()
        try:
            out = fn(page.html, page.url)
        except Exception as e:
            out, errors[page.id] = "", f"{type(e).__name__}: {str(e)[:200]}"
        times[page.id] = time.perf_counter() - t0
        outputs[page.id] = out if isinstance(out, str) else ""
    return outputs, times, errors


def run_dataset(key: str, path: str, names: list[str], args) -> dict:
    title, _, missing, iterate, score_doc, summarise = DATASETS[key]
    reason = missing(path)
    if reason:
        log(f"[{key}] data not available ({reason}); skipping this dataset")
        return {"status": "skipped", "reason": reason, "path": str(path)}
    skipped: list = []
    pages = list(iterate(path, limit=args.limit, skipped=skipped))
    log(f"[{key}] loaded {len(pages)} pages ({len(skipped)} skipped) from {path}")
    ds = {"status": "ok", "title": title, "path": str(path), "n_docs": len(pages),
          "skipped": skipped, "extractors": {}}
    for name in names:
        try:
            fn = extractors.load(name)
        except extractors.ExtractorUnavailable as e:
            log(f"[{key}] {name}: unavailable ({e})")
            ds["extractors"][name] = {"status": "unavailable", "reason": str(e)}
            continue
        outputs, times, errors = run_extractor(fn, pages, args.warmup)
        total = sum(times.values())
        docs = {}
        for page in pages:
            doc = score_doc(page, outputs[page.id])
            doc.update(len=len(outputs[page.id]), gold_len=len(page.gold),
                       ms=round(1000 * times[page.id], 3))
            if page.id in errors:
                doc["error"] = errors[page.id]
            docs[page.id] = doc
        summary = summarise(docs, args.bootstrap)
        ds["extractors"][name] = {
            "status": "ok", "summary": summary, "seconds": total,
            "docs_per_s": len(pages) / total if total > 0 else None,
            "n_empty": sum(1 for o in outputs.values() if not o.strip()),
            "n_errors": len(errors), "errors": errors, "docs": docs}
        f1 = summary.get("f1", summary.get("f1_articles"))
        log(f"[{key}] {name}: F1 {f1:.4f}  {total:.1f} s  {len(errors)} errors")
    return ds


def parse_args(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench.html_benchmark", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--aeb", default=datasets.DEFAULT_AEB,
                    help="article-extraction-benchmark folder (default: %(default)s)")
    ap.add_argument("--wcxb", default=datasets.DEFAULT_WCXB,
                    help="WCXB dev folder (default: %(default)s)")
    ap.add_argument("--datasets", default="aeb,wcxb", help="which datasets (default: %(default)s)")
    ap.add_argument("--extractors", default=",".join(extractors.EXTRACTORS),
                    help="comma-separated names (default: all registered: %(default)s)")
    ap.add_argument("--limit", type=int, help="only the first N pages of each dataset")
    ap.add_argument("--warmup", type=int, default=3, help="untimed warm-up pages (default: 3)")
    ap.add_argument("--bootstrap", type=int, default=1000,
                    help="AEB bootstrap resamples for the ± column, 0 = off (default: 1000)")
    ap.add_argument("--json", type=Path, help="write full results (per-page scores) here")
    ap.add_argument("--markdown", type=Path, help="write the markdown report here")
    ap.add_argument("--compare", type=Path, metavar="OLD.json",
                    help="print per-page F1 changes from OLD.json to this run")
    ap.add_argument("--against", type=Path, metavar="NEW.json",
                    help="with --compare: diff OLD.json against NEW.json without running")
    ap.add_argument("--compare-extractor", help="restrict --compare to one extractor")
    ap.add_argument("--top", type=int, default=15, help="pages listed per direction in --compare")
    return ap.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.against:
        if not args.compare:
            sys.exit("--against needs --compare OLD.json")
        old, new = (json.loads(p.read_text(encoding="utf-8")) for p in (args.compare, args.against))
        print(compare.compare(old, new, args.compare_extractor, args.top))
        return 0
    names = [n.strip() for n in args.extractors.split(",") if n.strip()]
    unknown = [n for n in names if n not in extractors.EXTRACTORS]
    if unknown:
        sys.exit(f"unknown extractor(s) {unknown}; known: {sorted(extractors.EXTRACTORS)}")
    started = time.perf_counter()
    result = {"meta": {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                       "argv": sys.argv[1:], "limit": args.limit, "warmup": args.warmup,
                       "extractors": names, "environment": report.environment()},
              "datasets": {}}
    for key in [k.strip() for k in args.datasets.split(",") if k.strip()]:
        if key not in DATASETS:
            sys.exit(f"unknown dataset {key!r}; known: {sorted(DATASETS)}")
        result["datasets"][key] = run_dataset(key, getattr(args, key), names, args)
    result["meta"]["elapsed_s"] = time.perf_counter() - started
    md = report.render(result)
    print(md)
    if args.markdown:
        args.markdown.write_text(md + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    if args.compare:
        old = json.loads(args.compare.read_text(encoding="utf-8"))
        print(compare.compare(old, result, args.compare_extractor, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
