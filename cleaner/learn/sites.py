"""The site a document belongs to: the registered domain of its URL, found offline."""

from __future__ import annotations

from functools import lru_cache

import tldextract

NO_SITE = ""  # the bucket of documents without a usable URL

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=65536)
def site_of(url: str | None) -> str:
    """``"bbc.co.uk"`` for ``"https://www.bbc.co.uk/news/1"``; :data:`NO_SITE` when unknown.

    Uses the public suffix list bundled with ``tldextract`` (no network). A bare
    host without a known suffix (``localhost``, an IP address) is used as it is.
    """
    if not url:
        return NO_SITE
    parts = _EXTRACT(url)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}".lower()
    return (parts.domain or "").lower()
