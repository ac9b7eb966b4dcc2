"""The pipeline's counters, all under ``article_cleaner/`` in the crawler's stats collector."""

from __future__ import annotations

from typing import Any

PREFIX = "article_cleaner/"


class CleanerStats:
    """Increments ``article_cleaner/<name>`` counters in a Scrapy stats collector."""

    def __init__(self, collector: Any) -> None:
        self._collector = collector

    def inc(self, name: str, count: int = 1) -> None:
        """Add ``count`` to ``article_cleaner/<name>``."""
        if count:
            self._collector.inc_value(PREFIX + name, count)

    def set(self, name: str, value: Any) -> None:
        """Set ``article_cleaner/<name>`` to ``value``."""
        self._collector.set_value(PREFIX + name, value)
