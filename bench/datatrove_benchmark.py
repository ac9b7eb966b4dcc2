"""datatrove throughput: documents/second of the extractor step next to ``clean --jsonl -j 1``.

    python -m bench.datatrove_benchmark [--records 300] [--wcxb ../shared/data/wcxb-dev]

Builds a JSON Lines dump (in a temporary directory) of the first ``--records`` WCXB dev
HTML pages (URLs from their domains), then, one after the other on the same dump:
``article-cleaner clean --jsonl -j 1`` (a subprocess, as a user runs it) and a datatrove
``LocalPipelineExecutor`` pipeline with one task (``JsonlReader`` -> ``ArticleCleanerExtractor``
-> ``JsonlWriter``, uncompressed), once in the task's process and once with ``timeout=``
(each page cleaned in datatrove's sandbox child process), each timed from start to
finished output. Both read,
parse, clean and write every record; the pipeline drops pages left empty (as datatrove's
``Trafilatura`` step does). It checks that the kept texts are equal and prints the three rates,
with the load average, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WCXB = REPO.parent / "shared" / "data" / "wcxb-dev"
SANDBOX_TIMEOUT = 30.0  # seconds: long enough that no page of the dump hits it; the run measures the sandbox's cost


def build_dump(wcxb: Path, records: int, path: Path) -> int:
    """Write the first ``records`` WCXB dev pages as ``{"id", "url", "html"}`` records; the count written."""
    files = json.loads((wcxb / "metadata.json").read_text(encoding="utf-8"))["files"]
    written = 0
    with open(path, "w", encoding="utf-8") as handle:
        for page in sorted((wcxb / "html").glob("*.html.gz"))[:records]:
            key = page.name.split(".")[0]
            html = gzip.decompress(page.read_bytes()).decode("utf-8", errors="replace")
            url = f"https://{files[key]['domain']}/page/{key}"
            handle.write(json.dumps({"id": key, "url": url, "html": html}) + "\n")
            written += 1
    return written


def run_cli(dump: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cleaner", "clean", "--jsonl", str(dump), "-o", str(out), "-j", "1", "--quiet"],
                   check=True, cwd=REPO)
    return time.perf_counter() - started


def run_datatrove(dump: Path, out: Path, logs: Path, timeout: float | None = None) -> float:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.datatrove import ArticleCleanerExtractor

    started = time.perf_counter()
    LocalPipelineExecutor(
        pipeline=[JsonlReader(str(dump.parent), glob_pattern=dump.name, text_key="html"), ArticleCleanerExtractor(timeout=timeout),
                  JsonlWriter(str(out), compression=None)],
        tasks=1, workers=1, logging_dir=str(logs),
    ).run()
    return time.perf_counter() - started


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Records of a JSON Lines file (split on newlines only: JSON text may hold U+2028 raw)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--wcxb", type=Path, default=DEFAULT_WCXB)
    args = parser.parse_args(argv)
    if not (args.wcxb / "html").is_dir():
        print(f"WCXB dev pages not found under {args.wcxb}; pass --wcxb", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="article-cleaner-datatrove-") as tmp:
        work = Path(tmp)
        (work / "dump").mkdir()
        dump = work / "dump" / "dump.jsonl"
        count = build_dump(args.wcxb, args.records, dump)
        print(f"{count} WCXB dev pages, {dump.stat().st_size / 1e6:.1f} MB; load average before: {os.getloadavg()}")
        cli_seconds = run_cli(dump, work / "cli.jsonl")
        trove_seconds = run_datatrove(dump, work / "trove", work / "logs")
        sandbox_seconds = run_datatrove(dump, work / "trove-sandbox", work / "logs-sandbox", timeout=SANDBOX_TIMEOUT)
        print(f"load average after: {os.getloadavg()}")
        cli = {r["id"]: r["clean_text"] for r in read_jsonl(work / "cli.jsonl")}
        trove = {r["id"]: r["text"] for path in (work / "trove").glob("*.jsonl") for r in read_jsonl(path)}
        sandboxed = {r["id"]: r["text"] for path in (work / "trove-sandbox").glob("*.jsonl") for r in read_jsonl(path)}
        kept = {key: text for key, text in cli.items() if text.strip()}
        same = sum(1 for key, text in kept.items() if trove.get(key) == text == sandboxed.get(key))
        print(f"texts equal: {same} of {len(kept)} kept pages ({len(cli) - len(kept)} emptied, dropped by the step)")
        print(f"clean --jsonl -j 1:         {cli_seconds:7.1f} s  {count / cli_seconds:6.2f} documents/s")
        print(f"datatrove, 1 task:          {trove_seconds:7.1f} s  {count / trove_seconds:6.2f} documents/s"
              f"  (datatrove rate / CLI rate: {cli_seconds / trove_seconds:.2f})")
        print(f"datatrove, 1 task, timeout: {sandbox_seconds:7.1f} s  {count / sandbox_seconds:6.2f} documents/s"
              f"  (datatrove rate / CLI rate: {cli_seconds / sandbox_seconds:.2f})")
    return 0 if same == len(kept) else 1


if __name__ == "__main__":
    raise SystemExit(main())
