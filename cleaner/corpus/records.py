"""A cleaned record of a dump: the record with the cleaned text (and explanation) added.

Shared by the JSON Lines command and the Dask functions; which field holds the page
is read by :class:`cleaner.records.RecordAdapter`, as everywhere else.
"""

from __future__ import annotations

from typing import Any

from ..core import Cleaner
from ..records import Page, RecordFields, explanation_of


def clean_record(record: dict[str, Any], page: Page, cleaner: Cleaner, fields: RecordFields) -> tuple[dict[str, Any], int]:
    """A copy of ``record`` with the cleaned text (and explanation) added; and lines removed."""
    result = page.clean(cleaner)
    out = dict(record)
    out[fields.output] = result.text
    if fields.explain:
        out[fields.explain] = explanation_of(result)
    return out, len(result.removals)
