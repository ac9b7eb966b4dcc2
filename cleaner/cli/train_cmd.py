"""``article-cleaner train``: train the line model from the shared benchmarks (needs the ``train`` extra)."""

from __future__ import annotations

import argparse
import json
import sys
from fnmatch import fnmatch
from typing import Any

from .usage import UsageError


def register(sub: Any) -> None:
    p = sub.add_parser(
        "train", help="train the line model from labelled benchmark pages",
        description=(
            "Label the lines trafilatura extracts from benchmark pages by aligning them with the gold text, "
            "train the line model (logistic regression, fixed seed) and write it as JSON. "
            "The shipped model came from this command at commit ec06bd0 (see the README, 'The line model')."
        ),
    )
    p.add_argument("--aeb", metavar="DIR", help="article-extraction-benchmark directory")
    p.add_argument("--wcxb", metavar="DIR", help="WCXB dev directory")
    p.add_argument("--golden", nargs="*", default=[], metavar="DIR", help="golden case directories to add as labelled data")
    p.add_argument("-o", "--output", metavar="FILE", help="write the model JSON here")
    p.add_argument("--cache", metavar="DIR", default=None, help="cache extracted pages here (default: no cache)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--max-content-loss", type=float, default=0.005, help="threshold so held-out content loss stays under this share (default 0.005)")
    p.add_argument("--min-threshold", type=float, default=0.85, help="never ship a threshold below this (default 0.85)")
    p.add_argument("--report", metavar="FILE", help="write the evaluation report (JSON) here")
    p.add_argument(
        "--labelled", nargs="+", metavar="FILE",
        help="train the two-pass line classifier instead, from labelled documents written by "
             "'python -m cleaner.training.labelled' (site-grouped cross-validation, fixed seed)",
    )
    p.add_argument("--only", action="append", default=[], metavar="DATASET/SOURCE",
                   help="with --labelled: train only on these labelled documents (glob on dataset/source, e.g. '*/region'; "
                        "repeatable; golden cases always count)")
    p.add_argument("--holdout", metavar="K/N",
                   help="with --labelled: leave out the sites of fold K of N (labelled.site_fold: CRC-32 of the site), "
                        "for cleaning those sites' pages with a model that never saw them (bench.text_benchmark --site-fold K/N)")
    p.add_argument("--pass-two", choices=("both", "linear", "trees"), default="both",
                   help="with --labelled: which kinds of second pass to measure against the first pass alone "
                        "(a logistic regression, gradient-boosted trees, or both; default both: the best by cross-validation ships)")
    p.add_argument("--evaluate", nargs="+", default=[], metavar="FILE",
                   help="with --labelled: also report the classifier on these labelled documents, never trained on "
                        "(with --only, e.g. train on wcxb/region and evaluate on AEB's)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        from ..training.fit import TrainingConfig, train_and_evaluate
    except ImportError as exc:
        raise UsageError(f"train needs the train extra (from a clone: pip install '.[train]'): {exc}") from None
    if args.labelled:
        return _train_classifier(args)
    if not (args.aeb or args.wcxb or args.golden):
        raise UsageError("train: give --aeb DIR and/or --wcxb DIR (and optionally --golden DIR...)")
    config = TrainingConfig(
        aeb=args.aeb, wcxb=args.wcxb, golden=tuple(args.golden), cache=args.cache, seed=args.seed,
        max_content_loss=args.max_content_loss, min_threshold=args.min_threshold,
    )
    model, report = train_and_evaluate(config)
    return _write(args, model, report)


def _train_classifier(args: argparse.Namespace) -> int:
    """``train --labelled FILE...``: the line classifier (cleaner.line_classifier) from labelled documents."""

    try:
        from ..training.classifier_fit import PASS_TWO, train
        from ..training.labelled import golden_docs, parse_fold, read_docs, site_fold
    except ImportError as exc:
        raise UsageError(f"train needs the train extra (from a clone: pip install '.[train]'): {exc}") from None
    def chosen(paths: list[str], patterns: list[str]) -> list[Any]:
        docs = [doc for path in paths for doc in read_docs(path)]
        return [doc for doc in docs if not patterns or any(fnmatch(f"{doc.dataset}/{doc.source}", p) for p in patterns)]

    docs = chosen(args.labelled, args.only)
    if args.holdout:
        try:
            k, n = parse_fold(args.holdout)
        except ValueError:
            raise UsageError(f"train: --holdout takes K/N with 0 <= K < N, not {args.holdout!r}") from None
        docs = [doc for doc in docs if site_fold(doc.site or doc.page, n) != k]  # grouped as in training
    docs += golden_docs(args.golden)
    held_out = chosen(args.evaluate, [])
    kinds = PASS_TWO if args.pass_two == "both" else (args.pass_two,)
    classifier, report = train(docs, seed=args.seed, max_content_loss=args.max_content_loss, evaluate_on=held_out, kinds=kinds)
    return _write(args, classifier, report)


def _write(args: argparse.Namespace, model: Any, report: Any) -> int:
    """Write the trained model (``-o``) and the report (``--report``, and stdout)."""
    if args.output:
        model.dump(args.output)
        print(f"wrote {args.output} (threshold {model.threshold:.3f})", file=sys.stderr)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    print(text)
    return 0
