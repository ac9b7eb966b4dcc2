"""kind="auto": HTML on document-level evidence only; a guessed page that extraction empties falls back to text."""

from __future__ import annotations

import pytest

from cleaner import explain
from cleaner.inputs import html_guess

PARAGRAPHS = [
    f"The council approved the budget on Tuesday after debate number {i} about roads, schools and the harbour."
    for i in range(36)
]
TWEET = (
    'Supporters posted the vote online: <blockquote class="twitter-tweet"><p lang="en" dir="ltr">Budget passed! '
    '<a href="https://twitter.com/hashtag/CityBudget?src=hash">#CityBudget</a></p>&mdash; City Hall (@cityhall) '
    '<a href="https://twitter.com/cityhall/status/1">March 3, 2020</a></blockquote>'
)


def scraped_text_with_an_embedded_tweet() -> str:
    return "\n\n".join(PARAGRAPHS[:10] + [TWEET] + PARAGRAPHS[10:]) + "\n"


def test_plain_text_quoting_an_embedded_tweet_stays_text_and_keeps_the_article() -> None:
    text = scraped_text_with_an_embedded_tweet()
    assert html_guess(text) == "text"
    result = explain(text)
    assert result.kind == "text"
    for paragraph in PARAGRAPHS:
        assert paragraph in result.text
    assert result.text == explain(text, kind="text").text


@pytest.mark.parametrize("line", [
    "Profits rose 4% &amp; costs fell, the company said &mdash; its best quarter since 2019.",
    "The rule is simple: if a < b and c > d, the fund pays out, the regulator said on Monday.",
    "Fans wrote <3 under the post, and the club replied with <<Champions>> in its story.",
    "Use <br> tags sparingly, the style guide says, and never <div> inside <p> in an article.",
])
def test_entities_and_angle_brackets_in_prose_are_text(line: str) -> None:
    text = "\n\n".join([*PARAGRAPHS[:5], line, *PARAGRAPHS[5:10]])
    assert html_guess(text) == "text"
    result = explain(text)
    assert result.kind == "text" and line in result.text


def test_documents_and_dense_fragments_are_html() -> None:
    assert html_guess("<!DOCTYPE html><html><body><p>x</p></body></html>") == "document"
    assert html_guess(b"\n<html lang='en'><head><title>t</title></head><body>x</body></html>") == "document"
    fragment = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:6])
    assert html_guess(fragment) == "markup"
    assert explain(fragment).kind == "html"


def test_a_guessed_page_whose_extraction_keeps_little_is_cleaned_as_text_with_a_warning() -> None:
    markup = "".join(f'<div class="comment"><p>{p}</p></div>' for p in PARAGRAPHS[:12])
    result = explain(markup)
    assert result.kind == "text"
    assert result.warnings and "looked like HTML but extraction kept 0 of its" in result.warnings[0]
    assert PARAGRAPHS[0] in result.text
    declared = explain(markup, kind="html")  # kind="html" is obeyed: no fallback
    assert declared.kind == "html" and not declared.text
