"""The Python API contract: order, idempotence, layout, input types, explanations, reuse."""

from __future__ import annotations

from pathlib import Path

import pytest

import cleaner
from cleaner import Cleaner, InputTypeError, clean, explain
from cleaner.golden import discover
from cleaner.textlines import normalize_space

REPO = Path(__file__).resolve().parents[1]
GOLDEN_INPUTS = [case.input_path for case in discover([REPO / "golden"]) if case.input_path.suffix == ".txt"]

ARTICLE = (
    "Share\n"
    "\n"
    "Council approves new library for Westfield\n"
    "\n"
    "The Westfield town council approved plans for a new public library on Tuesday, ending a decade of debate about the site.\n"
    "\n"
    "Advertisement\n"
    "\n"
    "Construction is due to start next spring and the building should open in the autumn of the following year.\n"
    "\n"
    "Related news\n"
    "\n"
    "School board elects new chair\n"
    "Bridge repairs finish early\n"
)


def _normalised_lines(text: str) -> list[str]:
    return [normalize_space(line) for line in text.splitlines() if normalize_space(line)]


def _is_subsequence(small: list[str], big: list[str]) -> bool:
    remaining = iter(big)
    return all(any(item == candidate for candidate in remaining) for item in small)


@pytest.mark.parametrize("path", GOLDEN_INPUTS, ids=lambda p: p.parent.name)
def test_output_lines_are_an_ordered_subsequence_of_the_input(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    out = clean(text, kind="text")
    out_lines = _normalised_lines(out)
    in_lines = _normalised_lines(text)
    # the headline may lose a decorative bullet: compare it without one
    if out_lines and out_lines[0] not in in_lines:
        from cleaner.textlines import strip_bullet

        in_lines = [strip_bullet(line) for line in in_lines]
    assert _is_subsequence(out_lines, in_lines)


@pytest.mark.parametrize("path", GOLDEN_INPUTS, ids=lambda p: p.parent.name)
def test_clean_is_idempotent_on_golden_inputs(path: Path) -> None:
    once = clean(path.read_bytes(), kind="text")
    assert clean(once, kind="text") == once


def test_subsequence_helper_rejects_reordering() -> None:
    assert _is_subsequence(["a", "c"], ["a", "b", "c"])
    assert not _is_subsequence(["c", "a"], ["a", "b", "c"])


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Rain\u00a0falls\u00a0on\u00a0Monday.", "Rain falls on Monday."),
        ("Rain\u2009falls on\u202fMonday.", "Rain falls on Monday."),
        ("Rain\tfalls \t on Monday.", "Rain falls on Monday."),
        ("Rain\u200bfalls on\ufeff Monday.", "Rainfalls on Monday."),
        ("   Rain    falls   on Monday.   ", "Rain falls on Monday."),
    ],
    ids=["nbsp", "thin-space", "tabs", "zero-width", "runs"],
)
def test_whitespace_is_normalised_in_kept_lines(raw: str, expected: str) -> None:
    text = f"Weather service issues new forecast\n\n{raw}\n"
    assert clean(text) == f"Weather service issues new forecast\n\n{expected}\n"


def test_paragraph_breaks_are_kept_and_merged_over_removed_lines() -> None:
    text = "Headline of the story here\n\nFirst line of paragraph one.\nSecond line of paragraph one.\n\n\nParagraph two.\nAdvertisement\n\nParagraph three."
    assert clean(text) == (
        "Headline of the story here\n\nFirst line of paragraph one.\nSecond line of paragraph one.\n\n\nParagraph two.\n\nParagraph three."
    )


def test_crlf_input_gives_crlf_output() -> None:
    out = clean(ARTICLE.replace("\n", "\r\n"))
    assert out == clean(ARTICLE).replace("\n", "\r\n")
    assert "\r\n" in out and "\n" not in out.replace("\r\n", "")


@pytest.mark.parametrize("ending", ["", "\n"])
def test_trailing_newline_kept_exactly_when_input_had_one(ending: str) -> None:
    text = "Flood barrier finished on time\n\nThe new flood barrier on the river was finished on time." + ending
    assert clean(text).endswith("time.") is (ending == "")
    assert clean(text).endswith("time.\n") is (ending == "\n")


def test_leading_and_trailing_blank_lines_dropped() -> None:
    assert clean("\n\n  \nA headline for a story\n\nBody text of the story.\n\n\n") == "A headline for a story\n\nBody text of the story.\n"


def test_headline_bullet_trimmed_and_reported_in_changes() -> None:
    text = "  \u2022 Syria recaptures most of Aleppo\n\nThe army advanced on Sunday, officials said, as talks were due to begin.\n\n\u2022 A bullet in the body stays.\n"
    result = explain(text)
    assert result.text.splitlines()[0] == "Syria recaptures most of Aleppo"
    assert "\u2022 A bullet in the body stays." in result.text
    [change] = result.changes
    assert (change.line, change.before, change.after, change.rule_id) == (
        1, "\u2022 Syria recaptures most of Aleppo", "Syria recaptures most of Aleppo", "headline.bullet",
    )


@pytest.mark.parametrize("value", [None, 42, ["a list", "of lines"], 3.5, {"text": "x"}])
def test_non_text_input_raises_input_type_error(value: object) -> None:
    with pytest.raises(InputTypeError) as caught:
        clean(value)
    assert isinstance(caught.value, TypeError)
    assert isinstance(caught.value, cleaner.CleanerError)
    assert ("None" if value is None else type(value).__name__) in str(caught.value)


def test_utf8_bytes_are_decoded() -> None:
    text = "Caf\u00e9 owners protest new terrace fees\n\nOwners of caf\u00e9s on the square said the fees were too high.\n"
    assert clean(text.encode("utf-8")) == text
    assert clean(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


FRENCH = (
    "Les caf\u00e9s de la place r\u00e9clament une baisse des redevances\n\n"
    "Les propri\u00e9taires des caf\u00e9s ont d\u00e9nonc\u00e9 mardi une hausse de 40 % des redevances pour les terrasses, "
    "d\u00e9cid\u00e9e par la mairie sans concertation. \u00ab C'est injuste \u00bb, a d\u00e9clar\u00e9 le pr\u00e9sident de l'association.\n"
)
CP1252_QUOTES = (
    "Caf\u00e9 owners protest new terrace fees\n\n"
    "\u201cThe fees are simply too high,\u201d said Ren\u00e9e Dubois, who has run the caf\u00e9 on the square since 1998. "
    "The council\u2019s plan would add \u20ac40 a month to each table.\n"
)


@pytest.mark.parametrize(
    "text, encoding", [(FRENCH, "latin-1"), (FRENCH, "cp1252"), (CP1252_QUOTES, "cp1252")],
    ids=["latin-1", "cp1252", "cp1252-curly-quotes-euro"],
)
def test_legacy_encoded_bytes_are_decoded(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert clean(data) == text


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "\t\r\n \u00a0\n", b"", b"  \n"])
def test_empty_or_blank_input_returns_empty_string(text: object) -> None:
    assert clean(text) == ""
    assert explain(text).removals == []


def test_one_cleaner_cleans_many_documents_with_rules_compiled_once(monkeypatch: pytest.MonkeyPatch) -> None:
    worker = Cleaner()
    stages = worker.stages
    built: list[str] = []  # rules loaded or compiled while cleaning (there must be none)
    real_init, real_load = cleaner.matcher.Matcher.__init__, cleaner.rules.RuleSet.from_sources.__func__
    monkeypatch.setattr(cleaner.matcher.Matcher, "__init__", lambda self, *a, **k: built.append("matcher") or real_init(self, *a, **k))
    monkeypatch.setattr(cleaner.rules.RuleSet, "from_sources", classmethod(lambda cls, *a, **k: built.append("rules") or real_load(cls, *a, **k)))
    first = worker.explain(ARTICLE)
    for _ in range(20):
        assert worker.explain(ARTICLE).text == first.text
    other = worker.clean("Advertisement\n\nMarket closes higher\n\nStocks rose on Friday after a strong jobs report.\n")
    assert other == "Market closes higher\n\nStocks rose on Friday after a strong jobs report.\n"
    assert worker.stages is stages
    assert built == []
    assert worker.clean(ARTICLE) == clean(ARTICLE)


def test_default_cleaner_is_shared() -> None:
    assert cleaner.default_cleaner() is cleaner.default_cleaner()


def test_removals_explain_line_rule_source_and_reason() -> None:
    result = explain(ARTICLE)
    assert result.text == (
        "Council approves new library for Westfield\n\n"
        "The Westfield town council approved plans for a new public library on Tuesday, ending a decade of debate about the site.\n\n"
        "Construction is due to start next spring and the building should open in the autumn of the following year.\n"
    )
    rows = [(r.line, r.text, r.rule_id, r.source) for r in result.removals]
    assert rows == [
        (1, "Share", "share.button", "rule"),
        (7, "Advertisement", "ad.marker", "rule"),
        (11, "Related news", "trailer", "detector"),
        (13, "School board elects new chair", "trailer", "detector"),
        (14, "Bridge repairs finish early", "trailer", "detector"),
    ]
    reasons = {r.line: r.reason for r in result.removals}
    assert reasons[1] == "share, follow or account button"
    assert reasons[7] == "advertisement marker"
    assert "Related news" in reasons[11]
    assert "line 11" in reasons[13]
    assert result.removed_by_source == {"rule": 2, "detector": 3}
    assert result.kept_lines == 3


def test_explanation_text_and_json_form() -> None:
    result = explain(ARTICLE, url="https://www.example.com/news/1")
    lines = result.explanation().splitlines()
    assert lines[0] == "line 1: removed [rule:share.button] share, follow or account button: 'Share'"
    assert lines[1].startswith("line 7: removed [rule:ad.marker]")
    assert len(lines) == 5
    data = result.to_dict()
    assert data["url"] == "https://www.example.com/news/1"
    assert data["kind"] == "text"
    assert data["removals"][0] == {
        "line": 1, "text": "Share", "rule_id": "share.button", "source": "rule",
        "reason": "share, follow or account button",
    }
    assert explain("A headline for the story\n\nNothing to remove here at all.").explanation() == "nothing removed"


def test_line_numbers_count_blank_lines_and_crlf() -> None:
    text = "Top story of the day is here\r\n\r\n\r\nBody paragraph one is a sentence.\r\nAdvertisement\r\n"
    [removal] = explain(text).removals
    assert (removal.line, removal.text) == (5, "Advertisement")


def test_detectors_can_be_switched_off_and_selected() -> None:
    assert "Related news" in Cleaner(detectors=False).clean(ARTICLE)
    only_trailer = Cleaner(detectors=["trailer"]).explain(ARTICLE)
    assert {r.rule_id for r in only_trailer.removals} == {"share.button", "ad.marker", "trailer"}
    with pytest.raises(cleaner.CleanerError, match="unknown detector"):
        Cleaner(detectors=["no-such-detector"])


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(cleaner.CleanerError, match="kind must be one of"):
        clean("text", kind="pdf")


TOC_ARTICLE = (
    "Repotting a fig\n\nIn this article\n\n- Why repot\n- The pot\n\n"
    "Figs are fussy plants, and repotting is the moment most of them are lost for good.\n\n"
    "Why repot\n\nA root-bound fig stops growing and drops its lower leaves after a few weeks.\n\n"
    "The pot\n\nPick a pot only two inches wider than the old one, with a drainage hole in it.\n"
)


def test_toc_detector_removes_header_and_entries_that_come_back_as_subheadings() -> None:
    result = Cleaner(detectors=["toc"], model=False).explain(TOC_ARTICLE)
    assert [(r.rule_id, r.text) for r in result.removals] == [
        ("toc", "In this article"), ("toc", "- Why repot"), ("toc", "- The pot"),
    ]
    assert "Why repot\n\nA root-bound fig" in result.text and "\nThe pot\n" in result.text


def test_toc_detector_keeps_entries_that_do_not_come_back() -> None:
    text = TOC_ARTICLE.replace("Why repot\n\nA root", "Reasons\n\nA root")
    result = Cleaner(detectors=["toc"], model=False).explain(text)
    assert [r.text for r in result.removals] == ["In this article"]
    assert "- Why repot\n- The pot" in result.text
