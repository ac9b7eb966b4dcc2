"""Rules files: every validation error names file, rule and field; merging, scoping, timeouts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import cleaner.rules as rules_module
from cleaner import Cleaner, RulesError, load_rules
from cleaner.rules import RuleSet, builtin_rules_path

ARTICLE = (
    "Harbour News Network\n"
    "\n"
    "Ferry timetable changes from Monday\n"
    "\n"
    "The ferry operator will add two extra sailings on weekdays from Monday, the company said on Friday.\n"
    "\n"
    "Advertisement\n"
    "\n"
    "Photo: Harbour News Network\n"
)


def write_rules(tmp_path: Path, data: Any, name: str = "site.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def one_rule(**fields: Any) -> dict[str, Any]:
    rule = {"id": "site.rule", "kind": "exact", "lines": ["Harbour News Network"], "reason": "site name"}
    rule.update(fields)
    return {"version": 1, "rules": [rule]}


def test_builtin_rules_file_is_valid_and_reasons_are_given() -> None:
    rule_file = load_rules(builtin_rules_path())
    assert len(rule_file.rules) >= 20
    assert all(rule.reason and not rule.reason.startswith("matches ") for rule in rule_file.rules)


def test_bad_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = write_rules(tmp_path, '{"version": 1,\n "rules": [,]}')
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    message = str(caught.value)
    assert str(path) in message and "not valid JSON at line 2 column" in message


def test_missing_file_says_check_the_path(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read rules file"):
        load_rules(tmp_path / "absent.json")


@pytest.mark.parametrize("version", [2, 0, "1", None, True])
def test_wrong_version_is_rejected(tmp_path: Path, version: Any) -> None:
    data = one_rule()
    data["version"] = version
    path = write_rules(tmp_path, data)
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    assert str(path) in str(caught.value) and "field 'version'" in str(caught.value)


def test_unknown_top_level_field_is_rejected(tmp_path: Path) -> None:
    data = {**one_rule(), "rulez": []}
    with pytest.raises(RulesError, match="unknown top-level field.*'rulez'"):
        load_rules(write_rules(tmp_path, data))


@pytest.mark.parametrize(
    "fields, field_name, hint",
    [
        ({"patern": "^x"}, "patern", "unknown field"),
        ({"kind": "regex"}, "kind", "must be one of"),
        ({"action": "delete"}, "action", "must be one of"),
        ({"source": "robot"}, "source", "must be one of"),
        ({"reason": "  "}, "reason", "non-empty string"),
        ({"max_words": 0}, "max_words", "positive integer"),
        ({"max_words": True}, "max_words", "positive integer"),
        ({"case_sensitive": "yes"}, "case_sensitive", "true or false"),
        ({"enabled": 1}, "enabled", "true or false"),
        ({"lines": []}, "lines", "non-empty list"),
        ({"lines": ["---"]}, "lines", "no letters or digits"),
        ({"pattern": "^x"}, "pattern", "take 'lines'"),
        ({"sites": "example.com"}, "sites", "list of domain names"),
        ({"sites": ["https://example.com/news"]}, "sites", "is not a domain name"),
        ({"sites": ["exa mple.com"]}, "sites", "is not a domain name"),
    ],
)
def test_field_errors_name_file_rule_and_field(tmp_path: Path, fields: dict[str, Any], field_name: str, hint: str) -> None:
    path = write_rules(tmp_path, one_rule(**fields))
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    message = str(caught.value)
    assert str(path) in message
    assert "rule 'site.rule'" in message
    assert f"field '{field_name}'" in message
    assert hint in message


@pytest.mark.parametrize(
    "pattern, hint",
    [
        ("(unclosed", "does not compile"),
        ("[a-", "does not compile"),
        ("x*", "matches the empty string"),
        ("^$", "matches the empty string"),
        ("(?:subscribe)?", "matches the empty string"),
    ],
)
def test_bad_patterns_are_rejected(tmp_path: Path, pattern: str, hint: str) -> None:
    data = {"version": 1, "rules": [{"id": "site.pattern", "kind": "pattern", "pattern": pattern}]}
    path = write_rules(tmp_path, data)
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    message = str(caught.value)
    assert str(path) in message and "rule 'site.pattern'" in message and "field 'pattern'" in message
    assert hint in message


def test_duplicate_id_is_rejected(tmp_path: Path) -> None:
    data = one_rule()
    data["rules"].append(dict(data["rules"][0]))
    with pytest.raises(RulesError, match=r"rule 'site.rule': duplicate id"):
        load_rules(write_rules(tmp_path, data))


def test_bad_id_is_rejected_by_position(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match=r"rule #1: field 'id'"):
        load_rules(write_rules(tmp_path, one_rule(id="has space")))


def test_oversized_file_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_rules(tmp_path, one_rule())
    monkeypatch.setattr(rules_module, "MAX_RULES_FILE_BYTES", 10)
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    assert str(path) in str(caught.value) and "over the limit of 10" in str(caught.value)


def test_user_rule_overrides_builtin_id(tmp_path: Path) -> None:
    data = {"version": 1, "rules": [
        {"id": "ad.marker", "kind": "exact", "lines": ["Harbour News Network"], "reason": "the site's own name"},
    ]}
    worker = Cleaner(rules=[write_rules(tmp_path, data)])
    assert worker.rule_set.get("ad.marker").origin.endswith("site.json")
    result = worker.explain(ARTICLE)
    assert "Advertisement" in result.text  # the built-in lines are gone with the built-in rule
    assert [(r.line, r.rule_id, r.reason) for r in result.removals if r.rule_id == "ad.marker"] == [
        (1, "ad.marker", "the site's own name"),
    ]


def test_disable_switches_builtin_rule_off(tmp_path: Path) -> None:
    path = write_rules(tmp_path, {"version": 1, "rules": [], "disable": ["credit.photo", "ad.marker"]})
    worker = Cleaner(rules=[path])
    assert worker.rule_set.get("credit.photo") is None
    assert set(worker.rule_set.disabled) == {"ad.marker", "credit.photo"}
    text = worker.clean(ARTICLE)
    assert "Advertisement" in text and "Photo: Harbour News Network" in text
    assert "Photo: Harbour News Network" not in Cleaner().clean(ARTICLE)


def test_enabled_false_switches_a_rule_off(tmp_path: Path) -> None:
    path = write_rules(tmp_path, one_rule(enabled=False))
    worker = Cleaner(rules=[path])
    assert worker.rule_set.get("site.rule") is None
    assert worker.clean(ARTICLE).startswith("Harbour News Network\n")


def test_a_later_file_can_reenable_a_disabled_id(tmp_path: Path) -> None:
    first = write_rules(tmp_path, {"version": 1, "rules": [], "disable": ["site.rule"]}, "first.json")
    second = write_rules(tmp_path, one_rule(), "second.json")
    assert Cleaner(rules=[second, first]).rule_set.get("site.rule") is None
    assert Cleaner(rules=[first, second]).rule_set.get("site.rule") is not None


@pytest.mark.parametrize(
    "url, removed",
    [
        ("https://harbournews.example/local/ferry", True),
        ("https://www.harbournews.example/local/ferry", True),
        ("http://m.harbournews.example/ferry", True),
        ("harbournews.example/ferry", True),
        ("https://notharbournews.example/ferry", False),
        ("https://harbournews.example.org/ferry", False),
        (None, False),
    ],
)
def test_site_scoped_rule_fires_only_for_its_site(tmp_path: Path, url: str | None, removed: bool) -> None:
    path = write_rules(tmp_path, one_rule(sites=["harbournews.example"]))
    result = Cleaner(rules=[path]).explain(ARTICLE, url=url)
    assert ("site.rule" in {r.rule_id for r in result.removals}) is removed
    assert result.text.startswith("Harbour News Network") is not removed


def test_mapping_and_rulefile_sources(tmp_path: Path) -> None:
    rule_file = load_rules(write_rules(tmp_path, one_rule()))
    assert Cleaner(rules=[rule_file]).clean(ARTICLE) == Cleaner(rules=[one_rule()]).clean(ARTICLE)
    assert not Cleaner(rules=[rule_file]).clean(ARTICLE).startswith("Harbour News Network")
    with pytest.raises(RulesError, match="not int"):
        RuleSet.from_sources([3])


def test_max_words_protects_long_lines(tmp_path: Path) -> None:
    data = {"version": 1, "rules": [
        {"id": "site.tips", "kind": "pattern", "pattern": "^send us", "max_words": 4, "reason": "tip prompt"},
    ]}
    worker = Cleaner(rules=[write_rules(tmp_path, data)], builtin=False, detectors=False)
    text = "Send us your tips\n\nSend us your photos of the flood and we will publish the best of them on Sunday."
    assert worker.clean(text) == "Send us your photos of the flood and we will publish the best of them on Sunday."


def test_rules_file_round_trips(tmp_path: Path) -> None:
    original = load_rules(builtin_rules_path())
    copy = tmp_path / "copy.json"
    original.dump(copy)
    assert load_rules(copy).rules == tuple(
        rule.__class__(**{**rule.__dict__, "origin": str(copy)}) for rule in original.rules
    )


def test_catastrophic_pattern_times_out_is_reported_and_document_still_cleaned(tmp_path: Path) -> None:
    data = {"version": 1, "rules": [
        {"id": "user.backtracking", "kind": "pattern", "pattern": "^(a|aa)+$", "reason": "exponential backtracking"},
    ]}
    worker = Cleaner(rules=[write_rules(tmp_path, data)], pattern_timeout=0.01)
    text = "Story headline is here\n\n" + "a" * 40 + "c\n\nAdvertisement\n\nThe body text of the story is a full sentence.\n"
    result = worker.explain(text)
    assert result.warnings == ["pattern of rule 'user.backtracking' timed out on line 3; treated as no match"]
    assert result.text == "Story headline is here\n\n" + "a" * 40 + "c\n\nThe body text of the story is a full sentence.\n"
    assert [r.rule_id for r in result.removals] == ["ad.marker"]
    assert "warning: pattern of rule 'user.backtracking' timed out" in result.explanation()
