"""``article-cleaner clean``: clean files or standard input, optionally explaining removals."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..core import Cleaner
from ..errors import CleanerError, DecodeError
from ..corpus.cli import add_clean_arguments, run_clean_jsonl


def register(sub: Any) -> None:
    p = sub.add_parser(
        "clean", help="clean text or HTML files (stdin when none)",
        description="Clean article text or HTML. Cleaned text goes to stdout; with --explain the removals go to stderr.",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="input files; '-' or none reads stdin")
    p.add_argument("--explain", action="store_true", help="list every removed line with its rule id and reason (stderr)")
    p.add_argument("--rules", action="append", default=[], metavar="FILE", help="extra rules file (repeatable)")
    p.add_argument("--no-builtin", action="store_true", help="do not load the built-in rules")
    p.add_argument("--url", help="the page's URL, for site-scoped rules")
    p.add_argument("--kind", choices=("auto", "text", "html"), default="auto", help="input kind (default: detect)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (json: one object per file)")
    p.add_argument("--quiet", action="store_true",
                   help="no warnings on stderr; with --jsonl no progress bar or summary (problem records are still reported)")
    add_clean_arguments(p)
    p.set_defaults(func=run)


def make_cleaner(args: argparse.Namespace) -> Cleaner:
    """The cleaner the common options describe (shared with other commands)."""
    return Cleaner(rules=args.rules, builtin=not args.no_builtin)


def cli_terms(message: str) -> str:
    """An API message in the CLI's terms: the ``--kind`` flag instead of the ``kind=`` argument."""
    return message.replace("kind='html'", "--kind html").replace("kind='text'", "--kind text")


def read_input(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    with open(name, "rb") as handle:
        return handle.read()


def run(args: argparse.Namespace) -> int:
    if args.jsonl:
        return run_clean_jsonl(args)
    cleaner = make_cleaner(args)
    names = args.files or ["-"]
    for position, name in enumerate(names):
        label = "<stdin>" if name == "-" else name
        try:
            result = cleaner.explain(read_input(name), url=args.url, kind=args.kind)
        except DecodeError as exc:
            raise CleanerError(f"{label}: {exc.reason}; convert it to UTF-8 first (e.g. iconv -f ENCODING -t UTF-8)") from None
        except CleanerError as exc:  # the API's advice in the CLI's terms
            raise CleanerError(f"{label}: {cli_terms(str(exc))}") from None
        if args.format == "json":
            record = {"file": label, **result.to_dict()}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            if len(names) > 1:
                sys.stdout.write(("\n" if position else "") + f"==> {label} <==\n")
            sys.stdout.write(result.text)
            if result.text and not result.text.endswith("\n"):
                sys.stdout.write("\n")
        if args.explain:  # the explanation lists the warnings too
            header = f"--- {label}: {len(result.removals)} line(s) removed\n" if len(names) > 1 or args.format == "text" else ""
            sys.stderr.write(header + result.explanation() + "\n")
        elif not args.quiet:
            for warning in result.warnings:
                sys.stderr.write(f"article-cleaner: warning: {label}: {cli_terms(warning)}\n")
        sys.stdout.flush()
    return 0
