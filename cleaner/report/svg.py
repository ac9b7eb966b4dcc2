"""Charts as inline SVG: horizontal bars and a histogram, drawn as text, no script.

Inline SVG instead of a charting library: the report must work offline as one file,
and Chart.js 4.6.1 (``chart.umd.min.js``) alone is 210 KB (71 KB gzipped) per report
and would draw on a canvas, where the numbers are pixels; these functions are a
few dozen lines, each chart a few KB, and every value is text in the page (and in a
``data-value`` attribute), so a browser test can read back what is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

LABEL_WIDTH = 280
BAR_WIDTH = 420
ROW = 22
LABEL_CHARS = 42
COLOURS = {"rule": "#4e79a7", "learned": "#59a14f", "detector": "#f28e2b", "model": "#b07aa1"}
DEFAULT_COLOUR = "#4e79a7"


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value, hover text and colour."""

    label: str
    value: int
    hint: str = ""
    colour: str = DEFAULT_COLOUR


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def bar_chart(bars: Sequence[Bar], name: str) -> str:
    """Horizontal bars, longest first as given, each labelled with its value."""
    if not bars:
        return '<p class="empty">nothing to show</p>'
    top = max(bar.value for bar in bars) or 1
    height = ROW * len(bars) + 4
    width = LABEL_WIDTH + BAR_WIDTH + 70
    rows = []
    for i, bar in enumerate(bars):
        y = i * ROW + 2
        length = max(1.0, BAR_WIDTH * bar.value / top) if bar.value else 0.0
        hint = escape(bar.hint or bar.label)
        rows.append(
            f'<g class="bar" data-label="{escape(bar.label)}" data-value="{bar.value}"><title>{hint}: {bar.value}</title>'
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(_short(bar.label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW - 6}" fill="{bar.colour}"/>'
            f'<text class="value" x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 15}">{bar.value}</text></g>'
        )
    return (f'<svg class="chart" data-chart="{escape(name)}" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>')


def histogram(counts: Sequence[int], labels: Sequence[str], name: str) -> str:
    """Vertical bars over ``labels`` (one per bin), each topped by its count."""
    top = max(counts, default=0) or 1
    column, plot = 64, 180
    width, height = column * len(counts) + 10, plot + 50
    cols = []
    for i, (count, label) in enumerate(zip(counts, labels)):
        x = 5 + i * column
        tall = max(2.0, plot * count / top) if count else 0.0  # a bin of one document stays visible
        y = 20 + plot - tall
        cols.append(
            f'<g class="bin" data-label="{escape(label)}" data-value="{count}"><title>{escape(label)}: {count} documents</title>'
            f'<rect x="{x + 6}" y="{y:.1f}" width="{column - 12}" height="{tall:.1f}" fill="{DEFAULT_COLOUR}"/>'
            f'<text class="value" x="{x + column / 2}" y="{y - 4:.1f}" text-anchor="middle">{count}</text>'
            f'<text x="{x + column / 2}" y="{plot + 38}" text-anchor="middle">{escape(label)}</text></g>'
        )
    axis = f'<line x1="5" y1="{plot + 20}" x2="{width - 5}" y2="{plot + 20}" stroke="#888"/>'
    return (f'<svg class="chart" data-chart="{escape(name)}" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">{axis}{"".join(cols)}</svg>')
