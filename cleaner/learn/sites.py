"""The site a document belongs to: the registered domain of its URL, found offline.

One definition for everything that learns per site (``article-cleaner learn``, the
Dask functions and the Scrapy pipeline's in-crawl learning), so a rule learned by
one applies in the others.
"""

from __future__ import annotations

from functools import lru_cache

import regex
import tldextract

from ..core import host_of

NO_SITE = ""  # the bucket of documents without a usable URL

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)
_RULE_SITE = regex.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


@lru_cache(maxsize=65536)
def site_of(url: str | None) -> str:
    """``"bbc.co.uk"`` for ``"https://news.bbc.co.uk/world/1"``; :data:`NO_SITE` when unknown.

    Uses the public suffix list bundled with ``tldextract`` (no network), private
    suffixes included (``foo.blogspot.com`` is its own site). A host without a known
    suffix (``localhost``, ``site-a.test``, an IPv4 address) is its own site; a host a
    rules file cannot name (an IPv6 address) gives :data:`NO_SITE`.
    """
    host = host_of(url)
    if not host:
        return NO_SITE
    parts = _EXTRACT(host)
    site = f"{parts.domain}.{parts.suffix}" if parts.domain and parts.suffix else host
    return site if _RULE_SITE.fullmatch(site) else NO_SITE
