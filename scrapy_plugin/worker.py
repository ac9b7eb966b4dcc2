"""Cleaning in a worker process: the job functions of the process pool.

With ``ARTICLE_CLEANER_POOL_KIND = "process"`` jobs cannot share the pipeline's
:class:`~cleaner.Cleaner`, so each carries the (picklable) :class:`~cleaner.CleanerConfig`
and the worker gets its cleaner from the factory (:func:`cleaner.factory.cleaner_for`),
built once per configuration and process.
"""

from __future__ import annotations

from cleaner import CleanerConfig, Result
from cleaner.factory import cleaner_for
from cleaner.profiles.learning import LearnedPage, explain_for_learning
from cleaner.records import Page

WARM_UP_PAGE = "<html><body><article><h1>Warm-up</h1><p>A short page that makes the worker import trafilatura and build its cleaner before the first item arrives.</p></article></body></html>"


def warm_up(config: CleanerConfig) -> None:
    """Build the cleaner and run one small page, so the first item does not pay the imports."""
    cleaner_for(config).explain_html(WARM_UP_PAGE)


def clean_in_worker(config: CleanerConfig, page: Page) -> Result:
    """Clean one page in a worker process (the job function of the process pool).

    The pipeline writes only the text and the explanation, so the result goes back
    without its metadata: pickling would otherwise extract it (a quarter of a page's cost).
    """
    result = page.clean(cleaner_for(config))
    result.metadata = {}
    return result


def learn_in_worker(config: CleanerConfig, page: Page) -> LearnedPage:
    """:func:`clean_in_worker` for in-crawl site learning: the result (without metadata) and
    the page's summary for its site's profile, from the same extraction."""
    learned = explain_for_learning(cleaner_for(config), page)
    learned.result.metadata = {}
    return learned
