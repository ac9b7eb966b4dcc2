"""Scrapy integration of article-cleaner: one line in ``ITEM_PIPELINES`` cleans every item.

    ITEM_PIPELINES = {"scrapy_plugin.ArticleCleanerPipeline": 300}

Settings are ``ARTICLE_CLEANER_*`` (see :mod:`scrapy_plugin.settings`); stats are
``article_cleaner/*``; optional in-crawl site learning lives in
:mod:`scrapy_plugin.site_learning`.
"""

from __future__ import annotations

from .pipeline import ArticleCleanerPipeline
from .settings import DEFAULTS, PipelineSettings, SettingsError
from .site_learning import SiteLineCounter

__all__ = ["DEFAULTS", "ArticleCleanerPipeline", "PipelineSettings", "SettingsError", "SiteLineCounter"]
