"""``article-cleaner rules``: list the effective rules, or validate rules files."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..errors import RulesError
from ..rules import RuleSet, load_rules
from ..rules_audit import DEFAULT_MAX_SHARE, audit, default_samples, read_samples


def register(sub: Any) -> None:
    p = sub.add_parser("rules", help="list or check rules", description="List the effective rules or check rules files.")
    rsub = p.add_subparsers(dest="rules_command", metavar="ACTION")
    rsub.required = True
    lp = rsub.add_parser("list", help="list rules (ids, kinds, sources, scope)")
    lp.add_argument("--rules", action="append", default=[], metavar="FILE", help="extra rules file (repeatable)")
    lp.add_argument("--no-builtin", action="store_true", help="leave out the built-in rules")
    lp.add_argument("--format", choices=("text", "json"), default="text")
    lp.set_defaults(func=run_list)
    cp = rsub.add_parser(
        "check", help="validate rules files",
        description="Validate rules files and flag rules that would remove too much of a typical document; "
        "exit 1 when any file is invalid or any rule is flagged.",
    )
    cp.add_argument("files", nargs="+", metavar="FILE")
    cp.add_argument("--sample", action="append", default=[], metavar="PATH",
                    help="typical documents (.txt files or directories) to test rules on (default: a built-in article)")
    cp.add_argument("--max-share", type=float, default=DEFAULT_MAX_SHARE, metavar="SHARE",
                    help=f"flag a rule removing more than this share of a sample's characters (default {DEFAULT_MAX_SHARE})")
    cp.set_defaults(func=run_check)


def run_list(args: argparse.Namespace) -> int:
    rule_set = RuleSet.from_sources(args.rules, builtin=not args.no_builtin)
    if args.format == "json":
        json.dump([{**r.to_json(), "origin": r.origin} for r in rule_set.rules], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    for rule in rule_set.rules:
        scope = ",".join(rule.sites) if rule.sites else "global"
        action = "" if rule.action == "remove" else f" ({rule.action})"
        print(f"{rule.id}\t{rule.kind}{action}\t{rule.source}\t{rule.origin}\t{scope}\t{rule.reason}")
    if rule_set.disabled:
        print(f"# disabled: {', '.join(rule_set.disabled)}")
    print(f"# {len(rule_set.rules)} rules from {len(rule_set.files)} file(s)")
    return 0


def run_check(args: argparse.Namespace) -> int:
    failed = 0
    samples = read_samples(args.sample) if args.sample else default_samples()
    for name in args.files:
        try:
            rule_file = load_rules(name)
        except RulesError as exc:
            print(f"invalid: {exc}", file=sys.stderr)
            failed += 1
            continue
        flags = audit(rule_file.rules, samples, args.max_share)
        for flag in flags:
            print(f"flagged: {name}: {flag}", file=sys.stderr)
        if flags:
            failed += 1
            continue
        print(f"ok: {name}: {len(rule_file.rules)} rules (version 1, name {rule_file.name!r})")
    return 1 if failed else 0
