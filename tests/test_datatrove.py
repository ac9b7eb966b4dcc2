"""The datatrove steps in a real ``LocalPipelineExecutor`` pipeline give what ``clean --jsonl`` gives."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import AEB, REPO
from corpus_data import FURNITURE, text_records, write_jsonl

from bench.corpus_benchmark import aeb_records

pytest.importorskip("datatrove", reason="datatrove is not installed (pip install -e '.[datatrove]')")

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from cleaner import FunctionStage, clean
from cleaner.datatrove import ArticleCleanerExtractor, ArticleCleanerFormatter

SITE_RULES = {
    "version": 1, "name": "site",
    "rules": [{"id": "example.copyright", "kind": "exact", "lines": [FURNITURE[2]], "sites": ["example.com"]}],
}


def html_records() -> list[dict[str, Any]]:
    """The bundled golden HTML pages, plus benchmark pages when the shared data is there."""
    records = [
        {"id": case.name, "url": json.loads((case / "case.json").read_text(encoding="utf-8")).get("url"),
         "html": (case / "input.html").read_text(encoding="utf-8")}
        for case in sorted((REPO / "golden" / "html").iterdir())
    ]
    if AEB.exists():
        records.extend(aeb_records(AEB, 8))
    return records


def split_dump(folder: Path, records: list[Any]) -> Path:
    """``records`` in two files, so each of two tasks gets one."""
    folder.mkdir()
    half = len(records) // 2
    write_jsonl(folder / "part-0.jsonl", records[:half])
    write_jsonl(folder / "part-1.jsonl", records[half:])
    return folder


def cli_clean(records: list[Any], tmp_path: Path, *args: str) -> dict[str, str]:
    """``article-cleaner clean --jsonl`` on ``records``: cleaned text by id."""
    feed = write_jsonl(tmp_path / "all.jsonl", records)
    out = tmp_path / "cli.jsonl"
    subprocess.run([sys.executable, "-m", "cleaner", "clean", "--jsonl", str(feed), "-o", str(out), "-j", "1", "--quiet", *args],
                   check=True, cwd=REPO)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
    return {r["id"]: r["clean_text"] for r in rows if "clean_text" in r}


def record_builds(data: Any, rank: int = 0, world_size: int = 1) -> Any:
    """Pipeline step: note in each document how many cleaners its worker process has built so far."""
    from cleaner.factory import _cached

    for doc in data:
        doc.metadata["cleaners_built"] = _cached.cache_info().misses
        yield doc


def run_pipeline(step: Any, dump: Path, out: Path, logs: Path, text_key: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Reader -> ``step`` -> writer with 2 tasks; the written documents and the step's stats."""
    LocalPipelineExecutor(
        pipeline=[JsonlReader(str(dump), text_key=text_key, id_key="id"), step, record_builds, JsonlWriter(str(out))],
        tasks=2, workers=2, logging_dir=str(logs),
    ).run()
    docs = []
    for path in sorted(out.glob("*.jsonl.gz")):
        docs.extend(json.loads(line) for line in gzip.decompress(path.read_bytes()).decode("utf-8").split("\n") if line)
    assert len(list(out.glob("*.jsonl.gz"))) == 2  # both tasks wrote
    stats = json.loads((logs / "stats.json").read_text(encoding="utf-8"))
    step_stats = next(s for s in stats if s["name"].endswith("article-cleaner"))["stats"]
    return docs, step_stats


def total(stats: dict[str, Any], name: str) -> int:
    value = stats.get(name, 0)
    return int(value["total"] if isinstance(value, dict) else value)


def test_extractor_pipeline_equals_clean_jsonl(tmp_path: Path) -> None:
    records = html_records()
    records.append({"id": "no-article", "url": "https://example.com/empty", "html": "<html><body><script>x()</script></body></html>"})
    bad = {"id": "bad", "url": "https://example.com/bad", "html": {"not": "a page"}}
    dump = split_dump(tmp_path / "dump", [*records, bad])
    expected = cli_clean(records, tmp_path)
    step = ArticleCleanerExtractor(explanation="removals")
    docs, stats = run_pipeline(step, dump, tmp_path / "out", tmp_path / "logs", "html")

    by_id = {doc["id"]: doc for doc in docs}
    kept = {key: text for key, text in expected.items() if text.strip()}
    assert {key: by_id[key]["text"] for key in kept} == kept  # same texts as the CLI
    assert set(by_id) == set(kept) | {"bad"}  # emptied pages dropped, as datatrove's Trafilatura step does
    assert by_id["bad"]["text"] == {"not": "a page"}  # failed: passed through unchanged ...
    assert by_id["bad"]["metadata"]["article_cleaner"]["error"].startswith("InputTypeError")  # ... and marked
    removed = sum(len(by_id[key]["metadata"]["article_cleaner"]["removals"]) for key in kept)
    assert removed > 0
    assert total(stats, "total") == len(records) + 1
    assert total(stats, "errors/InputTypeError") == total(stats, "passed_through") == 1
    assert total(stats, "lines_removed") >= removed
    assert sum(total(stats, f"removed_by_source/{s}") for s in ("rule", "learned", "detector", "model")) == total(stats, "lines_removed")
    assert total(stats, "dropped") == total(stats, "emptied") == len(records) - len(kept) >= 1
    assert {doc["metadata"]["cleaners_built"] for doc in docs} == {1}  # one Cleaner per worker process


def test_formatter_pipeline_uses_urls_and_rules_like_clean_jsonl(tmp_path: Path) -> None:
    rules = tmp_path / "site.json"
    rules.write_text(json.dumps(SITE_RULES), encoding="utf-8")
    records = [*text_records(6, "example.com"), *text_records(4, "other.org")]
    for record in records:
        record["id"] = f"{record['url']}"
    dump = split_dump(tmp_path / "dump", records)
    expected = cli_clean(records, tmp_path, "--rules", str(rules))
    docs, stats = run_pipeline(ArticleCleanerFormatter([rules]), dump, tmp_path / "out", tmp_path / "logs", "text")

    assert {doc["id"]: doc["text"] for doc in docs} == expected
    for doc in docs:
        summary = doc["metadata"]["article_cleaner"]
        on_site = "example.com" in doc["id"]
        assert ("example.copyright" in summary["rule_ids"]) is on_site  # the URL came from the metadata
        assert summary["removed_lines"] == len(summary["rule_ids"]) > 0
    assert total(stats, "cleaned") == len(records)
    assert total(stats, "lines_removed") == sum(d["metadata"]["article_cleaner"]["removed_lines"] for d in docs)


def slow_stage(view: Any, context: Any) -> list[Any]:
    """A cleaning stage that hangs on a document with a SLOW line (a stand-in for a pathological page)."""
    if any("SLOW" in line.text for line in view):
        time.sleep(60)
    return []


def test_timeout_passes_a_hanging_document_through_and_cleans_the_rest(tmp_path: Path) -> None:
    records: list[dict[str, Any]] = text_records(5, "example.com")
    for i, record in enumerate(records):
        record["id"] = f"doc-{i}"  # not 0: datatrove's writer leaves out falsy fields
    records[1]["text"] += "\n\nSLOW"
    records[3]["text"] = {"not": "text"}  # an error raised in the sandbox's process comes back as itself
    dump = split_dump(tmp_path / "dump", records)
    step = ArticleCleanerFormatter(timeout=3, extra_stages=[FunctionStage("slow", slow_stage)])
    docs, stats = run_pipeline(step, dump, tmp_path / "out", tmp_path / "logs", "text")

    by_id = {doc["id"]: doc for doc in docs}
    assert len(by_id) == len(records)
    for i, record in enumerate(records):
        doc = by_id[record["id"]]
        if i == 1:
            assert doc["text"] == record["text"] and doc["metadata"]["article_cleaner"]["error"].startswith("TimeoutError")
        elif i == 3:
            assert doc["text"] == record["text"] and doc["metadata"]["article_cleaner"]["error"].startswith("InputTypeError")
        else:
            assert doc["text"] == clean(record["text"], url=record["url"], kind="text")
    assert total(stats, "errors/TimeoutError") == total(stats, "errors/InputTypeError") == 1
    assert total(stats, "cleaned") == len(records) - 2


def test_bad_rules_file_fails_when_the_step_is_made(tmp_path: Path) -> None:
    from cleaner import CleanerError, RulesError

    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "rules": [{"id": "x", "kind": "exact"}]}', encoding="utf-8")
    with pytest.raises(RulesError):
        ArticleCleanerFormatter([bad])
    with pytest.raises(CleanerError, match="explanation must be one of"):
        ArticleCleanerExtractor(explanation="all")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'detector'"):
        ArticleCleanerExtractor(detector=False)
    with pytest.raises(CleanerError, match="timeout must be"):
        ArticleCleanerExtractor(timeout=0)
