"""``article-cleaner report``: an HTML page about a cleaning run or a rules file."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..report import ReportFields, RulesReport, write_report


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report", help="write an HTML report of a cleaning run (JSON Lines) or a rules file",
        description=(
            "Write one self-contained HTML file (works offline) about what cleaning removed: totals, removals by source "
            "and by rule, the share of characters removed per document, the documents that lost most with their "
            "explanations, the most frequent removed lines and a per-site breakdown. RUN is the output of "
            "'article-cleaner clean --jsonl IN --explain-field explanation' (.gz/.zst by name); given a rules file "
            "(e.g. from 'article-cleaner learn'), the report lists each rule with its support and lines, by site."
        ),
    )
    p.add_argument("source", metavar="RUN", help="cleaned JSON Lines records with explanations, or a rules file")
    p.add_argument("-o", "--output", required=True, metavar="HTML", help="where the report goes (e.g. report.html)")
    p.add_argument("--explain-field", default="explanation", metavar="F",
                   help="field holding each record's explanation (default: explanation; a.b reaches nested fields, "
                        "e.g. metadata.article_cleaner for datatrove output)")
    p.add_argument("--output-field", default="clean_text", metavar="F",
                   help="field holding the cleaned text (default: clean_text; 'text' for datatrove output)")
    p.add_argument("--url-field", default="url", metavar="F", help="field holding the page URL (default: url)")
    p.add_argument("--id-field", default="id", metavar="F", help="field naming the document (default: id)")
    p.add_argument("--top", type=int, default=20, metavar="N", help="documents listed with their explanations (default: 20)")
    p.add_argument("--lines", type=int, default=30, metavar="N", help="most frequent removed lines listed (default: 30)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    fields = ReportFields(args.explain_field, args.output_field, args.url_field, args.id_field)
    report = write_report(args.source, args.output, fields, top=args.top, lines=args.lines)
    if isinstance(report, RulesReport):
        summary = f"{report.rules} rules in {len(report.groups)} site groups"
    else:
        summary = f"{report.explained} documents, {report.lines_removed} lines removed ({report.unexplained} records without explanation)"
    print(f"article-cleaner report: {summary} -> {args.output}", file=sys.stderr)
    return 0
