"""One indexed page read for learning: its blocks and its extracted lines traced to them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .learner import PageSummary, summarise_page
from ..tracer import trace_elements
from .paths import read_blocks

if TYPE_CHECKING:
    from ..tracer import PageIndex


def page_summary(site: str, index: PageIndex, lines: Sequence[str]) -> PageSummary:
    """What the indexed page (``lines``: its extracted lines) adds to its site's counts: every
    block of the page read, the lines traced to them (for the article container)."""
    blocks = read_blocks(index)
    elements = trace_elements(index, lines)
    return summarise_page(site, blocks, elements, [len(line.split()) for line in lines])
