"""Cleaning in a worker process: what a job carries, and the per-process cleaner cache.

With ``ARTICLE_CLEANER_POOL_KIND = "process"`` jobs cannot share the pipeline's
:class:`~cleaner.Cleaner`, so each carries a small picklable :class:`CleanerSpec`
(rules file paths and options); a worker builds a cleaner once per spec and reuses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cleaner import Cleaner, Result
from cleaner.records import Page


@dataclass(frozen=True)
class CleanerSpec:
    """How to build the cleaner: rules files in order, the time budget, a version to compare."""

    rules: tuple[str, ...]
    time_budget: float | None
    version: int = 0

    def build(self) -> Cleaner:
        """A cleaner for this spec."""
        return Cleaner(rules=list(self.rules), time_budget=self.time_budget)


_cached: tuple[CleanerSpec, Cleaner] | None = None


def cleaner_for(spec: CleanerSpec) -> Cleaner:
    """This process's cleaner for ``spec``, built on first use (one spec cached)."""
    global _cached
    if _cached is None or _cached[0] != spec:
        _cached = (spec, spec.build())
    return _cached[1]


WARM_UP_PAGE = "<html><body><article><h1>Warm-up</h1><p>A short page that makes the worker import trafilatura and build its cleaner before the first item arrives.</p></article></body></html>"


def warm_up(spec: CleanerSpec) -> None:
    """Build the cleaner and run one small page, so the first item does not pay the imports."""
    cleaner_for(spec).explain_html(WARM_UP_PAGE)


def clean_in_worker(spec: CleanerSpec, page: Page) -> Result:
    """Clean one page in a worker process (the job function of the process pool).

    The pipeline writes only the text and the explanation, so the result goes back
    without its metadata: pickling would otherwise extract it (a quarter of a page's cost).
    """
    result = page.clean(cleaner_for(spec))
    result.metadata = {}
    return result
