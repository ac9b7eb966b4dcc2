"""``article-cleaner learn -j N``: shard counts from worker processes merge into the single-process result."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cleaner.corpus import count_parallel, iter_work_items
from cleaner.learn import RecordFields, LineCounts, count, iter_documents
from conftest import REPO
from corpus_data import text_records, write_jsonl

DATE = "2026-01-01"


def corpus(tmp_path: Path) -> list[Path]:
    """A feed of one site, a gzipped feed of another, and a directory of text files."""
    feed = write_jsonl(tmp_path / "a.jsonl", text_records(40, "example.com"))
    other = tmp_path / "b.jsonl.gz"
    import gzip

    with gzip.open(other, "wt", encoding="utf-8") as handle:
        for record in text_records(30, "other.org"):
            handle.write(json.dumps(record) + "\n")
        handle.write("\n")
    pages = tmp_path / "pages" / "sub"
    pages.mkdir(parents=True)
    for record in text_records(12, "third.net"):
        (pages / f"{record['id']:03d}.txt").write_text(record["text"], encoding="utf-8")
    return [feed, other, tmp_path / "pages"]


def test_parallel_counts_equal_single_process_counts(tmp_path: Path) -> None:
    inputs = corpus(tmp_path)
    single = count(iter_documents(inputs, RecordFields()), counts=LineCounts(corpus=["x"]), progress=False)
    parallel = count_parallel(inputs, counts=LineCounts(corpus=["x"]), use_model=False, jobs=2, progress=False, batch_size=7)
    assert parallel.documents == single.documents == 82
    assert parallel.to_json() == single.to_json()
    assert len(list(iter_work_items(inputs))) == 82


def run_learn(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleaner", "learn", *args, "--date", DATE], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def test_learn_cli_with_two_jobs_writes_the_same_rules_as_one(tmp_path: Path) -> None:
    inputs = [str(p) for p in corpus(tmp_path)]
    one = run_learn(*inputs, "-o", str(tmp_path / "one.json"), "-j", "1", "--quiet")
    two = run_learn(*inputs, "-o", str(tmp_path / "two.json"), "-j", "2", "--quiet")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    rules = json.loads((tmp_path / "two.json").read_text(encoding="utf-8"))
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    learned = {line for rule in rules["rules"] for line in rule.get("lines", [])}
    assert "Copyright Example Daily Media Group" in learned
    assert not any("council" in line.lower() for line in learned)


def test_learn_cli_bad_feed_line_is_an_error_naming_the_line_with_jobs(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "bad.jsonl", [*text_records(3), "not json"])
    done = run_learn(str(feed), "-o", str(tmp_path / "x.json"), "-j", "2", "--quiet")
    assert done.returncode == 2 and "bad.jsonl:4: not a JSON object" in done.stderr and "Traceback" not in done.stderr
