"""The line model: features, JSON model files, the core stage, labelling and training."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.features import DESCRIPTIONS, FEATURE_NAMES, line_features
from cleaner.model import LineModel, ModelError, ModelStage, default_model_stage, shipped_model
from cleaner.training.labels import CONTENT, JUNK, UNKNOWN, label_lines
from cleaner.view import Line, Verdict

from conftest import AEB, require_data

ARTICLE = [
    "Council approves new budget",
    "Share this",
    "The city council approved a new budget on Monday after a long debate about schools and roads.",
    "Advertisement",
    "Members said the plan would raise spending on parks by ten percent next year, the first rise in years.",
    "He declined to comment.",
]


def view_of(lines: list[str]) -> list[Line]:
    return [Line.make(i + 1, text, 2) for i, text in enumerate(lines)]


def toy_model(threshold: float = 0.5) -> LineModel:
    """A hand-set model: short lines with furniture words and no sentence end are junk."""
    weights = dict.fromkeys(FEATURE_NAMES, 0.0)
    weights.update({"furniture": 3.0, "short_no_end": 2.0, "log_words": -0.5})
    means = tuple(0.0 for _ in FEATURE_NAMES)
    return LineModel(tuple(weights[n] for n in FEATURE_NAMES), -2.0, means, threshold)


def test_features_have_one_value_per_name_and_read_the_layout() -> None:
    rows = line_features(view_of(ARTICLE))
    assert len(rows) == len(ARTICLE) and all(len(row) == len(FEATURE_NAMES) for row in rows)
    assert set(DESCRIPTIONS) == set(FEATURE_NAMES)
    named = [dict(zip(FEATURE_NAMES, row)) for row in rows]
    assert named[0]["pos_top"] == 0.0 and named[0]["before_body"] == 1.0
    assert named[1]["furniture"] >= 1 and named[1]["short_no_end"] == 1.0
    assert named[2]["ends_sentence"] == 1.0 and named[2]["long_sentence"] == 1.0
    assert named[5]["pos_bottom"] == 0.0 and named[5]["after_body"] == 1.0
    assert line_features([]) == []


def test_model_stage_removes_confident_short_lines_and_explains() -> None:
    verdicts = toy_model().verdicts(view_of(ARTICLE))
    removed = {ARTICLE[v.index]: v for v in verdicts}
    assert set(removed) == {"Share this", "Advertisement"}
    verdict = removed["Share this"]
    assert verdict.source == "model" and verdict.rule_id == "model.line"
    assert verdict.reason.startswith("line model: score 0.") and "furniture words" in verdict.reason


def test_model_never_removes_the_headline_sentences_or_long_lines() -> None:
    model = LineModel(tuple(0.0 for _ in FEATURE_NAMES), 10.0, tuple(0.0 for _ in FEATURE_NAMES), 0.5)
    kept = {ARTICLE[i] for i in range(len(ARTICLE))} - {ARTICLE[v.index] for v in model.verdicts(view_of(ARTICLE))}
    assert kept == {ARTICLE[0], ARTICLE[2], ARTICLE[4], "He declined to comment."}
    assert model.eligible(1, "Advertisement") and not model.eligible(2, "No comment.") and not model.eligible(31, "x " * 31)


def test_model_stage_reaches_a_fixed_point_so_cleaning_twice_changes_nothing() -> None:
    weights = dict.fromkeys(FEATURE_NAMES, 0.0)
    weights.update({"next_log_words": 3.0, "short": 2.0})  # junk: a short line right before a long one
    model = LineModel(tuple(weights[n] for n in FEATURE_NAMES), -8.0, tuple(0.0 for _ in FEATURE_NAMES), 0.6)
    cleaner = Cleaner(builtin=False, detectors=False, model=False, extra_stages=[ModelStage(model)])
    text = "Headline words here\n" + "\n".join("ab cd" for _ in range(40)) + "\nThe last paragraph is a long sentence that ends the story well."
    once = cleaner.clean(text)
    assert cleaner.clean(once) == once
    assert once.count("ab cd") == 0  # each removal exposed the next line: peeled to the end


def test_model_json_round_trip_and_validation(tmp_path: Path) -> None:
    model = toy_model(0.8)
    path = tmp_path / "model.json"
    model.dump(path)
    again = LineModel.load(path)
    assert again.scores(view_of(ARTICLE)) == pytest.approx(model.scores(view_of(ARTICLE)), abs=1e-5)
    assert again.threshold == 0.8
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1] + ["not_a_feature"]
    with pytest.raises(ModelError, match="other features"):
        LineModel.from_json(data)
    with pytest.raises(ModelError, match="not a version-1"):
        LineModel.from_json({"format": "pickle"})
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ModelError, match="not valid JSON"):
        LineModel.load(path)


def test_cleaner_uses_the_shipped_model_unless_disabled() -> None:
    model = shipped_model()
    if model is None:
        assert default_model_stage() is None
        pytest.skip("no line model ships in cleaner/data/line_model.json")
    assert model.threshold >= 0.5
    with_model = Cleaner(builtin=False, detectors=False)
    without = Cleaner(builtin=False, detectors=False, model=False)
    text = "\n".join(ARTICLE)
    assert without.explain(text).removals == []
    assert all(r.source == "model" for r in with_model.explain(text).removals)
    assert "He declined to comment." in with_model.clean(text)
    # the stage is wired in: a credit line after the last paragraph goes by the model alone
    credited = "\n\n".join([*ARTICLE, "Main image credit: Getty"])
    assert [(r.text, r.source) for r in with_model.explain(credited).removals] == [("Main image credit: Getty", "model")]
    assert without.explain(credited).removals == []


def test_labels_from_gold_text() -> None:
    gold = "Council approves new budget\n\nThe city council approved a new budget on Monday after a long debate.\n\nNo comment."
    lines = [
        "Council approves new budget", "Share this", "The city council approved a new budget on Monday after a long debate.",
        "The city council approved a new budget on Monday after a long and bitter debate.", "No comment.", "Comment",
        "Menu",
    ]
    labels = label_lines(lines, gold, title="Council approves new budget", without=["Menu"])
    assert labels == [CONTENT, JUNK, CONTENT, CONTENT, CONTENT, JUNK, JUNK]
    # when the gold lacks the title (AEB), the headline is left unlabelled
    assert label_lines(["Council approves budget"], "Body text only here.", title="Council approves budget", gold_has_title=False) == [UNKNOWN]


def test_training_learns_junk_and_exports_a_loadable_model(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from cleaner.training.dataset import LabelledPage
    from cleaner.training.fit import TrainingConfig, choose_threshold, fit, out_of_fold_scores, page_scores

    pages = []
    for n in range(20):
        para = [f"Paragraph {k} of story {n} says something about the town and its people." for k in range(3)]
        lines = [f"Story {n} headline words", "Share this", para[0], f"What happens next in part {n}", para[1], para[2], "Advertisement", "Follow us"]
        labels = (0, 1, 0, 0, 0, 0, 1, 1)
        view = view_of(lines)
        rows = tuple(tuple(r) for r in line_features(view))
        pages.append(LabelledPage("toy", str(n), tuple(lines), rows, labels, tuple(v.words for v in view)))
    config = TrainingConfig(seed=3)
    model = fit(pages, config)
    scores = page_scores(model, pages)[0]
    assert min(scores[i] for i in (1, 6, 7)) > scores[3]
    oof = out_of_fold_scores(pages, config)
    assert oof == out_of_fold_scores(pages, config)  # seeded: reproducible
    threshold = choose_threshold(pages, oof, 0.0)
    path = tmp_path / "m.json"
    LineModel(model.weights, model.intercept, model.means, threshold).dump(path)
    assert LineModel.load(path).threshold == threshold


def test_aeb_lines_align_with_gold() -> None:
    root = require_data(AEB)
    from cleaner.training.benchmarks import aeb_pages
    from cleaner.training.dataset import from_page

    pages = [from_page(p) for p in itertools.islice(aeb_pages(root), 3)]
    labels = [label for page in pages for label in page.labels]
    assert labels.count(CONTENT) > 0.6 * len(labels)
    assert all(len(page.features) == len(page.lines) for page in pages)


def test_the_model_never_removes_cjk_text() -> None:
    model = shipped_model()
    if model is None:
        pytest.skip("no line model ships in cleaner/data/line_model.json")
    assert not model.eligible(1, "これでようやく元の操作性を取り戻せました。")
    assert not model.eligible(1, "再起動して完了")
    assert model.eligible(4, "Main image credit: Getty")


def test_a_model_computes_the_features_it_names_in_its_order() -> None:
    from cleaner.features import FEATURES

    assert tuple(FEATURES) == FEATURE_NAMES
    assert all(FEATURES[name].description == DESCRIPTIONS[name] for name in FEATURE_NAMES)
    names = ("furniture", "log_words")  # a model over two registered features, in its own order
    rows = line_features(view_of(ARTICLE), names=names)
    full = [dict(zip(FEATURE_NAMES, row)) for row in line_features(view_of(ARTICLE))]
    assert rows == [[row["furniture"], row["log_words"]] for row in full]
    small = LineModel((3.0, -0.5), -2.0, (0.0, 0.0), 0.5, features=names)
    assert [ARTICLE[v.index] for v in small.verdicts(view_of(ARTICLE))] == ["Share this", "Advertisement"]
    with pytest.raises(ModelError, match="not_a_feature"):
        LineModel((1.0,), 0.0, (0.0,), 0.5, features=("not_a_feature",))


def test_a_settled_stage_sees_no_ghosts_and_reaches_its_own_fixed_point() -> None:
    from cleaner import FunctionStage

    seen: list[list[str]] = []

    def drop_last_short(view, _context):  # one line per call: the last short line of what it sees
        seen.append([line.text for line in view if line.ghost])
        short = [i for i, line in enumerate(view) if line.words <= 2]
        return [] if not short else [Verdict(short[-1], "t.short", "detector", "short")]

    text = "A headline of five words\n\nab\n\ncd\n\nA long sentence closes the story for good, as it should.\n\nef"
    settled = Cleaner(builtin=False, detectors=False, model=False, extra_stages=[FunctionStage("t", drop_last_short, settled=True)])
    result = settled.explain(text)
    assert [r.text for r in result.removals] == ["ab", "cd", "ef"] and all(not ghosts for ghosts in seen)
    assert len(seen) == 5  # three rounds removed a line, one found nothing more, one checked the settled output
