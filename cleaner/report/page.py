"""The report as one self-contained HTML file: inline CSS and SVG, no script, nothing fetched.

Every figure is text in the page; the totals and chart values also carry ``data-stat``
and ``data-value`` attributes (the raw numbers), so a test reading the rendered DOM
can compare them with a count of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from .. import __version__
from ..sites import NO_SITE
from .rules import GLOBAL, RulesReport
from .run import HISTOGRAM_BINS, RunReport
from .svg import COLOURS, DEFAULT_COLOUR, Bar, bar_chart, histogram

RULES_SHOWN = 25
SITES_SHOWN = 50

CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em auto; max-width: 1100px;
       padding: 0 1em; color: #222; background: #fff; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5em 0; } td, th { padding: 3px 10px; border-bottom: 1px solid #eee;
  text-align: left; vertical-align: top; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart text { font: 12px system-ui, sans-serif; fill: #333; } .chart .value { fill: #555; }
.removed { color: #8a1c1c; } .muted { color: #777; } code { background: #f4f4f4; padding: 0 3px; }
section.doc { margin: 1em 0; padding: .5em 1em; background: #fafafa; border-left: 3px solid #4e79a7; }
"""


def number(value: int) -> str:
    return f"{value:,}"


def percent(share: float) -> str:
    return f"{100 * share:.1f}%"


def page(title: str, body: Iterable[str]) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>'
        f'<body>{"".join(body)}<p class="muted">article-cleaner {escape(__version__)}</p></body></html>\n'
    )


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: frozenset[int] = frozenset()) -> str:
    """A table of already-escaped cells; columns in ``numeric`` are right-aligned."""
    head = "".join(f'<th class="num">{h}</th>' if i in numeric else f"<th>{h}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def stat(name: str, value: float, shown: str) -> str:
    return f'<td class="num" data-stat="{name}" data-value="{value}">{shown}</td>'


def bin_labels() -> list[str]:
    step = 100 // HISTOGRAM_BINS
    return ["none", *(f"{i * step}\u2013{(i + 1) * step}%" for i in range(HISTOGRAM_BINS))]


def render_run(report: RunReport) -> str:
    """The run report's HTML."""
    totals = [
        ("records", "records read", report.records, number(report.records)),
        ("explained", "documents with an explanation", report.explained, number(report.explained)),
        ("unexplained", "records without one (unreadable, failed or not explained)", report.unexplained, number(report.unexplained)),
        ("documents_with_removals", "documents that lost at least one line", report.documents_with_removals,
         number(report.documents_with_removals)),
        ("lines_removed", "lines removed", report.lines_removed, number(report.lines_removed)),
        ("removed_chars", "characters removed", report.removed_chars, number(report.removed_chars)),
        ("kept_chars", "characters kept", report.kept_chars, number(report.kept_chars)),
        ("share", "share of characters removed", round(report.share, 6), percent(report.share)),
    ]
    body = [
        f"<h1>What cleaning removed: {escape(report.source)}</h1>",
        "<h2>Totals</h2><table>" + "".join(f"<tr><th>{label}</th>{stat(key, value, shown)}</tr>" for key, label, value, shown in totals)
        + "</table>",
        "<h2>Removed lines by source</h2>",
        bar_chart([Bar(s, c, colour=COLOURS.get(s, DEFAULT_COLOUR)) for s, c in report.by_source.most_common()], "by-source"),
        "<h2>Removed lines by rule</h2>", '<p class="muted">Coloured by source, as above.</p>', _rules_chart(report),
        "<h2>Share of characters removed per document</h2>",
        ('<p class="muted">Documents by the share of their characters that was removed (removed lines over removed plus kept '
         'text); "none": nothing removed.</p>'),
        histogram(report.histogram, bin_labels(), "share-histogram"),
        "<h2>Documents that lost the most</h2>", _top_documents(report),
        "<h2>Most frequent removed lines</h2>",
        '<p class="muted">Counted on the normalised line (case, spaces, quotes folded; digits as 0); one example as written.</p>',
        table(["removed", "example", "usual rule"],
              ([number(f.count), escape(f.example), f"<code>{escape(f.rule_id)}</code>"] for f in report.frequent_lines),
              frozenset({0})),
        *_sites(report),
    ]
    return page(f"article-cleaner report: {report.source}", body)


def _rules_chart(report: RunReport) -> str:
    ranked = report.by_rule.most_common()
    bars = [Bar(rule, count, hint=f"{rule} ({report.reasons.get(rule, '')})", colour=COLOURS.get(report.sources.get(rule, ""), DEFAULT_COLOUR))
            for rule, count in ranked[:RULES_SHOWN]]
    rest = ranked[RULES_SHOWN:]
    if rest:
        bars.append(Bar(f"({len(rest)} other rules)", sum(c for _r, c in rest), colour="#aaa"))
    return bar_chart(bars, "by-rule")


def _top_documents(report: RunReport) -> str:
    documents = report.top_documents
    if not documents:
        return '<p class="empty">no document lost a line</p>' if not report.documents_with_removals else "<p>none listed (--top 0)</p>"
    rows = [
        [str(rank), f'<a href="#doc-{rank}">{escape(doc.id)}</a>', escape(doc.url or ""), percent(doc.share),
         number(doc.removed_chars), number(len(doc.removals))]
        for rank, doc in enumerate(documents, start=1)
    ]
    listing = table(["#", "document", "URL", "removed", "characters removed", "lines removed"], rows, frozenset({0, 3, 4, 5}))
    details = []
    for rank, doc in enumerate(documents, start=1):
        lines = "".join(
            f"<tr><td class=\"num\">{r.line}</td><td><code>{escape(r.rule_id)}</code> <span class=\"muted\">{escape(r.source)}</span>"
            f"</td><td class=\"removed\">{escape(r.text)}</td><td class=\"muted\">{escape(r.reason)}</td></tr>"
            for r in doc.removals
        )
        details.append(
            f'<section class="doc" id="doc-{rank}"><h3>{rank}. {escape(doc.id)}</h3><p class="muted">{escape(doc.url or "no URL")} '
            f"&middot; record {doc.record} &middot; {percent(doc.share)} of {number(doc.removed_chars + doc.kept_chars)} characters removed</p>"
            f"<table><thead><tr><th>line</th><th>rule</th><th>removed line</th><th>reason</th></tr></thead><tbody>{lines}</tbody></table></section>"
        )
    return listing + "<h3>Their explanations</h3>" + "".join(details)


def _sites(report: RunReport) -> list[str]:
    named = [(site, totals) for site, totals in report.sites.items() if site != NO_SITE]
    if not named:
        return []
    named.sort(key=lambda st: (-st[1].documents, st[0]))
    rows = [
        [escape(site), number(t.documents), number(t.lines_removed), percent(t.share),
         ", ".join(f"<code>{escape(rule)}</code> {count}" for rule, count in t.rules.most_common(3))]
        for site, t in named[:SITES_SHOWN]
    ]
    unnamed = report.sites.get(NO_SITE)
    note = f" {number(unnamed.documents)} documents had no usable URL." if unnamed else ""
    more = f" The {SITES_SHOWN} sites with most documents of {len(named)}." if len(named) > SITES_SHOWN else ""
    return [
        "<h2>By site</h2>", f'<p class="muted">Sites are registered domains.{more}{note}</p>',
        table(["site", "documents", "lines removed", "removed", "most frequent rules"], rows, frozenset({1, 2, 3})),
    ]


def render_rules(report: RulesReport) -> str:
    """The rules file report's HTML: each rule with its support and lines, grouped by site."""
    sites = sum(1 for group in report.groups if group.site != GLOBAL)
    totals = (f'<table><tr><th>rules</th>{stat("rules", report.rules, number(report.rules))}</tr>'
              f'<tr><th>learned rules</th>{stat("learned", report.learned, number(report.learned))}</tr>'
              f'<tr><th>sites with rules of their own</th>{stat("sites", sites, number(sites))}</tr></table>')
    if report.generated:
        totals += "<h2>How it was made</h2><table>" + "".join(
            f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>" for k, v in report.generated) + "</table>"
    chart = bar_chart([Bar(g.site or "(all sites)", len(g.rules)) for g in report.groups[:SITES_SHOWN]], "rules-by-site")
    body = [f"<h1>Rules file: {escape(report.name)} <span class=\"muted\">({escape(report.source)})</span></h1>", totals,
            "<h2>Rules per site</h2>", chart]
    if report.disabled:
        body.append("<p>Disables: " + ", ".join(f"<code>{escape(d)}</code>" for d in report.disabled) + "</p>")
    for group in report.groups:
        title = escape(group.site) if group.site != GLOBAL else "All sites (global rules)"
        rows = [
            [f"<code>{escape(r.id)}</code>" + ("" if r.enabled else ' <span class="muted">(disabled)</span>'),
             "<br>".join(escape(e) for e in r.examples), "" if r.docs is None else number(r.docs),
             "" if r.share is None else percent(r.share), escape(r.reason),
             '<span class="muted">' + escape(", ".join(f"{k}={v}" for k, v in r.support)) + "</span>"]
            for r in group.rules
        ]
        body.append(f'<h2 data-site="{escape(group.site)}" data-rules="{len(group.rules)}">{title}: {len(group.rules)} rules</h2>')
        body.append(table(["rule", "lines", "pages", "share", "reason", "support"], rows, frozenset({2, 3})))
    return page(f"article-cleaner rules report: {report.name}", body)
