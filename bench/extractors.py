"""Named HTML -> text extractors, kept in a registry so variants can be added.

A registry entry is a *factory*: calling it imports what it needs and returns
``extract(html, url) -> str``.  A factory raises ``ExtractorUnavailable`` when
its library (or our own ``cleaner.clean_html``, still being written) is
missing, so the benchmark reports it instead of crashing.  Imports happen in
the factory, outside the timed loop.
"""

from __future__ import annotations

from collections.abc import Callable

ExtractFn = Callable[[str, "str | None"], str]
Factory = Callable[[], ExtractFn]


class ExtractorUnavailable(Exception):
    """The extractor cannot run here (missing library or API)."""


EXTRACTORS: dict[str, Factory] = {}


def register(name: str, factory: Factory | None = None):
    """Register ``factory`` under ``name``; usable as a decorator.

    Example variant: ``register("article-cleaner-x", lambda: lambda h, u:
    cleaner.clean_html(h, url=u, option=True))``.
    """
    def deco(f: Factory) -> Factory:
        EXTRACTORS[name] = f
        return f
    return deco(factory) if factory is not None else deco


def load(name: str) -> ExtractFn:
    """Build the extractor ``name``; raises KeyError or ExtractorUnavailable."""
    return EXTRACTORS[name]()


def _trafilatura(**kwargs) -> Factory:
    def factory() -> ExtractFn:
        try:
            import trafilatura
        except ImportError as e:
            raise ExtractorUnavailable(f"trafilatura not installed: {e}") from e

        def extract(html: str, url: str | None) -> str:
            return trafilatura.extract(html, url=url, **kwargs) or ""
        return extract
    return factory


# Library defaults: note include_comments=True by default.
register("trafilatura", _trafilatura())
# What AEB's own run_trafilatura.py calls (the published 0.958 figure).
register("trafilatura-nocomments", _trafilatura(include_comments=False))
register("trafilatura-precision", _trafilatura(favor_precision=True))
register("trafilatura-recall", _trafilatura(favor_recall=True))
# 2.x renamed no_fallback=True to fast=True (no_fallback is deprecated).
register("trafilatura-fast", _trafilatura(fast=True))


_BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd details div dl dt figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section "
    "summary table tbody td tfoot th thead tr ul".split())
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})
_BREAK = "\x00"  # block-boundary marker (NUL does not occur in extracted text)


def html_fragment_text(fragment: str) -> str:
    """Visible text of an HTML fragment, one line per block element or ``<br>``.

    Whitespace inside a line (source newlines included) is collapsed and
    empty lines dropped.
    """
    import lxml.html
    from lxml import etree

    if not fragment or not fragment.strip():
        return ""
    root = lxml.html.fromstring(fragment)
    parts: list[str] = []
    skip_depth = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else None  # comments, PIs
        if event == "start":
            if tag in _SKIP_TAGS or tag is None:
                skip_depth += 1
            elif not skip_depth:
                if tag in _BLOCK_TAGS or tag == "br":
                    parts.append(_BREAK)
                if el.text:
                    parts.append(el.text)
        else:
            if tag in _SKIP_TAGS or tag is None:
                skip_depth -= 1
            elif not skip_depth and tag in _BLOCK_TAGS:
                parts.append(_BREAK)
            if not skip_depth and el.tail and el is not root:
                parts.append(el.tail)
    # Source newlines are ordinary whitespace; only _BREAK ends a line.
    lines = (" ".join(line.split()) for line in "".join(parts).split(_BREAK))
    return "\n".join(line for line in lines if line)


@register("readability")
def _readability() -> ExtractFn:
    try:
        from readability import Document
    except ImportError as e:
        raise ExtractorUnavailable(f"readability-lxml not installed: {e}") from e

    def extract(html: str, url: str | None) -> str:
        return html_fragment_text(Document(html).summary())
    return extract


@register("justext")
def _justext() -> ExtractFn:
    """Non-boilerplate paragraphs, one per line.

    Uses the parameters of the AEB's own run_justext.py (English stoplist,
    length_low=50, stopwords_low=0.1, stopwords_high=0.2, no_headings=True)
    so the result is comparable with the published jusText figure.
    """
    try:
        import justext
    except ImportError as e:
        raise ExtractorUnavailable(f"justext not installed: {e}") from e
    stoplist = justext.get_stoplist("English")

    def extract(html: str, url: str | None) -> str:
        paragraphs = justext.justext(html, stoplist, 50, 200, 0.1, 0.2, 0.2, 200, True)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)
    return extract


@register("resiliparse")
def _resiliparse() -> ExtractFn:
    try:
        from resiliparse.extract.html2text import extract_plain_text
    except ImportError as e:
        raise ExtractorUnavailable(f"resiliparse not installed: {e}") from e

    def extract(html: str, url: str | None) -> str:
        return extract_plain_text(html, main_content=True)
    return extract


@register("article-cleaner")
def _article_cleaner() -> ExtractFn:
    """Our own pipeline, ``cleaner.clean_html(html, url=url)``.

    A non-str result is read through its ``.text`` attribute if it has one.
    """
    try:
        import cleaner
    except Exception as e:
        raise ExtractorUnavailable(f"cannot import cleaner: {e!r}") from e
    clean_html = getattr(cleaner, "clean_html", None)
    if not callable(clean_html):
        raise ExtractorUnavailable("cleaner.clean_html does not exist yet")

    def extract(html: str, url: str | None) -> str:
        out = clean_html(html, url=url)
        if out is None:
            return ""
        return out if isinstance(out, str) else str(getattr(out, "text", out) or "")
    return extract
