"""Structural detectors: junk that only position and layout reveal, which rules cannot express.

Each detector has an id (``headline.repeated``...) and gives a reason, like a rule.
A detector is a function ``(view, context) -> list[Verdict]``; it sees the lines
left after the rules ran and never looks at anything but the view (including each
line's HTML :class:`~cleaner.evidence.Evidence`, which ``html.evidence`` reads).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import regex

from .evidence import HEADING_TAGS, JUNK_HINTS, LINKED, META_HINTS, PAGE_HINTS
from .stages import Context, FunctionStage, StageFunction
from .textdetectors import caption, follow_block, headline_run, repeat_copy, symbol_only, teaser_list
from .textlines import loose_key
from .view import Line, Verdict, is_body, last_body_index, top_region

Detector = StageFunction


def _similar(a: str, b: str) -> bool:
    """Near-duplicate headline test on loose keys: equal, or >= 85% shared words."""
    if a == b:
        return True
    wa, wb = a.split(), b.split()
    if min(len(wa), len(wb)) < 4:
        return False
    sa, sb = set(wa), set(wb)
    return len(sa & sb) / len(sa | sb) >= 0.85


def repeated_headline(view: Sequence[Line], ctx: Context) -> list[Verdict]:
    """Later copies of a line at the top (the headline scraped twice or thrice) go.

    Copies may differ in apostrophes, quotes, case or a word; only the region before
    the first body paragraph is searched, so a title quoted in the body stays.
    A short label directly under a removed copy (same paragraph, not a sentence), or two,
    go with it: the caption and credit of the headline image.
    """
    verdicts: list[Verdict] = []
    seen: list[tuple[str, int]] = []
    region = top_region(view)
    removed: set[int] = set()
    for index in region:
        line = view[index]
        if index in removed or line.words > 40:
            continue
        key = loose_key(line.text)
        if not key:
            continue
        original = next((number for other, number in seen if _similar(key, other)), None)
        if original is None:
            seen.append((key, line.number))
            continue
        verdicts.append(Verdict(index, "headline.repeated", "detector", f"repeats the headline on line {original}"))
        removed.add(index)
        follow = index + 1
        while follow in region and follow - index <= HEADLINE_LABELS and view[follow].gap == 1 and _is_label(view[follow]):
            verdicts.append(Verdict(
                follow, "headline.caption", "detector",
                f"caption or label attached to the repeated headline (line {line.number})",
            ))
            removed.add(follow)
            follow += 1
    return verdicts


HEADLINE_LABELS = 2
"""A headline image has a caption and a credit at most: a longer run of short lines under a copy
of the headline is the page's own list (a navigation-heavy page whose "headline" recurs), and
taking it all let the removals cascade over whole listing pages."""


def _is_label(line: Line) -> bool:
    return line.words <= 12 and not line.ends


_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?\.?"
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{1,2}-\d{1,2}(?:T[\d:.]+Z?)?"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
    rf"|{_MONTH}\s+\d{{4}})"
)
_TIME = r"(?:\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)(?:\s*\(?(?:utc|gmt|[a-z]{1,4}t|[+-]\d{2}:?\d{2})\)?)?"
_PREFIX = r"(?:(?:first\s+|last\s+)?(?:published|posted|updated|modified|date|dated|created)\s*(?:on|at)?\s*:?\s*)"
_PART = rf"(?:{_WEEKDAY},?|{_DATE}|{_TIME}|at|on|\||/|,|-|\u2013|\u2014|\u00b7|\u2022)"
_DATELINE = regex.compile(
    rf"^\s*{_PREFIX}?(?:{_PART}\s*)*(?:{_DATE}|{_TIME})(?:\s*{_PART})*\s*$"
    rf"|^\s*{_PREFIX}?(?:about\s+)?(?:\d+|an?|one)\s+(?:second|sec|minute|min|hour|hr|day|week|month|year)s?\s+ago\s*$",
    regex.IGNORECASE,
)


def is_dateline(text: str) -> bool:
    """Whether the whole line is a date and/or time ("Feb 17, 2020 07:45 UTC", "3 hours ago")."""
    if len(text) > 80:
        return False
    for timeout in (0.05, 0.5):  # retried once: a wall-clock pause under load is not a hang
        try:
            return _DATELINE.match(text, timeout=timeout) is not None
        except TimeoutError:
            continue
    return False


def dateline(view: Sequence[Line], ctx: Context) -> list[Verdict]:
    """A line that is only a timestamp, above the article or below its last paragraph, goes.

    Date-only lines inside the body (a timeline's subheadings) stay.
    """
    last = last_body_index(view)
    candidates = list(top_region(view)) + list(range(last + 1, len(view)) if last >= 0 else [])
    return [
        Verdict(i, "dateline", "detector", "timestamp line outside the article body")
        for i in sorted(set(candidates))
        if view[i].words <= 12 and is_dateline(view[i].text)
    ]


_CRUMB_SEP = regex.compile(r"\s*(?:[>\u203a\u00bb\u2192/|\u276f]|::)\s*")
_CRUMB_HOME = {"home", "homepage", "start", "startseite", "accueil", "inicio", "index", "front page"}


def breadcrumb(view: Sequence[Line], ctx: Context) -> list[Verdict]:
    """A navigation trail above the article ("Home > World > Middle East") goes."""
    verdicts = []
    for index in top_region(view):
        line = view[index]
        if line.words > 15 or line.ends:
            continue
        parts = [p for p in _CRUMB_SEP.split(line.text) if p]
        if len(parts) < 2 or len(parts) > 8 or any(len(p.split()) > 5 for p in parts):
            continue
        separators = len(_CRUMB_SEP.findall(line.text))
        if parts[0].casefold() in _CRUMB_HOME or (separators >= 3 and all(p[:1].isupper() for p in parts)):
            verdicts.append(Verdict(index, "breadcrumb", "detector", "navigation breadcrumb above the article"))
    return verdicts


def trailer(view: Sequence[Line], ctx: Context) -> list[Verdict]:
    """A section header near the end ("Related news") with no article text after it goes,
    together with the list of links under it.

    Headers are the rules with ``"action": "trailer"``; a header followed by a
    real paragraph is a subheading of the article and stays.
    """
    start = None
    header: Line | None = None
    tail: list[int] = []
    for index in range(len(view) - 1, max(-1, len(view) - 40), -1):
        line = view[index]
        if not line.ghost and (is_body(line) or (line.ends and line.words >= 10)):
            break
        tail.append(index)
    if not tail:
        return []
    matches = ctx.trailer.match_many([(view[i].text, view[i].key, view[i].words, view[i].number) for i in tail], ctx.host)
    for index, match in zip(tail, matches):
        if match.rule is not None:
            start, header = index, view[index]
    if start is None or header is None:
        return []
    if not header.ghost and not any(is_body(line) for line in view[:start]):
        return []  # no article prose above the header: the list may be the article
    verdicts = [Verdict(start, "trailer", "detector", f"section header {header.text!r} with no article text after it")]
    for index in range(start + 1, len(view)):
        verdicts.append(Verdict(index, "trailer", "detector", f"listed under the trailing section {header.text!r} (line {header.number})"))
    return verdicts


_TOC_MARKER = regex.compile(r"^(?:[-\u2013\u2022*]\s*)?(?:\d+(?:\.\d+)*\.?\s*)?")
TOC_HEADER_WORDS = 6
TOC_ENTRY_WORDS = 20
"""Longer lines under a table-of-contents header are article text, not entries."""


def _toc_key(line: Line) -> str:
    """An entry or subheading without its list marker and section number ("- 2. Setup" -> "setup")."""
    return loose_key(_TOC_MARKER.sub("", line.text, count=1))


def table_of_contents(view: Sequence[Line], ctx: Context) -> list[Verdict]:
    """A table of contents goes: its header ("Table of contents", "In this article") and the
    entries right under it that come back further down as lines of their own (the subheadings
    they list).

    Headers are the rules with ``"action": "toc"``. Many pages fill the table in with JavaScript, so scraped text often has only the header.
    Entries that do not come back later (a box's "Contents:" list) stay, and so does a list
    without such a header: in-body summaries ("The 5 best tools: - A - B ...") repeat their
    items as subheadings too, and they are article text.
    """
    verdicts: list[Verdict] = []
    candidates = [index for index, line in enumerate(view) if not line.ghost and line.words <= TOC_HEADER_WORDS]
    matches = ctx.toc.match_many([(view[i].text, view[i].key, view[i].words, view[i].number) for i in candidates], ctx.host)
    for index, match in zip(candidates, matches):
        if match.rule is None:
            continue
        line = view[index]
        verdicts.append(Verdict(index, "toc", "detector", f"table-of-contents header ({match.rule.id})"))
        end = index + 1  # the entries: one block of short lines under the header
        while (
            end < len(view) and view[end].words <= TOC_ENTRY_WORDS and _toc_key(view[end])
            and (end == index + 1 or view[end].gap == 1)
        ):
            end += 1
        later = {_toc_key(other) for other in view[end:]}
        for follow in range(index + 1, end):
            if _toc_key(view[follow]) not in later:
                break
            verdicts.append(Verdict(
                follow, "toc", "detector", f"table-of-contents entry under line {line.number}, repeated as a line below",
            ))
    return verdicts


# -- HTML evidence ---------------------------------------------------------------------

HEADLINE_TAGS: frozenset[str] = frozenset({"h1"})
"""Tags of the page headline: above the body it goes (the body gold of AEB and WCXB excludes
the title; callers get it from ``Result.metadata``)."""


MAX_EVIDENCE_WORDS = 80
"""Longer lines are never removed on HTML evidence alone: when trafilatura returns a whole
article as one block, tracing it to a single source element is unreliable (a 2,000-word
article once traced to a breadcrumb), and losing it would lose the page."""


def junk_reason(line: Line) -> str | None:
    """Why the HTML evidence of ``line`` marks it as junk, or ``None`` when it does not."""
    evidence = line.evidence
    if evidence is None or line.words > MAX_EVIDENCE_WORDS:
        return None
    tag, ancestors, hint, density = evidence.tag, evidence.ancestors, evidence.hint, evidence.link_density
    prose = is_body(line)
    links = f"link density {density:.2f} " if density >= LINKED else ""
    if tag == "figcaption" or "figcaption" in ancestors:
        return "in a <figcaption>"
    if hint in JUNK_HINTS and (not prose or density >= LINKED):
        return f"{links}in a {hint} block"
    if hint in META_HINTS and line.words <= 15 and not line.ends and tag not in HEADING_TAGS:
        return f"short line in a {hint} block"
    if hint in PAGE_HINTS and not prose and density >= LINKED:
        return f"{links}in a {hint} block"
    return None


def html_evidence(view: Sequence[Line], ctx: Context) -> list[Verdict]:
    """Lines whose HTML source marks them as junk (caption, share bar, related list...) go,
    the page headline above the body, menus and the lists of links after the article.
    Does nothing on plain text (no evidence)."""
    verdicts: list[Verdict] = []
    if all(line.evidence is None for line in view):
        return verdicts
    found = {**_linked_runs(view), **_masthead(view)}
    for index, line in enumerate(view):
        reason = found.get(index) or junk_reason(line)
        if reason is not None:
            verdicts.append(Verdict(index, "html.evidence", "detector", reason))
    return verdicts


MENU_RUN = 3
"""Short lines (at most ``MENU_WORDS`` words) that are all link text, this many in a row,
are a menu wherever they stand; after the article's last paragraph, ``TAIL_RUN`` linked
lines of any length in a row are a list of other stories. Measured on AEB (P +0.007, recall
unchanged) and checked on WCXB article pages (F1 0.9404 to 0.9407)."""
MENU_WORDS = 6
TAIL_RUN = 2
RUN_LINKED = 0.8
"""Link density from which a line counts as link text for ``MENU_RUN`` and ``TAIL_RUN``."""


def _linked_runs(view: Sequence[Line]) -> dict[int, str]:
    """Menus anywhere, and lists of linked lines after the last unlinked body paragraph."""
    last_body = last_body_index(view, lambda line: _density(line) < LINKED)
    found: dict[int, str] = {}
    run: list[int] = []
    for index in range(len(view) + 1):
        line = view[index] if index < len(view) else None
        if line is not None and line.ghost:
            continue
        if line is not None and line.words <= MAX_EVIDENCE_WORDS and _density(line) >= RUN_LINKED:
            run.append(index)
            continue
        if run and 0 <= last_body < run[0]:
            if len(run) >= TAIL_RUN:
                found.update((member, f"one of {len(run)} linked lines after the article: other stories") for member in run)
        elif len(run) >= MENU_RUN and all(view[member].words <= MENU_WORDS for member in run):
            found.update((member, f"one of {len(run)} short linked lines in a row: a menu") for member in run)
        run = []
    return found


def _density(line: Line) -> float:
    return line.evidence.link_density if line.evidence is not None else 0.0


def _masthead(view: Sequence[Line]) -> dict[int, str]:
    """The headline (``<h1>`` above the body) and the standfirst under it (both benchmark golds
    leave them out of the body; the title is in ``Result.metadata``)."""
    found: dict[int, str] = {}
    top = top_region(view)
    headline = -1
    for index, line in enumerate(view):
        tag = line.evidence.tag if line.evidence is not None else None
        if index > len(top):
            break
        if tag in HEADLINE_TAGS and line.words <= HEADLINE_WORDS:
            # a headline that reads like a sentence ends the top region but is still the headline
            found[index] = "the page headline (<h1>): not article body, it is in Result.metadata['title']"
            headline = index
        elif headline >= 0 and not line.ghost and _is_dek(line, view, headline, index):
            found[index] = f"the standfirst under the headline (<{tag}>), not article body"
    return found


HEADLINE_WORDS = 40
"""Longer "headlines" are whole articles that a table layout put in one ``<h1>`` line."""

DEK_TAGS = frozenset({"h2", "h3", "h4"})
"""The standfirst is a sentence set as one of these headings right under the ``<h1>``."""


def _is_dek(line: Line, view: Sequence[Line], headline: int, index: int) -> bool:
    between = [other for other in view[headline + 1:index] if not other.ghost]
    tag = line.evidence.tag if line.evidence is not None else None
    return not between and tag in DEK_TAGS and (line.ends or line.words >= 12) and line.words <= 60


DETECTORS: dict[str, Detector] = {
    "breadcrumb": breadcrumb,
    "toc": table_of_contents,
    "dateline": dateline,
    "headline.repeated": repeated_headline,
    "trailer": trailer,
    "symbol.only": symbol_only,
    "follow.block": follow_block,
    "teaser.list": teaser_list,
    "headline.run": headline_run,
    "caption": caption,
    "repeat.copy": repeat_copy,
    "html.evidence": html_evidence,
}
"""All structural detectors by id, in the order they run."""


def select(enabled: bool | Iterable[str]) -> list[FunctionStage]:
    """The detectors to run, as stages in registry order: all (``True``), none (``False``), or the
    named ids (known ids: the configuration checked them, :class:`~cleaner.config.CleanerConfig`)."""
    names = set(DETECTORS) if enabled is True else set() if enabled is False else set(enabled)
    return [FunctionStage(name, function) for name, function in DETECTORS.items() if name in names]
