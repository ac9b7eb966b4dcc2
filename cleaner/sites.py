"""Hosts and sites of URLs: what site-scoped rules and per-site learning key on.

One module for the three notions every part shares, so a rule learned by one part
(``article-cleaner learn``, Dask, the Scrapy pipeline's in-crawl learning) applies in
the others and a rules file names sites the way the cleaner matches them:

- :func:`host_of`: the URL's lower-case host without ``www.`` (site-scoped rules
  match it and its parent domains);
- :func:`site_of`: the registered domain of the URL, found offline (the learner's
  unit of counting);
- :data:`DOMAIN`: the domain names a rules file may scope a rule to.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import regex

NO_SITE = ""  # the bucket of documents without a usable URL

DOMAIN = regex.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
"""A domain name a rule's ``sites`` may hold (lower-case labels, no scheme, port or IPv6)."""


def host_of(url: str | None) -> str | None:
    """Lower-case host of ``url`` without ``www.``; ``None`` when there is none."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


@lru_cache(maxsize=1)
def _suffix_list() -> Any:
    """tldextract with its bundled public suffix list (no network); imported on first use,
    so cleaning alone never pays for it."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


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
    parts = _suffix_list()(host)
    site = f"{parts.domain}.{parts.suffix}" if parts.domain and parts.suffix else host
    return site if DOMAIN.fullmatch(site) else NO_SITE
