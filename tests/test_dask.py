"""``cleaner.dask`` on a real two-process LocalCluster gives the single-process records and rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus_benchmark import aeb_records
from cleaner import Cleaner
from cleaner.corpus import clean_jsonl
from cleaner.learn import LearnOptions, learn
from conftest import AEB, REPO, require_data
from corpus_data import text_records, write_jsonl

db = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("dask.distributed")

DATE = "2026-01-01"
OPTIONS = LearnOptions(min_docs=3)


def test_clean_and_learn_on_a_local_cluster_equal_single_process(tmp_path: Path) -> None:
    from cleaner.dask import clean_bag, learn_bag

    records = [*text_records(24, "example.com"), *aeb_records(require_data(AEB), 2), {"url": "https://x.org", "text": 7}]
    feed = write_jsonl(tmp_path / "feed.jsonl", records)
    single_rules = learn([feed], OPTIONS, date=DATE, progress=False)
    assert any(rule.sites for rule in single_rules.rules)  # the furniture was learned, so the comparison means something
    rules_path = tmp_path / "learned.json"
    single_rules.dump(rules_path)
    clean_jsonl(feed, tmp_path / "clean.jsonl", rules=[rules_path], jobs=1, progress=False, fields=_fields())
    single_clean = [json.loads(line) for line in (tmp_path / "clean.jsonl").read_text(encoding="utf-8").split("\n") if line]

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        bag = db.read_text(str(feed), blocksize=None).map(json.loads).repartition(npartitions=5)
        bag_rules = learn_bag(bag, OPTIONS, date=DATE, use_model=False, corpus=[feed.name])
        cleaned = clean_bag(bag, rules=[bag_rules], explain_field="why").compute()
        workers_used = client.run(_cleaner_builds)

    assert bag_rules.to_json() == single_rules.to_json()
    # the CLI sends a malformed record to its rejects file; a bag has none, so Dask passes it through unchanged
    assert cleaned[:-1] == single_clean
    assert cleaned[-1] == {"url": "https://x.org", "text": 7}
    assert all(builds <= 1 for builds in workers_used.values())  # one Cleaner per worker process, not per record
    assert sum(workers_used.values()) >= 1


def _fields():  # type: ignore[no-untyped-def]
    from cleaner.corpus import RecordFields

    return RecordFields(explain="why")


def _cleaner_builds() -> int:
    from cleaner.factory import _cached

    return _cached.cache_info().misses


def test_partitions_share_one_cleaner_and_learned_rules_are_used(tmp_path: Path) -> None:
    from cleaner.dask import clean_bag
    from cleaner.factory import _cached

    records = text_records(20, "example.com")
    rules = {"version": 1, "rules": [{"id": "t.copyright", "kind": "exact", "lines": ["Copyright Example Daily Media Group"],
                                      "reason": "test footer"}]}
    _cached.cache_clear()
    out = clean_bag(db.from_sequence(records, npartitions=4), rules=[rules], output_field="out").compute(scheduler="sync")
    # one build, in the client (validating the rules); the four partitions reuse it
    assert _cached.cache_info().misses == 1 and _cached.cache_info().hits == 4
    expected = Cleaner(rules=[rules])
    assert [r["out"] for r in out] == [expected.clean(r["text"], url=r["url"], kind="text") for r in records]
    assert not any("Copyright Example Daily" in r["out"] for r in out)
    assert [r["id"] for r in out] == list(range(20))


def test_core_and_cli_import_without_dask() -> None:
    code = (
        "import sys; sys.modules['dask'] = None\n"
        "import cleaner, cleaner.corpus, cleaner.cli\n"
        "assert cleaner.clean('You are here\\n\\nHeadline') == 'Headline'\n"
        "try:\n    import cleaner.dask\nexcept ImportError as exc:\n    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "pip install 'article-cleaner[dask]'" in done.stdout
