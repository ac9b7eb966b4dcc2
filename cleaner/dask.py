"""Cleaning and learning over a Dask bag of records: the corpus tools beyond one machine.

Needs the ``dask`` extra (``pip install 'article-cleaner[dask]'``). Dask does the
distribution; this module only says what to do with one partition. Records are dicts
read the same way as by ``article-cleaner clean --jsonl`` (:class:`cleaner.records.RecordAdapter`).

>>> import json, dask.bag as db                                                  # doctest: +SKIP
>>> from cleaner.dask import clean_bag, learn_bag                                # doctest: +SKIP
>>> records = db.read_text("s3://bucket/dump-*.jsonl.gz").map(json.loads)      # doctest: +SKIP
>>> rules = learn_bag(records, date="2026-01-01")                               # doctest: +SKIP
>>> clean_bag(records, rules=[rules]).map(json.dumps).to_textfiles("s3://bucket/clean-*.jsonl.gz")  # doctest: +SKIP

Rules travel with the task graph inside the :class:`~cleaner.config.CleanerConfig`,
so workers need no access to the rules files; each worker process gets its
:class:`~cleaner.core.Cleaner` from the factory (:func:`cleaner.factory.cleaner_for`),
built once per configuration, not once per record or partition.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

try:
    import dask.bag as db
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("cleaner.dask needs Dask: pip install 'article-cleaner[dask]'") from exc

from .config import CleanerConfig
from .corpus.records import clean_record
from .factory import cleaner_for
from .learn import LearnOptions, LineCounts, build_rule_file, today
from .learn.counts import DEFAULT_MAX_KEYS
from .learn.documents import record_document
from .records import RecordAdapter, RecordFields
from .model import document_scorer
from .rules import RuleFile, RulesSource, load_rules

__all__ = ["clean_bag", "count_bag", "learn_bag", "worker_config"]


def worker_config(rules: Iterable[RulesSource] | RulesSource, builtin: bool) -> CleanerConfig:
    """The configuration shipped to the workers with the task graph: rules files are read
    here, in the client (workers need no access to them), and validated once."""
    if isinstance(rules, (str, bytes, RuleFile, Mapping)) or hasattr(rules, "__fspath__"):
        rules = [rules]  # type: ignore[list-item]
    sources = [load_rules(s) if isinstance(s, (str, os.PathLike)) else s for s in rules]  # mappings: validated by the config
    config = CleanerConfig.from_options(rules=sources, builtin=builtin)
    cleaner_for(config)  # fail in the client, not on every worker
    return config


def clean_partition(records: Iterable[Any], fields: RecordFields, config: CleanerConfig) -> list[Any]:
    """One partition cleaned; malformed records and records whose cleaning raises pass through unchanged."""
    cleaner = cleaner_for(config)  # built once per worker process and configuration
    out = []
    for record in records:
        try:
            page = RecordAdapter(record, fields).check()
            record, _removed = clean_record(record, page, cleaner, fields)
        except Exception:  # MalformedRecord (not a page) or cleaning raised: passed through unchanged (a bag has no rejects file)
            pass
        out.append(record)
    return out


def clean_bag(
    bag: db.Bag, *, text_field: str = "text", html_field: str = "html", url_field: str = "url",
    output_field: str = "clean_text", explain_field: str | None = None, rules: Iterable[RulesSource] = (),
    builtin: bool = True,
) -> db.Bag:
    """A bag of the records of ``bag`` with the cleaned text in ``output_field`` (lazy; order kept).

    Records are read as by ``article-cleaner clean --jsonl``: the HTML field wins when it
    holds a non-blank string. A record that is malformed or whose cleaning raises comes
    out unchanged, without ``output_field``.
    """
    fields = RecordFields(text_field, html_field, url_field, output_field, explain_field)
    return bag.map_partitions(clean_partition, fields, worker_config(rules, builtin))


def count_partition(records: Iterable[Any], fields: RecordFields, use_model: bool, max_keys: int) -> LineCounts:
    """The learner's counts of one partition (records without text are skipped)."""
    scorer = document_scorer() if use_model else None  # the model itself is loaded once per process
    counts = LineCounts(max_keys=max_keys)
    for record in records:
        document = record_document(record, fields, "")
        if document is not None:
            counts.add_document(document, scorer(document) if scorer is not None else None)
    return counts


def merge_counts(parts: Iterable[LineCounts], max_keys: int, corpus: tuple[str, ...]) -> LineCounts:
    """Counts of several partitions (or of earlier merges) added up."""
    merged = LineCounts(max_keys=max_keys, corpus=corpus)
    for part in parts:
        merged.merge(part)
    return merged


def count_bag(
    bag: db.Bag, *, text_field: str = "text", html_field: str = "html", url_field: str = "url",
    use_model: bool = True, max_keys: int = DEFAULT_MAX_KEYS, corpus: Iterable[str] = (), split_every: int = 8,
) -> Any:
    """A lazy ``dask.bag.Item`` holding the :class:`LineCounts` of ``bag`` (per-partition counts, tree-merged).

    ``.compute()`` it, then ``.save(path)`` to keep a state ``article-cleaner learn --merge-state`` reads.
    """
    per_partition = partial(count_partition, fields=RecordFields(text_field, html_field, url_field), use_model=use_model, max_keys=max_keys)
    aggregate = partial(merge_counts, max_keys=max_keys, corpus=tuple(sorted(corpus)))
    return bag.reduction(per_partition, aggregate, split_every=split_every, name="article-cleaner-count")


def learn_bag(
    bag: db.Bag, options: LearnOptions = LearnOptions(), *, text_field: str = "text", html_field: str = "html",
    url_field: str = "url", name: str = "learned", date: str | None = None, use_model: bool = True,
    max_keys: int = DEFAULT_MAX_KEYS, corpus: Iterable[str] = (), include_builtin: bool = False, split_every: int = 8,
) -> RuleFile:
    """Learn a rules file from the records of ``bag`` (computes the bag; equals the single-process result)."""
    counts = count_bag(
        bag, text_field=text_field, html_field=html_field, url_field=url_field, use_model=use_model,
        max_keys=max_keys, corpus=corpus, split_every=split_every,
    ).compute()
    return build_rule_file(counts, options, name=name, date=date or today(), include_builtin=include_builtin)


