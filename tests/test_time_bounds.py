"""Time bounds: a per-document budget passes the document through; regex timeouts are reported."""

from __future__ import annotations

from cleaner import Cleaner
from cleaner.inputs import decode_bytes

DOC = "You are here\n\nCouncil approves budget\n\nThe council approved the budget on Tuesday after a long debate.\n\nRelated news\n"


def test_exceeded_budget_passes_the_document_through_and_says_so() -> None:
    result = Cleaner(time_budget=0.0).explain(DOC, kind="text")
    assert result.budget_exceeded
    assert result.removals == []
    assert result.text == DOC  # already whitespace-normal: passed through as is
    assert any("time budget" in w for w in result.warnings)


def test_generous_budget_cleans_normally() -> None:
    result = Cleaner(time_budget=30.0).explain(DOC, kind="text")
    assert not result.budget_exceeded
    assert "You are here" not in result.text and "Related news" not in result.text


def test_catastrophic_user_pattern_times_out_per_line_and_document_is_still_cleaned() -> None:
    rules = {"version": 1, "rules": [{"id": "user.evil", "kind": "pattern", "pattern": "^(a|aa)+$"}]}
    doc = DOC.replace("Related news", "a" * 60 + "!\n\nRelated news")
    result = Cleaner(rules=[rules], pattern_timeout=0.01).explain(doc, kind="text")
    assert any("user.evil" in w and "timed out" in w for w in result.warnings)
    assert "You are here" not in result.text  # the built-in rules still ran
    assert ("a" * 60 + "!") in result.text  # a timed-out pattern counts as no match


def test_short_latin1_bytes_decode_as_western_text() -> None:
    assert decode_bytes("La crème brûlée était délicieuse.".encode("latin-1")) == "La crème brûlée était délicieuse."
    assert decode_bytes("Это новости из Москвы, сообщает агентство.".encode("cp1251")).startswith("Это новости")
