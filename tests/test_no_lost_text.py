"""No lost text: on every benchmark page, each line trafilatura extracted is kept or
removed with an explanation, and removed content stays under 1% of content lines.

Runs over all 181 pages of ``../shared/data/article-extraction-benchmark`` (skipped
when absent). ``python -m bench.content_lost`` prints the same figures by rule.
"""

from __future__ import annotations

from bench.content_lost import audit_page, iter_pages
from cleaner import Cleaner

from conftest import AEB, require_data

MAX_CONTENT_LOSS = 0.01


def test_every_extracted_line_is_kept_or_explained_and_content_loss_is_small() -> None:
    require_data(AEB)
    cleaner = Cleaner()
    audits = [audit_page(cleaner, *page) for page in iter_pages(AEB)]
    assert len(audits) == 181
    unaccounted = {a.page: a.unaccounted for a in audits if a.unaccounted}
    assert not unaccounted, f"lines lost without an explanation: {unaccounted}"
    content = sum(a.content for a in audits)
    removed = [item for a in audits for item in a.content_removed]
    assert content > 3000
    assert len(removed) / content <= MAX_CONTENT_LOSS, removed
