"""One shared :class:`~cleaner.Cleaner` per configuration and process.

Building a cleaner loads and compiles its rules (tens of milliseconds with the built-in
set); cleaning is then thread-safe. Everything in a process that needs a cleaner for a
configuration (the module functions :func:`cleaner.clean` and friends, corpus workers,
Scrapy worker processes) asks :func:`cleaner_for`, so each configuration is built once.
Rules files are read when a configuration is first built: a file changed on disk later
is not read again (build a :class:`~cleaner.Cleaner` yourself for that).
"""

from __future__ import annotations

from functools import lru_cache

from .config import CleanerConfig
from .core import Cleaner

CACHED_CLEANERS = 16
"""Configurations whose cleaners are kept per process (least recently used go first)."""

DEFAULT_CONFIG = CleanerConfig()


def cleaner_for(config: CleanerConfig = DEFAULT_CONFIG) -> Cleaner:
    """This process's cleaner for ``config``, built on first use.

    A configuration holding an unhashable extra stage cannot be a cache key: it gets a
    cleaner of its own each time.
    """
    try:
        hash(config)
    except TypeError:
        return Cleaner(config)
    return _cached(config)


@lru_cache(maxsize=CACHED_CLEANERS)
def _cached(config: CleanerConfig) -> Cleaner:
    return Cleaner(config)


def default_cleaner() -> Cleaner:
    """The shared :class:`~cleaner.Cleaner` with built-in rules and default options."""
    return cleaner_for(DEFAULT_CONFIG)
