"""Structural detectors for scraped plain text: where a run, a header or a copy decides.

Scraped news text (one paragraph a line) carries furniture that reads like prose one line
at a time but gives itself away by its place in the document: photo captions in a run at
the top, a teaser list under an "Also" header in the middle, a block of "Follow us on ..."
lines, a second copy of a paragraph. Each detector here has an id and says why it removed
a line; each is written from the general pattern and kept narrow, since removing an
article sentence is worse than leaving a caption in.

Registered in :data:`cleaner.detectors.DETECTORS`:

``symbol.only``   a line of two or more characters without a letter or digit ("___", "* * *").
``follow.block``  "Follow/Like ... on Twitter" prompts with a handle or URL, alone or in a run.
``teaser.list``   a related/more header ("Also:", "More from ...") anywhere after the body
                  started, and the run of headline-like lines under it.
``caption``       photo captions and credit lines: in a run at the top, or anywhere when the
                  line has caption grammar (a present-tense clause with a date and
                  "in City, State", "This undated photo ...", a gallery counter).
``headline.run``  a run of five or more teaser headlines that ends the document, after the
                  article's last paragraph, with no header (a video playlist, a "more stories" widget whose header
                  was not scraped).
``repeat.copy``   a later exact copy of an earlier paragraph (a second copy of a paragraph
                  or of the whole article); a lone quotation repeating the body (a pull
                  quote) stays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import regex

from .evidence import LINKED
from .stages import Context
from .textlines import loose_key, strip_bullet
from .view import Line, Verdict, is_body


# -- symbol-only lines -------------------------------------------------------------------

_HAS_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")
SYMBOL_MAX_CHARS = 80


def symbol_only(view: Sequence[Line], ctx: Context) -> list[Verdict]:
    """A line made only of symbols and punctuation ("___", "###", "* * *") goes.

    A single character stays: alone it is as likely a list bullet or a stray full stop
    as a separator, and such lines are left to the rules.
    """
    return [
        Verdict(index, "symbol.only", "detector", "line of symbols only, no words")
        for index, line in enumerate(view)
        if 2 <= len(line.text) <= SYMBOL_MAX_CHARS and not _HAS_WORD_CHAR.search(line.text)
    ]


# -- follow / like blocks ---------------------------------------------------------------------

_NETWORK = (
    r"(?:twitter|x|facebook|instagram|google\s?\+|google plus|youtube|tumblr|linkedin|pinterest|snapchat"
    r"|tiktok|rss|threads|bluesky|mastodon|telegram|whatsapp|flipboard|apple news|google news)"
)
_HANDLE_OR_URL = r"(?:@\w{2,}|https?://\S+|www\.\S+|\b[\w.-]+\.(?:com|org|net|ly|co|me)(?:/\S*)?|\S+@\S+\.\w+)"
_DECORATION = r"^[\s>\-\u2013\u2014\u2022*|\u00bb\u203a]*"
# "Follow Hunter Walker on Twitter", 'Like "The Late Show" on Facebook HERE: url', "Follow us on Instagram".
# The object is us/me/a handle, or capitalised / quoted words: "Like many readers on Facebook, ..." is prose.
_OBJECT = (
    r"(?:us|me|him|her|them|@\w+|(?:the\s+)?(?:[\"\u201c'][^\"\u201d']{1,60}[\"\u201d']"
    r"|\p{Lu}[\w.'\u2019&-]*(?:\s+(?:\p{Lu}[\w.'\u2019&-]*|of|and|the|&))*(?:\s*\(@\w+\))?))"
)
_TAIL = (
    rf"(?:[\s,.;:!|&+/\-\u2013\u2014()]|and|or|via|at|here|on|for (?:the latest|updates|more|breaking news)"
    rf"|{_NETWORK}|{_HANDLE_OR_URL})*"
)
_FOLLOW_PROMPT = regex.compile(
    rf"{_DECORATION}(?:follow|like|friend|join|find|connect with|subscribe to|add|fan)\s+{_OBJECT}\s+"
    rf"(?:on|via|at)\s+{_NETWORK}\b{_TAIL}$",
    regex.IGNORECASE,
)
# "Twitter: @katemather | Google+", "Facebook: facebook.com/example"
_NETWORK_LABEL = regex.compile(
    rf"{_DECORATION}{_NETWORK}\s*:\s*{_HANDLE_OR_URL}(?:\s*[|,/\u00b7\u2022]\s*(?:{_NETWORK}(?:\s*:\s*{_HANDLE_OR_URL})?|{_HANDLE_OR_URL}))*\s*$",
    regex.IGNORECASE,
)
# A promo line ending in a link: 'Watch full episodes of "The Late Show" HERE: http://bit.ly/...'
_LINK_PROMPT = regex.compile(r"\b(?:here|at|on|visit|see)\s*:?\s*(?:https?://|www\.|bit\.ly/)\S+\s*$", regex.IGNORECASE)
FOLLOW_MAX_WORDS = 25


def _social_prompt(line: Line) -> bool:
    return line.words <= FOLLOW_MAX_WORDS and _is_social_prompt(line.text)


@lru_cache(maxsize=8192)
def _is_social_prompt(text: str) -> bool:
    return bool(_FOLLOW_PROMPT.match(text) or _NETWORK_LABEL.match(text))


@lru_cache(maxsize=8192)
def _is_link_prompt(text: str) -> bool:
    return bool(_LINK_PROMPT.search(text))


def follow_block(view: Sequence[Line], ctx: Context) -> list[Verdict]:
    """"Follow/Like ... on Twitter/Facebook" prompts go, alone or as a block.

    A prompt is a whole short line in the imperative, addressed to a site, a show or a
    person (capitalised or quoted name, us, a handle), with nothing after the network but
    handles, links and "or via RSS"; "Twitter: @handle" lines too. Lines ending in a link
    ("Watch full episodes HERE: http://...") go when they sit in such a block. A
    sentence that merely contains "follow" is prose and stays.
    """
    prompts = [_social_prompt(line) for line in view]
    verdicts = [
        Verdict(index, "follow.block", "detector", "follow/like prompt for a social network")
        for index, hit in enumerate(prompts) if hit
    ]
    links = [
        not hit and line.words <= FOLLOW_MAX_WORDS and _is_link_prompt(line.text)
        for hit, line in zip(prompts, view)
    ]
    block = list(prompts)
    grown = True
    while grown:  # link prompts join the block one neighbour at a time
        grown = False
        for index, is_link in enumerate(links):
            if is_link and not block[index] and any(0 <= j < len(view) and block[j] for j in (index - 1, index + 1)):
                block[index] = grown = True
                verdicts.append(Verdict(index, "follow.block", "detector", "link prompt in a block of follow/like prompts"))
    return verdicts


# -- teaser lists under a related/more header ----------------------------------------------------

TEASER_MAX_WORDS = 20
REPEATED_BUTTON = 3  # a header text this often in one document is a per-item button
_TEASER_END = regex.compile(r"[.;:,][\"'\u201d\u2019)\]]*$")


def _is_teaser(line: Line) -> bool:
    """A headline-like line: short, not ending like a statement (a question mark is fine)."""
    return 2 <= line.words <= TEASER_MAX_WORDS and not _TEASER_END.search(line.text)


def teaser_list(view: Sequence[Line], ctx: Context) -> list[Verdict]:
    """A related/more header anywhere after the body started, and the teaser headlines under it, go.

    Headers are the rules with ``"action": "trailer"`` ("Also", "More from ...", "You might
    also like"). The list is the run of headline-like lines right under the header; it
    goes when it has at least two of them, or one that ends the document. A header
    followed by a paragraph is a subheading and stays, and so does everything when no
    article prose comes before the header (then the list may be the article). A "header"
    that recurs three or more times in the document is a button under each item of a list
    ("Read More" after every resource), not a section header, and is not taken as one.
    """
    verdicts: list[Verdict] = []
    body_before = 0
    candidates: list[int] = []
    for index, line in enumerate(view):
        if body_before >= 2 and line.words <= 8:
            candidates.append(index)
        if is_body(line):  # ghosts count: removing a paragraph by rule must not revive the list
            body_before += 1
    if not candidates:
        return []
    matches = ctx.trailer.match_many([(view[i].text, view[i].key, view[i].words, view[i].number) for i in candidates], ctx.host)
    taken: set[int] = set()
    occurrences: Counter[str] | None = None
    for index, match in zip(candidates, matches):
        if match.rule is None or index in taken:
            continue
        if occurrences is None:
            occurrences = Counter(line.key for line in view)
        if occurrences[view[index].key] >= REPEATED_BUTTON:
            continue
        end = index + 1
        while end < len(view) and _is_teaser(view[end]):
            end += 1
        after = next((j for j in range(end, len(view)) if not view[j].ghost), None)
        if after is not None and end - index > 1 and is_body(view[after]):
            end -= 1  # the last headline-like line over a paragraph is that paragraph's subheading
        teasers = end - index - 1
        if teasers < 2 and not (teasers == 1 and end == len(view)):
            continue
        header = view[index]
        verdicts.append(Verdict(index, "teaser.list", "detector", f"related/more header {header.text!r} over a list of teasers"))
        for follow in range(index + 1, end):
            verdicts.append(Verdict(follow, "teaser.list", "detector", f"teaser listed under {header.text!r} (line {header.number})"))
        taken.update(range(index, end))
    return verdicts


# -- a run of teaser headlines after the article --------------------------------------------

HEADLINE_RUN_MIN = 5
"""This many headline-like lines in a row ending the document, after the article, are a teaser widget."""
HEADLINE_MIN_WORDS = 3
_INTRODUCES = regex.compile(r"[:\u2013\u2014-]\s*$")


_PUNCTUATION = regex.compile(r"[^\p{L}\p{N}\s]")


def _is_headline(line: Line) -> bool:
    """Headline-like: three to twenty words, not ending like a statement, no list bullet, and
    (HTML input) mostly link text: an unlinked line from the page is no teaser."""
    return (
        HEADLINE_MIN_WORDS <= line.words <= TEASER_MAX_WORDS and not _TEASER_END.search(line.text)
        and strip_bullet(line.text) == line.text
        and (line.evidence is None or line.evidence.link_density >= LINKED)
    )


def _is_data_list(lines: Sequence[Line]) -> bool:
    """Lines that share their punctuation (tour dates "June 9 \u2013 Tampa, FL @ Arena", results
    "Spain (Group F): 11th") are the article's table, not headlines: at least half of them with
    the same non-empty sequence of punctuation marks."""
    shapes = Counter("".join(_PUNCTUATION.findall(line.text)) for line in lines)
    shapes.pop("", None)
    return bool(shapes) and 2 * shapes.most_common(1)[0][1] >= len(lines)


def headline_run(view: Sequence[Line], ctx: Context) -> list[Verdict]:
    """A run of teaser headlines ending the document, after the article, goes, header or not.

    Video playlists and "more stories" widgets often lose their header in scraping and
    leave a run of headlines at the end of the document. The run is at least five
    headline-like lines in a row (three to twenty words, not ending like a statement),
    after the article has run two paragraphs, and nothing follows it (a product list
    with prices and "Buy Now" lines after it is the article's). The article's own lists
    stay: a run introduced by a line ending in a colon or a dash, bulleted lines, lines
    that share their punctuation (a table of dates or results), unlinked lines of an HTML
    page, and every run in a document without article prose before it (the list may be
    the article).
    """
    end = len(view)
    while end and view[end - 1].ghost:
        end -= 1
    index = end
    while index and _is_headline(view[index - 1]) and not is_body(view[index - 1]):
        index -= 1
    if end - index < HEADLINE_RUN_MIN:
        return []
    before = next((view[j] for j in range(index - 1, -1, -1) if not view[j].ghost), None)
    if (
        sum(is_body(line) for line in view[:index]) < 2
        or (before is not None and _INTRODUCES.search(before.text))
        or _is_data_list(view[index:end])
    ):
        return []
    first, last = view[index].number, view[end - 1].number
    return [
        Verdict(j, "headline.run", "detector", f"in a run of {end - index} teaser headlines ending the document (lines {first}-{last})")
        for j in range(index, end) if not view[j].ghost
    ]


# -- photo captions and credits -------------------------------------------------------------

# Not the dateline detector's date words (cleaner.detectors._MONTH/_WEEKDAY) on purpose: a dateline
# line is nothing but a date, so there any spelling in any case will do; here the date sits in a
# sentence, and a loose "sat"/"sun" would make "The cat sat in Paris, France." a caption. AP style
# only: capitalised full weekdays, AP month abbreviations.
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|April|May|June|July|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
_FULL_DATE = rf"{_MONTH}\s+\d{{1,2}},\s+\d{{4}}"
_PLACE = r"\p{Lu}[\w.'\u2019-]*(?:\s+(?:\p{Lu}[\w.'\u2019-]*|de|del|la|al|el|on|upon))*"
_SPEECH = regex.compile(r"\b(?:said|say|says|told|tells|according to|asked|I|we|you|my|our|your)\b|[\"\u201c\u201d]")
# The AP caption: "Residents walk past a flooded street Monday, March 2, 2015, in Riverside, Calif."
# The sentence ends at the place; "..., in Marten Falls, Ont., was first posted ..." is prose.
_DATED_PLACE = regex.compile(
    rf"\b{_WEEKDAY},\s+{_FULL_DATE},?\s+(?:in|at|near|outside|on)\s+(?:the\s+)?\p{{Lu}}\p{{Ll}}[^.;]{{0,60}}?\p{{Lu}}[\w'\u2019-]*\.(?:\s|$)"
    rf"|\b(?:{_WEEKDAY}|{_FULL_DATE}|{_WEEKDAY},\s+{_FULL_DATE}),?\s+(?:in|at|near|outside)\s+(?:the\s+)?{_PLACE},\s+{_PLACE}\.$"
)
# "This undated photo provided by ...", "In this 2010 file photo, ...", "In this Jan. 5, 2015, photo ..."
_PHOTO_PHRASE = regex.compile(
    r"^(?:In\s+)?(?:this|these)\s+(?:[\w.,]+\s+){0,5}?(?:file\s+|undated\s+|handout\s+|aerial\s+|video\s+)?"
    r"(?:photos?|images?|pictures?|frame grab|still image|photograph|video image)"
    r"(?:\s+(?:provided|released|taken|made|posted|obtained|distributed|shows?|shot)\b|,)",
    regex.IGNORECASE,
)
# Who stands where in the picture, or what a picture shows: "Jane Doe, center, is taken from ...",
# "Ana Ruiz (L) is greeted by ...", "... is seen in a Facebook posting", "Pictures ... are shown in ...".
_PICTURED = regex.compile(
    r",\s+(?:far\s+|second\s+|third\s+)?(?:left|right|center|centre)(?:\s+to\s+right)?,"
    r"|\s\((?:L|R|C|left|right|center|centre)\)\s"
    r"|\b(?:is|are)\s+(?:seen|pictured|shown)\s+(?:in|at|on|during|with|after|before|outside|inside)\b"
)
# A caption widget's text: cut short, then the credit ("... during a news... (Associated Press)"),
# or a wire agency's name in parentheses closing the line ("... (The Associated Press)").
_CUT_CREDIT = regex.compile(r"(?:\.\.\.|\u2026)\s*\([^()]{2,40}\)$|\((?:The )?(?:Associated Press|AP|Reuters|AFP)\)$")
_GALLERY = regex.compile(r"^(?:\d{1,3}\s+of\s+\d{1,3}[.:]?\s|(?:Image|Photo|Picture|Slide)\s+\d{1,3}\s+of\s+\d{1,3}\b)", regex.IGNORECASE)
CAPTION_MAX_WORDS = 60
TOP_LINES = 8


@lru_cache(maxsize=8192)  # every round of the core asks again about the same lines
def caption_grammar(text: str) -> str | None:
    """Why a line reads as a photo caption or credit, or ``None``.

    Caption grammar: a clause with a date and "in City, State" (AP style), an opening
    "This undated photo ..."/"In this file photo, ...", a gallery counter ("1 of 7."),
    positions in the picture (", center,", "(L)") or "is seen/shown/pictured in", a
    caption widget's cut-short text with its credit ("... (Associated Press)"). A
    line with speech in it (said, quotes, I/we/you) is prose. Credits at the end of a
    caption ("(AP Photo/...)") are the ``credit.photo`` rule's, so that disabling the rule
    keeps them.
    """
    if _SPEECH.search(text):
        return None
    if _GALLERY.match(text):
        return "gallery counter"
    if _PHOTO_PHRASE.match(text):
        return "opens like a photo caption"
    if _DATED_PLACE.search(text):
        return "caption grammar: date and place"
    if _CUT_CREDIT.search(text):
        return "cut-short caption with a credit"
    if _PICTURED.search(text):
        return "caption grammar: who is where in the picture"
    return None


def _near_copy(a: str, b: str) -> bool:
    """A caption that repeats another line: one contains the other, or >= 80% shared words."""
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    wa, wb = set(a.split()), set(b.split())
    if min(len(wa), len(wb)) < 6:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.8


def caption(view: Sequence[Line], ctx: Context) -> list[Verdict]:
    """Photo captions and credit lines go.

    Anywhere: a single line of at most 60 words with caption grammar (see
    :func:`caption_grammar`). At the top (the first lines, before the article has run
    two real paragraphs): also a line that is a near-copy of a caption just removed
    (captions scraped twice, or with the date glued on).
    """
    verdicts: list[Verdict] = []
    reasons: dict[int, str] = {}
    for index, line in enumerate(view):
        if line.words > CAPTION_MAX_WORDS or line.words < 4:
            continue
        reason = caption_grammar(line.text)
        if reason is not None:
            reasons[index] = reason
            if not line.ghost:
                verdicts.append(Verdict(index, "caption", "detector", f"photo caption or credit ({reason})"))
    if not reasons:
        return verdicts
    paragraphs = 0
    keys: dict[int, str] = {}
    for index, line in enumerate(view[: TOP_LINES * 2]):
        if paragraphs >= 2 or index >= TOP_LINES:
            break
        if index in reasons:
            keys[index] = loose_key(line.text)
            continue
        if not line.ghost and is_body(line):
            key = loose_key(line.text)
            source = next((i for i, k in keys.items() if _near_copy(k, key)), None)
            if source is not None:
                verdicts.append(Verdict(
                    index, "caption", "detector", f"copy of the photo caption on line {view[source].number}",
                ))
                continue
            paragraphs += 1
    return verdicts


# -- second copies ----------------------------------------------------------------------------

COPY_MIN_WORDS = 8
COPY_NEAR = 3
"""A copy at most this many lines below its original is a scraping double (a deck or caption twice)."""
TOP_LINES_FOR_COPY = 5
"""A block copied from the first lines is a second copy of the article."""
_QUOTED = regex.compile(r"^[\"\u201c\u201e'\u2018].*[\"\u201d'\u2019][.!?]?$")


def repeat_copy(view: Sequence[Line], ctx: Context) -> list[Verdict]:
    """A second copy of a paragraph scraped twice, or of the whole article, goes.

    Articles repeat lines on purpose (a recipe's "Serves 4", a table's header row, an
    interview's recurring question, a refrain), so only three shapes count, all on
    paragraphs of at least eight words: a copy right under its original (the paragraph
    doubled in place); a paragraph that occurs exactly twice, the copy at most three lines
    below the original or both among the first ten lines; and a block of three or more
    lines repeating, in order, the lines that open the document, two of them paragraphs
    (the article scraped twice), short lines such as the headline included. A lone
    quotation repeating an earlier line is a pull quote (article content by the usual
    conventions) and stays.
    """
    keys = [loose_key(line.text) for line in view]
    rank: dict[str, int] = {}
    count: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    last_seen: dict[str, int] = {}
    copy_of: dict[int, int] = {}
    for index, key in enumerate(keys):
        if not key:
            continue
        count[key] = count.get(key, 0) + 1
        if key in last_seen:
            copy_of[index] = last_seen[key]
        else:
            rank[key] = len(rank)
            first_seen[key] = index
        last_seen[key] = index
    if not copy_of:
        return []
    block: set[int] = set()
    run: list[int] = []
    for index in range(len(view) + 1):
        if index in copy_of and (not run or (run[-1] == index - 1 and rank[keys[index]] == rank[keys[run[-1]]] + 1)):
            run.append(index)
            continue
        if (
            len(run) >= 3 and rank[keys[run[0]]] < TOP_LINES_FOR_COPY
            and sum(view[i].words >= COPY_MIN_WORDS for i in run) >= 2
        ):
            block.update(run)
        run = [index] if index in copy_of else []
    verdicts = []
    for index, original in sorted(copy_of.items()):
        line = view[index]
        first = view[first_seen[keys[index]]].number
        if index in block:
            reason = f"second copy of the article from line {first}"
        elif line.words >= COPY_MIN_WORDS and (
            index - original == 1
            or (count[keys[index]] == 2 and (
                index - original <= COPY_NEAR or (original < TOP_LINES_FOR_COPY and index < 2 * TOP_LINES_FOR_COPY)
            ))
        ):
            if _QUOTED.match(line.text):
                continue  # a pull quote
            reason = f"repeats line {first}"
        else:
            continue
        verdicts.append(Verdict(index, "repeat.copy", "detector", reason))
    return verdicts
