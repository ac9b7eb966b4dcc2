"""datatrove pipeline steps: extract and clean HTML documents, or clean documents that hold text.

Needs the ``datatrove`` extra (``pip install -e '.[datatrove]'``).

- :class:`ArticleCleanerExtractor` takes the place of datatrove's ``Trafilatura`` step:
  ``doc.text`` holds HTML; our extraction (trafilatura underneath) plus cleaning replace
  it with the article text. Documents left empty are dropped, as ``Trafilatura`` does.
- :class:`ArticleCleanerFormatter` is a formatter for documents whose ``doc.text`` is
  already text (a WET dump, a text corpus); it never drops a document.

Both read the page URL from ``doc.metadata[url_key]`` (site-scoped rules), write what
they removed to ``doc.metadata[metadata_key]`` (``explanation="counts"``: the number of
removed lines and their rule ids; ``"removals"``: the object ``article-cleaner clean
--jsonl --explain-field`` writes, which ``article-cleaner report`` reads; ``"none"``),
and count with ``stat_update`` what the Scrapy pipeline counts. A document whose
cleaning raises passes through unchanged, counted under ``errors`` and marked with
``{"error": ...}`` in its metadata; ``timeout=`` adds a hard per-document limit, as
datatrove's extractors have. Other keyword arguments are
:class:`~cleaner.config.CleanerConfig` options. Rules files are validated when the step
is made and read again by each worker process (so they must be readable where the
tasks run), which builds its :class:`~cleaner.core.Cleaner` once (:func:`~cleaner.factory.cleaner_for`).

>>> from datatrove.executor import LocalPipelineExecutor                          # doctest: +SKIP
>>> from datatrove.pipeline.readers import JsonlReader                            # doctest: +SKIP
>>> from datatrove.pipeline.writers import JsonlWriter                            # doctest: +SKIP
>>> LocalPipelineExecutor(pipeline=[                                              # doctest: +SKIP
...     JsonlReader("dump/", text_key="html"), ArticleCleanerExtractor(), JsonlWriter("clean/")], tasks=4).run()
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import nullcontext
from typing import Any, ClassVar, Literal

try:
    from datatrove.data import Document, DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
    from datatrove.pipeline.extractors.base import BaseExtractor, ExtractorSandbox
    from datatrove.pipeline.formatters.base import BaseFormatter
    from datatrove.utils.logging import logger
    from datatrove.utils.typeshelper import StatHints
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("cleaner.datatrove needs datatrove: pip install -e '.[datatrove]' (from a clone of article-cleaner)") from exc

from .config import CleanerConfig
from .core import Cleaner
from .errors import CleanerError
from .factory import cleaner_for
from .records import explanation_of
from .result import Result

__all__ = ["ArticleCleanerExtractor", "ArticleCleanerFormatter", "Explanation"]

Explanation = Literal["counts", "removals", "none"]
EXPLANATIONS = ("counts", "removals", "none")


class CleaningStep(PipelineStep):
    """What both steps share: options, the per-process cleaner, one document's clean and its counters."""

    kind: Literal["html", "text"]
    drop_empty: bool

    def _setup(
        self, rules: Iterable[str | os.PathLike[str]], url_key: str, metadata_key: str, explanation: Explanation,
        timeout: float | None, options: dict[str, Any],
    ) -> None:
        if explanation not in EXPLANATIONS:
            raise CleanerError(f"explanation must be one of {EXPLANATIONS}, not {explanation!r}")
        if timeout is not None and not (isinstance(timeout, (int, float)) and timeout > 0):
            raise CleanerError(f"timeout must be a number of seconds above 0 or None, not {timeout!r}")
        self.timeout = timeout
        if isinstance(rules, (str, os.PathLike)):
            rules = [rules]
        paths = tuple(os.fspath(path) for path in rules)  # paths, not parsed files: a small, hashable config to ship
        self.config = CleanerConfig.from_options(rules=paths, **options)
        cleaner_for(self.config)  # a bad rules file or option fails here, not in every task
        self.url_key, self.metadata_key, self.explanation = url_key, metadata_key, explanation
        self._errors_logged: set[str] = set()

    def cleaner(self) -> Cleaner:
        """This process's cleaner for the step's configuration (built on first use, then shared)."""
        return cleaner_for(self.config)

    def clean_documents(self, data: DocumentsPipeline) -> DocumentsPipeline:
        """Clean each document; yield it (unless emptied and ``drop_empty``)."""
        if data is None:
            return
        self.cleaner()  # built before the sandbox forks, so its process starts with it
        sandbox = ExtractorSandbox(timeout=self.timeout, warmup_text=("", None)) if self.timeout else None
        with sandbox or nullcontext():
            for doc in data:
                self.stat_update(StatHints.total)
                with self.track_time():
                    keep = self.clean_document(doc, sandbox)
                if keep:
                    self.stat_update(StatHints.forwarded)
                    if isinstance(doc.text, str):
                        self.update_doc_stats(doc)
                    yield doc
                else:
                    self.stat_update(StatHints.dropped)

    def clean_one(self, text: Any, url: str | None) -> tuple[Result, dict[str, Any] | None]:
        """One document's result (without the lazily extracted page metadata) and its explanation.

        Runs in the sandbox's process when ``timeout`` is set: both parts are plain, picklable data.
        """
        result = self.cleaner().explain(text, url=url, kind=self.kind)
        explanation = None if self.explanation == "none" else self.explain(result)
        result.metadata = {}
        return result, explanation

    def clean_in_sandbox(self, text: Any, url: str | None) -> tuple[Result, dict[str, Any] | None] | Exception:
        """:meth:`clean_one` for the sandbox's process: an error is returned (the sandbox raises it here), not fatal there."""
        try:
            return self.clean_one(text, url)
        except Exception as error:  # sent back and raised in the task's process
            return error

    def clean_document(self, doc: Document, sandbox: ExtractorSandbox | None) -> bool:
        """Clean ``doc`` in place; ``False`` when it should be dropped."""
        url = doc.metadata.get(self.url_key)
        url = url if isinstance(url, str) and url else None
        try:
            if sandbox is None:
                result, explanation = self.clean_one(doc.text, url)
            else:
                result, explanation = sandbox.process_document((doc.text, url), self.clean_in_sandbox)
        except Exception as error:  # one bad, slow or crashing document must not stop a task
            self.record_error(error, doc)
            return True
        doc.text = result.text
        if explanation is not None:
            doc.metadata[self.metadata_key] = explanation
        self.count(result)
        if not result.text.strip():
            self.stat_update("emptied")
            return not self.drop_empty
        self.stat_update("cleaned")
        return True

    def explain(self, result: Result) -> dict[str, Any]:
        if self.explanation == "removals":
            return explanation_of(result)
        counts: dict[str, Any] = {"removed_lines": len(result.removals), "rule_ids": [r.rule_id for r in result.removals]}
        if result.warnings:
            counts["warnings"] = list(result.warnings)
        return counts

    def count(self, result: Result) -> None:
        """The Scrapy pipeline's counters: lines removed, by source, budget exceeded."""
        self.stat_update("lines_removed", value=len(result.removals))
        for source, count in sorted(result.removed_by_source.items()):
            self.stat_update(f"removed_by_source/{source}", value=count)
        if result.budget_exceeded:
            self.stat_update("budget_exceeded")

    def record_error(self, error: Exception, doc: Document) -> None:
        name = type(error).__name__
        self.stat_update("passed_through", "errors", f"errors/{name}")
        doc.metadata[self.metadata_key] = {"error": f"{name}: {error}"}
        if name not in self._errors_logged:  # once per error type and task, as datatrove's extractors do
            self._errors_logged.add(name)
            logger.warning(f"article-cleaner: could not clean document {doc.id!r} ({name}: {error}); passed through unchanged")


class ArticleCleanerExtractor(CleaningStep, BaseExtractor):
    """Extract the article from ``doc.text`` (HTML) and clean it: a drop-in for datatrove's ``Trafilatura``.

    ``rules``: extra rules files (paths). ``url_key``: the metadata field holding
    the page URL. ``metadata_key``: where the explanation goes (see ``explanation``).
    ``drop_empty``: drop documents with no article text left (as ``Trafilatura``
    does). ``timeout``: seconds a document may take, enforced as ``Trafilatura``
    does (each document is cleaned in a child process, datatrove's ``ExtractorSandbox``,
    killed and restarted past it); a document that times out passes through unchanged,
    counted under ``errors/TimeoutError``. ``None`` (the default): cleaned in the task's
    process, no hard limit. ``options``: :class:`~cleaner.config.CleanerConfig` options, e.g.
    ``builtin=False`` or ``time_budget=0.5`` (seconds of cleaning per document, past
    which the extracted text is kept as it is).
    """

    name = "🧹 article-cleaner"
    kind = "html"
    _requires_dependencies: ClassVar[list[str]] = ["trafilatura"]

    def __init__(
        self, rules: Iterable[str | os.PathLike[str]] = (), *, url_key: str = "url", metadata_key: str = "article_cleaner",
        explanation: Explanation = "counts", drop_empty: bool = True, timeout: float | None = None, **options: Any,
    ) -> None:
        super().__init__()
        self._setup(rules, url_key, metadata_key, explanation, timeout, options)
        self.drop_empty = drop_empty

    def extract(self, text: str) -> str:
        """The cleaned article text of one HTML page (datatrove's extractor interface; no URL)."""
        return self.cleaner().clean(text, kind="html")

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        yield from self.clean_documents(data)


class ArticleCleanerFormatter(CleaningStep, BaseFormatter):
    """Clean documents whose ``doc.text`` is already text (options as :class:`ArticleCleanerExtractor`).

    Never drops a document: one left empty keeps ``text == ""`` (counted as
    ``emptied``); add a filter after it to drop those.
    """

    name = "🧹 article-cleaner"
    kind = "text"
    drop_empty = False

    def __init__(
        self, rules: Iterable[str | os.PathLike[str]] = (), *, url_key: str = "url", metadata_key: str = "article_cleaner",
        explanation: Explanation = "counts", timeout: float | None = None, **options: Any,
    ) -> None:
        super().__init__()
        self._setup(rules, url_key, metadata_key, explanation, timeout, options)

    def format(self, text: str) -> str:
        """The cleaned text (datatrove's formatter interface; no URL, no explanation)."""
        return self.cleaner().clean(text, kind="text")

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        yield from self.clean_documents(data)
