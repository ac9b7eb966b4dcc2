"""One reading of records: the corpus runner, the learner, Dask and the Scrapy pipeline pick the
same field of the same record and clean it as the same kind (HTML or text)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cleaner import Cleaner
from cleaner.corpus import RecordFields, clean_jsonl
from cleaner.learn import iter_documents
from cleaner.learn.documents import extract_text, text_lines
from corpus_data import write_jsonl

PAGE = (
    "<html><head><title>Bridge reopens</title></head><body><nav>Home &gt; Local</nav><article>"
    "<h1>Bridge reopens after repairs</h1><p>The old bridge over the river reopened on Monday after "
    "eight months of repairs, the city said in a statement.</p><p>Drivers had used a detour through "
    "the industrial area, which added about twenty minutes to the commute.</p></article></body></html>"
)
# Text that looks like HTML: in a text field it is still text (the field decides, not a guess).
TAGGED_TEXT = "<p>Council approves budget</p>\n<div>The council approved the budget on Tuesday.</div>\n<p>Taxes stay flat.</p>"
PLAIN = "Council approves budget\n\nThe council approved the budget on Tuesday by seven votes to two."

# (record, field the page comes from, kind it is cleaned as)
CASES: list[tuple[dict[str, Any], str, str]] = [
    ({"url": "https://news.example.com/a", "html": PAGE, "text": PLAIN}, "html", "html"),  # HTML wins
    ({"url": "https://news.example.com/b", "html": " \n ", "text": TAGGED_TEXT}, "text", "text"),  # blank HTML: text
    ({"url": "https://news.example.com/c", "text": TAGGED_TEXT}, "text", "text"),
    ({"html": PAGE}, "html", "html"),
    ({"url": "https://news.example.com/d", "html": None, "text": PLAIN}, "text", "text"),
]
FIELDS = RecordFields(explain="why")


def expected_text(record: dict[str, Any], field: str, kind: str) -> str:
    return Cleaner().explain(record[field], url=record.get("url"), kind=kind).text


def test_corpus_runner_cleans_the_winning_field_as_its_kind(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl", [record for record, _, _ in CASES])
    clean_jsonl(feed, tmp_path / "out.jsonl", fields=FIELDS, jobs=1, progress=False)
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [row["why"]["kind"] for row in out] == [kind for _, _, kind in CASES]
    assert [row["clean_text"] for row in out] == [expected_text(*case) for case in CASES]


def test_learner_reads_the_same_field_as_the_same_kind(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl", [record for record, _, _ in CASES])
    documents = list(iter_documents([feed], FIELDS))
    expected = [
        text_lines(extract_text(record[field], record.get("url")) if kind == "html" else record[field])
        for record, field, kind in CASES
    ]
    assert [document.lines for document in documents] == expected
    assert [document.url for document in documents] == [record.get("url") for record, _, _ in CASES]


def test_learner_files_decide_by_suffix_then_by_content(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(TAGGED_TEXT, encoding="utf-8")  # a .txt file is text, tags and all
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "page.dat").write_text(PAGE, encoding="utf-8")  # no telling suffix: it looks like HTML
    documents = {Path(d.id).name: d.lines for d in iter_documents([tmp_path / n for n in ("page.txt", "page.html", "page.dat")])}
    assert documents["page.txt"] == text_lines(TAGGED_TEXT)
    assert documents["page.html"] == documents["page.dat"] == text_lines(extract_text(PAGE))


def test_dask_cleans_the_winning_field_as_its_kind() -> None:
    db = pytest.importorskip("dask.bag")
    from cleaner.dask import clean_bag

    bag = db.from_sequence([record for record, _, _ in CASES], npartitions=2)
    out = clean_bag(bag, explain_field="why").compute(scheduler="sync")
    assert [row["why"]["kind"] for row in out] == [kind for _, _, kind in CASES]
    assert [row["clean_text"] for row in out] == [expected_text(*case) for case in CASES]


def test_scrapy_items_are_read_by_the_same_adapter_from_the_settings() -> None:
    pytest.importorskip("scrapy")
    import scrapy
    from itemadapter import ItemAdapter
    from scrapy.settings import Settings

    from cleaner.records import RecordAdapter
    from scrapy_plugin.settings import PipelineSettings

    class Article(scrapy.Item):
        url = scrapy.Field()
        html = scrapy.Field()
        text = scrapy.Field()

    fields = PipelineSettings.from_settings(Settings()).fields
    for record, field, kind in CASES:
        for item in (dict(record), Article(**record)):
            page = RecordAdapter(ItemAdapter(item), fields).page()
            assert page is not None and (page.field, page.kind, page.url) == (field, kind, record.get("url"))
            assert page.clean(Cleaner()).text == expected_text(record, field, kind)
    # bytes from a response body are a page too; blank values are nothing to clean (the item passes through)
    assert RecordAdapter(ItemAdapter({"html": PAGE.encode()}), fields).page().kind == "html"  # type: ignore[union-attr]
    blank = RecordAdapter(ItemAdapter({"html": b"  ", "text": " "}), fields).page()
    assert blank is not None and blank.blank
    only_text = PipelineSettings.from_settings(Settings({"ARTICLE_CLEANER_HTML_FIELD": ""})).fields
    page = RecordAdapter(ItemAdapter(dict(CASES[0][0])), only_text).page()
    assert page is not None and (page.field, page.kind) == ("text", "text")
