"""What a rules file (typically one ``article-cleaner learn`` wrote) holds, grouped by site."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ..rules import Rule, RuleFile, load_rules

GLOBAL = ""  # the group of rules without sites


@dataclass(frozen=True)
class RuleRow:
    """One rule as the report lists it: its lines or pattern, reason, and the learner's support."""

    id: str
    source: str
    action: str
    examples: tuple[str, ...]
    reason: str
    docs: int | None
    share: float | None
    support: tuple[tuple[str, Any], ...]
    enabled: bool


@dataclass(frozen=True)
class SiteRules:
    """The rules of one site (``site == GLOBAL``: rules for every site)."""

    site: str
    rules: tuple[RuleRow, ...]

    @property
    def docs(self) -> int:
        return sum(rule.docs or 0 for rule in self.rules)


@dataclass(frozen=True)
class RulesReport:
    """A rules file's rules, grouped by site (most rules first, global rules first of all)."""

    source: str
    name: str
    generated: tuple[tuple[str, Any], ...]
    groups: tuple[SiteRules, ...]
    disabled: tuple[str, ...]

    @property
    def rules(self) -> int:
        return sum(len(group.rules) for group in self.groups)

    @property
    def learned(self) -> int:
        return sum(1 for group in self.groups for rule in group.rules if rule.source == "learned")


def rule_row(rule: Rule) -> RuleRow:
    learned = dict(rule.learned or {})
    support = dict(learned.get("support") or {})
    docs = support.get("docs")
    share = support.get("share")  # a site rule's share of its site's pages (global rules have none)
    examples = rule.lines if rule.kind == "exact" else (f"/{rule.pattern}/",)
    return RuleRow(
        rule.id, rule.source, rule.action, tuple(examples), rule.reason,
        int(docs) if isinstance(docs, (int, float)) else None, float(share) if isinstance(share, (int, float)) else None,
        tuple(sorted(support.items())), rule.enabled,
    )


def group_rules(rule_file: RuleFile, source: str) -> RulesReport:
    """The report of ``rule_file``: a rule limited to several sites is listed under each."""
    groups: dict[str, list[RuleRow]] = {}
    for rule in rule_file.rules:
        row = rule_row(rule)
        for site in rule.sites or (GLOBAL,):
            groups.setdefault(site, []).append(row)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] != GLOBAL, -len(kv[1]), kv[0]))
    return RulesReport(
        source, rule_file.name, tuple(sorted((rule_file.generated or {}).items())),
        tuple(SiteRules(site, tuple(sorted(rows, key=lambda r: (-(r.docs or 0), r.id)))) for site, rows in ordered),
        rule_file.disable,
    )


def read_rules(path: str | os.PathLike[str]) -> RulesReport:
    """The report of the rules file at ``path`` (validated as ``article-cleaner rules check`` does)."""
    return group_rules(load_rules(path), os.fspath(path))
