"""Hostile and broken HTML: clean_html returns, or raises our own documented error, fast.

Random tag soup (hypothesis), deep nesting, a million tiny elements, oversized pages,
conflicting or wrong charsets, bytes invalid in every declared encoding, and an
entity-expansion bomb. Time and memory are measured in ``bench/``, not asserted here.
"""

from __future__ import annotations

import html
import unicodedata

import pytest
from hypothesis import given, strategies as st

from cleaner import CleanerError, ExtractionError, Result, clean_html, explain_html
from cleaner.html import MAX_HTML_CHARS
from cleaner.inputs import decode_html

PARAGRAPH = "The council approved the budget on Tuesday after a debate that lasted well past midnight, officials said."
TAGS = ["p", "div", "b", "i", "table", "tr", "td", "script", "style", "nav", "aside", "figure", "figcaption", "a", "ul", "li", "h1", "br", "span", "article"]


@st.composite
def tag_soup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.integers(0, 4))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            parts.append(f"<{tag}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(draw(st.text(max_size=80)))
        elif kind == 3:
            parts.append(f"<{tag} class='{draw(st.sampled_from(['share', 'related', 'content', 'x']))}'>")
        else:
            parts.append(draw(st.sampled_from(["&amp;", "&#0;", "&#xD800;", "<!--", "-->", "<![CDATA[", "]]>", "<?xml?>", "<", ">", "&nbsp;"])))
    return "".join(parts)


def assert_text_from_the_input_or_a_warning(result: Result, source: str) -> None:
    """What must hold for any page: nothing invented (each letter and digit of the output
    occurs in the input, entities decoded; counts are not compared: trafilatura itself can
    repeat a text node of tag soup, '0' twice in gave '0\\n0 0'), and an empty result of a
    non-blank page says why (a warning, or the removals)."""
    assert result.kind == "html"
    if not result.text.strip():
        assert result.warnings or result.removals or not source.strip(), "an empty result of a non-blank page must say why"
        return
    available = {char for char in unicodedata.normalize("NFKC", html.unescape(source)).casefold() if char.isalnum()}
    used = {char for char in unicodedata.normalize("NFKC", result.text).casefold() if char.isalnum()}
    assert used <= available, f"{result.text!r} holds characters the input does not: {sorted(used - available)}"


@given(tag_soup())
def test_random_tag_soup_returns_its_own_text_or_a_warning_or_our_error(source: str) -> None:
    try:
        result = explain_html(source)
    except CleanerError:
        return
    assert_text_from_the_input_or_a_warning(result, source)


@given(st.binary(max_size=400))
def test_random_bytes_return_their_own_text_or_a_warning_or_our_error(data: bytes) -> None:
    try:
        result = explain_html(data)
    except CleanerError:
        return
    assert_text_from_the_input_or_a_warning(result, decode_html(data))  # what the page is, once decoded


def test_deeply_nested_page_comes_back_empty_with_a_warning() -> None:
    source = "<html><body>" + "<div>" * 100_000 + f"<p>{PARAGRAPH}</p>" + "</div>" * 100_000 + "</body></html>"
    result = explain_html(source)
    assert result.text == ""  # lxml drops what is nested deeper than 256 levels
    assert any("no article text" in warning for warning in result.warnings)


def test_a_page_nested_200_deep_keeps_its_text() -> None:
    source = "<html><body>" + "<div>" * 200 + f"<p>{PARAGRAPH}</p><p>{PARAGRAPH[::-1]}</p>" + "</div>" * 200 + "</body></html>"
    result = explain_html(source)
    assert PARAGRAPH in result.text and not result.warnings


def test_a_million_tiny_elements_is_refused_with_our_error() -> None:
    html = "<html><body>" + "<b>x</b>" * 1_000_000 + "</body></html>"
    with pytest.raises(ExtractionError, match="elements"):
        explain_html(html)


def test_oversized_page_is_refused_with_our_error() -> None:
    html = "<html><body><p>" + "a" * (MAX_HTML_CHARS + 1) + "</p></body></html>"
    with pytest.raises(ExtractionError, match="characters"):
        explain_html(html)


@pytest.mark.parametrize(
    "head",
    [
        b'<meta charset="utf-8"><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
        b'<meta charset="no-such-charset">',
        b'<meta charset="utf-16">',
        b"",
    ],
)
def test_conflicting_wrong_or_missing_charsets_decode_without_crashing(head: bytes) -> None:
    body = f"<p>{PARAGRAPH} Caf\u00e9 cr\u00e8me.</p>".encode("latin-1") + b"<p>\xff\xfe\x80 stray bytes</p>"
    page = b"<html><head>" + head + b"</head><body><article>" + body * 3 + b"</article></body></html>"
    text = clean_html(page)
    assert "council approved the budget" in text


def test_entity_expansion_bomb_is_not_expanded() -> None:
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 9))
    html = f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{lol}]><html><body><p>&lol8;</p><p>{PARAGRAPH}</p></body></html>'
    result = explain_html(html)
    assert len(result.text) < 10_000
