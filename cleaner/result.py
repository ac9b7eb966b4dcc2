"""What a clean returns: the text plus an account of every line it removed or changed.

Modelled on ftfy's ``fix_and_explain``: the output and the steps that made it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Removal:
    """One removed line: where it was, what it said, who removed it and why.

    ``source`` is ``"rule"`` (hand-written rule), ``"learned"`` (learned rule),
    ``"detector"`` (structural detector in code) or ``"model"`` (the line model).
    """

    line: int
    text: str
    rule_id: str
    source: str
    reason: str


@dataclass(frozen=True)
class Change:
    """A kept line whose text was edited beyond whitespace (e.g. a headline bullet trimmed)."""

    line: int
    before: str
    after: str
    rule_id: str
    reason: str


@dataclass
class Result:
    """The cleaned ``text`` with the ``removals`` and ``changes`` that produced it.

    ``warnings`` holds problems that did not stop the clean (a pattern that timed
    out, a time budget exceeded); ``metadata`` holds what HTML extraction found
    (title, date, author, sitename, url), extracted on first access, and is empty
    for plain text.
    """

    text: str
    removals: list[Removal] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kind: str = "text"
    url: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    budget_exceeded: bool = False
    kept_lines: int = 0

    def __str__(self) -> str:
        return self.text

    @property
    def removed_by_source(self) -> dict[str, int]:
        """Count of removed lines per source (``rule``, ``learned``, ``detector``, ``model``)."""
        counts: dict[str, int] = {}
        for removal in self.removals:
            counts[removal.source] = counts.get(removal.source, 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as written by ``article-cleaner clean --format json``."""
        return {
            "text": self.text,
            "kind": self.kind,
            "url": self.url,
            "removals": [asdict(r) for r in self.removals],
            "changes": [asdict(c) for c in self.changes],
            "warnings": list(self.warnings),
            "metadata": dict(self.metadata),
            "budget_exceeded": self.budget_exceeded,
        }

    def explanation(self) -> str:
        """Human-readable list of removals and changes, one per line, in line order."""
        rows: list[tuple[int, str]] = []
        for r in self.removals:
            rows.append((r.line, f"line {r.line}: removed [{r.source}:{r.rule_id}] {r.reason}: {_quote(r.text)}"))
        for c in self.changes:
            rows.append((c.line, f"line {c.line}: changed [{c.rule_id}] {c.reason}: {_quote(c.before)} -> {_quote(c.after)}"))
        rows.sort(key=lambda row: row[0])
        lines = [text for _, text in rows]
        lines.extend(f"warning: {w}" for w in self.warnings)
        if not lines:
            return "nothing removed"
        return "\n".join(lines)


def _quote(text: str, limit: int = 100) -> str:
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return repr(text)
