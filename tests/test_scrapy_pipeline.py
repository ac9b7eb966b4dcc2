"""End-to-end tests of the Scrapy pipeline: real crawls of a real local HTTP server.

Each crawl runs this file as a script in a fresh Python process (a fresh Twisted
reactor), exports a JSON Lines feed and dumps the crawler's stats; the tests then
check every item. Run directly: ``python tests/test_scrapy_pipeline.py CONFIG.json``.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs
import pytest
import scrapy

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for ``conftest`` when run as a script
from conftest import AEB, REPO

RAISE_MARKER = "RAISE-IN-CLEANING-STAGE"
RAISING_STAGE_ENV = "ARTICLE_CLEANER_TEST_RAISING_STAGE"
ARTICLE_SENTENCES = [  # formatted per page so that no sentence recurs on most pages of a site
    "The storm hit the northern coast on {day}, flooding several towns and cutting power to thousands of homes, officials said.",
    "Rescue teams worked through {day} night to reach people trapped by rising water in {place} near the river.",
    "Weather officials in {place} expect more rain after {day} and warned residents to stay away from the flooded roads.",
]
SITE_JUNK = ["Advertisement", "Share this article", "Sign up for our newsletter"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PLACES = ["Ashford", "Brampton", "Carlow", "Dunmore", "Elgin"]


def sentence(index: int, n: int) -> str:
    """Article sentence ``index`` as it reads on page ``n``."""
    return ARTICLE_SENTENCES[index].format(day=DAYS[n % 7], place=PLACES[n % 5])


# -- pages -----------------------------------------------------------------------------


def headline(n: int) -> str:
    """A headline that differs in words (not only digits, which line keys template) per page."""
    return f"Storm floods {PLACES[n % 5]} on {DAYS[n % 7]} as rivers rise"


def article_html(n: int, *, furniture: list[str] = (), extra: str = "") -> str:
    """A news page with recurring site junk around three article paragraphs."""
    body = [f"<h1>{headline(n)}</h1>", f"<p>{SITE_JUNK[0]}</p>"]
    for i in range(len(ARTICLE_SENTENCES)):
        body.append(f"<p>{sentence(i, n)}</p>")
        body.append(f"<p>{SITE_JUNK[1 + i % 2]}</p>")
    body.extend(f"<p>{line}</p>" for line in furniture)
    if extra:
        body.append(f"<p>{extra}</p>")
    return (
        "<!doctype html><html><head><title>Storm report</title></head><body>"
        '<nav><a href="/">Home</a></nav><article>' + "".join(body) + "</article></body></html>"
    )


def benchmark_pages(limit: int = 20) -> list[bytes]:
    """Up to ``limit`` pages of the shared article-extraction benchmark (empty when absent)."""
    folder = AEB / "html"
    if not folder.is_dir():
        return []
    return [gzip.decompress(path.read_bytes()) for path in sorted(folder.glob("*.html.gz"))[:limit]]


class PageServer:
    """A real HTTP server on 127.0.0.1 (random free port) serving ``pages`` by path."""

    def __init__(self, pages: dict[str, bytes | str]) -> None:
        self.pages = {path: body.encode("utf-8") if isinstance(body, str) else body for path, body in pages.items()}
        pages_ = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages_.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> PageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    def urls(self, host: str = "127.0.0.1") -> list[str]:
        return [f"http://{host}:{self.port}{path}" for path in self.pages]


# -- items and spider (used inside the crawl process) ------------------------------------


class ArticleItem(scrapy.Item):
    url = scrapy.Field()
    html = scrapy.Field()
    text = scrapy.Field()
    clean_text = scrapy.Field()
    clean_explanation = scrapy.Field()
    clean_empty = scrapy.Field()


class BareItem(scrapy.Item):
    """An item type without the output field."""

    url = scrapy.Field()
    html = scrapy.Field()
    text = scrapy.Field()


@dataclasses.dataclass
class ArticleData:
    url: Any = None
    html: Any = None
    text: Any = None
    clean_text: Any = None
    clean_explanation: Any = None
    clean_empty: Any = None


@attrs.define
class ArticleAttrs:
    url: Any = None
    html: Any = None
    text: Any = None
    clean_text: Any = None
    clean_explanation: Any = None
    clean_empty: Any = None


@dataclasses.dataclass(frozen=True)
class FrozenArticle:
    """Declares the output field but refuses assignment: cleaning it fails after the clean."""

    url: Any = None
    html: Any = None
    text: Any = None
    clean_text: Any = None


ITEM_TYPES = {
    "dict": dict, "item": ArticleItem, "bare": BareItem, "dataclass": ArticleData, "attrs": ArticleAttrs,
    "frozen": FrozenArticle,
}


class PagesSpider(scrapy.Spider):
    """Yields one item per page; ``?type=`` picks the item type, ``?case=`` odd field values."""

    name = "pages"

    def parse(self, response: Any) -> Iterator[Any]:
        query = parse_qs(urlsplit(response.url).query)
        kind = query.get("type", ["dict"])[0]
        case = query.get("case", ["normal"])[0]
        text = "\n\n".join(t.strip() for t in response.css("article ::text, body > p::text").getall() if t.strip())
        fields: dict[str, Any] = {"url": response.url, "html": response.text, "text": text}
        if case == "missing":
            del fields["html"], fields["text"]
        elif case == "none":
            fields["html"] = fields["text"] = None
        elif case == "bytes":
            fields["html"] = response.body
        elif case == "broken":
            fields["html"] = "<html><body><div><p>Broken <b>markup"
        if self.settings.get("ARTICLE_CLEANER_HTML_FIELD") == "":
            fields.pop("html", None)
        yield ITEM_TYPES[kind](**fields)


class BytesForExportPipeline:
    """Runs after the cleaner: JSON feeds cannot hold bytes, so record them as ``{"bytes": size}``."""

    def process_item(self, item: Any, spider: Any = None) -> Any:
        from itemadapter import ItemAdapter

        adapter = ItemAdapter(item)
        for name, value in list(adapter.items()):
            if isinstance(value, bytes):
                adapter[name] = {"bytes": len(value)}
        return item


def run_crawl(config_path: str) -> None:
    """Run one crawl as configured by a JSON file (called in a fresh process)."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    config = json.loads(Path(config_path).read_text())
    if config.get("raising_stage"):
        os.environ[RAISING_STAGE_ENV] = "1"  # inherited by worker processes (see the end of this file)
        _install_raising_stage()
    settings = {
        "ITEM_PIPELINES": {"scrapy_plugin.ArticleCleanerPipeline": 300, BytesForExportPipeline: 900},
        "FEEDS": {config["feed"]: {"format": "jsonlines", "encoding": "utf-8"}},
        "LOG_FILE": config["log"],
        "LOG_LEVEL": "INFO",
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        **config.get("settings", {}),
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PagesSpider)

    def dump_stats(spider: Any, reason: str) -> None:
        from twisted.internet import reactor

        import gc

        stats = {**crawler.stats.get_stats(), "test/reactor": type(reactor).__name__, "test/gc_frozen": gc.get_freeze_count()}
        Path(config["stats"]).write_text(json.dumps(stats, default=str))

    crawler.signals.connect(dump_stats, signal=signals.spider_closed)
    process.crawl(crawler, start_urls=config["urls"])
    process.start()


def _install_raising_stage() -> None:
    """Make the pipeline's cleaner raise inside a cleaning stage on pages with the marker."""
    import cleaner.factory as factory_module
    import scrapy_plugin.pipeline as pipeline_module
    from cleaner import Cleaner, FunctionStage

    def raising_stage(view: Any, context: Any) -> list[Any]:
        if any(RAISE_MARKER in line.text for line in view):
            raise RuntimeError("stage failed on purpose")
        return []

    class RaisingCleaner(Cleaner):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, extra_stages=[FunctionStage("raises", raising_stage)], **kwargs)

    pipeline_module.Cleaner = RaisingCleaner  # type: ignore[misc]
    factory_module.Cleaner = RaisingCleaner  # type: ignore[misc]  # worker processes build through the factory


# -- test helpers ----------------------------------------------------------------------------


@dataclasses.dataclass
class CrawlOutcome:
    items: list[dict[str, Any]]
    stats: dict[str, Any]
    log: str

    def by_path(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for item in self.items:
            parts = urlsplit(item["url"])
            key = parts.path + ("?" + parts.query if parts.query else "")
            assert key not in out, f"item {key} exported twice"
            out[key] = item
        return out

    def stat(self, name: str) -> int:
        return self.stats.get("article_cleaner/" + name, 0)


def crawl(tmp_path: Path, urls: list[str], settings: dict[str, Any], *, name: str = "crawl",
          raising_stage: bool = False, python: str = sys.executable) -> CrawlOutcome:
    """Crawl ``urls`` in a subprocess with the pipeline enabled; return feed, stats and log."""
    files = {suffix: tmp_path / f"{name}.{suffix}" for suffix in ("jsonl", "stats.json", "log", "config.json")}
    files["config.json"].write_text(json.dumps({
        "urls": urls, "settings": settings, "raising_stage": raising_stage,
        "feed": files["jsonl"].as_uri(), "stats": str(files["stats.json"]), "log": str(files["log"]),
    }))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([python, __file__, str(files["config.json"])], env=env, capture_output=True, text=True, timeout=300)
    log = files["log"].read_text() if files["log"].exists() else ""
    assert proc.returncode == 0, proc.stderr[-3000:] + log[-3000:]
    assert files["stats.json"].exists(), log[-3000:]
    items = [json.loads(line) for line in files["jsonl"].read_text().splitlines() if line.strip()]
    return CrawlOutcome(items, json.loads(files["stats.json"].read_text()), log)


# -- tests -------------------------------------------------------------------------------


def _end_to_end_pages() -> dict[str, bytes | str]:
    pages: dict[str, bytes | str] = {}
    types = ["dict", "item", "dataclass", "attrs"]
    for n in range(24):
        pages[f"/news/{n}?type={types[n % 4]}"] = article_html(n)
    for kind in types:
        pages[f"/odd/missing?type={kind}&case=missing"] = article_html(100)
        pages[f"/odd/none?type={kind}&case=none"] = article_html(101)
        pages[f"/odd/bytes?type={kind}&case=bytes"] = article_html(102)
        pages[f"/odd/broken?type={kind}&case=broken"] = article_html(103)
    pages["/odd/bare/1?type=bare"] = article_html(104)
    pages["/odd/bare/2?type=bare"] = article_html(105)
    pages["/odd/raise?type=item"] = article_html(106, extra=RAISE_MARKER)
    pages["/odd/frozen?type=frozen"] = article_html(107)
    pages["/odd/empty?type=dict"] = "<html><body><article>" + "".join(f"<p>{j}</p>" for j in SITE_JUNK) + "</article></body></html>"
    for i, page in enumerate(benchmark_pages(12)):
        pages[f"/aeb/{i}?type={types[i % 4]}"] = page
    return pages


@pytest.mark.slow
@pytest.mark.parametrize("pool_kind", ["process", "thread"])
def test_crawl_cleans_every_item_type_and_survives_odd_items(tmp_path: Path, pool_kind: str) -> None:
    pages = _end_to_end_pages()
    settings = {"ARTICLE_CLEANER_EXPLANATION_FIELD": "clean_explanation", "ARTICLE_CLEANER_POOL_KIND": pool_kind}
    with PageServer(pages) as server:
        outcome = crawl(tmp_path, server.urls(), settings, raising_stage=True)
    items = outcome.by_path()
    assert sorted(items) == sorted(pages), "every page must yield exactly one exported item"

    cleaned = passed = 0
    removed = {"total": 0}
    for path, item in items.items():
        if path.startswith(("/news/", "/aeb/")) or "case=bytes" in path:
            assert isinstance(item["clean_text"], str) and item["clean_text"].strip(), path
            kept = item["clean_text"].splitlines()
            for junk in SITE_JUNK:
                assert junk not in kept, (path, junk)
            if not path.startswith("/aeb/"):
                assert "Weather officials in" in item["clean_text"], path
                assert {row["rule_id"] for row in item["clean_explanation"]} >= {"ad.marker", "share.button", "subscribe.newsletter"}
            cleaned += 1
        elif "case=broken" in path:
            assert item["clean_text"] == "Broken markup", item
            cleaned += 1
        elif "case=missing" in path or "case=none" in path or path.startswith(("/odd/bare", "/odd/raise", "/odd/frozen")):
            assert item.get("clean_text") is None and item.get("clean_explanation") is None, path
            passed += 1
        elif path == "/odd/empty?type=dict":
            assert item["clean_text"] == "" and item["clean_empty"] is True
            assert [row["text"] for row in item["clean_explanation"]] == SITE_JUNK
            cleaned += 1
        else:
            raise AssertionError(f"unexpected page {path}")
        for row in item.get("clean_explanation") or []:
            assert set(row) == {"line", "text", "rule_id", "source", "reason"}
            removed["total"] += 1
            removed[row["source"]] = removed.get(row["source"], 0) + 1
        assert (item.get("clean_empty") is True) == (path == "/odd/empty?type=dict"), path

    raise_item = items["/odd/raise?type=item"]
    assert RAISE_MARKER in raise_item["html"] and set(raise_item) == {"url", "html", "text"}, "passed through unchanged"
    assert outcome.stat("items_seen") == len(pages)
    assert outcome.stat("items_cleaned") == cleaned
    assert outcome.stat("items_passed_through") == passed
    assert outcome.stat("passed_through/no_input") == 8
    assert outcome.stat("passed_through/field_missing") == 2 == outcome.stat("field_missing")
    assert outcome.stat("errors") == 2 == outcome.stat("passed_through/error")
    assert outcome.stat("errors/RuntimeError") == 1 == outcome.stat("errors/FrozenInstanceError")
    assert outcome.stat("items_emptied") == 1
    assert outcome.stat("lines_removed") == removed.pop("total")
    for source, count in removed.items():
        assert outcome.stat(f"removed_by_source/{source}") == count
    assert outcome.stats.get("item_scraped_count") == len(pages)
    assert outcome.stats["test/reactor"] == "AsyncioSelectorReactor"
    assert outcome.log.count("has no field 'clean_text'") == 1, "a missing output field is logged once"
    assert "stage failed on purpose" in outcome.log


@pytest.mark.slow
def test_text_field_path_and_drop_empty(tmp_path: Path) -> None:
    pages: dict[str, bytes | str] = {f"/t/{n}?type=item": article_html(n) for n in range(6)}
    pages["/t/empty?type=dict"] = "<html><body><article>" + "".join(f"<p>{j}</p>" for j in SITE_JUNK) + "</article></body></html>"
    user_rules = tmp_path / "user-rules.json"
    user_rules.write_text(json.dumps({"version": 1, "rules": [
        {"id": "test.rescue", "kind": "pattern", "pattern": "^rescue teams worked", "sites": ["127.0.0.1"], "reason": "test rule"},
    ]}))
    settings = {
        "ARTICLE_CLEANER_HTML_FIELD": "", "ARTICLE_CLEANER_DROP_EMPTY": True, "ARTICLE_CLEANER_POOL_SIZE": 2,
        "ARTICLE_CLEANER_RULES": [str(user_rules)],
    }
    with PageServer(pages) as server:
        outcome = crawl(tmp_path, server.urls(), settings)
    items = outcome.by_path()
    assert sorted(items) == sorted(p for p in pages if "empty" not in p), "only the emptied item is dropped"
    for path, item in items.items():
        assert "html" not in item
        assert sentence(0, int(path.split("/")[2].split("?")[0])) in item["clean_text"]
        assert not set(SITE_JUNK) & set(item["clean_text"].split("\n\n"))
        assert "clean_explanation" not in item, "explanations are off by default"
        assert "Rescue teams worked" not in item["clean_text"], "the user's rules file applies"
    assert outcome.stat("items_dropped") == 1 == outcome.stat("items_emptied")
    assert outcome.stats["test/gc_frozen"] > 10_000, "start-up objects left the collector's generations"
    assert outcome.stat("items_cleaned") == 6
    assert outcome.stat("removed_by_source/rule") == 6 * 5 + 3


@pytest.mark.slow
def test_non_asyncio_reactor(tmp_path: Path) -> None:
    """Without the asyncio reactor the pool's jobs are awaited as Twisted Deferreds."""
    pages: dict[str, bytes | str] = {f"/r/{n}?type=attrs": article_html(n) for n in range(4)}
    settings = {
        "TWISTED_REACTOR": "twisted.internet.selectreactor.SelectReactor", "ARTICLE_CLEANER_POOL_SIZE": 2,
        "ARTICLE_CLEANER_GC_FREEZE": False,
    }
    with PageServer(pages) as server:
        outcome = crawl(tmp_path, server.urls(), settings)
    assert outcome.stats["test/reactor"] == "SelectReactor"
    assert outcome.stats["test/gc_frozen"] == 0, "ARTICLE_CLEANER_GC_FREEZE = False leaves the collector alone"
    assert sorted(outcome.by_path()) == sorted(pages)
    for item in outcome.items:
        assert "Weather officials in" in item["clean_text"] and "Advertisement" not in item["clean_text"]
    assert outcome.stat("items_cleaned") == 4 and outcome.stat("errors") == 0


@pytest.mark.slow
def test_time_budget_exceeded_is_counted_and_text_passed_through(tmp_path: Path) -> None:
    pages: dict[str, bytes | str] = {f"/b/{n}?type=dict": article_html(n) for n in range(3)}
    settings = {"ARTICLE_CLEANER_HTML_FIELD": "", "ARTICLE_CLEANER_TIME_BUDGET": 1e-9}
    with PageServer(pages) as server:
        outcome = crawl(tmp_path, server.urls(), settings)
    for item in outcome.items:
        assert item["clean_text"] == item["text"], "past the budget the text is passed through"
    assert outcome.stat("budget_exceeded") == 3 == outcome.stat("items_cleaned")
    assert outcome.stat("lines_removed") == 0


@pytest.mark.parametrize(("settings", "message"), [
    ({"ARTICLE_CLEANER_POOL_SIZE": 0}, "ARTICLE_CLEANER_POOL_SIZE must be at least 1"),
    ({"ARTICLE_CLEANER_LEARN_MIN_SHARE": 1.5}, "shares between 0 and 1"),
    ({"ARTICLE_CLEANER_HTML_FIELD": "", "ARTICLE_CLEANER_TEXT_FIELD": ""}, "needs an input field"),
    ({"ARTICLE_CLEANER_TIME_BUDGET": "soon"}, "ARTICLE_CLEANER_TIME_BUDGET must be a number"),
])
def test_invalid_settings_fail_at_start(settings: dict[str, Any], message: str) -> None:
    from scrapy.utils.test import get_crawler

    from scrapy_plugin import ArticleCleanerPipeline, SettingsError

    with pytest.raises(SettingsError, match=message):
        ArticleCleanerPipeline.from_crawler(get_crawler(settings_dict=settings))


def test_disabled_pipeline_and_bad_rules_file(tmp_path: Path) -> None:
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from cleaner import RulesError
    from scrapy_plugin import ArticleCleanerPipeline

    with pytest.raises(NotConfigured):
        ArticleCleanerPipeline.from_crawler(get_crawler(settings_dict={"ARTICLE_CLEANER_ENABLED": False}))
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "rules": [{"id": "x", "kind": "exact"}]}')
    with pytest.raises(RulesError, match="bad.json"):
        ArticleCleanerPipeline.from_crawler(get_crawler(settings_dict={"ARTICLE_CLEANER_RULES": [str(bad)]}))


if __name__ == "__mp_main__" and os.environ.get(RAISING_STAGE_ENV):
    # a worker process (spawned by the process pool) imports this script as __mp_main__:
    # it gets the raising stage too, so the failing page fails in either pool kind
    _install_raising_stage()

if __name__ == "__main__":
    run_crawl(sys.argv[1])
