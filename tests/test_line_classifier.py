"""The two-pass line classifier: trained by the CLI from labelled documents, shipped as JSON, used as a stage."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.line_classifier import ClassifierError, LineClassifier, classifier_stage

REPO = Path(__file__).resolve().parents[1]

SUBJECTS = ["The council", "The minister", "Local officials", "The company", "Researchers", "The court", "Police", "The team"]
VERBS = ["said on Tuesday that", "announced that", "warned that", "confirmed that", "argued that", "reported that"]
CLAUSES = ["the budget would be cut by a third next year", "the bridge will stay closed until repairs are finished",
           "more than 200 people had been affected by the outage", "the plan needed approval from the regional government",
           "prices rose faster than expected in the last quarter", "the new rules would come into force in the spring"]
CAPTIONS = ["A man walks past a flooded street Monday, March 2, 2015, in Riverside, Calif.",
            "Firefighters battle a blaze Friday, June 5, 2020, in Santa Rosa, Calif. (AP Photo/Jane Doe)",
            "Protesters gather outside the courthouse Tuesday, Oct. 3, 2017, in Austin, Texas.",
            "A worker repairs a power line Sunday, Jan. 7, 2018, in Boston, Mass. (Getty Images)"]
JUNK = ["Share this article", "Follow us on Twitter @example", "Advertisement", "Related: More stories from our team",
        "Sign up for our newsletter", "Click here to comment"]


def _doc(rng: random.Random, site: str, n: int) -> dict:
    lines = [{"text": f"{rng.choice(SUBJECTS)} faces questions over the plan", "label": "content", "why": "gold", "evidence": None}]
    if rng.random() < 0.7:
        lines.append({"text": rng.choice(CAPTIONS), "label": "junk", "why": "markup: figcaption", "evidence": None})
    for _ in range(6):
        lines.append({"text": f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)}.", "label": "content",
                      "why": "gold", "evidence": None})
        if rng.random() < 0.25:
            lines.append({"text": rng.choice(JUNK), "label": "junk", "why": "gold", "evidence": None})
    return {"dataset": "synthetic", "page": f"{site}-{n}", "site": site, "source": "region", "lines": lines}


def _train(labelled: Path, out: Path, *more: str) -> Path:
    subprocess.run([sys.executable, "-m", "cleaner", "train", "--labelled", str(labelled), "-o", str(out), *more],
                   cwd=REPO, check=True, capture_output=True, text=True)
    return out


@pytest.fixture(scope="module")
def labelled(tmp_path_factory) -> Path:
    pytest.importorskip("sklearn")
    rng = random.Random(7)
    path = tmp_path_factory.mktemp("classifier") / "labelled.jsonl"
    path.write_text("".join(json.dumps(_doc(rng, f"site{i % 12}.com", i)) + "\n" for i in range(120)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(labelled) -> Path:
    return _train(labelled, labelled.with_name("classifier.json"))


def test_training_twice_with_the_same_seed_writes_the_same_bytes(labelled, trained):
    again = _train(labelled, labelled.with_name("again.json"))
    assert again.read_bytes() == trained.read_bytes()


def test_train_writes_plain_json_that_reloads_the_same(trained):
    data = json.loads(trained.read_text(encoding="utf-8"))
    assert data["format"] == "article-cleaner-line-classifier"
    assert data["trained"]["validation"].startswith("5-fold site-grouped")
    classifier = LineClassifier.load(trained)
    assert LineClassifier.from_json(classifier.to_json()) == classifier


def test_stage_removes_a_caption_sentence_and_says_why(trained):
    cleaner = Cleaner(model=False, detectors=False, builtin=False, extra_stages=[classifier_stage(trained)])
    text = "\n".join([
        "The council faces questions over the plan",
        "A woman walks past a flooded street Sunday, April 5, 2015, in Fresno, Calif.",
        "The council said on Tuesday that the budget would be cut by a third next year.",
        "Local officials warned that the bridge will stay closed until repairs are finished.",
        "Police confirmed that more than 200 people had been affected by the outage.",
    ])
    result = cleaner.explain_text(text)
    assert [r.line for r in result.removals] == [2]
    assert result.removals[0].reason.startswith("model: ")
    assert "Tuesday" in result.text and "Police confirmed" in result.text
    assert cleaner.clean(result.text) == result.text


def test_a_file_that_is_not_a_classifier_is_refused(tmp_path):
    path = tmp_path / "model.json"
    path.write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(ClassifierError, match="not an article-cleaner line classifier of version 1 or 2"):
        LineClassifier.load(path)


def _views() -> list[list]:
    from cleaner.evidence import Evidence
    from cleaner.view import Line

    rng = random.Random(3)
    pool = [*CAPTIONS, *JUNK, *(f"{s} {v} {c}." for s in SUBJECTS for v in VERBS[:2] for c in CLAUSES[:2]), "2015", "•"]
    evidence = [None, Evidence("p"), Evidence("li", ("ul", "div"), "related", 0.8), Evidence("figcaption", ("figure",), "figcaption")]
    return [[Line.make(n + 1, rng.choice(pool), 1, rng.choice(evidence)) for n in range(rng.randint(1, 14))] for _ in range(40)]


def test_registered_features_worked_out_once_per_line_equal_the_whole_view_ones():
    # line_facts caches what depends on the line alone; a feature that reads the view but is
    # not listed as context (CONTEXT_BASE) would get a one-line view's value here
    from cleaner.features import FEATURE_NAMES, line_features
    from cleaner.line_classifier import dense_features

    for view in _views():
        assert dense_features(view, FEATURE_NAMES) == line_features(view)


def hashed(tokens: list[str], buckets: int) -> dict[int, float]:
    """The reference for pass one's words: every hashed gram of the line, each weighted ``1/sqrt(n)``."""
    from cleaner.line_classifier import gram_buckets

    grams = gram_buckets(tokens, buckets)
    out: dict[int, float] = {}
    for b in grams:
        out[b] = out.get(b, 0.0) + 1.0 / math.sqrt(len(grams))
    return out


def pass2_rows(dense: list[list[float]], p1: list[float]) -> list[list[float]]:
    """The reference pass-two rows: dense features plus the first-pass logits around the line."""
    from cleaner.line_classifier import pass2_extra

    return [[*row, *more] for row, more in zip(dense, pass2_extra(p1))]


def test_cached_scoring_equals_scoring_every_feature_afresh(trained):
    import math

    from cleaner.line_classifier import dense_features, tokens_of

    classifier = LineClassifier.load(trained)
    for view in _views():
        dense = dense_features(view, classifier.features)
        p1 = [classifier.first.logit(row, hashed(tokens_of(line.text), classifier.buckets)) for row, line in zip(dense, view)]
        fresh = [1 / (1 + math.exp(-classifier.second.logit(row))) for row in pass2_rows(dense, p1)]
        assert classifier.scores(view) == pytest.approx(fresh, abs=1e-9)


def test_report_gives_each_content_target_on_the_folds_and_on_documents_never_trained_on(labelled, tmp_path):
    rows = [json.loads(line) for line in labelled.read_text(encoding="utf-8").splitlines()]
    for row in rows[:40]:
        row["dataset"] = "other"
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    report = tmp_path / "report.json"
    _train(mixed, tmp_path / "c.json", "--only", "synthetic/*", "--evaluate", str(mixed), "--report", str(report))
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["documents"] == 80
    targets = data["targets"]
    assert [t["max_content_loss"] for t in targets] == sorted((t["max_content_loss"] for t in targets), reverse=True)
    assert [t["threshold"] for t in targets] == sorted(t["threshold"] for t in targets)
    assert all(t["cv"]["content_chars_kept"] >= 1 - t["max_content_loss"] for t in targets)
    assert all("evaluate_on" in t for t in targets)


def test_the_shipped_classifier_loads_without_a_path_and_removes_a_credited_wire_caption():
    cleaner = Cleaner(model=False, detectors=False, builtin=False, extra_stages=[classifier_stage()])  # the classifier alone
    article = [
        "Turkey moves tanks to the Syrian border as fighting nears",
        "A Turkish tank heads to the Syrian border Friday, Oct. 10, 2014, in Karkamis, Turkey. (AP Photo/Jane Doe)",
        "Turkish tanks and armoured vehicles moved towards the Syrian border on Friday as fighting between militants "
        "and Kurdish forces drew closer to the frontier, officials said.",
        "The government has said it will not stand by while the town falls, but it has so far not joined the fighting.",
        "Thousands of refugees have crossed into Turkey over the past week, according to the United Nations agency.",
    ]
    result = cleaner.explain_text("\n".join(article))
    assert [(r.line, r.rule_id) for r in result.removals] == [(2, "model.line")]
    assert result.removals[0].reason.startswith("model: ") and "'photo'" in result.removals[0].reason  # says what drove it


def test_the_classifier_never_empties_a_document():
    cleaner = Cleaner(model=False, detectors=False, builtin=False, extra_stages=[classifier_stage()])
    furniture = "\n".join(["Share this article", "Follow us on Twitter", "Sign up for our newsletter", "Advertisement"])
    assert cleaner.clean(furniture).strip()
    one_line_page = " ".join(["Home News Reviews Contact. Here is a really nice review of the new release."] * 30)
    assert cleaner.clean(one_line_page) == one_line_page  # a page that came as one line (150+ words) stays


def test_holdout_leaves_one_fold_of_sites_out_of_training(labelled, tmp_path):
    from cleaner.training.labelled import site_fold

    rows = [json.loads(line) for line in labelled.read_text(encoding="utf-8").splitlines()]
    kept = [row for row in rows if site_fold(row["site"], 3) != 1]
    assert 0 < len(kept) < len(rows)
    report = tmp_path / "report.json"
    _train(labelled, tmp_path / "c.json", "--holdout", "1/3", "--report", str(report))
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["documents"] == len(kept) and data["sites"] == len({row["site"] for row in kept})


def test_exported_trees_score_like_scikit_learn_and_explain_every_step():
    pytest.importorskip("sklearn")
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    from cleaner.training.classifier_fit import export_trees
    from cleaner.trees import Trees

    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 5))
    y = ((x[:, 0] > 0.3) & (x[:, 2] < 0.5) | (x[:, 4] > 1.2)).astype(int)
    model = HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=7, random_state=0, early_stopping=False).fit(x, y)
    trees = export_trees(model)
    expected = model.decision_function(x)
    assert [trees.logit(row) for row in x.tolist()] == pytest.approx(expected.tolist(), abs=1e-9)
    shipped = Trees.from_json(json.loads(json.dumps(trees.to_json())))  # as written to and read from a file
    assert [shipped.logit(row) for row in x.tolist()] == pytest.approx(expected.tolist(), abs=1e-4)
    roots = trees.baseline + sum(tree.value[0] for tree in trees.trees)
    for row in x[:50].tolist():  # each split's push adds up to the score: an explanation accounts for all of it
        assert roots + sum(trees.pushes(row)) == pytest.approx(trees.logit(row), abs=1e-9)


def test_a_classifier_whose_second_pass_is_trees_scores_reloads_and_explains(labelled):
    import math

    import numpy as np

    from cleaner.line_classifier import dense_features, tokens_of
    from cleaner.training.classifier_fit import _fit_trees, _logits, build, pass2_matrix
    from cleaner.training.labelled import read_docs
    from cleaner.trees import Trees

    linear = LineClassifier.load(_train(labelled, labelled.with_name("linear-only.json"), "--pass-two", "linear"))
    m = build(read_docs(labelled), linear.buckets)
    rows = np.flatnonzero(m.labels >= 0)
    trees = _fit_trees(pass2_matrix(m, _logits(linear.first, m.dense, m.words))[rows], m.labels[rows], seed=0)
    classifier = LineClassifier(linear.first, trees, 0.5, linear.buckets, linear.features)
    reloaded = LineClassifier.from_json(json.loads(json.dumps(classifier.to_json())))
    assert isinstance(reloaded.second, Trees) and json.loads(json.dumps(reloaded.to_json())) == json.loads(json.dumps(classifier.to_json()))
    for view in _views():
        dense = dense_features(view, classifier.features)
        p1 = [classifier.first.logit(row, hashed(tokens_of(line.text), classifier.buckets)) for row, line in zip(dense, view)]
        fresh = [1 / (1 + math.exp(-trees.logit(row))) for row in pass2_rows(dense, p1)]
        assert classifier.scores(view) == pytest.approx(fresh, abs=1e-9)
    cleaner = Cleaner(model=False, detectors=False, builtin=False, extra_stages=[classifier_stage(classifier)])
    result = cleaner.explain_text("\n".join([
        "The council faces questions over the plan",
        "A woman walks past a flooded street Sunday, April 5, 2015, in Fresno, Calif.",
        "The council said on Tuesday that the budget would be cut by a third next year.",
        "Local officials warned that the bridge will stay closed until repairs are finished.",
        "Police confirmed that more than 200 people had been affected by the outage.",
    ]))
    assert [r.line for r in result.removals] == [2]
    reason = result.removals[0].reason
    assert reason.startswith("model: ") and reason != "model: 1.00; overall shape"  # names what drove the trees


def test_a_tree_pointing_backwards_is_refused(trained):
    data = json.loads(trained.read_text(encoding="utf-8"))
    data["second"] = {"kind": "trees", "baseline": 0.0,
                      "trees": [{"feature": [0, -1, -1], "threshold": [0.5, 0, 0], "left": [0, 0, 0], "right": [2, 0, 0], "value": [0, 1, -1]}]}
    with pytest.raises(ClassifierError, match="malformed line classifier"):
        LineClassifier.from_json(data)
