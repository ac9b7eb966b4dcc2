"""Does cleaning cost grow linearly with input size? Time per MB from 1 KB to 10 MB.

    python -m bench.scaling [--kinds text,html] [--sizes 1e3,1e4,1e5,1e6,1e7] [--repeat 3]

Each (kind, size) runs in a fresh subprocess so its peak RSS can be read on its own.
Documents are built from the package's sample article plus recurring junk lines, so
every stage (rules, detectors, model) has work to do. The target: no size costs more
than 2x the per-MB time of the median size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from importlib import resources

JUNK = ["Advertisement", "Share this article", "Related news", "You are here", "Feb 17, 2020 07:45 UTC"]


def build_text(size: int) -> str:
    """A plain-text document of about ``size`` bytes: article paragraphs with junk between."""
    sample = (resources.files("cleaner") / "data" / "sample_article.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in sample.split("\n\n") if p.strip()]
    out: list[str] = []
    total = 0
    index = 0
    while total < size:
        piece = paragraphs[index % len(paragraphs)] if index % 4 else JUNK[(index // 4) % len(JUNK)]
        out.append(piece)
        total += len(piece.encode("utf-8")) + 2
        index += 1
    return "\n\n".join(out)


def build_html(size: int) -> str:
    """An HTML page of about ``size`` bytes: nav, article paragraphs, share and related blocks."""
    body = build_text(max(size - 600, 200)).split("\n\n")
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Sample</title></head><body>"
        "<nav><a href='/'>Home</a> &gt; <a href='/news'>News</a></nav>"
        f"<article><h1>City council approves new budget</h1>{paragraphs}</article>"
        "<div class='share'><a href='#'>Share</a> <a href='#'>Tweet</a></div>"
        "<aside class='related'><h2>Related news</h2><ul><li><a href='/a'>Other story</a></li></ul></aside>"
        "</body></html>"
    )


def measure_one(kind: str, size: int, repeat: int) -> dict[str, float]:
    """Time cleaning one document (best of ``repeat`` after a warm-up); runs in the child."""
    import resource

    from cleaner import Cleaner, CleanerError

    cleaner = Cleaner()
    doc = build_text(size) if kind == "text" else build_html(size)
    cleaner.explain(build_text(2000) if kind == "text" else build_html(2000), kind=kind)  # warm-up
    times = []
    mb = len(doc.encode("utf-8")) / 1e6
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            cleaner.explain(doc, kind=kind)
        except CleanerError as err:  # a documented limit (e.g. too many elements): refused quickly
            elapsed = time.perf_counter() - start
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            return {"kind": kind, "bytes": len(doc.encode("utf-8")), "seconds": elapsed, "s_per_mb": elapsed / mb,
                    "peak_rss_mb": rss, "refused": f"{type(err).__name__}: {err}"}
        times.append(time.perf_counter() - start)
    best = min(times)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"kind": kind, "bytes": len(doc.encode("utf-8")), "seconds": best, "s_per_mb": best / mb, "peak_rss_mb": rss_kb / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kinds", default="text,html")
    parser.add_argument("--sizes", default="1e3,1e4,1e5,1e6,1e7")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", metavar="OUT", help="write the rows as JSON")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure_one(args.child[0], int(float(args.child[1])), args.repeat)))
        return 0
    rows = []
    for kind in args.kinds.split(","):
        kind_rows = []
        for size in [int(float(s)) for s in args.sizes.split(",")]:
            out = subprocess.run(
                [sys.executable, "-m", "bench.scaling", "--child", kind, str(size), "--repeat", str(args.repeat)],
                capture_output=True, text=True, check=True,
            )
            kind_rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        measured = [r for r in kind_rows if "refused" not in r]
        median = statistics.median(r["s_per_mb"] for r in measured)
        for row in kind_rows:
            row["ratio_to_median"] = row["s_per_mb"] / median if "refused" not in row else None
        rows.extend(kind_rows)
    print("| kind | size | time | s/MB | x median s/MB | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        if "refused" in r:
            print(f"| {r['kind']} | {r['bytes'] / 1e3:,.0f} KB | refused in {r['seconds'] * 1e3:,.0f} ms ({r['refused'][:60]}) | - | - | {r['peak_rss_mb']:.0f} |")
            continue
        print(f"| {r['kind']} | {r['bytes'] / 1e3:,.0f} KB | {r['seconds'] * 1e3:,.1f} ms | {r['s_per_mb']:.3f} | {r['ratio_to_median']:.2f} | {r['peak_rss_mb']:.0f} |")
    worst = max(r["ratio_to_median"] for r in rows if r["ratio_to_median"] is not None)
    print(f"\nworst size costs {worst:.2f}x the median per-MB time (target <= 2.00)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
