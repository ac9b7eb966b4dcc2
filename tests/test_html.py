"""HTML in: extraction with trafilatura, line evidence, the html.evidence detector, errors, CLI."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from dataclasses import replace

import pytest

from cleaner import Cleaner, DecodeError, InputTypeError, clean, clean_html, explain, explain_html
from cleaner.detectors import junk_reason
from cleaner.evidence import Evidence
from cleaner.tracer import PageIndex, element_hint, line_evidence
from cleaner import extraction as extraction_module
from cleaner.extraction import Extraction, extract, extract_tree
from cleaner.html import decode_html, document_blocks, extract_document, parse_html
from cleaner.view import Line

from conftest import AEB, REPO, require_data

PROSE = [
    "The city council voted on Tuesday to approve the new budget, which includes money for roads, parks and schools across the region.",
    "Officials said the plan would take effect next year, after a final review by the state government and a public hearing in the spring.",
    "Opponents argued that the spending was too high and that residents had not been consulted early enough about the new priorities.",
    "The mayor said she was confident the budget would survive the review and thanked the council members for their work on the plan.",
    "A second vote on the transport levy is expected next month, when the council returns from its summer break in the capital.",
]
TITLE = "Council approves budget for next year"


def page(top: str = "", middle: str = "", end: str = "", *, article_attrs: str = "", head: str = "") -> str:
    """A small news page: nav, headline, five paragraphs, footer, with junk spliced in."""
    first = "\n".join(f"<p>{p}</p>" for p in PROSE[:3])
    rest = "\n".join(f"<p>{p}</p>" for p in PROSE[3:])
    return f"""<!DOCTYPE html><html><head>{head}<title>{TITLE} | Example News</title>
<meta name="author" content="Jane Doe"><meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2023-05-17"></head><body>
<nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article{article_attrs}><h1>{TITLE}</h1>{top}
{first}{middle}
{rest}{end}
</article><footer><p>Copyright 2023 Example News. All rights reserved.</p></footer></body></html>"""


def blocks_of(html: str) -> tuple[object, list[list[str]]]:
    tree = parse_html(html)
    document = extract_document(tree, None, {"include_comments": False})
    return tree, document_blocks(document)


# -- extraction, metadata, kinds ------------------------------------------------------------


def test_html_result_has_article_text_metadata_and_kind():
    result = explain_html(page(), url="https://example.com/news/1")
    assert result.kind == "html"
    for paragraph in PROSE:
        assert paragraph in result.text
    assert "Home" not in result.text.split("\n")
    assert "Copyright" not in result.text
    assert result.metadata["title"].startswith(TITLE)
    assert result.metadata["author"] == "Jane Doe"
    assert result.metadata["sitename"] == "Example News"
    assert result.metadata["date"] == "2023-05-17"
    assert result.metadata["url"] == "https://example.com/news/1"
    assert result.to_dict()["metadata"]["author"] == "Jane Doe"


def test_extract_returns_lines_evidence_and_metadata_that_the_core_cleans():
    url = "https://example.com/news/1"
    extraction = extract(page(), url)
    assert isinstance(extraction, Extraction) and extraction.url == url
    assert extraction.evidence is not None and len(extraction.evidence) == len(extraction.lines)
    assert extraction.text == "\n\n".join("\n".join(block) for block in extraction.blocks)
    assert extraction.lines[0] == TITLE and not extraction.warnings
    assert extraction.evidence[0].tag == "h1"
    assert extraction.metadata["author"] == "Jane Doe"
    cleaned = Cleaner().explain_extraction(extraction)
    assert cleaned.to_dict() == explain_html(page(), url=url).to_dict()
    assert cleaned.removals[0].text == TITLE and cleaned.kind == "html"
    as_text = Cleaner().explain_text(extraction.text, url=url)
    assert as_text.kind == "text" and dict(as_text.metadata) == {}
    empty = extract("<html><body><script>var x = 1;</script></body></html>")
    assert empty.blocks == () and empty.warnings == ("trafilatura found no article text in this page",)
    assert Cleaner().explain_extraction(empty).warnings == list(empty.warnings)
    assert extract("   ").blocks == () and extract("   ").warnings == ()


def test_paragraphs_are_separated_by_blank_lines():
    text = clean_html(page())
    paragraphs = text.split("\n\n")
    assert PROSE[0] in paragraphs and PROSE[4] in paragraphs


def test_str_and_bytes_give_the_same_result():
    html = page()
    assert clean_html(html.encode("utf-8")) == clean_html(html)


@pytest.mark.parametrize(("encoding", "sentence"), [
    ("cp1251", "Городской совет во вторник утвердил новый бюджет, который включает деньги на дороги, парки и школы региона."),
    ("latin-1", "Le conseil municipal a approuvé mardi le nouveau budget, qui prévoit des crédits pour les routes et les écoles."),
])
def test_declared_charset_is_honoured(encoding, sentence):
    html = page(head=f'<meta charset="{encoding}">', middle=f"<p>{sentence}</p>")
    data = html.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_html(data) == html
    assert sentence in clean_html(data)


def test_http_equiv_charset_is_honoured():
    sentence = "Der Gemeinderat hat am Dienstag den neuen Haushalt für Straßen, Parks und Schulen der Region gebilligt."
    html = page(head='<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">', middle=f"<p>{sentence}</p>")
    assert sentence in clean_html(html.encode("iso-8859-1"))


def test_undecodable_bytes_raise_decode_error():
    with pytest.raises(DecodeError, match="could not decode .*bytes: not UTF-8 and no encoding detected"):
        clean_html(bytes(range(256)) * 4)


def test_non_text_input_raises_input_type_error():
    with pytest.raises(InputTypeError):
        clean_html(None)
    with pytest.raises(InputTypeError):
        clean_html(12)


@pytest.mark.parametrize("html", ["", "   \n", b"", "<!DOCTYPE html>", "<html></html>", "<html><body></body></html>"])
def test_empty_html_gives_empty_text(html):
    result = explain_html(html)
    assert result.text == ""
    assert result.kind == "html"


@pytest.mark.parametrize("html", [
    "<html><body><div><p>Unclosed <b>bold <i>words</div></span></body>",
    "<<<>>> </p></div> <p",
    "<p>only a fragment</p>",
    "\x00\x00<p>nul bytes</p>",
    "<html><body>" + "<div>" * 3000 + "deep" + "</div>" * 3000 + "</body></html>",
    b"\xff\xfe<\x00p\x00>\x00h\x00i\x00",
])
def test_broken_html_never_raises_a_foreign_exception(html):
    result = explain_html(html)
    assert isinstance(result.text, str)


def test_fragment_text_survives():
    assert clean_html("<p>only a fragment</p>") == "only a fragment"


def test_auto_detection_routes_html_and_kind_text_overrides():
    html = page()
    assert explain(html).kind == "html"
    assert clean(html) == clean_html(html)
    assert clean(html.encode("utf-8")) == clean_html(html)
    as_text = explain(html, kind="text")
    assert as_text.kind == "text"
    assert "<p>" in as_text.text
    assert explain(PROSE[0]).kind == "text"
    assert explain("<p>" + PROSE[0] + "</p>", kind="html").text == PROSE[0]


# -- evidence ------------------------------------------------------------------------------


EVIDENCE_PAGE = f"""<html><body>
<div class="breadcrumbs"><a href="/">Home</a> / <a href="/news">News</a></div>
<article class="post tag-politics category-news">
<header><h1>{TITLE}</h1><p class="byline">By <a href="/jane">Jane Doe</a></p></header>
<div class="entry-content">
<p>{PROSE[0]}</p>
<figure><img src="a.jpg"><figcaption>Council members during the vote</figcaption></figure>
<p>{PROSE[1]} See <a href="/x">the plan</a>.</p>
<p>{PROSE[2]}</p><p>{PROSE[3]}</p>
<div class="share-tools"><a href="#">Share on Facebook</a></div>
<div class="relatedPosts"><ul><li><a href="/a">Mayor unveils transport plan</a></li></ul></div>
</div></article></body></html>"""


def test_line_evidence_maps_lines_to_their_elements():
    tree = parse_html(EVIDENCE_PAGE)
    lines = [
        ["Home / News"], [TITLE], ["By Jane Doe"], [PROSE[0]], ["Council members during the vote"],
        [PROSE[1] + " See the plan."], [PROSE[2]], [PROSE[3]], ["Share on Facebook"],
        ["- Mayor unveils transport plan"], ["a line the page does not contain"],
    ]
    evidence = line_evidence(tree, lines)
    assert len(evidence) == len(lines)
    crumbs, title, byline, first, caption, linked, _, _, share, related, unknown = evidence
    assert crumbs.hint == "breadcrumb" and crumbs.link_density > 0.7
    assert title.tag == "h1" and title.ancestors[:2] == ("header", "article") and title.hint == "header"
    assert byline.hint == "byline"
    # the article element's WordPress classes (tag-politics) are not a junk hint
    assert first == Evidence("p", ("div", "article", "body"), None, 0.0)
    assert caption.tag == "figcaption" and caption.hint == "figcaption"
    assert 0 < linked.link_density < 0.1
    assert share.hint == "share" and share.link_density == 1.0
    assert related.tag == "li" and related.hint == "related" and related.link_density == 1.0
    assert unknown is None


def test_evidence_prefers_the_occurrence_in_reading_order():
    html = f"""<html><body><div class="breadcrumb"><span>{TITLE}</span></div>
    <main><h1>{TITLE}</h1><p>{PROSE[0]}</p></main>
    <div class="related"><a href="/1">{TITLE}</a></div></body></html>"""
    tree = parse_html(html)
    evidence = line_evidence(tree, [[PROSE[0]], [TITLE]])
    assert evidence[1].hint == "related"
    # a copy before the next line found once is taken nearest that line: the <h1>, not the breadcrumb
    evidence = line_evidence(tree, [[TITLE], [PROSE[0]]])
    assert evidence[0].tag == "h1" and evidence[0].hint is None


def test_a_hinted_wrapper_holding_the_article_is_not_junk():
    body = "".join(f"<p>{p} {p}</p>" for p in PROSE)
    html = f'<html><body><div class="layout-with-sidebar"><p>{PROSE[0]}</p>{body}</div></body></html>'
    tree = parse_html(html)
    blocks = [[PROSE[0]]] + [[f"{p} {p}"] for p in PROSE]
    assert all(e.hint is None for e in line_evidence(tree, blocks))


def test_element_hint_reads_tags_and_class_tokens():
    tree = parse_html(
        '<html><body><div class="c-ShareBar">a</div><div id="newsletter-signup">b</div><aside>c</aside>'
        '<div class="tag-news">d</div><div class="adverb shadow">e</div><div class="post-tags">f</div></body></html>'
    )
    hints = [element_hint(div) for div in tree.find("body")]
    assert hints == ["share", "newsletter", "aside", None, None, "tag"]


def test_page_index_keys_nested_blocks_innermost_first():
    tree = parse_html(f"<html><body><div><div><p>{PROSE[0]}</p></div></div></body></html>")
    assert PageIndex(tree).find(PROSE[0])[0].tag == "p"


def line(text: str, evidence: Evidence | None) -> Line:
    return Line.make(1, text, 2, evidence)


def evidence_of(density: float, tag: str = "p") -> Evidence:
    return Evidence(tag, ("div", "body"), None, density)


def clean_with_evidence(rows: list[tuple[str, float]]) -> tuple[str, dict[str, str]]:
    """Clean lines carrying only a link density, with the evidence detector alone."""
    text = "\n\n".join(row for row, _ in rows)
    evidence = [evidence_of(density) for _, density in rows]
    result = Cleaner(detectors=["html.evidence"], builtin=False, model=False).explain_text(text, evidence=evidence)
    return result.text, {r.text: r.reason for r in result.removals}


def test_linked_lines_after_the_article_go_but_linked_prose_inside_stays():
    teasers = [
        "- Council approves new cycle lanes on the seafront The scheme opens in spring",
        "- Lifeboat crew rescues two walkers cut off by the tide",
    ]
    linked_sentence = "Read the full council report, which runs to 200 pages and covers every ward in the city, on its website."
    text, gone = clean_with_evidence(
        [(PROSE[0], 0.0), (linked_sentence, 1.0), (PROSE[1], 0.1), (teasers[0], 1.0), (teasers[1], 0.9)]
    )
    assert set(gone) == set(teasers)
    assert gone[teasers[0]] == "one of 2 linked lines after the article: other stories"
    assert linked_sentence in text and PROSE[1] in text
    # one linked line after the article is not a list
    text, gone = clean_with_evidence([(PROSE[0], 0.0), (teasers[0], 1.0)])
    assert gone == {}


def test_runs_of_short_linked_lines_are_menus_anywhere():
    menu = ["Transport", "Harbour news", "Council", "Tourism"]
    rows = [(PROSE[0], 0.0), *((item, 1.0) for item in menu), (PROSE[1], 0.0), ("Harbour news", 1.0), (PROSE[2], 0.0)]
    text, gone = clean_with_evidence(rows)
    assert set(gone) == set(menu)
    assert gone["Council"] == "one of 4 short linked lines in a row: a menu"
    assert PROSE[1] in text and PROSE[2] in text
    # two short links in a row are not a menu; long linked lines are not menu items
    _, gone = clean_with_evidence([(PROSE[0], 0.0), ("Transport", 1.0), ("Council", 1.0), (PROSE[1], 0.0)])
    assert gone == {}
    long_links = [(f"{p.split(',')[0]} and more", 1.0) for p in PROSE[:3]]
    _, gone = clean_with_evidence([(PROSE[0], 0.0), *long_links, (PROSE[3], 0.0)])
    assert gone == {}


def test_short_fast_extraction_runs_the_full_cascade(monkeypatch):
    html = page(end='<div class="more"><p>' + " ".join(PROSE) + "</p></div>")
    tree = parse_html(html)
    fast = extract_tree(tree, None, {"include_comments": False, "fast": True})
    assert fast.blocks and not fast.fallback  # the extraction is most of the page's text
    monkeypatch.setattr(extraction_module, "FALLBACK_SHARE", 1.01)  # every extraction counts as short
    again = extract_tree(tree, None, {"include_comments": False, "fast": True})
    assert again.blocks and again.fallback
    assert again.evidence is not None and len(again.evidence) == len(again.lines)
    # without fast, trafilatura's cascade runs once and nothing is repeated
    full = extract_tree(tree, None, {"include_comments": False, "fast": False})
    assert full.blocks and not full.fallback


def test_junk_reason_needs_strong_evidence_and_spares_prose():
    related = Evidence("li", ("ul", "div"), "related", 1.0)
    assert junk_reason(line("Mayor unveils transport plan", related)) == "link density 1.00 in a related block"
    prose_in_related = replace(related, link_density=0.0)
    assert junk_reason(line(PROSE[0], prose_in_related)) is None
    caption = Evidence("figcaption", ("figure",), "figcaption", 0.0)
    assert junk_reason(line("Council members during the vote", caption)) == "in a <figcaption>"
    header = Evidence("h1", ("header",), "header", 0.0)
    assert junk_reason(line(TITLE, header)) is None
    byline = Evidence("p", ("div",), "byline", 0.5)
    assert junk_reason(line("By Jane Doe", byline)) == "short line in a byline block"
    assert junk_reason(line("By Jane Doe", None)) is None


def test_detector_does_nothing_on_plain_text():
    text = "Mayor unveils transport plan\n\nShare on Facebook\n\n" + PROSE[0]
    result = Cleaner(detectors=["html.evidence"], builtin=False, model=False).explain(text)
    assert result.removals == []


def test_detector_removes_junk_trafilatura_kept():
    junk = '<div class="article-share"><p>Share this article on Facebook</p></div>'
    html = page(middle=junk)
    bare = Cleaner(detectors=False, builtin=False, model=False).explain_html(html)
    assert "Share this article on Facebook" in bare.text  # trafilatura keeps these
    result = Cleaner(detectors=["html.evidence"], builtin=False, model=False).explain_html(html)
    gone = {r.text: r for r in result.removals}
    assert gone["Share this article on Facebook"].rule_id == "html.evidence"
    assert gone["Share this article on Facebook"].reason == "in a share block"
    for paragraph in PROSE:
        assert paragraph in result.text


# -- command line --------------------------------------------------------------------------


def test_cli_cleans_an_html_file_and_explains(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(page(middle='<div class="article-share"><p>Share this article on Facebook</p></div>'), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", "from cleaner.cli import run; run()",
         "clean", str(path), "--url", "https://example.com/news/1", "--explain"],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert PROSE[0] in done.stdout and "<p>" not in done.stdout
    assert "Share this article" not in done.stdout
    assert "html.evidence" in done.stderr and "Share this article on Facebook" in done.stderr
    done = subprocess.run(
        [sys.executable, "-c", "from cleaner.cli import run; run()",
         "clean", str(path), "--format", "json"],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    record = json.loads(done.stdout)
    assert record["kind"] == "html" and record["metadata"]["author"] == "Jane Doe"


# -- real pages ----------------------------------------------------------------------------


def shingles(text: str, size: int = 4) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + size]) for i in range(max(len(words) - size + 1, 1))}


def test_real_aeb_pages_keep_most_of_the_article():
    root = require_data(AEB)
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth)[:5]:
        html = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes())
        result = explain_html(html, url=truth[page_id]["url"])
        assert result.text.strip(), page_id
        assert result.metadata.get("title"), page_id
        gold = shingles(truth[page_id]["articleBody"])
        kept = shingles(result.text)
        assert len(gold & kept) / len(gold) >= 0.8, page_id


def test_headline_goes_to_metadata_not_text():
    result = explain_html(page())
    assert not result.text.startswith(TITLE)
    headline = [r for r in result.removals if r.text == TITLE]
    assert headline and headline[0].rule_id == "html.evidence" and "<h1>" in headline[0].reason
    assert result.metadata["title"].startswith(TITLE)


def test_standfirst_under_the_headline_goes_but_a_section_heading_stays():
    dek = "The plan adds money for roads and schools, but critics say residents were not consulted."
    result = explain_html(page(top=f"<h2>{dek}</h2>"))
    assert dek not in result.text
    assert [r.reason for r in result.removals if r.text == dek] == [
        "the standfirst under the headline (<h2>), not article body"
    ]
    assert PROSE[0] in result.text
    kept = explain_html(page(top="<h2>Budget details</h2>"))
    assert "Budget details" in kept.text


def test_a_headline_that_reads_like_a_sentence_is_still_the_headline():
    title = "Why did the council approve a budget that nobody in the city seems to want this year?"
    html = page().replace(f"<h1>{TITLE}</h1>", f"<h1>{title}</h1>")
    result = explain_html(html)
    assert title not in result.text and PROSE[0] in result.text
    # a whole article set in one <h1> line (table layouts) is not a headline
    text = " ".join(PROSE) + " " + " ".join(PROSE)
    view = Cleaner(detectors=["html.evidence"], builtin=False, model=False).explain_text(
        text, evidence=[Evidence("h1", ("td", "tr"), None, 0.0)]
    )
    assert view.text == text


def test_a_describing_hint_gives_way_to_a_deciding_one_further_up():
    html = f"""<html><body><main><p>{PROSE[0]}</p></main>
    <aside class="widget-area"><section class="widget"><p>Archives</p></section></aside>
    <div class="related-posts"><article><header class="entry-header"><h2><a href="/a">Mayor unveils transport plan</a></h2></header></article></div>
    </body></html>"""
    tree = parse_html(html)
    evidence = line_evidence(tree, [[PROSE[0]], ["Archives"], ["Mayor unveils transport plan"]])
    assert evidence[1].hint == "aside"
    assert evidence[2].hint == "related"
    # with nothing deciding above it, the describing hint stays
    assert line_evidence(parse_html(EVIDENCE_PAGE), [[TITLE]])[0].hint == "header"


def test_evidence_is_typed_and_round_trips_through_json():
    from cleaner import tracer
    from cleaner.evidence import DECIDING_HINTS, HINTS

    assert set(tracer.TOKEN_HINTS.values()) | set(tracer.TAG_HINTS.values()) == HINTS
    assert DECIDING_HINTS < HINTS
    evidence = Evidence("li", ("ul", "div"), "related", 0.75)
    assert Evidence.from_dict(json.loads(json.dumps(evidence.to_dict()))) == evidence
    with pytest.raises(ValueError, match="unknown evidence hint 'menu'"):
        Evidence.from_dict({"tag": "li", "hint": "menu"})
