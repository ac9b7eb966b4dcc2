"""A loaded site profile at work in ``clean_html``: find the page's profile, mark, clean.

Profiles arrive as ``"profile"`` rules of a rules file. For a page whose URL belongs to
a profiled site, the extracted lines the profile marks and the cleaner kept are taken out of
the :class:`~cleaner.extraction.Extraction` and the rest is cleaned again
(:func:`explain_with_profile`); :meth:`Applied.finish` reports them as removals (source
``learned``, the profile rule's id, a reason such as "template block div.bottom > p in
23 of 25 pages of example.com") and counts every line number in the full extracted text,
like every other removal.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..sites import host_of
from .apply import ProfileIndex, limit, mark_lines
from .paths import read_blocks, trace_lines

if TYPE_CHECKING:
    from ..evidence import Evidence
    from ..extraction import Extraction
    from ..result import Removal, Result
    from ..rules import Rule, RuleSet

Explain = Callable[["Extraction"], "Result"]
"""The core's cleaning of an extraction (``Cleaner._explain_extracted``)."""

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


def explain_with_profile(rule_set: RuleSet, extraction: Extraction, explain: Explain) -> Result:
    """``explain(extraction)``, then, when ``rule_set`` holds a profile of the page's site and
    the page was traced, the same without the lines the profile marks that nothing else
    removed (:func:`explain_with_marks`)."""
    if extraction.page is None or not rule_set.rules:
        return explain(extraction)
    found = profile_for(rule_set, host_of(extraction.url))
    if found is None:
        return explain(extraction)
    rule, index = found
    lines = extraction.lines
    elements = trace_lines(extraction.page, lines)
    blocks = read_blocks(extraction.page, elements)
    traced = [None if element is None else blocks.block_of(element) for element in elements]
    return explain_with_marks(extraction, mark_lines(index, traced, lines), rule, explain)


def explain_with_marks(extraction: Extraction, marks: Mapping[int, str], rule: Rule, explain: Explain) -> Result:
    """Clean ``extraction`` with ``explain``; the marked lines (indices into its lines) that
    the cleaner kept are then taken out and the rest cleaned again, unless they exceed the
    profile's share of the page (:func:`~cleaner.profiles.apply.limit`: a warning instead).
    Lines something else removes keep that explanation."""
    result = explain(extraction)
    if not marks or rule.profile is None:
        return result
    numbers = line_numbers(extraction.blocks)
    removed = {removal.line for removal in result.removals}
    survivors = {i: reason for i, reason in marks.items() if numbers[i] not in removed}
    limited = limit(rule.profile, survivors, extraction.lines)
    if limited.warning:
        result.warnings.append(limited.warning)
    if not limited.reasons:
        return result
    reduced, applied = without_marked(extraction, limited.reasons, rule.id)
    return applied.finish(explain(reduced))


def line_numbers(blocks: Sequence[Sequence[str]]) -> list[int]:
    """The line number in the extracted text (blocks apart by a blank line) of each line."""
    numbers: list[int] = []
    number = 1
    for block in blocks:
        numbers.extend(range(number, number + len(block)))
        number += len(block) + 1
    return numbers


@dataclass(frozen=True)
class Applied:
    """Lines a profile took out of an extraction, and how to number the rest."""

    removals: tuple[Removal, ...]
    numbers: tuple[int, ...]
    """line number in the full extracted text of each line number of the reduced text (index = number - 1)"""

    def finish(self, result: Result) -> Result:
        """``result`` (of the reduced extraction) with the profile's removals added
        and every line number counted in the full extracted text."""
        def full(number: int) -> int:
            return self.numbers[number - 1] if 0 < number <= len(self.numbers) else number

        result.removals = sorted(
            [*self.removals, *(replace(r, line=full(r.line)) for r in result.removals)], key=lambda r: r.line,
        )
        result.changes = [replace(c, line=full(c.line)) for c in result.changes]
        return result


def without_marked(extraction: Extraction, marks: Mapping[int, str], rule_id: str) -> tuple[Extraction, Applied]:
    """``extraction`` without the lines in ``marks`` (indices into its lines -> reasons)."""
    from ..result import Removal

    evidence = extraction.evidence
    kept_blocks: list[tuple[str, ...]] = []
    kept_evidence: list[Evidence | None] = []
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
    return reduced, Applied(tuple(removed), tuple(numbers))
