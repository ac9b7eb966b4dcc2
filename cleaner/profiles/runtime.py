"""A loaded site profile at work in ``clean_html``: find the page's profile, mark, remove.

Profiles arrive as ``"profile"`` rules of a rules file. For a page whose URL belongs to a
profiled site, :func:`profile_page` extracts the page again within the site's article
container when the first extraction missed it (:mod:`.retry`), traces the extracted lines to
their blocks and marks those the profile accounts for; the core runs the marks as one more stage of its fixpoint
loop (:class:`ProfileStage`), after everything else, so its removals read like any other
(source ``learned``, the profile rule's id, a reason such as "template block div.bottom > p
in 23 of 25 pages of example.com") and the core cleans on without them.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..sites import host_of
from ..view import Line, Verdict
from .apply import ProfileIndex, limit, mark_lines
from .paths import traced_blocks
from .retry import retry_missed

if TYPE_CHECKING:
    from ..extraction import Extraction
    from ..rules import Rule, RuleSet
    from ..stages import Context

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


@dataclass(frozen=True)
class ProfiledPage:
    """A page as its site's profile has it cleaned: the extraction (done again within the
    site's article container when the first one missed it) and the profile's stage."""

    extraction: Extraction
    stage: ProfileStage | None = None


def profile_page(rule_set: RuleSet, extraction: Extraction) -> ProfiledPage:
    """The page with the profile of its site applied, when ``rule_set`` holds one and the page
    was traced: a missed article container extracted again (:mod:`.retry`), the lines the
    profile accounts for marked (:class:`ProfileStage`)."""
    if extraction.page is None or not rule_set.rules:
        return ProfiledPage(extraction)
    found = profile_for(rule_set, host_of(extraction.url))
    if found is None:
        return ProfiledPage(extraction)
    rule, index = found
    traced = traced_blocks(extraction.page, extraction.lines)
    retried = retry_missed(index.profile, extraction, traced)
    if retried is not None and retried.page is not None:
        extraction = retried
        traced = traced_blocks(retried.page, retried.lines)
    lines = extraction.lines
    return ProfiledPage(extraction, ProfileStage.of_marks(rule, mark_lines(index, traced, lines), extraction))


@dataclass(frozen=True)
class ProfileStage:
    """A site profile as a stage of the core, for one page: the lines it marks (by index into
    the extracted lines) go once nothing else finds anything, so a line the rules, detectors
    or model remove keeps their explanation, and the core cleans on without them. If the
    lines still there would exceed the profile's share of the page (:func:`limit`), none go
    and the page's warnings say the profile stepped back."""

    rule: Rule
    marks: Mapping[int, str]
    """line number in the extracted text -> reason"""
    lines: tuple[str, ...]
    """the page's extracted lines (the share limit counts their characters)"""
    numbers: tuple[int, ...]
    """line number in the extracted text of each extracted line"""
    settled: bool = False

    @classmethod
    def of_marks(cls, rule: Rule, marks: Mapping[int, str], extraction: Extraction) -> ProfileStage:
        """The stage removing ``marks`` (indices into ``extraction.lines`` -> reasons)."""
        numbers = tuple(line_numbers(extraction.blocks))
        return cls(rule, {numbers[i]: reason for i, reason in marks.items()}, tuple(extraction.lines), numbers)

    @property
    def id(self) -> str:
        return self.rule.id

    def verdicts(self, view: Sequence[Line], context: Context) -> list[Verdict]:
        if self.rule.profile is None:
            return []
        live = {line.number: index for index, line in enumerate(view) if not line.ghost and line.number in self.marks}
        if not live:
            return []
        index_of = {number: i for i, number in enumerate(self.numbers)}
        limited = limit(self.rule.profile, {index_of[n]: self.marks[n] for n in live}, self.lines)
        if limited.warning and limited.warning not in context.warnings:
            context.warnings.append(limited.warning)
        return [Verdict(live[self.numbers[i]], self.rule.id, "learned", reason) for i, reason in sorted(limited.reasons.items())]


def line_numbers(blocks: Sequence[Sequence[str]]) -> list[int]:
    """The line number in the extracted text (blocks apart by a blank line) of each line."""
    numbers: list[int] = []
    number = 1
    for block in blocks:
        numbers.extend(range(number, number + len(block)))
        number += len(block) + 1
    return numbers
