"""The Scrapy item pipeline: clean each item's article text off the reactor thread.

Add ``"scrapy_plugin.ArticleCleanerPipeline": 300`` to ``ITEM_PIPELINES``. Every item
leaves the pipeline: cleaned, or unchanged when there is nothing to clean, when the
item cannot hold the output field, or when cleaning failed (logged and counted; the
crawl goes on). Only an item whose text cleans to nothing may be dropped, and only
when ``ARTICLE_CLEANER_DROP_EMPTY`` is set.
"""

from __future__ import annotations

import gc
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any
from collections.abc import Callable

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future

from cleaner import Cleaner, CleanerConfig, CleanerError, Result
from cleaner.profiles.learning import LearnedPage, explain_for_learning
from cleaner.records import Page, RecordAdapter
from cleaner.rules import RuleFile, load_rules, parse_rules

from .fields import can_set, explanation_of
from .pool import CleaningPool
from .settings import PipelineSettings
from .site_learning import SiteLineCounter, learned_signature, load_learned, merge_learned, rules_file_data, save_learned
from .stats import CleanerStats
from .worker import clean_in_worker, learn_in_worker, warm_up

logger = logging.getLogger(__name__)


try:  # Scrapy 2.14 awaits coroutines returned by open_spider (and deprecates Deferreds)
    from scrapy.utils.defer import ensure_awaitable as _ensure_awaitable  # noqa: F401

    _SCRAPY_AWAITS_COROUTINES = True
except ImportError:
    _SCRAPY_AWAITS_COROUTINES = False


async def _wait(awaitable: Any) -> None:
    await awaitable


def learning_lines(result: Result) -> list[str]:
    """The lines a page showed before site rules: kept lines plus those removed by learned rules."""
    lines = result.text.splitlines()
    lines.extend(removal.text for removal in result.removals if removal.source == "learned")
    return lines


class ArticleCleanerPipeline:
    """Writes the cleaned article text of each item to ``ARTICLE_CLEANER_OUTPUT_FIELD``.

    Configured by the ``ARTICLE_CLEANER_*`` settings (see :mod:`scrapy_plugin.settings`);
    counters go to the crawler's stats under ``article_cleaner/``.
    """

    def __init__(self, config: PipelineSettings, crawler: Any) -> None:
        self.config = config
        self.crawler = crawler
        self.stats = CleanerStats(crawler.stats)
        # loaded here in both pool kinds, so a bad rules file fails at start-up, not in a worker
        self._user_rules: list[RuleFile] = [load_rules(path) for path in config.rules]
        self._previous_learned: list[dict[str, Any]] = (
            load_learned(config.learned_rules_file) if config.learned_rules_file else []
        )
        self._learned_ids: frozenset[str] = frozenset(map(learned_signature, self._previous_learned))
        # worker processes build their own cleaner from the spec; the crawl process needs one only for threads
        self.cleaner: Cleaner | None = (
            self._build_cleaner(self._previous_learned) if config.pool_kind == "thread" else None
        )
        start_files = (config.learned_rules_file,) if self._previous_learned and config.learned_rules_file else ()
        # what worker processes clean with: rules as file paths, so a job pickles only their names
        self._worker_config = CleanerConfig(rules=(*start_files, *config.rules), time_budget=config.time_budget)
        self._learned_dir: str | None = None
        self._learned_version = 0
        self.pool = CleaningPool(config.pool_size, config.pool_kind)
        self.counter: SiteLineCounter | None = None
        self._since_check = 0
        self._warned: set[tuple[str, str]] = set()
        self._errors_logged: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArticleCleanerPipeline:
        """Build from the crawler's ``ARTICLE_CLEANER_*`` settings (``NotConfigured`` when disabled)."""
        config = PipelineSettings.from_settings(crawler.settings)
        if not config.enabled:
            raise NotConfigured("ARTICLE_CLEANER_ENABLED is False")
        return cls(config, crawler)

    # -- spider lifecycle ---------------------------------------------------------

    def open_spider(self, spider: Any = None) -> Any:
        """Start the cleaning threads or processes and, when enabled, the site line counter.

        With processes, the crawl starts once every worker has built its cleaner and cleaned
        one small page (about a second): returned as a coroutine where Scrapy awaits one
        (2.14 and newer), else as a Deferred.
        """
        self.pool.start(warm_up=(warm_up, (self._worker_config,)))
        if self.config.gc_freeze:
            # everything alive at start-up (Scrapy, its settings, imported modules) leaves the
            # collector's generations: its full collections, the crawl process's longest pauses,
            # then only walk the objects the crawl creates; collected first so no garbage is frozen
            gc.collect()
            gc.freeze()
        if self.config.learn_sites:
            spider = spider or getattr(self.crawler, "spider", None)
            name = getattr(spider, "name", None) or "spider"
            self.counter = SiteLineCounter(
                min_pages=self.config.learn_min_pages, min_share=self.config.learn_min_share,
                min_documents=self.config.learn_min_documents, sentence_share=self.config.learn_sentence_share,
                max_pages_per_site=self.config.learn_max_pages_per_site, corpus=f"crawl:{name}",
            )
        if self.config.learn_sites or self._learned_ids:
            self.stats.set("learned_rules", len(self._learned_ids))
        ready = self.pool.ready()
        if ready is None:
            return None
        if not _SCRAPY_AWAITS_COROUTINES:
            return ready
        return _wait(maybe_deferred_to_future(ready))

    def close_spider(self, spider: Any = None) -> None:
        """Stop the pool; save the learned rules when site learning is on."""
        self.pool.stop()
        if self._learned_dir is not None:
            shutil.rmtree(self._learned_dir, ignore_errors=True)
        if self.counter is not None and self.config.learned_rules_file:
            rules = merge_learned(self._previous_learned, self.counter.rules())
            try:
                saved = save_learned(self.config.learned_rules_file, rules)
            except (OSError, CleanerError) as error:
                self.stats.inc("errors")
                self.stats.inc("errors/saving_learned_rules")
                logger.error("article-cleaner: could not save learned site rules to %s: %s",
                             self.config.learned_rules_file, error)
                return
            self.stats.set("learned_rules", saved)
            logger.info("article-cleaner: saved %d learned site rules to %s", saved, self.config.learned_rules_file)

    # -- items ----------------------------------------------------------------------

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        """Clean the item's HTML or text field in the pool; return the item (see module docs)."""
        self.stats.inc("items_seen")
        adapter = ItemAdapter(item)
        page = RecordAdapter(adapter, self.config.fields).page()
        if page is None or page.blank:
            return self._pass_through(item, "no_input")
        if not can_set(adapter, self.config.fields.output):
            self._warn_field_missing(item, self.config.fields.output, passed_through=True)
            return self._pass_through(item, "field_missing")
        url = page.url
        try:
            outcome = await self.pool.run(lambda: self._job(page))
        except Exception as error:  # never lose an item, never stop the crawl
            self._record_error(error, page.field, url)
            return self._pass_through(item, "error")
        finally:
            if self.pool.restarts:
                self.stats.set("pool_restarts", self.pool.restarts)
        result, summary = (outcome.result, outcome.summary) if isinstance(outcome, LearnedPage) else (outcome, None)
        try:
            if self.counter is not None and url:
                self.counter.add(learning_lines(result), url, summary)
                self._maybe_relearn()
            return self._write(item, adapter, result, url)
        except DropItem:
            raise
        except Exception as error:  # e.g. a frozen dataclass item refusing the assignment
            self._record_error(error, page.field, url)
            return self._pass_through(item, "error")

    def _write(self, item: Any, adapter: ItemAdapter, result: Result, url: str | None) -> Any:
        emptied = not result.text.strip()
        if emptied:
            self.stats.inc("items_emptied")
            if self.config.drop_empty:
                self.stats.inc("items_dropped")
                self._record_result(result)
                raise DropItem(f"article-cleaner: nothing left after cleaning {url or 'an item without URL'}")
        adapter[self.config.fields.output] = result.text
        if self.config.fields.explain is not None:
            self._set_optional(item, adapter, self.config.fields.explain, explanation_of(result))
        if emptied and self.config.empty_flag_field is not None:
            self._set_optional(item, adapter, self.config.empty_flag_field, True)
        self._record_result(result)
        self.stats.inc("items_cleaned")
        return item

    def _set_optional(self, item: Any, adapter: ItemAdapter, field: str, value: Any) -> None:
        if can_set(adapter, field):
            adapter[field] = value
        else:
            self._warn_field_missing(item, field, passed_through=False)

    def _record_result(self, result: Result) -> None:
        self.stats.inc("lines_removed", len(result.removals))
        for source, count in sorted(result.removed_by_source.items()):
            self.stats.inc(f"removed_by_source/{source}", count)
        if result.budget_exceeded:
            self.stats.inc("budget_exceeded")

    def _pass_through(self, item: Any, reason: str) -> Any:
        self.stats.inc("items_passed_through")
        self.stats.inc(f"passed_through/{reason}")
        return item

    def _record_error(self, error: Exception, field: str, url: str | None) -> None:
        name = type(error).__name__
        self.stats.inc("errors")
        self.stats.inc(f"errors/{name}")
        first = name not in self._errors_logged
        self._errors_logged.add(name)
        logger.error(
            "article-cleaner: could not clean field %r of %s (%s: %s); item passed through unchanged",
            field, url or "an item without URL", name, error, exc_info=error if first else None,
        )

    def _warn_field_missing(self, item: Any, field: str, *, passed_through: bool) -> None:
        self.stats.inc("field_missing")
        kind = f"{type(item).__module__}.{type(item).__qualname__}"
        if (kind, field) in self._warned:
            return
        self._warned.add((kind, field))
        consequence = "items of this type pass through uncleaned" if passed_through else "it is left unset"
        logger.warning(
            "article-cleaner: item type %s has no field %r, so %s; declare the field "
            "(e.g. %s = scrapy.Field()) or change the ARTICLE_CLEANER_* field settings. "
            "This is said once per item type and field; see stats article_cleaner/field_missing.",
            kind, field, consequence, field,
        )

    # -- site learning --------------------------------------------------------------

    def _job(self, page: Page) -> tuple[Callable[..., Result | LearnedPage], tuple[Any, ...]]:
        """The pool job for one page, made when a worker is free (so it has the latest rules)."""
        if self.counter is not None:  # learning: the page's block summary comes back too, for its site profile
            if self.cleaner is None:
                return learn_in_worker, (self._worker_config, page)
            return explain_for_learning, (self.cleaner, page)
        if self.cleaner is None:
            return clean_in_worker, (self._worker_config, page)
        return page.clean, (self.cleaner,)

    def _maybe_relearn(self) -> None:
        """Every ``LEARN_REBUILD_EVERY`` pages, rebuild the cleaner if the learned rules changed.

        The rebuild (a few milliseconds) runs on the reactor thread; jobs still waiting
        for a worker pick up the new cleaner when they are dispatched.
        """
        assert self.counter is not None
        self._since_check += 1
        if self._since_check < self.config.learn_rebuild_every:
            return
        self._since_check = 0
        learned = merge_learned(self._previous_learned, self.counter.rules())
        ids = frozenset(map(learned_signature, learned))
        if ids == self._learned_ids:
            return
        try:
            if self.cleaner is None:
                self._worker_config = self._worker_config_with(learned)  # saving it validates the learned rules
            else:
                self.cleaner = self._build_cleaner(learned)
        except Exception as error:  # a bad learned rule must not stop the crawl
            self._record_error(error, "<learned rules>", None)
            return
        self._learned_ids = ids
        self.stats.inc("cleaner_rebuilds")
        self.stats.set("learned_rules", len(ids))

    def _worker_config_with(self, learned: list[dict[str, Any]]) -> CleanerConfig:
        """The workers' configuration whose first rules file holds ``learned`` (written to a
        private temp dir, a new file for each set, so each set is its own configuration)."""
        if self._learned_dir is None:
            self._learned_dir = tempfile.mkdtemp(prefix="article-cleaner-learned-")
        self._learned_version += 1
        path = str(Path(self._learned_dir) / f"learned-{self._learned_version}.json")
        save_learned(path, learned)
        return CleanerConfig(rules=(path, *self.config.rules), time_budget=self.config.time_budget)

    def _build_cleaner(self, learned: list[dict[str, Any]]) -> Cleaner:
        sources: list[RuleFile] = []
        if learned:
            sources.append(parse_rules(rules_file_data(learned), origin="<learned site rules>"))
        sources.extend(self._user_rules)
        return Cleaner(rules=sources, time_budget=self.config.time_budget)
