"""Turning what callers hand us into ``str``, and guessing whether it is HTML.

The rule: ``str`` is used as is; ``bytes`` are decoded as UTF-8, then as the
encoding ``charset_normalizer`` detects; anything else is a clear ``TypeError``.
"""

from __future__ import annotations

import regex

from .errors import DecodeError, InputTypeError

_HTML_START = regex.compile(
    r"\A[\s\ufeff]*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|div|p|section)[\s>/]",
    regex.IGNORECASE | regex.DOTALL,
)
_HTML_TAGS = regex.compile(r"</?(?:p|div|span|br|a|body|html|article|section|h[1-6]|li|ul|table)(?:\s[^<>]*)?/?>", regex.IGNORECASE)


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


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), else the detected encoding, else raise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is not None:
        # Short texts often tie between single-byte code pages; Western news is the
        # common case, so among equally plausible decodings prefer cp1252.
        for match in matches:
            if match.encoding == "cp1252" and match.chaos == best.chaos and match.coherence == best.coherence:
                best = match
                break
    if best is None:
        raise DecodeError(
            f"could not decode {len(data)} bytes: not UTF-8 and no encoding detected; "
            "decode them yourself (bytes.decode(encoding)) and pass a str"
        )
    return str(best)


def looks_like_html(text: str) -> bool:
    """Guess whether ``text`` is an HTML document or fragment rather than plain text.

    True when it starts like a document (doctype, ``<html>``, ``<body>``...) or when
    at least three common block or inline tags appear in its first 5,000 characters.
    """
    head = text[:5000]
    if _HTML_START.match(head):
        return True
    count = 0
    for _ in _HTML_TAGS.finditer(head):
        count += 1
        if count >= 3:
            return True
    return False
