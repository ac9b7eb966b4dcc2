"""The corpus learner: counting, merging, pruning, the long-line guard, rules it writes."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.cli import main
from cleaner.learn import Document, RecordFields, LearnOptions, LineCounts, build_rule_file, count, iter_documents, learn, site_of
from cleaner.rules import load_rules

WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec".split()
DATE = "2026-01-01"


def sentence(rng: random.Random, n: int = 16) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def site_documents(site: str, n: int, rng: random.Random, *, footer: str = "Copyright 2016 Example News Inc.") -> list[Document]:
    docs = []
    for i in range(n):
        lines = [sentence(rng, 6)[:-1], "Most popular stories", *(sentence(rng) for _ in range(4)), footer]
        docs.append(Document(f"{site}/{i}", f"https://www.{site}/news/{i}", tuple(lines)))
    return docs


def rules_of(counts: LineCounts, **options: object) -> list[dict]:
    return build_rule_file(counts, LearnOptions(**options), date=DATE).to_json()["rules"]


def test_site_furniture_becomes_site_scoped_rule_with_support() -> None:
    rng = random.Random(1)
    counts = count(site_documents("example.com", 12, rng))
    rules = {r["lines"][0]: r for r in rules_of(counts)}
    assert set(rules) == {"Most popular stories", "Copyright 2016 Example News Inc."}
    rule = rules["Most popular stories"]
    assert rule["sites"] == ["example.com"]
    assert rule["source"] == "learned"
    assert rule["id"].startswith("learned:example.com:") and len(rule["id"].rsplit(":", 1)[1]) == 8
    assert rule["reason"] == "occurs in 12 of 12 pages of example.com (learned)"
    assert rule["learned"]["support"]["docs"] == 12 and rule["learned"]["date"] == DATE


def test_digits_are_templated_so_years_share_a_rule() -> None:
    rng = random.Random(2)
    docs = [
        Document(d.id, d.url, (*d.lines[:-1], f"Copyright {2010 + i} Example News Inc."))
        for i, d in enumerate(site_documents("example.com", 8, rng))
    ]
    lines = [r["lines"][0] for r in rules_of(count(docs))]
    assert "Copyright 2010 Example News Inc." in lines  # the smallest spelling is the example


def test_rules_are_scoped_to_their_site() -> None:
    rng = random.Random(3)
    counts = count(site_documents("example.com", 10, rng) + site_documents("other.org", 10, rng, footer="Other footer line"))
    rule_file = build_rule_file(counts, LearnOptions(min_sites=3), date=DATE)
    cleaner = Cleaner(rules=[rule_file], builtin=False, detectors=False, model=False)
    text = "Headline\n\nOther footer line\n\nCopyright 2016 Example News Inc."
    on_example = cleaner.explain(text, url="https://example.com/x")
    assert [r.text for r in on_example.removals] == ["Copyright 2016 Example News Inc."]
    assert on_example.removals[0].source == "learned"
    on_other = cleaner.explain(text, url="https://news.other.org/y")
    assert [r.text for r in on_other.removals] == ["Other footer line"]


def test_furniture_of_many_sites_becomes_one_global_rule() -> None:
    rng = random.Random(4)
    docs = []
    for s in range(4):
        docs += site_documents(f"site{s}.com", 5, rng, footer=f"Footer of site {chr(97 + s)}")
    rules = rules_of(count(docs), min_sites=4)
    global_rules = [r for r in rules if r["id"].startswith("learned:global:")]
    assert [r["lines"][0] for r in global_rules] == ["Most popular stories"] and "sites" not in global_rules[0]
    assert global_rules[0]["reason"] == "site furniture on 4 sites (occurs on 4 sites, 20 pages) (learned)"
    assert len(rules) == 5  # plus one footer rule per site
    assert "Most popular stories" not in {r["lines"][0] for r in rules if r.get("sites")}
    assert len([r for r in rules_of(count(docs), min_sites=5) if r["lines"][0] == "Most popular stories"]) == 4


def test_a_common_heading_once_on_many_sites_is_not_learned() -> None:
    rng = random.Random(15)
    docs = [Document(str(s), f"https://site{s}.com/a", (sentence(rng), "Key Takeaways", sentence(rng))) for s in range(30)]
    assert rules_of(count(docs)) == []


def test_same_rules_regardless_of_document_order() -> None:
    rng = random.Random(5)
    docs = site_documents("a.com", 9, rng) + site_documents("b.com", 7, rng, footer="B footer")
    first = count(docs)
    shuffled = docs[:]
    random.Random(9).shuffle(shuffled)
    second = count(shuffled)
    assert first.to_json() == second.to_json()
    assert rules_of(first) == rules_of(second)


def test_merged_shard_counts_equal_counts_of_the_whole(tmp_path: Path) -> None:
    rng = random.Random(6)
    docs = site_documents("a.com", 9, rng) + site_documents("b.com", 7, rng, footer="B footer")
    whole = count(docs)
    left, right = count(docs[::2]), count(docs[1::2])
    left.save(tmp_path / "left.json")
    right.save(tmp_path / "right.json.gz")
    merged = LineCounts.load(tmp_path / "left.json")
    merged.merge(LineCounts.load(tmp_path / "right.json.gz"))
    assert merged.to_json() == whole.to_json()


def test_pruning_bounds_the_tables_and_keeps_frequent_lines() -> None:
    rng = random.Random(7)
    counts = LineCounts(max_keys=60)
    count(site_documents("example.com", 30, rng), counts=counts)
    assert counts.pruned > 0
    assert sum(len(b.keys) for b in counts.sites.values()) + len(counts.global_keys) <= 60
    lines = {r["lines"][0] for r in rules_of(counts)}
    assert lines == {"Most popular stories", "Copyright 2016 Example News Inc."}


def test_syndicated_paragraphs_are_not_learned_but_long_furniture_is() -> None:
    rng = random.Random(8)
    wire = [sentence(rng, 20) for _ in range(4)]
    newsletter = "Get our newsletter delivered to your inbox every morning with the top stories of the day."
    syndicated = [
        Document(str(i), f"https://example.com/{i}", (sentence(rng, 6)[:-1], *(wire if i < 18 else [sentence(rng, 18)] * 2)))
        for i in range(20)
    ]
    assert not set(wire) & {r["lines"][0] for r in rules_of(count(syndicated))}
    # repetition alone (no guard) would have made the wire copy rules
    assert set(wire) <= {r["lines"][0] for r in rules_of(count(syndicated), guard_words=1000)}
    varied = [
        Document(str(i), f"https://example.com/{i}", (sentence(rng, 6)[:-1], sentence(rng), sentence(rng), newsletter))
        for i in range(20)
    ]
    learned = {r["lines"][0]: r for r in rules_of(count(varied))}
    assert set(learned) == {newsletter} and learned[newsletter]["learned"]["guarded"] is True
    assert learned[newsletter]["learned"]["support"]["distinct_leads"] == 16


def test_guarded_line_in_the_middle_of_articles_is_not_learned() -> None:
    rng = random.Random(10)
    promo = "Read our full coverage of the election with live results and analysis from our reporters."
    docs = [
        Document(str(i), f"https://example.com/{i}", (sentence(rng, 6)[:-1], *(sentence(rng) for _ in range(4)), promo, *(sentence(rng) for _ in range(4))))
        for i in range(15)
    ]
    assert promo not in {r["lines"][0] for r in rules_of(count(docs))}
    assert promo not in {r["lines"][0] for r in rules_of(count(docs), guard_edge_share=0.0)}  # between body paragraphs
    assert promo in {r["lines"][0] for r in rules_of(count(docs), guard_edge_share=0.0, date_aware=False)}


def test_datelines_and_mid_article_subheadings_are_not_furniture() -> None:
    rng = random.Random(11)
    docs = []
    for i in range(12):
        dateline = f"{10 + i} July 2012 Last updated at {i:02d}:{(7 * i) % 60:02d} ET"
        body = [sentence(rng) for _ in range(6)]
        lines = (sentence(rng, 6)[:-1], dateline, "Updated 24 July 2012", *body[:3], "What's the Big Idea?", *body[3:], "Riverside Daily is printed by the Riverside Press")
        docs.append(Document(str(i), f"https://example.com/{i}", lines))
    learned = {r["lines"][0] for r in rules_of(count(docs))}
    # the dateline changes from page to page (digits are templated in keys, not here); the same
    # dated line on every page is furniture; a subheading between body paragraphs is not
    assert learned == {"Updated 24 July 2012", "Riverside Daily is printed by the Riverside Press"}
    before = {r["lines"][0] for r in rules_of(count(docs), date_aware=False)}
    assert before == learned | {"What's the Big Idea?", min(d.lines[1] for d in docs)}


def test_reading_feeds_and_directories(tmp_path: Path) -> None:
    feed = tmp_path / "items.jl.gz"
    with gzip.open(feed, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"link": "https://www.bbc.co.uk/news/1", "body": "Title\n\nText line"}) + "\n\n")
        handle.write(json.dumps({"link": "https://www.bbc.co.uk/news/2", "body": ""}) + "\n")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "b.txt").write_text("Second\n\n  spaced   line ", encoding="utf-8")
    (tmp_path / "pages" / "a.html").write_text(
        "<html><body><article><h1>Heading</h1><p>" + "An article paragraph with enough words to extract. " * 8 + "</p></article></body></html>",
        encoding="utf-8",
    )
    docs = list(iter_documents([feed, tmp_path / "pages"], RecordFields(text="body", url="link")))
    assert docs[0].url == "https://www.bbc.co.uk/news/1" and docs[0].lines == ("Title", "Text line")
    assert len(docs) == 3
    assert docs[1].id.endswith("a.html") and any("article paragraph" in line for line in docs[1].lines)
    assert docs[2].lines == ("Second", "spaced line")
    assert site_of(docs[0].url) == "bbc.co.uk"


def test_learn_cli_writes_rules_that_check_and_clean_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(11)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, doc in enumerate(site_documents("example.com", 8, rng, footer="Example Daily, your town's paper")):
        (corpus / f"{i:02d}.txt").write_text("\n\n".join(doc.lines), encoding="utf-8")
    out = tmp_path / "rules.json"
    assert main(["learn", str(corpus), "-o", str(out), "--date", DATE, "--quiet", "--no-model"]) == 0
    assert main(["rules", "check", str(out)]) == 0
    rule_file = load_rules(out)
    assert {r.lines[0] for r in rule_file.rules} == {"Most popular stories", "Example Daily, your town's paper"}
    assert all(r.id.startswith("learned:nosite:") and not r.sites for r in rule_file.rules)
    page = tmp_path / "page.txt"
    page.write_text("A headline\n\nMost popular stories\n\nThe body of the article goes here, in a sentence.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["clean", str(page), "--rules", str(out), "--explain"]) == 0
    captured = capsys.readouterr()
    assert "Most popular stories" not in captured.out
    assert "[learned:learned:nosite:" in captured.err and "occurs in 8 of 8 pages" in captured.err


def test_learn_cli_merges_saved_states(tmp_path: Path) -> None:
    rng = random.Random(12)
    docs = site_documents("example.com", 10, rng)
    for name, part in (("a", docs[:5]), ("b", docs[5:])):
        with open(tmp_path / f"{name}.jsonl", "w", encoding="utf-8") as handle:
            for doc in part:
                handle.write(json.dumps({"url": doc.url, "text": "\n".join(doc.lines)}) + "\n")
        assert main(["learn", str(tmp_path / f"{name}.jsonl"), "--save-state", str(tmp_path / f"{name}.state.json"), "--quiet", "--no-model"]) == 0
    assert main(["learn", "--merge-state", str(tmp_path / "a.state.json"), str(tmp_path / "b.state.json"),
                 "-o", str(tmp_path / "merged.json"), "--date", DATE, "--quiet"]) == 0
    direct = learn([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], date=DATE, progress=False)
    merged = load_rules(tmp_path / "merged.json")
    assert [r.to_json() for r in merged.rules] == [r.to_json() for r in direct.rules]
    assert len(merged.rules) == 2


def test_learn_cli_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["learn", "-o", str(tmp_path / "x.json")]) == 2
    assert main(["learn", str(tmp_path / "missing"), "-o", str(tmp_path / "x.json"), "--quiet"]) == 2
    (tmp_path / "bad.jsonl").write_text("not json\n", encoding="utf-8")
    assert main(["learn", str(tmp_path / "bad.jsonl"), "-o", str(tmp_path / "x.json"), "--quiet"]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err


def test_include_builtin_writes_a_complete_rules_file(tmp_path: Path) -> None:
    from cleaner.rules import load_builtin

    rng = random.Random(13)
    feed = tmp_path / "feed.jsonl"
    with open(feed, "w", encoding="utf-8") as handle:
        for doc in site_documents("example.com", 6, rng):
            handle.write(json.dumps({"url": doc.url, "text": "\n".join(doc.lines)}) + "\n")
    out = tmp_path / "full.json"
    assert main(["learn", str(feed), "-o", str(out), "--include-builtin", "--quiet", "--no-model", "--date", DATE]) == 0
    rule_file = load_rules(out)
    builtin = load_builtin()
    hand = [r for r in rule_file.rules if r.source == "hand"]
    assert [r.id for r in hand] == [r.id for r in builtin.rules]
    assert {r.lines[0] for r in rule_file.rules if r.source == "learned"} == {"Most popular stories", "Copyright 2016 Example News Inc."}


def test_guard_consults_the_line_model_scores() -> None:
    from cleaner.features import FEATURE_NAMES
    from cleaner.model import LineModel, document_scorer

    rng = random.Random(14)
    newsletter = "Get our newsletter delivered to your inbox every morning with the top stories of the day."
    docs = [
        Document(str(i), f"https://example.com/{i}", (sentence(rng, 6)[:-1], sentence(rng), sentence(rng), newsletter))
        for i in range(12)
    ]
    zeros = tuple(0.0 for _ in FEATURE_NAMES)
    sure_junk = LineModel(zeros, 5.0, zeros, 0.9)
    sure_content = LineModel(zeros, -5.0, zeros, 0.9)
    learned = rules_of(count(docs, scorer=document_scorer(sure_junk)))
    assert [r["lines"][0] for r in learned] == [newsletter]
    assert learned[0]["learned"]["support"]["model_score"] == pytest.approx(0.993, abs=0.001)
    assert rules_of(count(docs, scorer=document_scorer(sure_content))) == []
