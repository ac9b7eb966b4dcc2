"""``article-cleaner clean --jsonl``: streamed, ordered, parallel, and never stopped by a bad record."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.corpus import CorpusError, RecordFields, clean_jsonl, open_input, open_output, ordered_map
from cleaner.corpus.pool import batched
from conftest import REPO
from corpus_data import text_records, write_jsonl

HTML = (
    "<html><head><title>Bridge reopens</title></head><body><nav>Home &gt; Local</nav><article>"
    "<h1>Bridge reopens after repairs</h1><p>The old bridge over the river reopened on Monday after "
    "eight months of repairs, the city said in a statement.</p><p>Drivers had used a detour through "
    "the industrial area, which added about twenty minutes to the commute.</p>"
    "<p>Share this article</p></article></body></html>"
)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], cwd=REPO, capture_output=True, text=True, timeout=300)


def read_jsonl(path: Path) -> list[str]:
    with open_input(path) as handle:
        return handle.read().decode("utf-8").split("\n")[:-1]


def expected_text(record: dict) -> str:
    return Cleaner().explain(record["text"], url=record["url"], kind="text").text


def test_cli_cleans_in_order_on_two_workers_and_sends_malformed_records_to_the_rejects_file(tmp_path: Path) -> None:
    records = text_records(60)
    rows: list = [*records[:10], "not json {", *records[10:20], {"url": "https://x.org/1", "text": 5}, "",
                  {"url": "https://x.org/2"}, "[1, 2]", *records[20:]]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    done = run_cli("clean", "--jsonl", str(source), "-o", str(tmp_path / "out.jsonl.gz"), "-j", "2")
    assert done.returncode == 0, done.stderr
    lines = read_jsonl(tmp_path / "out.jsonl.gz")
    assert len(lines) == 60  # the output is valid JSON Lines: only records that were read
    cleaned = [json.loads(line) for line in lines]
    assert [r["id"] for r in cleaned] == list(range(60))
    rejects = [json.loads(line) for line in read_jsonl(tmp_path / "out.rejects.jsonl")]  # nothing is lost
    assert [(r["line"], r["raw"]) for r in rejects] == [
        (11, "not json {"), (22, json.dumps({"url": "https://x.org/1", "text": 5})),
        (24, json.dumps({"url": "https://x.org/2"})), (25, "[1, 2]"),
    ]
    assert rejects[0]["error"].startswith("not valid JSON") and rejects[0]["source"] == str(source)
    for record in cleaned:
        assert record["clean_text"] == expected_text(record)
        assert "You are here" not in record["clean_text"] and record["text"].startswith("You are here")
    assert "in.jsonl:11: malformed record: not valid JSON" in done.stderr
    assert "in.jsonl:22: malformed record: field 'text' must be a string, got int" in done.stderr
    assert "in.jsonl:24: malformed record: no 'html' or 'text' field" in done.stderr
    assert "in.jsonl:25: malformed record: expected a JSON object, got list" in done.stderr
    assert "64 documents (60 cleaned, 4 malformed, 0 failed)" in done.stderr


def test_rejects_file_custom_fields_explanation_and_zstd(tmp_path: Path) -> None:
    rows = [{"link": "https://example.com/a", "body": "You are here\n\nHeadline\n\nA sentence of the article body."},
            "{broken", {"link": "https://example.com/b", "body": "Just text."}]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    done = run_cli("clean", "--jsonl", str(source), "-o", str(tmp_path / "out.jsonl.zst"), "-j", "1",
                   "--text-field", "body", "--url-field", "link", "--output-field", "article", "--explain-field", "why",
                   "--rejects", str(tmp_path / "rejects.jsonl"))
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in read_jsonl(tmp_path / "out.jsonl.zst")]
    assert [r["link"] for r in out] == ["https://example.com/a", "https://example.com/b"]
    assert out[0]["article"] == "Headline\n\nA sentence of the article body."
    assert [r["text"] for r in out[0]["why"]["removals"]] == ["You are here"]
    assert "text" not in out[0]["why"] and out[1]["article"] == "Just text."
    (reject,) = read_jsonl(tmp_path / "rejects.jsonl")
    assert json.loads(reject)["raw"] == "{broken" and json.loads(reject)["line"] == 2
    assert "3 documents (2 cleaned, 1 malformed, 0 failed)" in done.stderr


def test_html_field_wins_and_blank_html_falls_back_to_text(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [
        {"url": "https://example.com/bridge", "html": HTML, "text": "ignored text"},
        {"url": "https://example.com/t", "html": "  ", "text": "Plain text wins here."},
    ])
    summary = clean_jsonl(source, tmp_path / "out.jsonl", jobs=1, progress=False)
    out = [json.loads(line) for line in read_jsonl(tmp_path / "out.jsonl")]
    assert out[0]["clean_text"] == Cleaner().explain(HTML, url="https://example.com/bridge", kind="html").text
    assert "old bridge over the river" in out[0]["clean_text"] and "ignored text" not in out[0]["clean_text"]
    assert out[1]["clean_text"] == "Plain text wins here."
    assert (summary.documents, summary.cleaned, summary.malformed, summary.failed) == (2, 2, 0, 0)


def test_record_whose_cleaning_raises_is_passed_through_and_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Cleaner.explain

    def explode_on_poison(self: Cleaner, text: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if text == "poison":
            raise RecursionError("too deep")
        return original(self, text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Cleaner, "explain", explode_on_poison)
    rows = [{"text": "Headline\n\nShare this article"}, {"text": "poison"}, {"text": "Last one."}]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    summary = clean_jsonl(source, tmp_path / "out.jsonl", jobs=1, progress=False, fields=RecordFields(output="out"))
    lines = read_jsonl(tmp_path / "out.jsonl")
    assert lines[1] == json.dumps({"text": "poison"})
    assert json.loads(lines[0])["out"] == "Headline" and json.loads(lines[2])["out"] == "Last one."
    assert (summary.documents, summary.cleaned, summary.failed, summary.lines_removed) == (3, 2, 1, 1)


def test_two_workers_write_the_same_bytes_as_one(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [*text_records(150), "oops"])
    one = clean_jsonl(source, tmp_path / "one.jsonl.gz", jobs=1, progress=False, batch_size=4)
    two = clean_jsonl(source, tmp_path / "two.jsonl.gz", jobs=2, progress=False, batch_size=4)
    assert gzip.decompress((tmp_path / "one.jsonl.gz").read_bytes()) == gzip.decompress((tmp_path / "two.jsonl.gz").read_bytes())
    assert one.to_dict() | {"seconds": 0} == two.to_dict() | {"seconds": 0}
    assert (two.documents, two.malformed) == (151, 1)


def _square_all(batch: list[int]) -> list[int]:
    return [n * n for n in batch]


def test_ordered_map_reads_ahead_only_a_bounded_window() -> None:
    pulled = []

    def numbers():  # type: ignore[no-untyped-def]
        for n in range(1000):
            pulled.append(n)
            yield n

    results = ordered_map(_square_all, batched(numbers(), 10), jobs=2, in_flight=3)
    first = next(results)
    assert first == [n * n for n in range(10)]
    assert len(pulled) <= 4 * 10 + 1  # three batches in flight plus the one being assembled
    rest = [x for batch in results for x in batch]
    assert first + rest == [n * n for n in range(1000)]


def test_missing_zstandard_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "zstandard", None)
    with pytest.raises(CorpusError, match=r"zstd extra \(from a clone: pip install '\.\[zstd\]'"):
        open_output(tmp_path / "out.jsonl.zst")


def test_cli_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    done = run_cli("clean", "--jsonl", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o.jsonl"))
    assert done.returncode == 2 and "missing.jsonl: no such file" in done.stderr and "Traceback" not in done.stderr
    done = run_cli("clean", "--jsonl", str(tmp_path / "x.jsonl"), "-j", "-3")
    assert done.returncode == 2 and "must be 0 (all cores) or more" in done.stderr
    done = run_cli("clean", "--jsonl", str(tmp_path / "x.jsonl"), "--url", "https://example.com")
    assert done.returncode == 2 and "--url (use --url-field)" in done.stderr and "Traceback" not in done.stderr


def test_reads_zstd_and_gzip_input(tmp_path: Path) -> None:
    rows = [{"url": "https://example.com/a", "text": "You are here\n\nA sentence of the article body."}]
    for name in ("in.jsonl.zst", "in.jsonl.gz"):
        with open_output(tmp_path / name) as handle:
            handle.write(json.dumps(rows[0]).encode("utf-8") + b"\n")
        done = run_cli("clean", "--jsonl", str(tmp_path / name), "-o", str(tmp_path / f"{name}.out.jsonl"), "-j", "1")
        assert done.returncode == 0, done.stderr
        out = [json.loads(line) for line in read_jsonl(tmp_path / f"{name}.out.jsonl")]
        assert [r["clean_text"] for r in out] == ["A sentence of the article body."], name


def test_learner_reads_a_zstd_feed(tmp_path: Path) -> None:
    from cleaner.learn import iter_documents

    path = tmp_path / "feed.jsonl.zst"
    with open_output(path) as handle:
        for number in range(3):
            row = {"url": f"https://example.com/{number}", "text": f"You are here\n\nStory number {number} of the feed."}
            handle.write(json.dumps(row).encode("utf-8") + b"\n")
    documents = list(iter_documents([path]))
    assert [document.lines for document in documents] == [
        ("You are here", f"Story number {number} of the feed.") for number in range(3)
    ]
