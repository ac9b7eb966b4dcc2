"""Scrapy integration of article-cleaner: one line in ``ITEM_PIPELINES`` cleans every item.

    ITEM_PIPELINES = {"scrapy_plugin.ArticleCleanerPipeline": 300}

Settings are ``ARTICLE_CLEANER_*`` (see :mod:`scrapy_plugin.settings`); stats are
``article_cleaner/*``; optional in-crawl site learning lives in
:mod:`scrapy_plugin.site_learning`.
"""

from __future__ import annotations

try:
    import itemadapter  # noqa: F401 - the scrapy extra's packages, checked once with a message that says what to install
    import scrapy  # noqa: F401
except ImportError as exc:
    raise ImportError(
        f"scrapy_plugin needs the scrapy extra ({exc.name} is missing): "
        "pip install 'article-cleaner[scrapy]' (from a clone: pip install -e '.[scrapy]')"
    ) from exc

from .pipeline import ArticleCleanerPipeline
from .settings import DEFAULTS, PipelineSettings, SettingsError
from .site_learning import SiteLineCounter

__all__ = ["DEFAULTS", "ArticleCleanerPipeline", "PipelineSettings", "SettingsError", "SiteLineCounter"]
