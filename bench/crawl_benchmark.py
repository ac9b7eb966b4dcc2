"""Crawl a local site with and without the Scrapy pipeline: throughput, CPU, reactor stalls.

    python -m bench.crawl_benchmark [--pages 500] [--modes none,pipeline:1,process:1,process:1+gc-freeze,blocking]
        [--aeb PATH] [--json OUT.json]

A server process serves ``--pages`` pages (the shared article-extraction benchmark
pages repeated under varied URLs, or generated news pages when that data is
absent). Each mode crawls them in a fresh process:

- ``none``: the spider only yields ``{"url", "html"}`` items (the baseline);
- ``pipeline:N``: ``ArticleCleanerPipeline`` with ``ARTICLE_CLEANER_POOL_SIZE=N`` threads;
- ``process:N``: the same with ``ARTICLE_CLEANER_POOL_KIND="process"`` (N processes; their
  CPU time is not in the crawl process's CPU figure);
- ``blocking``: the same cleaning called directly on the reactor thread (what the
  pool avoids);
- a ``+gc-freeze`` suffix (``process:1+gc-freeze``, ``none+gc-freeze``) sets
  ``ARTICLE_CLEANER_GC_FREEZE`` (on by default in the pipeline, off here unless asked for), or,
  without the pipeline, does what it does (``gc.collect()``, ``gc.freeze()``) at engine start.

Per mode it reports pages/second, the crawl process's CPU time, the idle time
(wall minus CPU), and the reactor's responsiveness: a ``LoopingCall`` every
10 ms records how late each tick fires; the largest lateness is the longest stall,
also after the first second (start-up: Scrapy schedules the start requests in batches,
which took up to 70 ms here), and when the worst three happened. It also reports the longest pause of Python's garbage
collector in the crawl process: with cleaning in worker processes the remaining stalls
are those pauses (Scrapy's own objects), which ``+gc-freeze`` removes.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DEFAULT_AEB = "../shared/data/article-extraction-benchmark"
TICK = 0.010


# -- the site ------------------------------------------------------------------------


def site_pages(count: int, aeb: str) -> list[bytes]:
    """``count`` pages: AEB pages cycled, or generated pages when AEB is absent."""
    folder = Path(aeb) / "html"
    sources = [gzip.decompress(p.read_bytes()) for p in sorted(folder.glob("*.html.gz"))] if folder.is_dir() else []
    if not sources:
        sources = [_generated_page(n).encode() for n in range(50)]
    return [sources[n % len(sources)] for n in range(count)]


def _generated_page(n: int) -> str:
    paragraphs = "".join(
        f"<p>Paragraph {k} of story {n}: the council met on Tuesday to discuss the budget, "
        f"the new bridge and the school that opened in district {k}.</p><p>Advertisement</p>"
        for k in range(12)
    )
    return f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>{paragraphs}</article></body></html>"


def serve(count: int, aeb: str) -> None:
    """Serve ``/p/<n>`` on a random port of 127.0.0.1; print the port; run until killed."""
    pages = site_pages(count, aeb)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            try:
                body = pages[int(self.path.rsplit("/", 1)[-1])]
                self.send_response(200)
            except (ValueError, IndexError):
                body = b""
                self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(httpd.server_address[1], flush=True)
    httpd.serve_forever()


# -- one crawl (in its own process) ---------------------------------------------------


class BlockingCleanPipeline:
    """Cleans on the reactor thread: the anti-pattern the real pipeline avoids."""

    def __init__(self) -> None:
        from cleaner import Cleaner

        self.cleaner = Cleaner(time_budget=2.0)

    def process_item(self, item: dict[str, Any], spider: Any = None) -> dict[str, Any]:
        item["clean_text"] = self.cleaner.explain_html(item["html"], url=item["url"]).text
        return item


class DropHtmlPipeline:
    """Last pipeline: keeps memory flat by dropping the HTML once cleaned."""

    def process_item(self, item: dict[str, Any], spider: Any = None) -> dict[str, Any]:
        item.pop("html", None)
        return item


def crawl_once(mode: str, port: int, count: int) -> dict[str, Any]:
    """Crawl the site once in this process and measure it."""
    import scrapy
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    class SiteSpider(scrapy.Spider):
        name = "bench"

        def parse(self, response: Any) -> Any:
            yield {"url": response.url, "html": response.text}

    pipelines: dict[Any, int] = {DropHtmlPipeline: 900}
    settings: dict[str, Any] = {
        "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 16, "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }
    gc_freeze = mode.endswith("+gc-freeze")
    if mode.startswith(("pipeline", "process")):
        kind, _, size = mode.removesuffix("+gc-freeze").partition(":")
        pipelines["scrapy_plugin.ArticleCleanerPipeline"] = 300
        settings["ARTICLE_CLEANER_POOL_SIZE"] = int(size or 1)
        settings["ARTICLE_CLEANER_POOL_KIND"] = "process" if kind == "process" else "thread"
        settings["ARTICLE_CLEANER_GC_FREEZE"] = gc_freeze
        gc_freeze = False  # the pipeline does it when the spider opens
    elif mode.removesuffix("+gc-freeze") == "blocking":
        pipelines[BlockingCleanPipeline] = 300
    settings["ITEM_PIPELINES"] = pipelines

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SiteSpider)
    lateness: list[float] = []
    worst: list[tuple[float, float]] = []  # (lateness, seconds since the engine started)
    marks: dict[str, float] = {}
    state = {"last": 0.0, "after_1s": 0.0}

    def tick() -> None:
        now = time.perf_counter()
        late = max(0.0, now - state["last"] - TICK)
        lateness.append(late)
        if now - marks["wall"] > 1.0:
            state["after_1s"] = max(state["after_1s"], late)
        state["last"] = now
        if late > 0.025:
            worst.append((late, now - marks["wall"]))

    tickers: list[Any] = []
    gc_pauses: list[float] = []
    gc_state = {"start": 0.0}

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_state["start"] = time.perf_counter()
        elif tickers and tickers[0].running:  # pauses during the crawl only (not at spider open or close)
            gc_pauses.append(time.perf_counter() - gc_state["start"])

    gc.callbacks.append(on_gc)

    def started() -> None:
        from twisted.internet import task  # only now: importing it earlier installs the default reactor

        marks["objects"] = len(gc.get_objects()) + gc.get_freeze_count()  # frozen objects are not listed
        if gc_freeze:  # what ARTICLE_CLEANER_GC_FREEZE does, for the modes without the pipeline
            gc.collect()
            gc.freeze()
        tickers.append(task.LoopingCall(tick))
        marks["wall"], marks["cpu"] = time.perf_counter(), time.process_time()
        state["last"] = time.perf_counter()
        tickers[0].start(TICK, now=False)

    def closed(spider: Any, reason: str) -> None:
        marks["wall"] = time.perf_counter() - marks["wall"]
        marks["cpu"] = time.process_time() - marks["cpu"]
        if tickers and tickers[0].running:
            tickers[0].stop()

    crawler.signals.connect(started, signal=signals.engine_started)
    crawler.signals.connect(closed, signal=signals.spider_closed)
    urls = [f"http://127.0.0.1:{port}/p/{n}" for n in range(count)]
    process.crawl(crawler, start_urls=urls)
    process.start()
    stats = crawler.stats.get_stats()
    ordered = sorted(lateness)
    return {
        "mode": mode,
        "pages": stats.get("item_scraped_count", 0),
        "wall_s": round(marks["wall"], 2),
        "cpu_s": round(marks["cpu"], 2),
        "idle_s": round(marks["wall"] - marks["cpu"], 2),
        "pages_per_s": round(stats.get("item_scraped_count", 0) / marks["wall"], 2),
        "cpu_ms_per_page": round(1000 * marks["cpu"] / max(1, stats.get("item_scraped_count", 0)), 1),
        "max_stall_ms": round(1000 * ordered[-1], 1) if ordered else None,
        "p99_stall_ms": round(1000 * ordered[int(0.99 * (len(ordered) - 1))], 1) if ordered else None,
        "stalls_over_50ms": sum(1 for late in ordered if late > 0.050),
        "max_stall_after_1s_ms": round(1000 * state["after_1s"], 1),
        "max_gc_pause_ms": round(1000 * max(gc_pauses, default=0.0), 1),
        "objects_at_start": marks["objects"],
        "worst_stalls": [f"{1000 * late:.0f} ms at {at:.1f} s" for late, at in sorted(worst, reverse=True)[:3]],
        "ticks": len(ordered),
        "loadavg_1m_end": round(os.getloadavg()[0], 2),
        "cleaner_stats": {k: v for k, v in stats.items() if k.startswith("article_cleaner/")},
    }


# -- driver ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--modes", default="none,pipeline:1,process:1,process:1+gc-freeze,blocking")
    parser.add_argument("--aeb", default=DEFAULT_AEB)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--crawl-one", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.pages, args.aeb)
        return 0
    if args.crawl_one:
        print(json.dumps(crawl_once(args.crawl_one, args.port, args.pages)))
        return 0

    source = "AEB pages" if (Path(args.aeb) / "html").is_dir() else "generated pages (AEB data not found)"
    print(f"# crawl benchmark: {args.pages} pages from {source}, modes {args.modes}", file=sys.stderr)
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.crawl_benchmark", "--serve", "--pages", str(args.pages), "--aeb", args.aeb],
        stdout=subprocess.PIPE, text=True,
    )
    results = []
    try:
        port = int(server.stdout.readline())  # type: ignore[union-attr]
        for mode in args.modes.split(","):
            out = subprocess.run(
                [sys.executable, "-m", "bench.crawl_benchmark", "--crawl-one", mode, "--port", str(port),
                 "--pages", str(args.pages)],
                capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
            if out.returncode != 0:
                print(f"mode {mode} failed:\n{out.stderr[-2000:]}", file=sys.stderr)
                continue
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(result)
            print(json.dumps(result), file=sys.stderr, flush=True)
    finally:
        server.terminate()
        server.wait()
    header = ("| mode | pages | wall s | CPU s | idle s | pages/s | CPU ms/page | max stall ms | after 1 s "
              "| p99 stall ms | stalls > 50 ms | max GC pause ms | load 1m |")
    print(f"{os.cpu_count()} CPUs; the load average shows how busy the machine was (stalls include OS scheduling)")
    print(header)
    print("|" + "---|" * 13)
    for r in results:
        print(f"| {r['mode']} | {r['pages']} | {r['wall_s']} | {r['cpu_s']} | {r['idle_s']} | {r['pages_per_s']} "
              f"| {r['cpu_ms_per_page']} | {r['max_stall_ms']} | {r['max_stall_after_1s_ms']} | {r['p99_stall_ms']} "
              f"| {r['stalls_over_50ms']} "
              f"| {r['max_gc_pause_ms']} | {r['loadavg_1m_end']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
