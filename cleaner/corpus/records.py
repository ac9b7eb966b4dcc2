"""One record of a dump (a JSON object): where its page is, and its cleaned form.

Shared by the JSON Lines command, the parallel learner and the Dask functions, so a
record is read the same way everywhere: the HTML field wins when it holds a non-blank
string, else the text field; a field of the wrong type makes the record malformed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core import Cleaner
from ..errors import CleanerError
from ..learn import Document, FeedFields
from ..learn.documents import item_document


class MalformedRecord(CleanerError):
    """A record that is not a JSON object, lacks the page field, or has a field of the wrong type."""


@dataclass(frozen=True)
class RecordFields:
    """Names of the fields read (``text``, ``html``, ``url``) and written (``output``, ``explain``)."""

    text: str = "text"
    html: str = "html"
    url: str = "url"
    output: str = "clean_text"
    explain: str | None = None


@dataclass(frozen=True)
class Page:
    """What a record holds to clean: the content, its kind (``html``/``text``) and URL."""

    content: str
    kind: str
    url: str | None


def record_page(record: Any, fields: RecordFields) -> Page:
    """The page of ``record``; raises :class:`MalformedRecord` saying what is wrong."""
    if not isinstance(record, dict):
        raise MalformedRecord(f"expected a JSON object, got {type(record).__name__}")
    url = record.get(fields.url)
    if url is not None and not isinstance(url, str):
        raise MalformedRecord(f"field {fields.url!r} must be a string, got {type(url).__name__}")
    html = record.get(fields.html)
    text = record.get(fields.text)
    if html is not None and not isinstance(html, str):
        raise MalformedRecord(f"field {fields.html!r} must be a string, got {type(html).__name__}")
    if text is not None and not isinstance(text, str):
        raise MalformedRecord(f"field {fields.text!r} must be a string, got {type(text).__name__}")
    if html is not None and html.strip():
        return Page(html, "html", url or None)
    if text is not None:
        return Page(text, "text", url or None)
    if html is not None:
        return Page(html, "html", url or None)
    raise MalformedRecord(f"no {fields.html!r} or {fields.text!r} field")


def clean_record(record: dict[str, Any], page: Page, cleaner: Cleaner, fields: RecordFields) -> tuple[dict[str, Any], int]:
    """A copy of ``record`` with the cleaned text (and explanation) added; and lines removed."""
    result = cleaner.explain(page.content, url=page.url, kind=page.kind)
    out = dict(record)
    out[fields.output] = result.text
    if fields.explain:
        explanation = result.to_dict()
        del explanation["text"]
        out[fields.explain] = explanation
    return out, len(result.removals)


def record_document(record: Any, fields: FeedFields, doc_id: str) -> Document | None:
    """The learner's :class:`Document` for ``record`` (``None`` when it holds no text).

    As the learner reads feed items (``cleaner.learn.documents.item_document``): a non-blank HTML field is extracted, else the
    text field is used; values of other types are ignored.
    """
    if not isinstance(record, dict):
        return None
    return item_document(record, fields, doc_id)
