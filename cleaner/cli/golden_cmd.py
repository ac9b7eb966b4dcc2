"""``article-cleaner golden``: check golden cases, or rewrite their expected files on purpose."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..golden import check_dirs


def register(sub: Any) -> None:
    p = sub.add_parser("golden", help="check or update golden cases", description="Golden input/expected cases.")
    gsub = p.add_subparsers(dest="golden_command", metavar="ACTION")
    gsub.required = True
    cp = gsub.add_parser("check", help="run every case; diff and explain failures; exit 1 on failure")
    cp.add_argument("dirs", nargs="*", default=["golden"], metavar="DIR", help="golden directories (default: golden)")
    cp.add_argument("--update", action="store_true", help="rewrite expected files instead of failing")
    cp.set_defaults(func=run_check)
    up = gsub.add_parser("update", help="rewrite expected files with the current output (a deliberate change)")
    up.add_argument("dirs", nargs="*", default=["golden"], metavar="DIR")
    up.set_defaults(func=run_update)


def run_check(args: argparse.Namespace) -> int:
    outcomes, report = check_dirs(args.dirs, update_expected=args.update)
    if not outcomes:
        print(f"no golden cases found under {', '.join(args.dirs)} (a case is a directory with input.txt or input.html)", file=sys.stderr)
        return 1
    for block in report:
        print(block)
    if args.update:
        print(f"{len(outcomes)} case(s), {len(report)} updated")
        return 0
    failed = sum(not o.passed for o in outcomes)
    print(f"{len(outcomes)} case(s): {len(outcomes) - failed} passed, {failed} failed", file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def run_update(args: argparse.Namespace) -> int:
    args.update = True
    return run_check(args)
