"""Turning what callers hand us into ``str``, and guessing whether it is HTML.

The rule: ``str`` is used as is; ``bytes`` go through the one decoder,
:func:`decode_bytes`; anything else is a clear ``TypeError``.
"""

from __future__ import annotations

from typing import Literal

import regex
from w3lib.encoding import html_body_declared_encoding, read_bom

from .errors import DecodeError, InputTypeError

HtmlGuess = Literal["document", "markup", "text"]

_HTML_DOCUMENT = regex.compile(r"<(?:!doctype\s+html|html|head|body)[\s>/]", regex.IGNORECASE)
_ANY_TAG = regex.compile(r"<[!/]?[A-Za-z][^<>]{0,2000}>")
# Scripts, styles and comments say nothing about density: their insides are code, not text.
_SCRIPT_STYLE_COMMENT = regex.compile(r"<(script|style)\b.*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)", regex.IGNORECASE | regex.DOTALL)
_HTML_TAGS = regex.compile(r"</?(?:p|div|span|br|a|body|html|article|section|h[1-6]|li|ul|table)(?:\s[^<>]*)?/?>", regex.IGNORECASE)
# Characters no text holds: C0/C1 controls other than line breaks and tabs, unassigned,
# private-use and surrogate code points. A BOM whose "text" holds them is not a BOM.
_NOT_TEXT = regex.compile(r"[\x00-\x08\x0e-\x1b\x7f\p{Cn}\p{Co}\p{Cs}]")


def describe_type(value: object) -> str:
    """A short name of ``value``'s type for error messages."""
    return "None" if value is None else type(value).__name__


def to_text(value: object, *, what: str = "text") -> str:
    """Return ``value`` as ``str``, decoding bytes; raise :class:`InputTypeError` otherwise."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return decode_bytes(bytes(value))
    raise InputTypeError(
        f"expected {what} as str (or bytes), got {describe_type(value)}; "
        "pass the article text, e.g. item['text'], or skip items without one"
    )


def decode_bytes(data: bytes, *, html: bool = False) -> str:
    """The one decoder for bytes: text files, HTML pages, records, benchmark pages.

    1. A byte-order mark, trusted only when what follows decodes cleanly as text in its
       encoding (two stray bytes ``FF FE`` before ASCII are not UTF-16).
    2. UTF-8.
    3. HTML only: the encoding the page declares (``<meta charset>``, ``http-equiv``, an XML
       declaration), read and named as browsers do by ``w3lib`` (``iso-8859-1`` is
       windows-1252). UTF-8 goes first because stored pages are often re-encoded to
       UTF-8 and keep their old declaration (measured: 62 of 4,407 benchmark pages came
       out garbled when the declaration went first, as in ``w3lib.html_to_unicode``).
    4. The encoding ``charset_normalizer`` detects.

    Raises :class:`DecodeError` when none applies; it never returns invented text.
    """
    bom_encoding, bom = read_bom(data)
    if bom_encoding is not None and bom is not None:
        return _decode_after_bom(data[len(bom):], bom_encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if html:
        declared = html_body_declared_encoding(data)
        if declared is not None:
            try:
                return data.decode(declared)
            except (LookupError, UnicodeDecodeError):
                pass
    return _detect(data)


def decode_html(data: bytes) -> str:
    """:func:`decode_bytes` for an HTML page (its declared encoding is honoured)."""
    return decode_bytes(data, html=True)


def _decode_after_bom(payload: bytes, encoding: str) -> str:
    """The text after a byte-order mark, or :class:`DecodeError` when it is not text in that encoding."""
    try:
        text = payload.decode(encoding)
    except UnicodeDecodeError:
        text = None
    if text is not None and (encoding == "utf-8" or _plausible_wide_text(payload, text)):
        return text
    name = encoding.upper()
    reason = f"the bytes start with a {name} byte-order mark but what follows is not {name} text (stray bytes before the text?)"
    raise DecodeError(f"{reason}; remove them, or decode the bytes yourself and pass a str", reason=reason)


def _plausible_wide_text(payload: bytes, text: str) -> bool:
    """Whether UTF-16/32 ``text`` decoded from ``payload`` is text, not 8-bit bytes read two at a time.

    Real UTF-16/32 text holds no control, unassigned or private-use characters, and holds
    NUL bytes (spaces, digits, line breaks) or is not valid UTF-8: NUL-free valid UTF-8
    behind ``FF FE`` is 8-bit text behind two stray bytes.
    """
    if _NOT_TEXT.search(text):
        return False
    if b"\x00" in payload:
        return True
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _detect(data: bytes) -> str:
    """The encoding ``charset_normalizer`` finds most plausible, without inventing text.

    UTF-16/32 guesses for bytes without a NUL are dropped (``b"caf\\xe9"`` is not two
    CJK characters); cp1252 wins when it reads the bytes as cleanly as the best guess
    (short Western texts tie between many code pages, and news is mostly Western).
    """
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    has_nul = b"\x00" in data
    candidates = [m for m in from_bytes(data) if has_nul or not m.encoding.startswith(("utf_16", "utf_32"))]
    best = candidates[0] if candidates else None
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and not _NOT_TEXT.search(western) and (best is None or mess_ratio(western) <= best.chaos):
        return western
    if best is None:
        reason = f"could not decode {len(data)} bytes: not UTF-8 and no encoding detected"
        raise DecodeError(f"{reason}; convert them to UTF-8 (or decode them yourself) and pass a str", reason=reason)
    return str(best)


def html_guess(value: object) -> HtmlGuess:
    """Whether ``value`` (str or bytes) is an HTML ``"document"``, HTML ``"markup"`` without one, or ``"text"``.

    Decided on document-level evidence, never on a stray tag: a doctype, ``<html>``,
    ``<head>`` or ``<body>`` in the first 5,000 characters makes a document; otherwise (scripts,
    styles and comments set aside) markup needs three or more tags *and* tags on at least half of its non-blank lines
    (an HTML fragment, one line or pretty-printed), a density plain text never has. A
    scraped text whose paragraph quotes an embedded tweet (``<a href=...>``) stays text.
    """
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value[:5000]).decode("utf-8", errors="ignore")
    if not isinstance(value, str):
        return "text"
    if _HTML_DOCUMENT.search(value[:5000]):
        return "document"
    head = _SCRIPT_STYLE_COMMENT.sub("<x>", value[:20000])[:5000]
    if len(_HTML_TAGS.findall(head)) + head.count("<x>") < 3:
        return "text"
    lines = [line for line in head.splitlines() if line.strip()]
    tagged = sum(1 for line in lines if _ANY_TAG.search(line))
    return "markup" if 2 * tagged >= len(lines) else "text"


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is HTML (a document or dense markup) rather than plain text (:func:`html_guess`)."""
    return html_guess(text) != "text"


def markup_words(value: object) -> int:
    """Words of ``value`` outside tags: what a guessed page's extraction is compared with."""
    text = to_text(value)
    return len(_ANY_TAG.sub(" ", text).split())
