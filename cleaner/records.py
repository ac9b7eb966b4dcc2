"""One record (a JSON object of a dump, a Dask record, a Scrapy item): where its page is.

The one reader of records, in the spirit of ``itemadapter``: the corpus runner, the
learner, the Dask functions and the Scrapy pipeline all ask a :class:`RecordAdapter`
which field holds the page and whether it is HTML or text, so a record is read the
same way everywhere:

- the HTML field wins when it has content (not blank), else the text field;
- when neither has content, the blank text (else HTML) field is the page, so a
  cleaned record still gets its (empty) output; a record with neither field has none;
- a field's role decides the page's kind; a page of unknown kind (a file without a
  telling suffix) is decided by :func:`cleaner.inputs.looks_like_html`.

Records are anything with ``get`` (a ``dict``, or ``itemadapter.ItemAdapter`` for
Scrapy items). What to do with a value of the wrong type is the caller's policy:
:meth:`RecordAdapter.check` is the strict one of JSON Lines dumps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .errors import CleanerError
from .inputs import looks_like_html

if TYPE_CHECKING:
    from .core import Cleaner
    from .result import Result

Kind = Literal["html", "text"]


class MalformedRecord(CleanerError):
    """A record that is not a JSON object, lacks the page field, or has a field of the wrong type."""


@dataclass(frozen=True)
class RecordFields:
    """Names of the fields read (``text``, ``html``, ``url``) and written (``output``, ``explain``).

    ``None`` means the record has no such field (e.g. Scrapy items without a URL field).
    """

    text: str | None = "text"
    html: str | None = "html"
    url: str | None = "url"
    output: str = "clean_text"
    explain: str | None = None


@dataclass(frozen=True)
class Page:
    """What a record holds to clean: the field it came from, its value, its kind and URL.

    ``content`` is the value as found: ``str`` (or ``bytes`` from Scrapy items); another
    type is handed on, and the cleaner rejects it with an :class:`~cleaner.errors.InputTypeError`.
    """

    field: str
    content: Any
    kind: Kind
    url: str | None

    @property
    def blank(self) -> bool:
        """Whether there is nothing to clean (empty or whitespace only)."""
        return not has_content(self.content)

    def clean(self, cleaner: Cleaner) -> Result:
        """``cleaner``'s result for this page, as HTML or as text by its kind."""
        return cleaner.explain(self.content, url=self.url, kind=self.kind)


def explanation_of(result: Result) -> dict[str, Any]:
    """What an explanation field holds: ``result.to_dict()`` without the text (which is in the output field).

    One object for ``clean --jsonl --explain-field``, Dask, the batch API and the datatrove step,
    so ``article-cleaner report`` reads them all.
    """
    explanation = result.to_dict()
    del explanation["text"]
    return explanation


def has_content(value: Any) -> bool:
    """Whether a field value holds something to clean: not ``None``, not blank text.

    Values of other types count as content: they are handed on and reported as errors,
    not silently skipped.
    """
    if value is None:
        return False
    if isinstance(value, (str, bytes, bytearray)):
        return bool(value) and not value.isspace()  # no copy of a page with edge whitespace, unlike strip()
    if isinstance(value, memoryview):
        return has_content(bytes(value))
    return True


def decide_kind(kind: Kind | Literal["auto"], text: str) -> Kind:
    """``kind`` when known, else whether ``text`` looks like HTML (``cleaner.inputs``)."""
    if kind != "auto":
        return kind
    return "html" if looks_like_html(text) else "text"


class RecordAdapter:
    """Reads one record through :class:`RecordFields` (see the module docstring)."""

    __slots__ = ("record", "fields")

    def __init__(self, record: Mapping[str, Any], fields: RecordFields) -> None:
        self.record = record
        self.fields = fields

    def get(self, field: str | None) -> Any:
        """The value of ``field`` (``None`` when absent or when the field is not used)."""
        return None if field is None else self.record.get(field)

    def url(self) -> str | None:
        """The record's URL as ``str`` (bytes decoded), or ``None``."""
        value = self.get(self.fields.url)
        if isinstance(value, bytes):
            value = value.decode("utf-8", errors="replace")
        return value if isinstance(value, str) and value else None

    def page(self) -> Page | None:
        """The page of this record (see the module docstring), or ``None`` when it has none."""
        html_field, text_field = self.fields.html, self.fields.text
        candidates: tuple[tuple[str | None, Kind], ...] = ((html_field, "html"), (text_field, "text"))
        for field, kind in candidates:
            if field is not None and has_content(self.record.get(field)):
                return Page(field, self.record[field], kind, self.url())
        for field, kind in reversed(candidates):  # nothing to clean: the blank text, else HTML, field
            if field is not None and isinstance(self.record.get(field), str):
                return Page(field, self.record[field], kind, self.url())
        return None

    def check(self) -> Page:
        """The page of a record that must be a page: a ``dict`` whose page and URL fields hold
        strings (the rule of JSON Lines dumps); raises :class:`MalformedRecord` saying what is wrong."""
        if not isinstance(self.record, dict):
            raise MalformedRecord(f"expected a JSON object, got {type(self.record).__name__}")
        for field in (self.fields.url, self.fields.html, self.fields.text):
            value = self.get(field)
            if value is not None and not isinstance(value, str):
                raise MalformedRecord(f"field {field!r} must be a string, got {type(value).__name__}")
        page = self.page()
        if page is None:
            raise MalformedRecord(f"no {self.fields.html!r} or {self.fields.text!r} field")
        return page
