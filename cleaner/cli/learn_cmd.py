"""``article-cleaner learn``: learn rules from a corpus of pages (directories or JSON Lines feeds)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..learn import LearnOptions, RecordFields, LineCounts, build_rule_file, count, iter_documents, today
from ..corpus.cli import add_jobs_argument
from ..corpus.learning import count_parallel
from ..learn.counts import DEFAULT_MAX_KEYS
from ..model import document_scorer
from .usage import UsageError

_DEFAULTS = LearnOptions()


def register(sub: Any) -> None:
    p = sub.add_parser(
        "learn", help="learn rules from a corpus (lines that recur across a site's pages)",
        description=(
            "Count, per site, in how many documents each normalised line occurs and write the lines "
            "that recur often enough as learned rules. INPUT: directories of .txt/.html files (.gz too) "
            "and JSON Lines feeds (.jsonl/.jl, .gz too; e.g. a Scrapy feed export)."
        ),
    )
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="directory, text/HTML file or JSON Lines feed")
    p.add_argument("-o", "--output", metavar="FILE", help="write the learned rules file here")
    p.add_argument("--save-state", metavar="FILE", help="also write the counts (mergeable; .gz compresses)")
    p.add_argument("--merge-state", nargs="+", default=[], metavar="FILE", help="start from these saved counts (shards)")
    p.add_argument("--text-field", default="text", help="JSON Lines field holding the text (default: text)")
    p.add_argument("--html-field", default="html", help="JSON Lines field holding the HTML, used first (default: html)")
    p.add_argument("--url-field", default="url", help="JSON Lines field holding the URL (default: url)")
    p.add_argument("--min-docs", type=int, default=_DEFAULTS.min_docs, help=f"documents a site line must occur in (default {_DEFAULTS.min_docs})")
    p.add_argument("--min-share", type=float, default=_DEFAULTS.min_share, help=f"share of the site's documents (default {_DEFAULTS.min_share})")
    p.add_argument("--min-sites", type=int, default=_DEFAULTS.min_sites, help=f"sites a global line must be learned furniture of (default {_DEFAULTS.min_sites})")
    p.add_argument("--max-words", type=int, default=_DEFAULTS.max_words, help=f"never learn longer lines (default {_DEFAULTS.max_words})")
    p.add_argument("--guard-words", type=int, default=_DEFAULTS.guard_words, help=f"sentence-like lines this long need more support (default {_DEFAULTS.guard_words})")
    p.add_argument("--guard-share", type=float, default=_DEFAULTS.guard_share, help=f"share a guarded site line needs (default {_DEFAULTS.guard_share})")
    p.add_argument("--guard-edge-share", type=float, default=_DEFAULTS.guard_edge_share, help=f"share of documents where a guarded line sits at the top or bottom (default {_DEFAULTS.guard_edge_share})")
    p.add_argument("--keep-builtin", action="store_true", help="also learn lines the built-in rules already remove")
    p.add_argument("--include-builtin", action="store_true", help="write the built-in hand rules into the output too (a full rules file)")
    p.add_argument("--no-model", action="store_true", help="do not score lines with the shipped line model")
    p.add_argument("--max-keys", type=int, default=DEFAULT_MAX_KEYS, help=f"prune rare keys above this many (default {DEFAULT_MAX_KEYS})")
    p.add_argument("--name", default="learned", help="name of the rules file (default: learned)")
    p.add_argument("--date", help="date recorded in the rules (default: today, UTC)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    add_jobs_argument(p, 1, "reading and counting the inputs")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.inputs and not args.merge_state:
        raise UsageError("learn: give INPUT files/directories or --merge-state FILE...")
    if not args.output and not args.save_state:
        raise UsageError("learn: give -o FILE for the rules, --save-state FILE for the counts, or both")
    corpus = [os.path.basename(os.fspath(p).rstrip("/")) or p for p in args.inputs]
    counts = LineCounts(max_keys=args.max_keys, corpus=corpus)
    for path in args.merge_state:
        counts.merge(LineCounts.load(path))
    if args.inputs:
        fields = RecordFields(args.text_field, args.html_field, args.url_field)
        scorer = None if args.no_model else document_scorer()  # None when no model ships
        if args.jobs == 1:
            count(iter_documents(args.inputs, fields), counts=counts, scorer=scorer, progress=False if args.quiet else None)
        else:
            count_parallel(args.inputs, fields=fields, counts=counts, use_model=scorer is not None, jobs=args.jobs, progress=False if args.quiet else None)
    if args.save_state:
        counts.save(args.save_state)
    if args.output:
        options = LearnOptions(
            min_docs=args.min_docs, min_share=args.min_share, min_sites=args.min_sites, max_words=args.max_words,
            guard_words=args.guard_words, guard_share=args.guard_share, guard_edge_share=args.guard_edge_share,
            skip_builtin=not args.keep_builtin,
        )
        rule_file = build_rule_file(counts, options, name=args.name, date=args.date or today(), include_builtin=args.include_builtin)
        rule_file.dump(args.output)
        if not args.quiet:
            print(f"learned {len(rule_file.rules)} rules from {counts.documents} documents on {len(counts.sites)} site(s) -> {args.output}", file=sys.stderr)
    return 0

