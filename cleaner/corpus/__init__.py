"""Corpora: cleaning and learning over scraped dumps on all cores (Dask: ``cleaner.dask``).

>>> from cleaner.corpus import clean_jsonl, RecordFields
>>> summary = clean_jsonl("dump.jsonl.gz", "clean.jsonl.zst", fields=RecordFields(html="body"), jobs=4)  # doctest: +SKIP
>>> print(summary.format())                                                                          # doctest: +SKIP

Records stream through a bounded window of worker processes and come out in input
order; malformed records are reported and passed through (or rejected), never fatal.
"""

from __future__ import annotations

from ..learn.documents import iter_work_items
from ..records import MalformedRecord, RecordAdapter, RecordFields
from ..streams import CorpusError, open_input, open_output
from .jsonl import clean_jsonl
from .learning import count_parallel
from .pool import default_jobs, ordered_map
from .progress import Summary
from .records import clean_record

__all__ = [
    "CorpusError", "MalformedRecord", "RecordAdapter", "RecordFields", "Summary", "clean_jsonl", "clean_record",
    "count_parallel", "default_jobs", "iter_work_items", "open_input", "open_output", "ordered_map",
]
