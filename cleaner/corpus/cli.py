"""The corpus options of ``article-cleaner clean`` (``--jsonl``) and ``learn`` (``-j``)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import CleanerError
from .jsonl import clean_jsonl
from ..records import RecordFields


def jobs_argument(value: str) -> int:
    """``-j`` value: a positive number of processes, or 0 for all cores."""
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes: {value!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (all cores) or more")
    return jobs


def add_jobs_argument(parser: Any, default: int, what: str) -> None:
    parser.add_argument("-j", "--jobs", type=jobs_argument, default=default, metavar="N",
                        help=f"worker processes for {what} (0: all cores; default: {default or 'all cores'})")


def add_clean_arguments(parser: Any) -> None:
    """Options of ``clean --jsonl``."""
    group = parser.add_argument_group("JSON Lines dumps (--jsonl)")
    group.add_argument("--jsonl", metavar="IN", help="clean every record of this JSON Lines file ('-': stdin; .gz/.zst by name)")
    group.add_argument("-o", "--output", default="-", metavar="OUT", help="where cleaned records go (default: stdout; .gz/.zst by name)")
    group.add_argument("--text-field", default="text", help="field holding the text (default: text)")
    group.add_argument("--html-field", default="html", help="field holding the HTML, used first when non-blank (default: html)")
    group.add_argument("--url-field", default="url", help="field holding the page URL (default: url)")
    group.add_argument("--output-field", default="clean_text", help="field the cleaned text is written to (default: clean_text)")
    group.add_argument("--explain-field", metavar="FIELD", help="also write the removals, changes and warnings to this field")
    group.add_argument("--rejects", metavar="FILE",
                       help="where malformed records go, one JSON object each (default: OUT.rejects.jsonl beside the output)")
    group.add_argument("--resume", action="store_true",
                       help="continue an interrupted run: skip the records OUT (and the rejects file) already hold, append the rest")
    add_jobs_argument(group, 0, "--jsonl")


def run_clean_jsonl(args: argparse.Namespace) -> int:
    """``clean --jsonl IN -o OUT``: the summary goes to stderr; malformed records do not fail the run."""
    if args.files:
        raise CleanerError("clean: give either FILE arguments or --jsonl IN, not both")
    ignored = [flag for flag, used in (("--explain (use --explain-field)", args.explain), ("--format", args.format != "text"),
                                       ("--url (use --url-field)", args.url), ("--kind", args.kind != "auto")) if used]
    if ignored:
        raise CleanerError(f"clean --jsonl: {', '.join(ignored)} do(es) not apply to JSON Lines records")
    fields = RecordFields(args.text_field, args.html_field, args.url_field, args.output_field, args.explain_field)
    summary = clean_jsonl(
        args.jsonl, args.output, fields=fields, rules=args.rules, builtin=not args.no_builtin, jobs=args.jobs,
        rejects=args.rejects, progress=False if args.quiet else None, resume=args.resume,
    )
    if not args.quiet:
        print(f"article-cleaner clean: {summary.format()}", file=sys.stderr)
    return 0
