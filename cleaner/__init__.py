"""article-cleaner: strip site junk from scraped news articles.

>>> from cleaner import clean, explain
>>> clean("You are here\\n\\nTurkey says IS driven from border\\n\\nAnkara said on Sunday ...")
'Turkey says IS driven from border\\n\\nAnkara said on Sunday ...'

``explain`` returns a :class:`Result` whose ``removals`` say which rule or detector
removed each line and why; :class:`Cleaner` holds a compiled rule set for reuse.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .core import Cleaner
from .errors import (
    CleanerError,
    DecodeError,
    ExtractionError,
    GoldenError,
    InputTypeError,
    RulesError,
)
from .result import Change, Removal, Result
from .rules import Rule, RuleFile, RuleSet, load_rules

__version__ = "0.1.0"

__all__ = [
    "Change", "Cleaner", "CleanerError", "DecodeError", "ExtractionError", "GoldenError",
    "InputTypeError", "Removal", "Result", "Rule", "RuleFile", "RuleSet", "RulesError",
    "__version__", "clean", "clean_html", "default_cleaner", "explain", "explain_html", "load_rules",
]

_CALL_OPTIONS = ("url", "kind")


@lru_cache(maxsize=8)
def _cached_cleaner(options: tuple[tuple[str, Any], ...]) -> Cleaner:
    return Cleaner(**dict(options))


def default_cleaner() -> Cleaner:
    """The shared :class:`Cleaner` with built-in rules and default options."""
    return _cached_cleaner(())


def _cleaner_for(options: dict[str, Any]) -> Cleaner:
    build = {k: v for k, v in options.items() if k not in _CALL_OPTIONS}
    frozen = []
    for key, value in sorted(build.items()):
        if isinstance(value, list):
            value = tuple(value)
        frozen.append((key, value))
    try:
        return _cached_cleaner(tuple(frozen))
    except TypeError:  # unhashable option value: build a one-off cleaner
        return Cleaner(**build)


def explain(text: Any, **options: Any) -> Result:
    """Clean ``text`` and return a :class:`Result` explaining every removal.

    Options: ``url`` (site-scoped rules), ``kind`` (``"auto"``, ``"text"``, ``"html"``)
    and any :class:`Cleaner` argument (``rules=[...]``, ``detectors=...``).
    """
    cleaner = _cleaner_for(options)
    return cleaner.explain(text, url=options.get("url"), kind=options.get("kind", "auto"))


def clean(text: Any, **options: Any) -> str:
    """Article text of ``text``: ``explain(text, **options).text``."""
    return explain(text, **options).text


def explain_html(html: Any, url: str | None = None, **options: Any) -> Result:
    """Extract the article from ``html`` with trafilatura, clean it, and explain the removals."""
    return _cleaner_for(options).explain_html(html, url=url)


def clean_html(html: Any, url: str | None = None, **options: Any) -> str:
    """Article text of an HTML page: ``explain_html(html, url, **options).text``."""
    return explain_html(html, url=url, **options).text
