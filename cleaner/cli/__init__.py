"""The ``article-cleaner`` command line: one module per subcommand, wired up here."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import CleanerError
from . import clean_cmd, golden_cmd, learn_cmd, report_cmd, rules_cmd, train_cmd
from .usage import UsageError as UsageError  # re-exported: the error of a mistaken call

COMMANDS = (clean_cmd, rules_cmd, golden_cmd, learn_cmd, train_cmd, report_cmd)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="article-cleaner",
        description="Strip site junk (widgets, notices, share prompts, repeated headlines...) from scraped news articles.",
    )
    parser.add_argument("--version", action="version", version=f"article-cleaner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 check failed, 2 usage or input error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # The reader went away (``article-cleaner rules list | head -3``): end quietly, like
        # other Unix tools; stdout goes to devnull so the interpreter's final flush is quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (CleanerError, OSError) as exc:
        message = str(exc) if isinstance(exc, CleanerError) else f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}".lstrip(": ")
        print(f"article-cleaner: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
