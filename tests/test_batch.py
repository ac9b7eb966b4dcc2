"""The batch API: lists in and out, and ``clean_columns`` run by ``datasets.Dataset.map(batched=True)``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO

import cleaner
from cleaner import CleanerError, explain
from cleaner.batch import clean_batch, clean_columns, explain_batch

SEEDS = sorted((REPO / "golden" / "seeds").glob("*/input.txt"))
SITE_RULES = {
    "version": 1, "name": "site",
    "rules": [{"id": "example.footer", "kind": "exact", "lines": ["Example Daily Media Group"], "sites": ["example.com"]}],
}


def _texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in SEEDS]
    assert len(texts) >= 3
    return texts


def _site_text() -> str:
    return "Council votes on the budget\n\nThe council met on Tuesday and voted on the plan after a long debate.\n\nExample Daily Media Group\n"


def test_clean_batch_equals_clean_per_document_with_urls_and_none(tmp_path: Path) -> None:
    rules = tmp_path / "site.json"
    rules.write_text(json.dumps(SITE_RULES), encoding="utf-8")
    texts = [*_texts(), _site_text(), _site_text(), None]
    urls = [None] * (len(texts) - 3) + ["https://www.example.com/a", "https://other.org/a", None]
    cleaned = clean_batch(texts, urls, rules=[str(rules)])
    expected = [explain(t, url=u, rules=[str(rules)]).text for t, u in zip(texts[:-1], urls[:-1])]
    assert cleaned == [*expected, None]
    assert "Example Daily Media Group" not in cleaned[-3]  # site rule applied on its site ...
    assert "Example Daily Media Group" in cleaned[-2]  # ... and only there
    assert all(c != t for c, t in zip(cleaned, texts[:3]))  # the seeds do lose junk
    results = explain_batch(texts[:2])
    assert [r.text for r in results if r is not None] == [explain(t).text for t in texts[:2]]


def test_batch_functions_are_the_package_s() -> None:
    assert cleaner.clean_batch is clean_batch and cleaner.explain_batch is explain_batch


def test_mismatched_urls_are_a_clear_error() -> None:
    with pytest.raises(CleanerError, match="2 texts but 1 urls"):
        clean_batch(["a", "b"], ["https://example.com"])


def test_clean_columns_without_the_text_column_names_the_option() -> None:
    with pytest.raises(CleanerError, match="text_column="):
        clean_columns({"body": ["x"]})


def test_dataset_map_batched_adds_clean_text_and_explanation() -> None:
    datasets = pytest.importorskip("datasets", reason="the datasets package is not installed (it is in the 'test' extra)")
    texts = [*_texts(), _site_text()]
    urls = [f"https://www.example.com/{i}" for i in range(len(texts))]
    ds = datasets.Dataset.from_dict({"text": texts, "url": urls, "id": list(range(len(texts)))})
    mapped = ds.map(clean_columns, batched=True, batch_size=2, fn_kwargs={"explain_column": "explanation"})
    assert mapped.column_names == ["text", "url", "id", "clean_text", "explanation"]
    for row in mapped:
        result = explain(row["text"], url=row["url"])
        assert row["clean_text"] == result.text
        explanation = json.loads(row["explanation"])
        assert [r["rule_id"] for r in explanation["removals"]] == [r.rule_id for r in result.removals]
        assert explanation["url"] == row["url"]
    assert sum(len(json.loads(e)["removals"]) for e in mapped["explanation"]) > 0


def test_dataset_map_in_two_processes_equals_one(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets", reason="the datasets package is not installed (it is in the 'test' extra)")
    rules = tmp_path / "site.json"
    rules.write_text(json.dumps(SITE_RULES), encoding="utf-8")
    texts = [*_texts(), _site_text()] * 2
    ds = datasets.Dataset.from_dict({"body": texts, "url": ["https://example.com/x"] * len(texts)})
    kwargs = {"text_column": "body", "output_column": "article", "rules": [str(rules)]}
    two = ds.map(clean_columns, batched=True, batch_size=3, num_proc=2, fn_kwargs=kwargs)
    assert two["article"] == clean_batch(texts, ds["url"], rules=[str(rules)])
    assert "Example Daily Media Group" not in two["article"][len(_texts())]
