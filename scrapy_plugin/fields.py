"""Reading the input from an item and writing the results back, for any item type.

All access goes through ``itemadapter`` so dicts, ``scrapy.Item``, dataclass and
attrs items behave alike. A field that an item class does not declare cannot be
set; :func:`can_set` tells before anything is written, so an item is changed
either completely or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from itemadapter import ItemAdapter


@dataclass(frozen=True)
class Document:
    """What to clean: the field it came from, its value, and ``"html"`` or ``"text"``."""

    field: str
    value: str | bytes
    kind: str


def _has_content(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, (str, bytes, bytearray)):
        return bool(value) and not value.isspace()  # no copy of a page with edge whitespace, unlike strip()
    if isinstance(value, memoryview):
        return _has_content(bytes(value))
    return True  # other types are handed on and reported as errors by the cleaner


def pick_document(adapter: ItemAdapter, html_field: str | None, text_field: str | None) -> Document | None:
    """The HTML field when it has content, else the text field, else ``None``."""
    for field, kind in ((html_field, "html"), (text_field, "text")):
        if field is None:
            continue
        value: Any = adapter.get(field)
        if _has_content(value):
            return Document(field, value, kind)
    return None


def url_of(adapter: ItemAdapter, url_field: str | None) -> str | None:
    """The item's URL as ``str`` (bytes decoded), or ``None``."""
    if url_field is None:
        return None
    value = adapter.get(url_field)
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) and value else None


def can_set(adapter: ItemAdapter, field: str) -> bool:
    """Whether ``field`` can be assigned on this item (dicts take any key)."""
    return isinstance(adapter.item, dict) or field in adapter.field_names()


def explanation_of(result: Any) -> list[dict[str, Any]]:
    """The removals of a ``cleaner.Result`` as JSON-ready rows, in line order."""
    return [
        {"line": r.line, "text": r.text, "rule_id": r.rule_id, "source": r.source, "reason": r.reason}
        for r in result.removals
    ]
