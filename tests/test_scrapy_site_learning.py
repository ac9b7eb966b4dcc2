"""Site learning during a crawl: counting recurring lines per site, learning, saving, reloading."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from test_scrapy_pipeline import PageServer, article_html, crawl, headline, sentence

from cleaner import Cleaner
from cleaner.rules import load_rules
from cleaner.learn import is_guarded
from cleaner.sites import NO_SITE, site_of
from scrapy_plugin.site_learning import SiteLineCounter

FURNITURE = {
    "127.0.0.1": ["The Valley Gazette is published by Valley Media Group", "Read more stories from the Valley Gazette"],
    "localhost": ["Harbour Times brings you the news from the harbour", "Harbour Times weekend edition out now"],
}
# Sentence-like (12+ words, final period) and on 60% of pages: below the 0.9 share such lines need.
SENTENCE = "This newspaper is delivered every morning to homes across the valley and far beyond."
PAGES_PER_SITE = 10


def test_site_of_uses_registered_domain_offline() -> None:
    assert site_of("https://news.bbc.co.uk/world/1") == "bbc.co.uk"
    assert site_of("http://www.example.com:8080/a") == "example.com"
    assert site_of("http://127.0.0.1:5000/x") == "127.0.0.1"
    assert site_of("http://LOCALHOST/x") == "localhost"
    assert site_of(None) == NO_SITE and site_of("") == NO_SITE and site_of("http://[::1]:8080/a") == NO_SITE


def _pages(site: str) -> list[list[str]]:
    pages = []
    for n in range(PAGES_PER_SITE):
        lines = [headline(n), sentence(0, n), sentence(1, n), *FURNITURE[site]]
        if n % 5 < 3:
            lines.append(SENTENCE)
        pages.append(lines)
    return pages


def test_counter_learns_the_same_rules_in_any_order() -> None:
    documents = [(lines, f"http://{site}/p/{i}") for site in FURNITURE for i, lines in enumerate(_pages(site))]
    first = SiteLineCounter(date="2026-01-01", corpus="crawl:t")
    for lines, url in documents:
        first.add(lines, url)
    shuffled = documents[:]
    random.Random(7).shuffle(shuffled)
    second = SiteLineCounter(date="2026-01-01", corpus="crawl:t")
    for lines, url in shuffled:
        second.add(lines, url)
    rules = first.rules()
    assert rules == second.rules()
    learned = {(rule["sites"][0], rule["lines"][0]) for rule in rules}
    assert learned == {(site, line) for site, lines in FURNITURE.items() for line in lines}
    rule = rules[0]
    learned = rule["learned"]
    assert (learned["date"], learned["corpus"], learned["example"], learned["guarded"]) == ("2026-01-01", "crawl:t", rule["lines"][0], False)
    assert {k: learned["support"][k] for k in ("docs", "site_docs", "share", "sites")} == {"docs": 10, "site_docs": 10, "share": 1.0, "sites": 1}
    assert rule["reason"] == f"occurs in 10 of 10 pages of {rule['sites'][0]} (learned)"


def test_counter_waits_for_enough_pages() -> None:
    counter = SiteLineCounter(min_pages=5, min_documents=3)
    for lines in _pages("127.0.0.1")[:4]:
        counter.add(lines, "http://127.0.0.1/a")
    assert counter.rules() == []
    counter.add(_pages("127.0.0.1")[4], "http://127.0.0.1/b")
    assert len(counter.rules()) == 2
    assert counter.add(_pages("127.0.0.1")[0], "http://[::1]:8080/a") is None, "not a site a rules file can name"
    assert counter.add(_pages("127.0.0.1")[0], None) is None


def test_counter_freezes_a_site_after_its_page_limit() -> None:
    counter = SiteLineCounter(min_pages=2, min_documents=2, max_pages_per_site=3)
    pages = _pages("127.0.0.1")
    assert [counter.add(pages[n], f"http://127.0.0.1/{n}") for n in range(3)] == ["127.0.0.1"] * 3
    before = counter.rules()
    assert counter.add(["A new footer line on every later page"], "http://127.0.0.1/9") is None
    assert counter.add(["A new footer line on every later page"], "http://127.0.0.1/10") is None
    assert counter.rules() == before and before
    assert counter.add(pages[0], "http://localhost/0") == "localhost"  # other sites still count


def _site_pages() -> dict[str, tuple[str, str]]:
    """Path -> (host, html) for two sites served by one server under two host names."""
    pages = {}
    for site in FURNITURE:
        for n in range(PAGES_PER_SITE):
            furniture = [*FURNITURE[site], *([SENTENCE] if n % 5 < 3 else [])]
            pages[f"/{site}/{n}?type=dict"] = (site, article_html(n, furniture=furniture))
    return pages


def _learned_removals(item: dict[str, Any]) -> set[str]:
    return {row["text"] for row in item["clean_explanation"] if row["source"] == "learned"}


@pytest.mark.slow
@pytest.mark.parametrize("pool_kind", ["thread", "process"])
def test_crawl_learns_site_rules_applies_saves_and_reloads_them(tmp_path: Path, pool_kind: str) -> None:
    rules_file = tmp_path / "learned" / "site-rules.json"
    settings = {
        "ARTICLE_CLEANER_POOL_KIND": pool_kind,
        "ARTICLE_CLEANER_LEARN_SITES": True,
        "ARTICLE_CLEANER_LEARNED_RULES_FILE": str(rules_file),
        "ARTICLE_CLEANER_LEARN_REBUILD_EVERY": 1,
        "ARTICLE_CLEANER_EXPLANATION_FIELD": "clean_explanation",
        "CONCURRENT_REQUESTS": 1,
    }
    pages = _site_pages()
    with PageServer({path: html for path, (_, html) in pages.items()}) as server:
        urls = [f"http://{host}:{server.port}{path}" for path, (host, _) in pages.items()]
        first = crawl(tmp_path, urls, settings, name="first")
        second = crawl(tmp_path, urls, settings, name="second")

    assert len(first.items) == len(second.items) == len(pages)
    saved = json.loads(rules_file.read_text())
    load_rules(rules_file)  # a valid rules file
    line_rules = [rule for rule in saved["rules"] if rule["kind"] == "exact"]
    learned = {(rule["sites"][0], rule["lines"][0]) for rule in line_rules}
    assert learned == {(site, line) for site, lines in FURNITURE.items() for line in lines}
    assert all(rule["source"] == "learned" and rule["learned"]["corpus"] == "crawl:pages" for rule in line_rules)
    # the same crawl learned each site's profile from the pages' markup (cleaner.profiles)
    profiles = {rule["sites"][0]: rule["profile"] for rule in saved["rules"] if rule["kind"] == "profile"}
    assert set(profiles) == set(FURNITURE) and all(p["pages"] == PAGES_PER_SITE for p in profiles.values())

    for site, lines in FURNITURE.items():
        in_order = [item for item in first.items if f"//{site}:" in item["url"]]
        # The first pages of a new site are cleaned without site rules ...
        for item in in_order[:4]:
            assert _learned_removals(item) == set(), item["url"]
            assert set(lines) <= set(item["clean_text"].split("\n\n"))
        # ... later ones get them (only their own site's).
        for item in in_order[-4:]:
            assert _learned_removals(item) == set(lines), item["url"]
            assert not set(lines) & set(item["clean_text"].split("\n\n"))
        # The second crawl starts with the saved rules.
        for item in (i for i in second.items if f"//{site}:" in i["url"]):
            assert _learned_removals(item) == set(lines), item["url"]
            assert SENTENCE not in _learned_removals(item)
            assert "Weather officials in" in item["clean_text"]
            if int(item["url"].split("?")[0].rsplit("/", 1)[1]) % 5 < 3:  # pages that carry the sentence
                assert SENTENCE in item["clean_text"].split("\n\n"), "a recurring sentence is not learned"
    assert first.stat("removed_by_source/learned") >= 2 * 2 * 4
    assert first.stat("cleaner_rebuilds") >= 2
    assert second.stat("removed_by_source/learned") == 2 * 2 * PAGES_PER_SITE
    assert second.stat("learned_rules") == 4 + 2  # four line rules and the two sites' profiles


def test_sentence_like_lines_end_like_sentences_of_the_core() -> None:
    # the learner's sentence test (cleaner.learn.is_guarded) with the crawl's options, whose
    # sentence ending is the cleaner's (cleaner.view.ends_sentence): "?" and ":" too
    options = SiteLineCounter().options

    def is_sentence_like(line: str) -> bool:
        return is_guarded(line, options)

    long_question = "Have you ever wondered why the council never publishes the minutes of its meetings?"
    long_label = "Here is everything the council decided at its meeting on Tuesday evening in the hall:"
    assert is_sentence_like(long_question) and is_sentence_like(long_label)
    assert not is_sentence_like("Why the council never publishes its minutes?")  # short
    assert not is_sentence_like("Everything the council decided at its meeting on Tuesday evening in the town hall")


NOTE = "Readers can send their own flood photographs to the newsdesk and we will publish a selection every evening."
"""A sentence in a template block (div.box-note, after the article body) on 8 of 10 pages:
the site profile's 80% removes it; line rules need 90% for sentence-like lines."""


def _note_page(n: int) -> str:
    note = f'<div class="box-note"><p>{NOTE}</p></div>' if n % 5 != 4 else ""
    paragraphs = "".join(f"<p>{sentence(i, n)}</p>" for i in range(3))
    return (
        '<!doctype html><html><head><title>Storm report</title></head><body><nav><a href="/">Home</a></nav>'
        f'<div class="story"><h1>{headline(n)}</h1><div class="body">{paragraphs}</div>{note}</div></body></html>'
    )


@pytest.mark.slow
def test_crawl_learns_a_profile_that_removes_a_template_block_line_rules_keep(tmp_path: Path) -> None:
    rules_file = tmp_path / "site-rules.json"
    settings = {
        "ARTICLE_CLEANER_LEARN_SITES": True,
        "ARTICLE_CLEANER_LEARNED_RULES_FILE": str(rules_file),
        "ARTICLE_CLEANER_LEARN_REBUILD_EVERY": 1,
        "ARTICLE_CLEANER_EXPLANATION_FIELD": "clean_explanation",
        "CONCURRENT_REQUESTS": 1,
    }
    pages = {f"/note/{n}?type=dict": _note_page(n) for n in range(PAGES_PER_SITE)}
    with PageServer(pages) as server:
        urls = [f"http://127.0.0.1:{server.port}{path}" for path in pages]
        first = crawl(tmp_path, urls, settings, name="first")
        second = crawl(tmp_path, urls, settings, name="second")

    saved = load_rules(rules_file)
    assert [rule.kind for rule in saved.rules] == ["profile"]  # no line rule: the note is sentence-like, on 80% of pages
    plain = Cleaner()
    for outcome in (first, second):
        assert len(outcome.items) == PAGES_PER_SITE
    for item in second.items:  # the second crawl starts with the saved profile
        n = int(item["url"].split("?")[0].rsplit("/", 1)[1])
        assert item["clean_text"] == "\n\n".join(sentence(i, n) for i in range(3)), item["url"]
        profile_rows = [row for row in item["clean_explanation"] if row["rule_id"] == "profile:127.0.0.1"]
        if n % 5 != 4:
            [row] = profile_rows
            assert (row["text"], row["source"]) == (NOTE, "learned")
            assert row["reason"] == "template block div.box-note > p in 8 of 10 pages of 127.0.0.1"
            assert NOTE in plain.explain(pages[f"/note/{n}?type=dict"], url=item["url"]).text  # without the profile
        else:
            assert profile_rows == []
    # in the first crawl, the pages after the profile was learned lose the note too
    assert NOTE not in first.items[-1]["clean_text"] and NOTE in first.items[0]["clean_text"]
