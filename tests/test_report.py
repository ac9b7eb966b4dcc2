"""``article-cleaner report``: the HTML page of a run and of a rules file, checked in the file and in Chromium."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import lxml.html
from browser import dump_dom, png_pixels, screenshot
from conftest import REPO
from corpus_data import text_records, write_jsonl


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, cwd=REPO, check=False)


def run_file(tmp_path: Path) -> Path:
    """A real cleaning run: text records of two sites, the golden seeds and HTML pages, one record not explained."""
    records: list[Any] = [*text_records(8, "example.com"), *text_records(5, "news.other.co.uk")]
    for path in sorted((REPO / "golden" / "seeds").glob("*/input.txt")):
        records.append({"id": path.parent.name, "text": path.read_text(encoding="utf-8")})
    for case in sorted((REPO / "golden" / "html").iterdir()):
        url = json.loads((case / "case.json").read_text(encoding="utf-8")).get("url")
        records.append({"id": case.name, "url": url, "html": (case / "input.html").read_text(encoding="utf-8")})
    feed = write_jsonl(tmp_path / "feed.jsonl", records)
    run = tmp_path / "run.jsonl"
    done = cli("clean", "--jsonl", str(feed), "-o", str(run), "--explain-field", "why", "-j", "1", "--quiet")
    assert done.returncode == 0, done.stderr
    with open(run, "a", encoding="utf-8") as handle:  # one record without an explanation (malformed ones go to the rejects file)
        handle.write(json.dumps({"id": "no-page", "url": "https://example.com/x"}) + "\n")
    return run


def expected_figures(run: Path) -> dict[str, Any]:
    """The figures the report must show, counted here from the run file."""
    records = [json.loads(line) for line in run.read_text(encoding="utf-8").split("\n") if line]
    explained = [r for r in records if isinstance(r.get("why"), dict)]
    removals = [removal for r in explained for removal in r["why"]["removals"]]
    removed = sum(len(x["text"]) for x in removals)
    kept = sum(len(r["clean_text"]) for r in explained)
    bins = [0] * 11
    shares = []
    for r in explained:
        gone = sum(len(x["text"]) for x in r["why"]["removals"])
        share = gone / (gone + len(r["clean_text"])) if gone + len(r["clean_text"]) else 0.0
        bins[0 if share == 0 else min(10, -int(-share * 10 // 1))] += 1
        shares.append((share, str(r["id"])))
    return {
        "totals": {"records": len(records), "explained": len(explained), "unexplained": len(records) - len(explained),
                   "documents_with_removals": sum(1 for r in explained if r["why"]["removals"]),
                   "lines_removed": len(removals), "removed_chars": removed, "kept_chars": kept},
        "by-source": Counter(x["source"] for x in removals),
        "by-rule": Counter(x["rule_id"] for x in removals),
        "share-histogram": bins,
        "top": [doc for share, doc in sorted(shares, key=lambda s: -s[0]) if share > 0],
        "lines": Counter(x["text"] for x in removals),
    }


def check_page(html: str, expected: dict[str, Any]) -> None:
    """Every total, bar and histogram bin of the page equals the count made from the file (shown text and data)."""
    tree = lxml.html.fromstring(html)
    shown = {td.get("data-stat"): td for td in tree.xpath("//td[@data-stat]")}
    for name, value in expected["totals"].items():
        assert int(shown[name].get("data-value")) == value, name
        assert int(shown[name].text_content().replace(",", "")) == value, name
    for chart in ("by-source", "by-rule"):
        bars = tree.xpath(f"//*[@data-chart='{chart}']//*[@class='bar']")
        drawn = {bar.get("data-label"): int(bar.xpath(".//*[@class='value']")[0].text_content()) for bar in bars}
        assert drawn == dict(expected[chart]), chart
        assert all(int(bar.get("data-value")) == drawn[bar.get("data-label")] for bar in bars)
    bins = tree.xpath("//*[@data-chart='share-histogram']//*[@class='bin']")
    assert [int(b.xpath(".//*[@class='value']")[0].text_content()) for b in bins] == expected["share-histogram"]
    listed = tree.xpath("//a[starts-with(@href, '#doc-')]")
    assert [a.text_content() for a in listed] == expected["top"][: len(listed)] and listed
    for link in listed:  # each listed document links to its explanation, which names the removed lines
        section = tree.get_element_by_id(link.get("href")[1:])
        assert link.text_content() in section.xpath("string(.//h3)")
        assert section.xpath(".//td[@class='removed']")


def test_report_of_a_run_shows_the_counts_of_the_file(tmp_path: Path) -> None:
    run = run_file(tmp_path)
    out = tmp_path / "report.html"
    done = cli("report", str(run), "--explain-field", "why", "-o", str(out))
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    expected = expected_figures(run)
    assert expected["totals"]["lines_removed"] > 10 and expected["totals"]["unexplained"] == 1
    check_page(html, expected)
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://cdn" not in html
    assert "<script" not in html and "<link" not in html  # self-contained: nothing to fetch
    tree = lxml.html.fromstring(html)
    sites = [row.xpath("string(td[1])") for row in tree.xpath("//h2[.='By site']/following::table[1]/tbody/tr")]
    assert sites[:2] == ["example.com", "other.co.uk"]
    frequent = {row.xpath("string(td[2])"): int(row.xpath("string(td[1])")) for row in tree.xpath(
        "//h2[.='Most frequent removed lines']/following::table[1]/tbody/tr")}
    assert frequent["Share this article"] == expected["lines"]["Share this article"] == 13


def test_report_reads_json_text_explanations_and_nested_fields(tmp_path: Path) -> None:
    run = run_file(tmp_path)
    nested = tmp_path / "nested.jsonl"
    rows = [json.loads(line) for line in run.read_text(encoding="utf-8").split("\n") if line]
    write_jsonl(nested, [{"text": r.get("clean_text"), "id": r["id"], "metadata": {"url": r.get("url"), "ac": json.dumps(r["why"])}}
                         for r in rows if "why" in r])
    out = tmp_path / "nested.html"
    done = cli("report", str(nested), "--explain-field", "metadata.ac", "--output-field", "text", "--url-field", "metadata.url",
               "-o", str(out))
    assert done.returncode == 0, done.stderr
    expected = expected_figures(run)
    expected["totals"].update(records=expected["totals"]["explained"], unexplained=0)
    check_page(out.read_text(encoding="utf-8"), expected)


def test_report_without_explanations_says_which_flag(tmp_path: Path) -> None:
    plain = write_jsonl(tmp_path / "plain.jsonl", text_records(3))
    done = cli("report", str(plain), "-o", str(tmp_path / "r.html"))
    assert done.returncode == 2
    assert "--explain-field" in done.stderr and "Traceback" not in done.stderr


def test_report_lists_as_many_documents_and_lines_as_asked(tmp_path: Path) -> None:
    run = run_file(tmp_path)
    for top, lines in ((0, 0), (2, 3)):
        out = tmp_path / f"top{top}.html"
        done = cli("report", str(run), "--explain-field", "why", "--top", str(top), "--lines", str(lines), "-o", str(out))
        assert done.returncode == 0, done.stderr
        tree = lxml.html.fromstring(out.read_text(encoding="utf-8"))
        assert len(tree.xpath("//a[starts-with(@href, '#doc-')]")) == top
        assert len(tree.xpath("//h2[.='Most frequent removed lines']/following::table[1]/tbody/tr")) == lines


def learned_rules(tmp_path: Path) -> Path:
    feed = write_jsonl(tmp_path / "feed.jsonl", [*text_records(12, "example.com"), *text_records(12, "other.org")])
    rules = tmp_path / "learned.json"
    done = cli("learn", str(feed), "-o", str(rules), "--min-docs", "3", "-j", "1")
    assert done.returncode == 0, done.stderr
    return rules


def test_report_of_a_rules_file_groups_rules_by_site(tmp_path: Path) -> None:
    rules = learned_rules(tmp_path)
    data = json.loads(rules.read_text(encoding="utf-8"))
    out = tmp_path / "rules.html"
    assert cli("report", str(rules), "-o", str(out)).returncode == 0
    tree = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    per_site = Counter(site for rule in data["rules"] for site in rule.get("sites", [""]))
    assert {h.get("data-site"): int(h.get("data-rules")) for h in tree.xpath("//h2[@data-site]")} == dict(per_site)
    assert int(tree.xpath("//td[@data-stat='rules']")[0].text_content()) == len(data["rules"]) > 0
    for rule in data["rules"]:  # each rule with its support and example line
        row = tree.xpath(f"//tr[td/code='{rule['id']}']")[0]
        assert rule["lines"][0] in row.xpath("string(td[2])")
        assert int(row.xpath("string(td[3])").replace(",", "")) == rule["learned"]["support"]["docs"]


def test_report_renders_in_chromium_with_the_file_numbers(tmp_path: Path) -> None:
    run = run_file(tmp_path)
    out = tmp_path / "report.html"
    assert cli("report", str(run), "--explain-field", "why", "-o", str(out)).returncode == 0
    rendered = dump_dom(out, tmp_path / "profile")
    check_page(rendered, expected_figures(run))  # the numbers the browser shows are those of the file
    shot = screenshot(out, tmp_path / "profile-2", tmp_path / "report.png", size="900,1100")
    width, height, pixels = png_pixels(shot)
    assert (width, height) == (900, 1100)
    inked = sum(1 for p in pixels if sum(p) < 600)
    assert inked > 0.01 * len(pixels), "the screenshot is (nearly) blank"
    assert len(set(pixels)) > 20  # text, bars in several colours: not a flat fill
    rules = learned_rules(tmp_path)
    rules_page = tmp_path / "rules.html"
    assert cli("report", str(rules), "-o", str(rules_page)).returncode == 0
    tree = lxml.html.fromstring(dump_dom(rules_page, tmp_path / "profile-3"))
    assert len(tree.xpath("//h2[@data-site]")) == len({s for r in json.loads(rules.read_text())["rules"] for s in r.get("sites", [""])})


def test_rules_file_or_run_is_told_apart_by_content(tmp_path: Path) -> None:
    from cleaner.report import is_rules_file

    rules = {"version": 1, "rules": [{"id": "x", "kind": "exact", "lines": ["Share this"]}]}
    pretty, one_line, run = tmp_path / "pretty.json", tmp_path / "one.json", tmp_path / "run.jsonl"
    pretty.write_text(json.dumps(rules, indent=2) + "\n", encoding="utf-8")
    one_line.write_text(json.dumps(rules) + "\n\n", encoding="utf-8")
    run.write_text(json.dumps(rules) + "\n" + json.dumps({"text": "a"}) + "\n", encoding="utf-8")  # two records
    assert is_rules_file(pretty) and is_rules_file(one_line)
    assert not is_rules_file(run) and not is_rules_file(write_jsonl(tmp_path / "plain.jsonl", text_records(3)))
