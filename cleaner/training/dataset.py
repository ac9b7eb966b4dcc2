"""Labelled line features: benchmark pages and golden pairs turned into training rows."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..evidence import Evidence
from ..features import line_features
from ..golden import discover
from ..textlines import split_text, strip_bullet
from ..view import Line
from .benchmarks import AEB_NAME, Page
from .labels import UNKNOWN, label_lines


@dataclass(frozen=True)
class LabelledPage:
    """One page's lines with features and labels (``labels[i]``: 0 content, 1 junk, -1 unknown)."""

    dataset: str
    id: str
    lines: tuple[str, ...]
    features: tuple[tuple[float, ...], ...]
    labels: tuple[int, ...]
    words: tuple[int, ...]
    evidence: tuple[Evidence | None, ...] = ()

    @property
    def labelled(self) -> list[int]:
        return [i for i, label in enumerate(self.labels) if label != UNKNOWN]


def view_of(lines: Sequence[str], gaps: Sequence[int] = (), evidence: Sequence[Evidence | None] = ()) -> list[Line]:
    """The core's view of already-split lines (with their gaps and HTML evidence when known)."""
    return [
        Line.make(i + 1, text, gaps[i] if i < len(gaps) else 1, evidence[i] if i < len(evidence) else None)
        for i, text in enumerate(lines)
    ]


def from_page(page: Page) -> LabelledPage:
    """Features and gold-aligned labels of one benchmark page (AEB gold has no title)."""
    gold_has_title = page.dataset != AEB_NAME
    labels = label_lines(page.lines, page.gold, title=page.title, without=page.without, gold_has_title=gold_has_title)
    if not gold_has_title:
        # the headline is not in AEB's gold body; do not teach the model that it is junk
        labels = [UNKNOWN if label == 1 and i < 3 and len(page.lines[i].split()) >= 4 else label for i, label in enumerate(labels)]
    view = view_of(page.lines, page.gaps, page.evidence)
    rows = tuple(tuple(r) for r in line_features(view))
    return LabelledPage(page.dataset, page.id, page.lines, rows, tuple(labels), tuple(line.words for line in view), page.evidence)


def from_goldens(dirs: Iterable[str | os.PathLike[str]]) -> list[LabelledPage]:
    """Golden text cases: input lines missing from the expected output are junk."""
    pages = []
    for case in discover(dirs):
        if case.input_path.suffix != ".txt":
            continue
        split = split_text(case.input_path.read_text(encoding="utf-8"))
        expected = {line.strip() for line in case.expected_path.read_text(encoding="utf-8").splitlines() if line.strip()}
        lines = [" ".join(raw.split()) for _n, raw in split.lines]
        view = view_of(lines, split.gaps)
        labels = tuple(0 if line.text in expected or strip_bullet(line.text) in expected else 1 for line in view)
        rows = tuple(tuple(r) for r in line_features(view))
        pages.append(LabelledPage("golden", str(Path(case.path)), tuple(lines), rows, labels, tuple(v.words for v in view)))
    return pages
