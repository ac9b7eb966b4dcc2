"""A loaded site profile at work in ``clean_html``: find the page's profile, mark, clean.

Profiles arrive as ``"profile"`` rules of a rules file. For a page whose URL belongs to
a profiled site, the extracted lines the profile marks are taken out of the
:class:`~cleaner.extraction.Extraction` before the core cleans the rest
(:func:`apply_profile`); :meth:`Applied.finish` then reports them as removals (source
``learned``, the profile rule's id, a reason such as "template block div.bottom > p in
23 of 25 pages of example.com") and counts every line number in the full extracted text,
like every other removal.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..sites import host_of
from .apply import ProfileIndex, mark_lines
from .paths import read_blocks, trace_lines

if TYPE_CHECKING:
    from ..extraction import Extraction
    from ..result import Removal, Result
    from ..rules import Rule, RuleSet

_PREPARED: weakref.WeakKeyDictionary[Any, list[tuple[Rule, ProfileIndex]]] = weakref.WeakKeyDictionary()


def site_profiles(rule_set: RuleSet) -> list[tuple[Rule, ProfileIndex]]:
    """The profile rules of ``rule_set`` prepared for lookups (once per rule set)."""
    prepared = _PREPARED.get(rule_set)
    if prepared is None:
        prepared = [(rule, ProfileIndex.of(rule.profile)) for rule in rule_set.rules
                    if rule.kind == "profile" and rule.profile is not None]
        _PREPARED[rule_set] = prepared
    return prepared


def profile_for(rule_set: RuleSet, host: str | None) -> tuple[Rule, ProfileIndex] | None:
    """The profile of the page's site (the first profile rule in scope for ``host``)."""
    if not host:
        return None
    for rule, index in site_profiles(rule_set):
        if rule.applies_to(host):
            return rule, index
    return None


def apply_profile(rule_set: RuleSet, extraction: Extraction) -> tuple[Extraction, Applied | None]:
    """``extraction`` without the lines the profile of its site marks, and what was taken
    out (``None`` when ``rule_set`` has no profile for the page or the page was not traced)."""
    if extraction.page is None or not rule_set.rules:
        return extraction, None
    found = profile_for(rule_set, host_of(extraction.url))
    if found is None:
        return extraction, None
    rule, index = found
    lines = extraction.lines
    blocks = read_blocks(extraction.page)
    traced = [None if element is None else blocks.block_of(element) for element in trace_lines(extraction.page, lines)]
    marks = mark_lines(index, traced, lines)
    return without_marked(extraction, marks.reasons, rule.id, marks.warning)


@dataclass(frozen=True)
class Applied:
    """Lines a profile took out of an extraction, and how to number the rest."""

    removals: tuple[Removal, ...]
    numbers: tuple[int, ...]
    """line number in the full extracted text of each line number of the reduced text (index = number - 1)"""
    warning: str | None

    def finish(self, result: Result) -> Result:
        """``result`` (of the reduced extraction) with the profile's removals and warning added
        and every line number counted in the full extracted text."""
        def full(number: int) -> int:
            return self.numbers[number - 1] if 0 < number <= len(self.numbers) else number

        result.removals = sorted(
            [*self.removals, *(replace(r, line=full(r.line)) for r in result.removals)], key=lambda r: r.line,
        )
        result.changes = [replace(c, line=full(c.line)) for c in result.changes]
        if self.warning:
            result.warnings.append(self.warning)
        return result


def without_marked(
    extraction: Extraction, marks: Mapping[int, str], rule_id: str, warning: str | None = None,
) -> tuple[Extraction, Applied | None]:
    """``extraction`` without the lines in ``marks`` (indices into its lines -> reasons)."""
    from ..result import Removal

    if not marks:
        return extraction, (Applied((), (), warning) if warning else None)
    evidence = extraction.evidence
    kept_blocks: list[tuple[str, ...]] = []
    kept_evidence: list[Mapping[str, Any] | None] = []
    removed: list[Removal] = []
    numbers: list[int] = []
    flat, number = 0, 1  # index among the extracted lines; line number in the full text
    for block in extraction.blocks:
        kept: list[str] = []
        for line in block:
            if flat in marks:
                removed.append(Removal(number, line, rule_id, "learned", marks[flat]))
            else:
                kept.append(line)
                if evidence is not None:
                    kept_evidence.append(evidence[flat] if flat < len(evidence) else None)
            flat += 1
            number += 1
        if kept:
            if kept_blocks:
                numbers.append(-1)  # the blank line between blocks of the reduced text
            first = number - len(block)
            numbers.extend(first + i for i, line in enumerate(block) if (flat - len(block) + i) not in marks)
            kept_blocks.append(tuple(kept))
        number += 1  # the blank line between blocks
    reduced = replace(extraction, blocks=tuple(kept_blocks),
                      evidence=None if evidence is None else tuple(kept_evidence), page=None)
    return reduced, Applied(tuple(removed), tuple(numbers), warning)
