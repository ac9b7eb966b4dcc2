"""The typed configuration: options checked once, unknown ones named, one cleaner per configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

import cleaner
from cleaner import Cleaner, CleanerConfig, ConfigError, OptionError, RulesError, clean, clean_html, cleaner_for, explain

ARTICLE = (
    "Share\n\nCouncil approves new library for Westfield\n\n"
    "The Westfield town council approved plans for a new public library on Tuesday, ending a decade of debate.\n\n"
    "Related news\n\nSchool board elects new chair\n"
)
RULES = {"version": 1, "rules": [{"id": "t.library", "kind": "exact", "lines": ["School board elects new chair"]}]}


@pytest.mark.parametrize("call", [
    lambda: clean(ARTICLE, modle=False),
    lambda: explain(ARTICLE, detector=False),
    lambda: clean_html("<p>x</p>", rule=["a.json"]),
    lambda: Cleaner(modle=False),
    lambda: CleanerConfig.from_options(modle=False),
])
def test_an_unknown_option_is_a_type_error_naming_it(call: object) -> None:
    with pytest.raises(TypeError, match=r"unknown cleaner option '(modle|detector|rule)'; the options are: builtin, detectors"):
        call()  # type: ignore[operator]


@pytest.mark.parametrize(("options", "error", "message"), [
    ({"model": "no"}, OptionError, "model must be True or False"),
    ({"builtin": None}, OptionError, "builtin must be True or False"),
    ({"pattern_timeout": 0}, ConfigError, "pattern_timeout must be greater than 0 seconds"),
    ({"pattern_timeout": "fast"}, OptionError, "pattern_timeout must be a number of seconds"),
    ({"time_budget": -1}, ConfigError, "time_budget must be 0 or more seconds"),
    ({"detectors": ["no-such-detector"]}, ConfigError, "unknown detector id"),
    ({"detectors": [1]}, OptionError, "detectors must be True, False or a list of detector ids"),
    ({"rules": 3}, OptionError, "rules must be a list of rules file paths"),
    ({"rules": [3]}, RulesError, "rules must be given as file paths"),
    ({"rules": [{"version": 1, "rules": [{"id": "x"}]}]}, RulesError, "rule 'x'"),
    ({"extra_stages": [("name", lambda view, context: [])]}, OptionError, r"wrap a function as cleaner.FunctionStage"),
])
def test_bad_values_fail_when_the_configuration_is_made(options: dict[str, object], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        CleanerConfig(**options)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        clean(ARTICLE, **options)
    assert issubclass(error, cleaner.CleanerError)


def test_equal_options_make_equal_hashable_configurations(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text('{"version": 1, "rules": []}', encoding="utf-8")
    one = CleanerConfig(rules=[path, RULES], detectors=["trailer", "breadcrumb"])
    two = CleanerConfig(rules=(str(path), RULES), detectors=("breadcrumb", "trailer", "trailer"))
    assert one == two and hash(one) == hash(two)
    assert one.detectors == ("breadcrumb", "trailer")
    assert one.rules[0] == str(path) and isinstance(one.rules[1], cleaner.RuleFile)
    assert CleanerConfig(rules=str(path)).rules == (str(path),)
    assert one.replace(model=False) == CleanerConfig(rules=[path, RULES], detectors=["trailer", "breadcrumb"], model=False)
    assert CleanerConfig(**one.options()) == one


def test_cleaner_from_a_configuration_or_keywords_cleans_the_same() -> None:
    config = CleanerConfig(rules=[RULES], detectors=False)
    by_config = Cleaner(config).explain(ARTICLE)
    by_keywords = Cleaner(rules=[RULES], detectors=False).explain(ARTICLE)
    assert by_config == by_keywords
    assert "School board elects new chair" not in by_config.text and "Related news" in by_config.text
    assert Cleaner(config, detectors=True).config == config.replace(detectors=True)
    with pytest.raises(TypeError, match=r"pass rules files as Cleaner\(rules=\[...\]\)"):
        Cleaner(["rules.json"])  # type: ignore[arg-type]


def test_the_module_functions_share_one_cleaner_per_configuration() -> None:
    assert cleaner_for(CleanerConfig()) is cleaner.default_cleaner()
    assert cleaner_for(CleanerConfig(rules=[RULES])) is cleaner_for(CleanerConfig(rules=[RULES]))
    assert clean(ARTICLE, rules=[RULES], detectors=False) == Cleaner(rules=[RULES], detectors=False).clean(ARTICLE)


def test_url_is_a_keyword_of_every_module_function() -> None:
    site_rules = {"version": 1, "rules": [{"id": "t.site", "kind": "exact", "lines": ["Share"], "sites": ["example.com"]}]}
    page = "<html><body><article><h2>Share</h2><p>" + "The council approved a new library on Tuesday after a decade of debate. " * 3 + "</p></article></body></html>"
    url = "https://www.example.com/news/1"
    assert explain(ARTICLE, url=url, rules=[site_rules], builtin=False, detectors=False).removals[0].rule_id == "t.site"
    assert explain(ARTICLE, rules=[site_rules], builtin=False, detectors=False).removals == []
    assert cleaner.explain_html(page, url=url, rules=[site_rules], builtin=False).url == url
    with pytest.raises(TypeError):
        clean_html(page, url)  # type: ignore[misc]
