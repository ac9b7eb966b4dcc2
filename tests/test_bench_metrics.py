"""Tests of the benchmark harness: metrics on hand-worked examples, plus a smoke run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import compare, extractors, metrics, scoring

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "data"

approx = pytest.approx


# ---------------------------------------------------------------- AEB shingles

def test_aeb_identical_is_perfect():
    t = metrics.aeb_tp_fp_fn("a b c d e", "a b c d e")
    assert t == (1.0, 0.0, 0.0)
    assert metrics.aeb_aggregate([t]) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_aeb_disjoint_is_zero():
    t = metrics.aeb_tp_fp_fn("a b c d", "w x y z")
    assert t == (0.0, 0.5, 0.5)
    assert metrics.aeb_aggregate([t]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_aeb_partial_overlap():
    # gold shingles abcd bcde cdef; pred abcd bcde cdex -> tp 2, fp 1, fn 1
    t = metrics.aeb_tp_fp_fn("a b c d e f", "a b c d e x")
    assert t == approx((0.5, 0.25, 0.25))
    m = metrics.aeb_aggregate([t])
    assert m["precision"] == approx(2 / 3) and m["recall"] == approx(2 / 3)
    assert m["f1"] == approx(2 / 3)


def test_aeb_repeated_shingles_are_a_multiset():
    # gold: abcd x2, bcda, cdab, dabc (5); pred: abcd once -> tp 1, fn 4
    t = metrics.aeb_tp_fp_fn("a b c d a b c d", "a b c d")
    assert t == approx((0.2, 0.0, 0.8))
    assert metrics.aeb_doc_scores(t)["precision"] == 1.0
    assert metrics.aeb_doc_scores(t)["recall"] == approx(0.2)
    # pred: abcd x3, bcda x2, cdab x2, dabc x2 (9) vs gold (5) -> tp 5, fp 4
    t = metrics.aeb_tp_fp_fn("a b c d a b c d", "a b c d a b c d a b c d")
    assert t == approx((5 / 9, 4 / 9, 0.0))
    assert metrics.aeb_doc_scores(t)["precision"] == approx(5 / 9)
    assert metrics.aeb_doc_scores(t)["recall"] == 1.0


def test_aeb_tokens_keep_case_and_ignore_punctuation():
    assert metrics.aeb_tokenize("Hello, World! it's") == ["Hello", "World", "it", "s"]
    assert metrics.aeb_tp_fp_fn("Hello world", "Hello, world!") == (1.0, 0.0, 0.0)
    # evaluate.py does not lowercase: different case = different tokens
    assert metrics.aeb_tp_fp_fn("Hello world", "hello world") == (0.0, 0.5, 0.5)


def test_aeb_short_text_is_one_shorter_shingle():
    assert metrics.aeb_shingles("x y") == {("x", "y"): 1}
    assert metrics.aeb_shingles("") == {}
    assert metrics.aeb_shingles(None) == {}
    # a 2-token prediction never matches a 4-token shingle
    assert metrics.aeb_tp_fp_fn("a b c d", "a b") == (0.0, 0.5, 0.5)


def test_aeb_empty_prediction_costs_recall_only():
    empty_pred = metrics.aeb_tp_fp_fn("a b c d", "")
    assert empty_pred == (0.0, 0.0, 1.0)
    assert metrics.aeb_tp_fp_fn("a b c d", None) == empty_pred
    perfect = (1.0, 0.0, 0.0)
    m = metrics.aeb_aggregate([perfect, empty_pred])
    # precision averages over the one doc with output, recall over both
    assert m == approx({"precision": 1.0, "recall": 0.5, "f1": 2 / 3})
    assert metrics.aeb_doc_scores(empty_pred) == {"precision": None, "recall": 0.0, "f1": 0.0}


def test_aeb_empty_gold_costs_precision_only():
    empty_gold = metrics.aeb_tp_fp_fn("", "a b c d")
    assert empty_gold == (0.0, 1.0, 0.0)
    m = metrics.aeb_aggregate([(1.0, 0.0, 0.0), empty_gold])
    assert m == approx({"precision": 0.5, "recall": 1.0, "f1": 2 / 3})


def test_aeb_both_empty_is_ignored():
    both = metrics.aeb_tp_fp_fn("", "")
    assert both == (0.0, 0.0, 0.0)
    assert metrics.aeb_aggregate([(1.0, 0.0, 0.0), both])["f1"] == 1.0
    assert metrics.aeb_doc_scores(both)["f1"] == 1.0
    assert metrics.aeb_aggregate([both]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_aeb_f1_is_of_averages_not_average_of_f1():
    half = metrics.aeb_tp_fp_fn("a b c d e", "a b c d")  # tp 1, fn 1: P 1, R 0.5
    assert half == (0.5, 0.0, 0.5)
    m = metrics.aeb_aggregate([half, (1.0, 0.0, 0.0)])
    assert m["precision"] == 1.0 and m["recall"] == 0.75
    assert m["f1"] == approx(6 / 7)  # mean of per-doc F1 would be 5/6


def test_aeb_bootstrap():
    assert metrics.aeb_bootstrap_ci([(1.0, 0.0, 0.0)] * 5, 50) == {
        "f1_ci": 0.0, "precision_ci": 0.0, "recall_ci": 0.0}
    mixed = [(1.0, 0.0, 0.0), (0.0, 0.5, 0.5), (0.5, 0.25, 0.25)]
    a = metrics.aeb_bootstrap_ci(mixed, 200, seed=1)
    assert a == metrics.aeb_bootstrap_ci(mixed, 200, seed=1)  # reproducible
    assert a["f1_ci"] > 0
    assert metrics.aeb_bootstrap_ci(mixed, 0) == {}


# ---------------------------------------------------------------- WCXB words

def test_wcxb_identical_and_case_insensitive():
    assert metrics.wcxb_word_prf("Hello World", "hello, world.") == (1.0, 1.0, 1.0)


def test_wcxb_disjoint():
    assert metrics.wcxb_word_prf("foo bar", "baz qux") == (0.0, 0.0, 0.0)


def test_wcxb_partial_and_order_free():
    p, r, f = metrics.wcxb_word_prf("sat cat the", "the cat sat on the mat")
    assert (p, r, f) == approx((1.0, 0.5, 2 / 3))


def test_wcxb_repeated_words_are_a_multiset():
    # overlap = min(3,1) for "the" + 1 for "cat" = 2; 4 predicted, 2 gold
    assert metrics.wcxb_word_prf("the the the cat", "the cat") == approx((0.5, 1.0, 2 / 3))


def test_wcxb_empty_cases():
    assert metrics.wcxb_word_prf("", "") == (1.0, 1.0, 1.0)
    assert metrics.wcxb_word_prf("text", "") == (0.0, 0.0, 0.0)
    assert metrics.wcxb_word_prf("", "text") == (0.0, 0.0, 0.0)
    assert metrics.wcxb_word_prf(None, "text") == (0.0, 0.0, 0.0)
    assert metrics.wcxb_word_prf("...", "text") == (0.0, 0.0, 0.0)


def test_snippet_rate():
    text = "Hello World.\nSubscribe now"
    assert metrics.snippet_rate(text, ["hello world", "missing", "SUBSCRIBE", "x"]) == 0.5
    assert metrics.snippet_rate(text, []) is None
    assert metrics.snippet_rate(None, ["a"]) == 0.0
    # plain substring, as WCXB: no whitespace normalisation
    assert metrics.snippet_rate("hello world", ["hello  world"]) == 0.0


def test_wcxb_summary_means_per_page():
    docs = {
        "1": {"type": "article", "precision": 1.0, "recall": 0.5, "f1": 2 / 3,
              "with_kept": 1.0, "without_leaked": None},
        "2": {"type": "article", "precision": 1.0, "recall": 1.0, "f1": 1.0,
              "with_kept": 0.5, "without_leaked": 0.25},
        "3": {"type": "forum", "precision": 0.0, "recall": 0.0, "f1": 0.0,
              "with_kept": None, "without_leaked": 0.75},
    }
    s = scoring.summarise_wcxb(docs)
    assert s["n_articles"] == 2 and s["n_all"] == 3
    assert s["f1_articles"] == approx(5 / 6)
    assert s["f1_all"] == approx(5 / 9)
    assert s["with_kept"] == approx(0.75)
    assert s["without_leaked"] == approx(0.5)
    assert s["f1_by_type"] == approx({"article": 5 / 6, "forum": 0.0})


# ---------------------------------------------------------------- harness pieces

def test_registry_and_unavailable_extractor():
    def broken():
        raise extractors.ExtractorUnavailable("nope")
    extractors.register("test-broken", broken)
    extractors.register("test-upper", lambda: lambda html, url: html.upper())
    try:
        with pytest.raises(extractors.ExtractorUnavailable):
            extractors.load("test-broken")
        assert extractors.load("test-upper")("ab", None) == "AB"
    finally:
        del extractors.EXTRACTORS["test-broken"], extractors.EXTRACTORS["test-upper"]


def test_html_fragment_text_lines():
    html = ("<div><p>Hello <b>big</b>\n world</p>tail<br>x<script>var a</script>"
            "<!-- c --><ul><li>a</li><li>b</li></ul></div>")
    assert extractors.html_fragment_text(html) == "Hello big world\ntail\nx\na\nb"
    assert extractors.html_fragment_text("") == ""


def test_compare_lists_biggest_drop_first():
    def run(f1s):
        docs = {i: {"f1": f, "len": 10} for i, f in f1s.items()}
        return {"datasets": {"aeb": {"status": "ok", "extractors": {
            "x": {"status": "ok", "summary": {"f1": sum(f1s.values()) / 3}, "docs": docs}}}}}
    old = run({"a": 0.9, "b": 0.9, "c": 0.5})
    new = run({"a": 0.8, "b": 0.3, "c": 0.9})
    text = compare.compare(old, new)
    assert "2 worse, 1 better" in text
    assert text.index("    b:") < text.index("    a:") < text.index("    c:")


# ---------------------------------------------------------------- runner

def _run(*args, timeout=600):
    return subprocess.run([sys.executable, "-m", "bench.html_benchmark", *args],
                          cwd=REPO, capture_output=True, text=True, timeout=timeout)


def test_missing_data_is_skipped_cleanly(tmp_path):
    proc = _run("--aeb", str(tmp_path / "no-aeb"), "--wcxb", str(tmp_path / "no-wcxb"),
                "--extractors", "trafilatura")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("skipping this dataset") == 2


@pytest.mark.skipif(not DATA.is_dir(), reason=f"benchmark data not found at {DATA.resolve()}")
def test_smoke_real_data(tmp_path):
    out = tmp_path / "run.json"
    proc = _run("--limit", "3", "--extractors", "trafilatura", "--json", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "| trafilatura |" in proc.stdout
    result = json.loads(out.read_text(encoding="utf-8"))
    for key in ("aeb", "wcxb"):
        ds = result["datasets"][key]
        if ds["status"] != "ok":  # one dataset may be absent
            continue
        ex = ds["extractors"]["trafilatura"]
        assert ex["status"] == "ok" and len(ex["docs"]) == 3
        assert all(0.0 <= d["f1"] <= 1.0 for d in ex["docs"].values())
