"""One page read for profiles: its blocks, its extracted lines traced to them, its summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .learner import PageSummary, summarise_page
from .paths import Block, read_blocks, trace_lines

if TYPE_CHECKING:
    from ..tracer import PageIndex


@dataclass(frozen=True)
class PageTrace:
    """Each extracted line's block (``None`` when untraced) and what the page adds to its
    site's counts. Plain data: it pickles, so a benchmark can cache it."""

    lines: tuple[Block | None, ...]
    summary: PageSummary


def trace_page(site: str, index: PageIndex, lines: Sequence[str]) -> PageTrace:
    """Read the indexed page's blocks and trace ``lines`` (its extracted lines) to them."""
    blocks = read_blocks(index)
    elements = trace_lines(index, lines)
    traced = tuple(None if element is None else blocks.block_of(element) for element in elements)
    summary = summarise_page(site, blocks, elements, [len(line.split()) for line in lines])
    return PageTrace(traced, summary)
