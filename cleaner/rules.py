"""Rules as data: the rules file format, its validation, and how rule sets combine.

A rules file is JSON::

    {
      "version": 1,
      "name": "my-site-rules",
      "rules": [
        {"id": "ads.marker", "kind": "exact", "lines": ["Advertisement"],
         "reason": "ad marker"},
        {"id": "notice.paywall", "kind": "pattern",
         "pattern": "^subscribe to continue reading", "max_words": 20},
        {"id": "example.footer", "kind": "exact", "lines": ["Example News 24/7"],
         "sites": ["example.com"]}
      ],
      "disable": ["credit.photo"]
    }

Loading never executes anything from the file; every field is checked and an
error names the file, the rule id and the field.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Union

import regex

from .errors import RulesError
from .profiles.profile import SiteProfile
from .sites import DOMAIN
from .textlines import line_key

SCHEMA_VERSION = 1
MAX_RULES_FILE_BYTES = 50 * 1024 * 1024
MAX_PATTERN_CHARS = 5000

KINDS = ("exact", "pattern", "profile")
ACTIONS = ("remove", "trailer", "toc")
SOURCES = ("hand", "learned")
_ID = regex.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/@+-]{0,199}")
_RULE_FIELDS = {
    "id", "kind", "lines", "pattern", "reason", "sites", "max_words", "case_sensitive",
    "action", "source", "learned", "enabled", "note", "profile",
}
_TOP_FIELDS = {"version", "name", "description", "rules", "disable", "generated"}

RulesSource = Union[str, "os.PathLike[str]", "RuleFile", Mapping[str, Any]]


@dataclass(frozen=True)
class Rule:
    """One validated rule.

    ``kind`` is ``"exact"`` (``lines`` matched on :func:`~cleaner.textlines.line_key`)
    or ``"pattern"`` (a ``regex`` pattern searched in the whitespace-normalised line).
    ``sites`` limits the rule to those domains and their subdomains (empty = global).
    ``action`` ``"trailer"`` marks a section header ("Related news") that is removed,
    with what follows it, only when no article text follows; ``"toc"`` a table-of-contents
    header, removed with the entries under it that come back as subheadings.
    ``"profile"`` rules hold a :class:`~cleaner.profiles.SiteProfile` for their one site
    (applied to HTML pages of that site by ``clean_html``; see ``cleaner.profiles``).
    """

    id: str
    kind: str
    reason: str
    origin: str
    lines: tuple[str, ...] = ()
    pattern: str | None = None
    sites: tuple[str, ...] = ()
    max_words: int | None = None
    case_sensitive: bool = False
    action: str = "remove"
    source: str = "hand"
    learned: Mapping[str, Any] | None = field(default=None, hash=False)  # provenance, not behaviour
    note: str | None = None
    enabled: bool = True
    keys: tuple[str, ...] = field(default=(), compare=False)
    profile: SiteProfile | None = field(default=None, compare=False)

    @property
    def source_label(self) -> str:
        """``"rule"`` for hand-written rules, ``"learned"`` for learned ones."""
        return "learned" if self.source == "learned" else "rule"

    def applies_to(self, host: str | None) -> bool:
        """Whether this rule is in scope for a document from ``host``."""
        if not self.sites:
            return True
        if not host:
            return False
        return any(host == site or host.endswith("." + site) for site in self.sites)

    def to_json(self) -> dict[str, Any]:
        """The rule as it would be written in a rules file."""
        out: dict[str, Any] = {"id": self.id, "kind": self.kind}
        if self.kind == "exact":
            out["lines"] = list(self.lines)
        elif self.kind == "pattern":
            out["pattern"] = self.pattern
        out["reason"] = self.reason
        if self.sites:
            out["sites"] = list(self.sites)
        if self.max_words is not None:
            out["max_words"] = self.max_words
        if self.case_sensitive:
            out["case_sensitive"] = True
        if self.action != "remove":
            out["action"] = self.action
        if self.source != "hand":
            out["source"] = self.source
        if self.learned:
            out["learned"] = dict(self.learned)
        if self.profile is not None:
            out["profile"] = self.profile.to_json()
        if self.note:
            out["note"] = self.note
        if not self.enabled:
            out["enabled"] = False
        return out


@dataclass(frozen=True)
class RuleFile:
    """The validated content of one rules file."""

    origin: str
    name: str
    rules: tuple[Rule, ...]
    disable: tuple[str, ...] = ()
    description: str | None = None
    generated: Mapping[str, Any] | None = field(default=None, hash=False)  # provenance, not behaviour

    def to_json(self) -> dict[str, Any]:
        """The file's content as JSON-ready data (round-trips through :func:`parse_rules`)."""
        out: dict[str, Any] = {"version": SCHEMA_VERSION, "name": self.name}
        if self.description:
            out["description"] = self.description
        if self.generated:
            out["generated"] = dict(self.generated)
        out["rules"] = [rule.to_json() for rule in self.rules]
        if self.disable:
            out["disable"] = list(self.disable)
        return out

    def dump(self, path: str | os.PathLike[str]) -> None:
        """Write the file as pretty JSON, one rule per block, stable for diffs."""
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        Path(path).write_text(text, encoding="utf-8")


def builtin_rules_path() -> Path:
    """Where the built-in rules file ships inside the package."""
    return Path(str(resources.files("cleaner") / "data" / "rules.json"))


def load_rules(path: str | os.PathLike[str]) -> RuleFile:
    """Read and validate a rules file; raise :class:`RulesError` with the file name on problems."""
    origin = os.fspath(path)
    try:
        size = os.path.getsize(origin)
    except OSError as exc:
        raise RulesError(f"{origin}: cannot read rules file ({exc.strerror or exc}); check the path") from None
    if size > MAX_RULES_FILE_BYTES:
        raise RulesError(
            f"{origin}: rules file is {size} bytes, over the limit of {MAX_RULES_FILE_BYTES}; "
            "split it or prune rare learned rules"
        )
    try:
        with open(origin, encoding="utf-8") as handle:
            data = json.load(handle)
    except UnicodeDecodeError:
        raise RulesError(f"{origin}: rules file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise RulesError(f"{origin}: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except OSError as exc:
        raise RulesError(f"{origin}: cannot read rules file ({exc.strerror or exc})") from None
    return parse_rules(data, origin=origin)


def parse_rules(data: Any, *, origin: str = "<rules>") -> RuleFile:
    """Validate already-parsed rules data (the JSON object of a rules file)."""
    if not isinstance(data, dict):
        raise RulesError(f"{origin}: the top level must be a JSON object with 'version' and 'rules'")
    unknown = sorted(set(data) - _TOP_FIELDS)
    if unknown:
        raise RulesError(f"{origin}: unknown top-level field(s) {', '.join(map(repr, unknown))}; allowed: {sorted(_TOP_FIELDS)}")
    version = data.get("version")
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise RulesError(
            f"{origin}: field 'version' is {version!r}; this article-cleaner reads version {SCHEMA_VERSION} "
            "(upgrade article-cleaner for newer files)"
        )
    name = data.get("name", Path(origin).stem)
    if not isinstance(name, str):
        raise RulesError(f"{origin}: field 'name' must be a string")
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        raise RulesError(f"{origin}: field 'rules' must be a list of rule objects")
    disable = data.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(x, str) for x in disable):
        raise RulesError(f"{origin}: field 'disable' must be a list of rule ids (strings)")
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        raise RulesError(f"{origin}: field 'description' must be a string")
    generated = data.get("generated")
    if generated is not None and not isinstance(generated, dict):
        raise RulesError(f"{origin}: field 'generated' must be an object")
    rules: list[Rule] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_rules):
        rule = _parse_rule(raw, origin, position)
        if rule.id in seen:
            raise RulesError(f"{origin}: rule {rule.id!r}: duplicate id (ids must be unique within a file)")
        seen.add(rule.id)
        rules.append(rule)
    return RuleFile(origin, name, tuple(rules), tuple(disable), description, generated)


def _parse_rule(raw: Any, origin: str, position: int) -> Rule:
    where = f"{origin}: rule #{position + 1}"
    if not isinstance(raw, dict):
        raise RulesError(f"{where}: must be an object with at least 'id' and 'kind'")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.fullmatch(rule_id):
        raise RulesError(f"{where}: field 'id' must be a string of letters, digits and . _ : / @ + - (got {rule_id!r})")
    where = f"{origin}: rule {rule_id!r}"

    def fail(field_name: str, message: str) -> RulesError:
        return RulesError(f"{where}: field {field_name!r}: {message}")

    unknown = sorted(set(raw) - _RULE_FIELDS)
    if unknown:
        raise fail(unknown[0], f"unknown field; allowed fields are {sorted(_RULE_FIELDS)}")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise fail("kind", f"must be one of {list(KINDS)} (got {kind!r})")
    action = raw.get("action", "remove")
    if action not in ACTIONS:
        raise fail("action", f"must be one of {list(ACTIONS)} (got {action!r})")
    source = raw.get("source", "hand")
    if source not in SOURCES:
        raise fail("source", f"must be one of {list(SOURCES)} (got {source!r})")
    reason = raw.get("reason")
    if reason is None:
        reason = f"matches {kind} rule {rule_id}"
    elif not isinstance(reason, str) or not reason.strip():
        raise fail("reason", "must be a non-empty string")
    sites_raw = raw.get("sites", [])
    if not isinstance(sites_raw, list) or not all(isinstance(s, str) for s in sites_raw):
        raise fail("sites", "must be a list of domain names such as ['example.com']")
    sites = tuple(s.strip().lower().lstrip(".") for s in sites_raw)
    for site in sites:
        if not DOMAIN.fullmatch(site):
            raise fail("sites", f"{site!r} is not a domain name (write 'example.com', not a URL)")
    max_words = raw.get("max_words")
    if max_words is not None and (isinstance(max_words, bool) or not isinstance(max_words, int) or max_words < 1):
        raise fail("max_words", f"must be a positive integer (got {max_words!r})")
    case_sensitive = raw.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise fail("case_sensitive", "must be true or false")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail("enabled", "must be true or false")
    learned = raw.get("learned")
    if learned is not None and not isinstance(learned, dict):
        raise fail("learned", "must be an object (support, example, date, corpus)")
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        raise fail("note", "must be a string")
    lines: tuple[str, ...] = ()
    pattern: str | None = None
    keys: tuple[str, ...] = ()
    profile: SiteProfile | None = None
    if kind == "profile":
        for other in ("lines", "pattern"):
            if other in raw:
                raise fail(other, "profile rules take 'profile', not 'lines' or 'pattern'")
        if len(sites) != 1:
            raise fail("sites", "a profile rule is learned for one site: give exactly one domain, e.g. ['example.com']")
        if action != "remove":
            raise fail("action", "a profile rule removes lines; leave 'action' out")
        profile = SiteProfile.from_json(sites[0], raw.get("profile"), where)
    elif "profile" in raw:
        raise fail("profile", "only rules of kind 'profile' take a 'profile'")
    elif kind == "exact":
        if "pattern" in raw:
            raise fail("pattern", "exact rules take 'lines', not 'pattern'")
        raw_lines = raw.get("lines")
        if not isinstance(raw_lines, list) or not raw_lines or not all(isinstance(x, str) for x in raw_lines):
            raise fail("lines", "must be a non-empty list of strings")
        lines = tuple(raw_lines)
        keys = tuple(line_key(x) for x in lines)
        for text, key in zip(lines, keys):
            if not key:
                raise fail("lines", f"{text!r} has no letters or digits, so it would match every blank or symbol-only line")
    else:
        if "lines" in raw:
            raise fail("lines", "pattern rules take 'pattern', not 'lines'")
        pattern = raw.get("pattern")
        if not isinstance(pattern, str) or not pattern:
            raise fail("pattern", "must be a non-empty string (a Python 'regex' module pattern)")
        if len(pattern) > MAX_PATTERN_CHARS:
            raise fail("pattern", f"is {len(pattern)} characters, over the limit of {MAX_PATTERN_CHARS}")
        try:
            compiled = compile_pattern(pattern, case_sensitive)
        except (regex.error, ValueError, OverflowError, RecursionError) as exc:
            raise fail("pattern", f"does not compile: {exc}") from None
        try:
            matches_empty = compiled.search("", timeout=0.5) is not None
        except TimeoutError:
            matches_empty = True
        if matches_empty:
            raise fail("pattern", "matches the empty string, so it would remove every line; anchor it or require text")
    return Rule(
        id=rule_id, kind=kind, reason=reason.strip(), origin=origin, lines=lines, pattern=pattern,
        sites=sites, max_words=max_words, case_sensitive=case_sensitive, action=action, source=source,
        learned=learned, note=note, enabled=enabled, keys=keys, profile=profile,
    )


def compile_pattern(pattern: str, case_sensitive: bool = False, multiline: bool = False) -> regex.Pattern[str]:
    """Compile a rule pattern the way the matcher runs it (V0 semantics, Unicode)."""
    flags = regex.V0 | (0 if case_sensitive else regex.IGNORECASE) | (regex.MULTILINE if multiline else 0)
    return regex.compile(pattern, flags)


@dataclass(frozen=True)
class RuleSet:
    """The effective rules after merging files: later files override earlier ones by id."""

    rules: tuple[Rule, ...]
    files: tuple[RuleFile, ...]
    disabled: tuple[str, ...] = ()

    @classmethod
    def from_sources(cls, sources: Iterable[RulesSource], *, builtin: bool = True) -> RuleSet:
        """Load the built-in rules (unless ``builtin=False``) and then each source in order.

        A source is a path, an already loaded :class:`RuleFile`, or a rules mapping.
        A rule whose id already exists replaces the earlier one; ids listed in a
        file's ``disable`` (or rules with ``"enabled": false``) are switched off.
        """
        files: list[RuleFile] = []
        if builtin:
            files.append(load_builtin())
        for source in sources:
            if isinstance(source, RuleFile):
                files.append(source)
            elif isinstance(source, Mapping):
                files.append(parse_rules(dict(source), origin="<mapping>"))
            elif isinstance(source, (str, os.PathLike)):
                files.append(load_rules(source))
            else:
                raise RulesError(f"rules must be given as file paths, RuleFile objects or mappings, not {type(source).__name__}")
        return cls.merge(files)

    @classmethod
    def merge(cls, files: Iterable[RuleFile]) -> RuleSet:
        """Combine rule files in order (see :meth:`from_sources`)."""
        by_id: dict[str, Rule] = {}
        disabled: set[str] = set()
        files = tuple(files)
        for rule_file in files:
            for rule in rule_file.rules:
                by_id.pop(rule.id, None)
                by_id[rule.id] = rule
                disabled.discard(rule.id)
            disabled.update(rule_file.disable)
        for rule_id, rule in by_id.items():
            if not rule.enabled:
                disabled.add(rule_id)
        active = tuple(rule for rule in by_id.values() if rule.id not in disabled)
        return cls(active, files, tuple(sorted(disabled)))

    def get(self, rule_id: str) -> Rule | None:
        """The active rule with this id, if any."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        return None


_BUILTIN: RuleFile | None = None


def load_builtin() -> RuleFile:
    """The built-in rules file, parsed once per process."""
    global _BUILTIN
    if _BUILTIN is None:
        path = builtin_rules_path()
        rule_file = load_rules(path)
        _BUILTIN = RuleFile("builtin", rule_file.name, tuple(
            _with_origin(rule, "builtin") for rule in rule_file.rules
        ), rule_file.disable, rule_file.description, rule_file.generated)
    return _BUILTIN


def _with_origin(rule: Rule, origin: str) -> Rule:
    from dataclasses import replace

    return replace(rule, origin=origin)
