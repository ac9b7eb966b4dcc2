"""article-cleaner: strip site junk from scraped news articles.

>>> from cleaner import clean, explain
>>> clean("You are here\\n\\nTurkey says IS driven from border\\n\\nAnkara said on Sunday ...")
'Turkey says IS driven from border\\n\\nAnkara said on Sunday ...'

``explain`` returns a :class:`Result` whose ``removals`` say which rule or detector
removed each line and why; :class:`Cleaner` holds a compiled rule set for reuse, made
from a :class:`CleanerConfig` (or its options as keywords). The module functions take
the same options and share one cleaner per configuration (:func:`cleaner_for`).
"""

from __future__ import annotations

from typing import Any

from .batch import clean_batch, explain_batch
from .config import CleanerConfig
from .core import Cleaner
from .errors import (
    CleanerError,
    ConfigError,
    DecodeError,
    ExtractionError,
    GoldenError,
    InputTypeError,
    OptionError,
    RulesError,
)
from .evidence import Evidence
from .extraction import Extraction, extract
from .factory import cleaner_for, default_cleaner
from .result import Change, Removal, Result
from .rules import Rule, RuleFile, RuleSet, load_rules
from .stages import Context, FunctionStage, Stage
from .view import Line, Verdict

__version__ = "0.1.0"

__all__ = [
    "Change", "Cleaner", "CleanerConfig", "CleanerError", "ConfigError", "Context", "DecodeError",
    "Evidence", "Extraction", "ExtractionError", "GoldenError", "InputTypeError", "Line", "OptionError", "Removal", "Result", "Rule",
    "FunctionStage", "RuleFile", "RuleSet", "RulesError", "Stage", "Verdict", "__version__", "clean", "clean_batch",
    "clean_html", "cleaner_for", "default_cleaner", "explain", "explain_batch", "explain_html", "extract", "load_rules",
]


def explain(text: Any, *, url: str | None = None, kind: str = "auto", **options: Any) -> Result:
    """Clean ``text`` and return a :class:`Result` explaining every removal.

    ``url`` enables site-scoped rules; ``kind`` is ``"auto"``, ``"text"`` or ``"html"``;
    ``options`` are :class:`CleanerConfig` options (``rules=[...]``, ``detectors=...``),
    and an unknown one is an :class:`OptionError` (a ``TypeError``) naming it.
    """
    return cleaner_for(CleanerConfig.from_options(**options)).explain(text, url=url, kind=kind)


def clean(text: Any, *, url: str | None = None, kind: str = "auto", **options: Any) -> str:
    """Article text of ``text``: ``explain(text, url=url, kind=kind, **options).text``."""
    return explain(text, url=url, kind=kind, **options).text


def explain_html(html: Any, *, url: str | None = None, **options: Any) -> Result:
    """Extract the article from ``html`` with trafilatura, clean it, and explain the removals.

    ``url`` and ``options`` as for :func:`explain`.
    """
    return cleaner_for(CleanerConfig.from_options(**options)).explain_html(html, url=url)


def clean_html(html: Any, *, url: str | None = None, **options: Any) -> str:
    """Article text of an HTML page: ``explain_html(html, url=url, **options).text``."""
    return explain_html(html, url=url, **options).text
