"""In-crawl learning of site profiles: clean a page and summarise its blocks in one go.

The Scrapy pipeline cleans pages in worker processes; a page's tree never leaves the
worker, so the summary its site's profile needs (:class:`~cleaner.profiles.PageSummary`)
is made there, from the same extraction the page is cleaned from, and travels back with
the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..sites import site_of
from .learner import PageSummary
from .page import page_summary

if TYPE_CHECKING:
    from ..core import Cleaner
    from ..records import Page
    from ..result import Result


@dataclass(frozen=True)
class LearnedPage:
    """A page's cleaning result and what it adds to its site's profile (``None`` for text,
    a page without a site, or one that could not be traced): the job of in-crawl learning."""

    result: Result
    summary: PageSummary | None


def explain_for_learning(cleaner: Cleaner, page: Page) -> LearnedPage:
    """Clean ``page`` as :meth:`~cleaner.records.Page.clean` does and, for an HTML page of a
    site, summarise its blocks for the site's profile from the same extraction."""
    site = site_of(page.url)
    if page.kind != "html" or not site:
        return LearnedPage(page.clean(cleaner), None)
    from ..extraction import extract

    extraction = extract(page.content, page.url)
    result = cleaner.explain_extraction(extraction)
    summary = None
    if extraction.page is not None:
        summary = page_summary(site, extraction.page, extraction.lines)
    return LearnedPage(result, summary)
