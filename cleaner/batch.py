"""Cleaning many documents per call: lists in, lists out, and a column function for ``datasets``.

``clean_batch`` and ``explain_batch`` take a list of texts (and optionally their URLs)
and clean them with one :class:`~cleaner.core.Cleaner`, built once per process and
option set. ``clean_columns`` has the shape ``datasets.Dataset.map(batched=True)``
wants: a dict of columns in, the new columns out.

>>> from datasets import Dataset                                                 # doctest: +SKIP
>>> from cleaner.batch import clean_columns                                     # doctest: +SKIP
>>> ds = Dataset.from_dict({"text": texts, "url": urls})                         # doctest: +SKIP
>>> ds = ds.map(clean_columns, batched=True, fn_kwargs={"explain_column": "explanation"})  # doctest: +SKIP

A missing value (``None``) in the text list is passed through as ``None``; every other
value is cleaned as by :func:`cleaner.explain` (``str`` or ``bytes``, HTML detected
unless ``kind`` says otherwise).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from .config import CleanerConfig
from .errors import CleanerError
from .factory import cleaner_for
from .records import explanation_of
from .result import Result

__all__ = ["clean_batch", "clean_columns", "explain_batch", "explanation_json"]


def explain_batch(
    texts: Sequence[Any], urls: Sequence[str | None] | None = None, *, kind: str = "auto", **options: Any,
) -> list[Result | None]:
    """One :class:`Result` per text (``None`` for a ``None`` text), in order.

    ``urls`` (same length as ``texts``) enables site-scoped rules per document.
    ``options`` are :class:`~cleaner.config.CleanerConfig` options (``rules=[...]``,
    ``detectors=...``); the cleaner is built once per process for each configuration.
    """
    if urls is not None and len(urls) != len(texts):
        raise CleanerError(f"explain_batch: {len(texts)} texts but {len(urls)} urls; give one URL (or None) per text")
    cleaner = cleaner_for(CleanerConfig.from_options(**options))
    results: list[Result | None] = []
    for index, text in enumerate(texts):
        url = urls[index] if urls is not None else None
        results.append(None if text is None else cleaner.explain(text, url=url or None, kind=kind))
    return results


def clean_batch(
    texts: Sequence[Any], urls: Sequence[str | None] | None = None, *, kind: str = "auto", **options: Any,
) -> list[str | None]:
    """The article text of each of ``texts`` (``None`` stays ``None``); see :func:`explain_batch`."""
    return [None if result is None else result.text for result in explain_batch(texts, urls, kind=kind, **options)]


def explanation_json(result: Result) -> str:
    """``result`` without its text, as JSON: the same object ``clean --jsonl --explain-field`` writes."""
    return json.dumps(explanation_of(result), ensure_ascii=False)


def clean_columns(
    batch: Mapping[str, Sequence[Any]], *, text_column: str = "text", url_column: str | None = "url",
    output_column: str = "clean_text", explain_column: str | None = None, kind: str = "auto", **options: Any,
) -> dict[str, list[Any]]:
    """A batch of columns cleaned: ``{output_column: [...]}`` (and ``explain_column`` when asked).

    For ``Dataset.map(clean_columns, batched=True, fn_kwargs={...})``: the returned
    columns are added to the dataset. The URL column is used when the batch has it
    (pass ``url_column=None`` to ignore it). The explanation column holds JSON text
    (one fixed Arrow type, whatever a document's removals), the object
    ``article-cleaner clean --jsonl --explain-field`` writes; ``article-cleaner report``
    reads either form.
    """
    if text_column not in batch:
        raise CleanerError(f"clean_columns: the batch has no column {text_column!r} (columns: {sorted(batch)}); pass text_column=")
    texts = batch[text_column]
    urls = batch[url_column] if url_column is not None and url_column in batch else None
    results = explain_batch(texts, urls, kind=kind, **options)
    columns: dict[str, list[Any]] = {output_column: [None if r is None else r.text for r in results]}
    if explain_column is not None:
        columns[explain_column] = [None if r is None else explanation_json(r) for r in results]
    return columns
