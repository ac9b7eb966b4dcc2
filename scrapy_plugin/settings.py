"""The pipeline's settings: every ``ARTICLE_CLEANER_*`` name, its default, and validation.

Read once in ``from_crawler`` so that a typo'd value fails the crawl at start-up
with a message naming the setting, not halfway through a crawl.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from cleaner.records import RecordFields

from .pool import KINDS

PREFIX = "ARTICLE_CLEANER_"

#: Every setting with its default (``None`` = off). Documented in the README table.
DEFAULTS: dict[str, Any] = {
    "ENABLED": True,
    "HTML_FIELD": "html",
    "TEXT_FIELD": "text",
    "URL_FIELD": "url",
    "OUTPUT_FIELD": "clean_text",
    "EXPLANATION_FIELD": None,
    "EMPTY_FLAG_FIELD": "clean_empty",
    "DROP_EMPTY": False,
    "RULES": [],
    "POOL_SIZE": 1,
    "POOL_KIND": "process",
    "TIME_BUDGET": 2.0,
    "GC_FREEZE": True,
    "LEARN_SITES": False,
    "LEARNED_RULES_FILE": None,
    "LEARN_MIN_PAGES": 5,
    "LEARN_MIN_SHARE": 0.5,
    "LEARN_MIN_DOCUMENTS": 3,
    "LEARN_SENTENCE_SHARE": 0.9,
    "LEARN_MAX_PAGES_PER_SITE": 500,
    "LEARN_REBUILD_EVERY": 10,
}


class SettingsError(ValueError):
    """An ``ARTICLE_CLEANER_*`` setting has a value the pipeline cannot use."""


@dataclass(frozen=True)
class PipelineSettings:
    """The validated ``ARTICLE_CLEANER_*`` settings (see :data:`DEFAULTS`)."""

    enabled: bool
    fields: RecordFields  # html, text, url read; output, explain (``EXPLANATION_FIELD``) written
    empty_flag_field: str | None
    drop_empty: bool
    rules: tuple[str, ...]
    pool_size: int
    pool_kind: str
    time_budget: float | None
    gc_freeze: bool
    learn_sites: bool
    learned_rules_file: str | None
    learn_min_pages: int
    learn_min_share: float
    learn_min_documents: int
    learn_sentence_share: float
    learn_max_pages_per_site: int
    learn_rebuild_every: int

    @classmethod
    def from_settings(cls, settings: Any) -> PipelineSettings:
        """Read from a Scrapy ``Settings`` object (anything with ``get``/``getbool``/``getlist``)."""

        def raw(name: str) -> Any:
            return settings.get(PREFIX + name, DEFAULTS[name])

        def field_name(name: str, required: bool = False) -> str | None:
            value = raw(name)
            if value in (None, "") and not required:
                return None
            if not isinstance(value, str) or not value:
                raise SettingsError(f"{PREFIX}{name} must be an item field name (a non-empty string), got {value!r}")
            return value

        def number(name: str, kind: type, minimum: float, allow_none: bool = False) -> Any:
            value = raw(name)
            if value is None and allow_none:
                return None
            try:
                converted = kind(value)
            except (TypeError, ValueError):
                raise SettingsError(f"{PREFIX}{name} must be a number, got {value!r}") from None
            if converted < minimum:
                raise SettingsError(f"{PREFIX}{name} must be at least {minimum}, got {value!r}")
            return converted

        def flag(name: str) -> bool:
            return settings.getbool(PREFIX + name, DEFAULTS[name])

        html_field = field_name("HTML_FIELD")
        text_field = field_name("TEXT_FIELD")
        if html_field is None and text_field is None:
            raise SettingsError(f"set {PREFIX}HTML_FIELD or {PREFIX}TEXT_FIELD (or both): the pipeline needs an input field")
        share = number("LEARN_MIN_SHARE", float, 0.0)
        sentence_share = number("LEARN_SENTENCE_SHARE", float, 0.0)
        if share > 1 or sentence_share > 1:
            raise SettingsError(f"{PREFIX}LEARN_MIN_SHARE and {PREFIX}LEARN_SENTENCE_SHARE are shares between 0 and 1")
        budget = number("TIME_BUDGET", float, 0.0, allow_none=True)
        pool_kind = raw("POOL_KIND")
        if pool_kind not in KINDS:
            raise SettingsError(f"{PREFIX}POOL_KIND must be one of {KINDS}, got {pool_kind!r}")
        learned_file = raw("LEARNED_RULES_FILE")
        if learned_file not in (None, "") and not isinstance(learned_file, (str, os.PathLike)):
            raise SettingsError(f"{PREFIX}LEARNED_RULES_FILE must be a file path, got {learned_file!r}")
        return cls(
            enabled=flag("ENABLED"),
            fields=RecordFields(
                text=text_field, html=html_field, url=field_name("URL_FIELD"),
                output=field_name("OUTPUT_FIELD", required=True),  # type: ignore[arg-type]
                explain=field_name("EXPLANATION_FIELD"),
            ),
            empty_flag_field=field_name("EMPTY_FLAG_FIELD"),
            drop_empty=flag("DROP_EMPTY"),
            rules=tuple(str(path) for path in settings.getlist(PREFIX + "RULES", DEFAULTS["RULES"])),
            pool_size=number("POOL_SIZE", int, 1),
            pool_kind=pool_kind,
            time_budget=budget or None,
            gc_freeze=flag("GC_FREEZE"),
            learn_sites=flag("LEARN_SITES"),
            learned_rules_file=os.fspath(learned_file) if learned_file not in (None, "") else None,
            learn_min_pages=number("LEARN_MIN_PAGES", int, 1),
            learn_min_share=share,
            learn_min_documents=number("LEARN_MIN_DOCUMENTS", int, 1),
            learn_sentence_share=sentence_share,
            learn_max_pages_per_site=number("LEARN_MAX_PAGES_PER_SITE", int, 1),
            learn_rebuild_every=number("LEARN_REBUILD_EVERY", int, 1),
        )
