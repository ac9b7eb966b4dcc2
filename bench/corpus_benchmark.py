"""Corpus throughput: documents/second of ``clean --jsonl`` at ``-j 1`` and ``-j 2``, and on Dask.

    python -m bench.corpus_benchmark [--records 500] [--jobs 1,2] [--repeat 2] [--no-dask] [--json]

Builds a JSON Lines dump (in a temporary directory) of HTML records from the shared
article-extraction-benchmark pages (``html/*.html.gz``, URLs from ``ground-truth.json``),
repeating pages to reach ``--records``; then cleans it with :func:`cleaner.corpus.clean_jsonl`
at each ``-j`` and with :func:`cleaner.dask.clean_bag` on a ``LocalCluster`` of two
single-threaded worker processes (started and warmed up before timing). Scaling efficiency
is speedup over ``-j 1`` divided by the number of processes. The load average
(``os.getloadavg``) is printed before and after, since a shared machine slows runs down;
the best of ``--repeat`` runs is reported. "cores used" (CPU seconds of the parent and
its workers over wall seconds) shows how much CPU a run actually got: on a loaded machine
``-j 2`` cannot scale past the cores the scheduler hands it. "parent ms/doc" is the
parent's own CPU per document: with workers it is the serial part (read, write,
dispatch) that bounds the speedup on idle cores (Amdahl).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cleaner.corpus import RecordFields, clean_jsonl

REPO = Path(__file__).resolve().parents[1]
DEFAULT_AEB = REPO.parent / "shared" / "data" / "article-extraction-benchmark"
EXPLAIN = "why"  # explanations are kept so differing records can say why (warnings)


def aeb_records(aeb: Path, count: int) -> list[dict[str, Any]]:
    """The first ``count`` benchmark pages (sorted by file name) as ``{"url", "html", "id"}`` records."""
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    records = []
    for path in sorted((aeb / "html").glob("*.html.gz"))[:count]:
        key = path.name[: -len(".html.gz")]
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        records.append({"url": truth[key]["url"], "html": html, "id": key})
    return records


def build_dump(aeb: Path, records: int, path: Path) -> Path:
    """A JSON Lines dump of ``records`` HTML records, cycling through the benchmark pages."""
    pages = aeb_records(aeb, 10_000)
    if not pages:
        raise SystemExit(f"no pages under {aeb / 'html'}")
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(records):
            page = pages[i % len(pages)]
            handle.write(json.dumps({**page, "id": f"{page['id']}#{i}"}) + "\n")
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def cpu_seconds() -> tuple[float, float]:
    """User + system CPU of this process, and of its reaped children (the pool's workers, once shut down)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def time_jsonl(dump: Path, out: Path, jobs: int) -> tuple[float, float, float]:
    """Wall, total CPU and parent CPU seconds of one ``clean_jsonl`` run at ``jobs`` processes (pool start-up included).

    With workers, the parent's CPU is the serial part (reading, writing, dispatching)
    that bounds the speedup on idle cores.
    """
    own, children = cpu_seconds()
    started = time.perf_counter()
    summary = clean_jsonl(dump, out, jobs=jobs, progress=False, fields=RecordFields(explain=EXPLAIN))
    seconds = time.perf_counter() - started
    if summary.cleaned != summary.documents:
        raise SystemExit(f"-j {jobs}: {summary.format()}")
    own_after, children_after = cpu_seconds()
    return seconds, own_after - own + children_after - children, own_after - own


def time_dask(dump: Path, workers: int, repeat: int, reference: list[Any]) -> float:
    """Best seconds of ``clean_bag(...).compute()`` on a warmed-up LocalCluster; checks the records match."""
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    from cleaner.dask import clean_bag

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster):
        clean_bag(db.from_sequence([{"text": "warm up"}] * workers, npartitions=workers), explain_field=EXPLAIN).compute()
        best = float("inf")
        for _ in range(repeat):
            bag = db.read_text(str(dump), blocksize="2MiB").map(json.loads)
            started = time.perf_counter()
            cleaned = clean_bag(bag, explain_field=EXPLAIN).compute()
            best = min(best, time.perf_counter() - started)
    report_differences(reference, cleaned)
    return best


def report_differences(reference: list[Any], other: list[Any], what: str = "clean_jsonl and Dask") -> None:
    """Say which records differ between two runs, with their warnings (e.g. a pattern that timed out)."""
    if len(reference) != len(other):
        raise SystemExit(f"{what}: {len(reference)} and {len(other)} records")
    differing = [(a, b) for a, b in zip(reference, other) if a != b]
    if not differing:
        return
    print(f"WARNING: {len(differing)} of {len(reference)} records differ between {what}", file=sys.stderr)
    for a, b in differing[:3]:
        print(f"  {a['id']}: warnings {a[EXPLAIN]['warnings']} vs {b[EXPLAIN]['warnings']}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB, help="article-extraction-benchmark directory")
    parser.add_argument("--records", type=int, default=500, help="records in the dump (default 500)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated -j values (default 1,2)")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per setting; the best is reported (default 2)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster run")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    jobs_list = [int(j) for j in args.jobs.split(",")]
    results: dict[str, Any] = {"records": args.records, "cpus": os.cpu_count(), "load_before": os.getloadavg(), "runs": []}
    with tempfile.TemporaryDirectory(prefix="corpus-bench-") as tmp:
        dump = build_dump(args.aeb, args.records, Path(tmp) / "dump.jsonl")
        results["dump_mb"] = round(dump.stat().st_size / 1e6, 1)
        outputs: dict[int, str] = {}
        for jobs in jobs_list:
            out = Path(tmp) / f"out-j{jobs}.jsonl"
            seconds, cpu, parent_cpu = min(time_jsonl(dump, out, jobs) for _ in range(args.repeat))
            outputs[jobs] = digest(out)
            results["runs"].append({"path": f"jsonl -j {jobs}", "processes": jobs, "seconds": round(seconds, 2),
                                    "docs_per_s": round(args.records / seconds, 2), "cpu_seconds": round(cpu, 1),
                                    "cores_used": round(cpu / seconds, 2), "cpu_ms_per_doc": round(1000 * cpu / args.records, 1),
                                    "parent_cpu_ms_per_doc": round(1000 * parent_cpu / args.records, 1)})
            print(f"jsonl -j {jobs}: {args.records / seconds:.2f} documents/s ({seconds:.1f}s, {cpu:.1f} CPU s)", file=sys.stderr)
        if len(set(outputs.values())) > 1:
            first = [json.loads(line) for line in (Path(tmp) / f"out-j{jobs_list[0]}.jsonl").read_text(encoding="utf-8").split("\n") if line]
            for jobs in jobs_list[1:]:
                other = [json.loads(line) for line in (Path(tmp) / f"out-j{jobs}.jsonl").read_text(encoding="utf-8").split("\n") if line]
                report_differences(first, other, f"-j {jobs_list[0]} and -j {jobs}")
        if not args.no_dask:
            reference_path = Path(tmp) / f"out-j{jobs_list[0]}.jsonl"
            reference = [json.loads(line) for line in reference_path.read_text(encoding="utf-8").split("\n") if line]
            seconds = time_dask(dump, 2, args.repeat, reference)
            results["runs"].append({"path": "dask LocalCluster 2x1", "processes": 2, "seconds": round(seconds, 2),
                                    "docs_per_s": round(args.records / seconds, 2)})
            print(f"dask 2 workers: {args.records / seconds:.2f} documents/s ({seconds:.1f}s)", file=sys.stderr)
    base = next((r for r in results["runs"] if r["processes"] == 1), None)
    for run in results["runs"]:
        if base is not None:
            run["speedup"] = round(base["seconds"] / run["seconds"], 2)
            run["efficiency"] = round(run["speedup"] / run["processes"], 2)
    results["load_after"] = os.getloadavg()
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{args.records} HTML records ({results['dump_mb']} MB), {results['cpus']} CPUs, best of {args.repeat}; "
          f"load average before {results['load_before'][0]:.2f}, after {results['load_after'][0]:.2f}")
    print(f"{'path':<24}{'docs/s':>9}{'seconds':>9}{'speedup':>9}{'efficiency':>12}{'cores used':>12}{'CPU ms/doc':>12}{'parent ms/doc':>15}")
    for run in results["runs"]:
        print(f"{run['path']:<24}{run['docs_per_s']:>9.2f}{run['seconds']:>9.1f}{run.get('speedup', float('nan')):>9.2f}"
              f"{run.get('efficiency', float('nan')):>12.2f}{run.get('cores_used', float('nan')):>12.2f}"
              f"{run.get('cpu_ms_per_doc', float('nan')):>12.1f}{run.get('parent_cpu_ms_per_doc', float('nan')):>15.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
