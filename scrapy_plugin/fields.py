"""Writing the results back to an item, for any item type.

All access goes through ``itemadapter`` so dicts, ``scrapy.Item``, dataclass and
attrs items behave alike; the input is read by :class:`cleaner.records.RecordAdapter`
over the item's ``ItemAdapter``, as every other reader of records does. A field that
an item class does not declare cannot be set; :func:`can_set` tells before anything
is written, so an item is changed either completely or not at all.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from itemadapter import ItemAdapter

from cleaner import Result


def can_set(adapter: ItemAdapter, field: str) -> bool:
    """Whether ``field`` can be assigned on this item (dicts take any key)."""
    return isinstance(adapter.item, dict) or field in adapter.field_names()


def explanation_of(result: Result) -> list[dict[str, Any]]:
    """The removals of a ``cleaner.Result`` as JSON-ready rows, in line order (as in ``Result.to_dict``)."""
    return [asdict(removal) for removal in result.removals]
