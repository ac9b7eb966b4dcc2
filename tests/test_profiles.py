"""Site profiles: learned from a small site of our own pages (tests/data/profile-site),
written into a rules file by the learner, applied by clean_html for pages of that site."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner, RulesError
from cleaner.extraction import EXTRACTION, extract
from cleaner.learn import LearnOptions, LineCounts, build_rule_file, learn
from cleaner.learn.documents import record_document
from cleaner.records import RecordFields
from cleaner.rules import parse_rules

SITE = Path(__file__).parent / "data" / "profile-site"
URL = "https://riverside-gazette.test/news/{}"
TIP = "Seen something in town? Tell the newsroom at the harbour office, open every weekday morning."


def page(n: int) -> str:
    return (SITE / f"page{n}.html").read_text(encoding="utf-8")


@pytest.fixture()
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps({"url": URL.format(n), "html": page(n)}) + "\n" for n in range(1, 6)), encoding="utf-8")
    return path


@pytest.fixture()
def rules(feed: Path, tmp_path: Path) -> Path:
    target = tmp_path / "learned.json"
    learn([feed], LearnOptions(), date="2026-01-01").dump(target)
    return target


def test_learn_writes_a_validated_profile_rule(rules: Path) -> None:
    data = json.loads(rules.read_text(encoding="utf-8"))
    profiles = [rule for rule in data["rules"] if rule["kind"] == "profile"]
    assert [rule["sites"] for rule in profiles] == [["riverside-gazette.test"]]
    assert profiles[0]["profile"]["pages"] == 5 and profiles[0]["profile"]["date"] == "2026-01-01"
    assert "learned 2026-01-01 from 5 pages" in profiles[0]["reason"]
    assert parse_rules(data).rules  # round-trips through validation


def test_clean_html_applies_the_profile_of_the_pages_site(rules: Path) -> None:
    cleaner = Cleaner(rules=[rules])
    plain = Cleaner().explain(page(6), url=URL.format(6))
    assert TIP in plain.text  # trafilatura and the core keep the tip box
    result = cleaner.explain(page(6), url=URL.format(6))
    assert TIP not in result.text
    assert "The exhibition runs until the end of the year and entry is free." in result.text
    [removal] = [r for r in result.removals if r.rule_id == "profile:riverside-gazette.test"]
    assert removal.source == "learned" and removal.text == TIP
    assert removal.reason.startswith("template block div.box-tip > p in 5 of 5 pages of riverside-gazette.test")
    # every removal, the profile's and the core's, is numbered in the full extracted text
    extracted = extract(page(6), URL.format(6)).text.split("\n")
    assert len(result.removals) >= 2 and all(extracted[r.line - 1] == r.text for r in result.removals)
    # another site, or no URL: the profile is out of scope
    assert TIP in cleaner.explain(page(6), url="https://other.test/news/6").text
    assert TIP in cleaner.explain(page(6)).text


def tip_inside_the_article(html: str) -> str:
    """The page with its tip box moved into the article body, before the last paragraph."""
    start = html.index('<div class="box-tip">')
    end = html.index("</div>", start) + len("</div>")
    rest = html[:start] + html[end:]
    last = rest.rindex("<p>", 0, rest.index('<div class="more">'))
    return rest[:last] + html[start:end] + "\n        " + rest[last:]


def test_a_template_block_inside_the_article_container_is_kept(tmp_path: Path) -> None:
    # the same tip box on every page, but inside the article (div.story > div.body, the
    # container the profile records): read as part of the article, like a byline, a closing
    # prompt or the comment guidelines under every story
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"url": URL.format(n), "html": tip_inside_the_article(page(n))}) + "\n"
                            for n in range(1, 6)), encoding="utf-8")
    rules = learn([feed], LearnOptions(), date="2026-01-01")
    [profile] = [rule.profile for rule in rules.rules if rule.profile is not None]
    assert any(block.path.endswith("div.body > div.box-tip > p") for block in profile.template)
    assert profile.container is not None and profile.container.endswith("div.story > div.body")
    html = tip_inside_the_article(page(6))
    result = Cleaner(rules=[rules]).explain(html, url=URL.format(6))
    assert TIP in result.text
    assert not any(r.rule_id.startswith("profile:") for r in result.removals)


def test_a_page_whose_extraction_missed_the_article_container_is_extracted_again_within_it(rules: Path) -> None:
    # an extraction that missed the site's article (div.story > div.body on every page):
    # here trafilatura is told to prune it, so it keeps the headline, the tip box and the footer
    missed = extract(page(6), URL.format(6), settings={**EXTRACTION, "prune_xpath": ["//div[@class='body']"]})
    assert "The town museum" not in missed.text and TIP in missed.text
    result = Cleaner(rules=[rules]).explain_extraction(missed)
    assert result.text.split("\n\n") == [
        "The town museum has put on show a set of maps that were thought lost for a century.",
        "The maps were found in a wooden chest in the attic of a farmhouse on the coast.",
        "They show the harbour before the sea wall was built and the fields that once stood where the station is now.",
        "The exhibition runs until the end of the year and entry is free.",
    ]
    assert ("extraction missed the article container of riverside-gazette.test (div.story > div.body, "
            "found on 5 of 5 pages); extracted again within it") in result.warnings
    # without the profile, the page is cleaned as extracted
    assert "The town museum" not in Cleaner().explain_extraction(missed).text
    # an extraction that found the article is left alone
    assert not any("extracted again" in w for w in Cleaner(rules=[rules]).explain(page(6), url=URL.format(6)).warnings)


def test_a_changed_template_is_ignored(rules: Path) -> None:
    redesigned = page(6).replace('class="box-tip"', 'class="panel-tip"')
    with_profile = Cleaner(rules=[rules]).explain(redesigned, url=URL.format(6))
    assert TIP in with_profile.text  # its path is gone, so the tip box is no longer known
    assert with_profile.text == Cleaner().explain(redesigned, url=URL.format(6)).text
    assert not with_profile.warnings


def test_the_profile_steps_back_when_it_would_remove_too_much(rules: Path) -> None:
    start, end = page(6).index('<div class="body">'), page(6).index('<div class="box-tip">')
    short = page(6)[:start] + '<div class="body"><p>The museum reopened.</p></div>\n' + page(6)[end:]
    result = Cleaner(rules=[rules]).explain(short, url=URL.format(6))
    assert TIP in result.text
    assert any("would remove" in w and "not applied" in w and "from 5 pages" in w for w in result.warnings)


def test_shards_merge_to_the_same_profile_in_any_order() -> None:
    fields = RecordFields()
    documents = [record_document({"url": URL.format(n), "html": page(n)}, fields, str(n)) for n in range(1, 6)]
    whole, first, second = LineCounts(), LineCounts(), LineCounts()
    for n, document in enumerate(documents):
        assert document is not None and document.page is not None
        whole.add_document(document)
        (first if n % 2 else second).add_document(document)
    merged_ab, merged_ba = LineCounts(), LineCounts()
    merged_ab.merge(first), merged_ab.merge(second)
    merged_ba.merge(second), merged_ba.merge(first)
    files = [build_rule_file(c, LearnOptions(), date="2026-01-01").to_json()["rules"] for c in (whole, merged_ab, merged_ba)]
    assert files[0] == files[1] == files[2]
    assert any(rule["kind"] == "profile" for rule in files[0])  # the merged counts hold a profile to compare
    assert LineCounts.from_json(json.loads(json.dumps(whole.to_json()))).profiles.to_json() == whole.profiles.to_json()


def test_invalid_profile_rules_are_rejected() -> None:
    rule = {"id": "p", "kind": "profile", "sites": ["a.test", "b.test"], "profile": {"pages": 3, "date": "2026-01-01", "template": [], "changing": []}}
    with pytest.raises(RulesError, match="exactly one domain"):
        parse_rules({"version": 1, "rules": [rule]})
    rule["sites"] = ["a.test"]
    rule["profile"]["template"] = [["body > div", 3]]
    with pytest.raises(RulesError, match="profile.template"):
        parse_rules({"version": 1, "rules": [rule]})


def test_rules_list_shows_the_profile(rules: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "cleaner", "rules", "list", "--rules", str(rules)],
                         capture_output=True, text=True, check=True).stdout
    line = next(row for row in out.splitlines() if row.startswith("profile:riverside-gazette.test"))
    assert "\tprofile\tlearned\t" in line and "site profile of riverside-gazette.test" in line
