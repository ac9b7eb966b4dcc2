"""The cleaner: rules, then detectors, then the line model, repeated until nothing changes.

A :class:`Cleaner` loads and compiles its rule set once; ``explain`` and ``clean``
then run on as many documents as you like. Output contract: the input's lines in
their original order with junk lines removed, each kept line whitespace-normalised,
a leading bullet trimmed from the headline, paragraph breaks as in the input,
nothing invented or reordered, and ``clean(clean(x)) == clean(x)``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from . import detectors as detector_registry
from .config import CleanerConfig
from .errors import CleanerError, OptionError
from .evidence import Evidence
from .extraction import Extraction, extract
from .inputs import html_guess, markup_words, to_text
from .matcher import Matcher
from .result import Change, Removal, Result
from .rules import RuleSet
from .sites import host_of
from .stages import Context, Stage
from .textlines import SplitText, join_lines, line_key, normalize_space, split_text, strip_bullet, word_count
from .view import Line, Verdict, ends_sentence

GUESSED_HTML_MIN_KEPT = 0.5
"""Share of a guessed (not declared) HTML input's words extraction must keep; below it the
input is cleaned as text. Real pages are recognised as documents and never fall back."""
KINDS = ("auto", "text", "html")


class Cleaner:
    """A loaded rule set plus options, reusable across documents (thread-safe to share).

    Made from a :class:`~cleaner.config.CleanerConfig`, or from its options as keywords
    (``Cleaner(rules=["site.json"], model=False)``), or both (the keywords then change
    the configuration's options); the options are described there. Rules files are
    loaded and compiled once, here. ``config`` holds the validated configuration.
    """

    def __init__(self, config: CleanerConfig | None = None, /, **options: Any) -> None:
        if config is None:
            config = CleanerConfig.from_options(**options)
        elif not isinstance(config, CleanerConfig):
            raise OptionError(
                f"Cleaner takes a CleanerConfig or keyword options, not {type(config).__name__}; "
                "pass rules files as Cleaner(rules=[...])"
            )
        else:
            config = config.replace(**options)
        self.config = config
        self.rule_set = RuleSet.from_sources(config.rules, builtin=config.builtin)
        self.pattern_timeout = config.pattern_timeout
        self.time_budget = config.time_budget
        pattern_timeout = config.pattern_timeout
        removing = [r for r in self.rule_set.rules if r.action == "remove"]
        self._matcher = Matcher(removing, timeout=pattern_timeout)
        self._trailer = Matcher([r for r in self.rule_set.rules if r.action == "trailer"], timeout=pattern_timeout)
        self._toc = Matcher([r for r in self.rule_set.rules if r.action == "toc"], timeout=pattern_timeout)
        self._detectors = detector_registry.select(config.detectors)
        self._model_stage: list[tuple[str, Stage]] = []
        if config.model:
            self._model_stage = _load_model_stage()
        self._extra = list(config.extra_stages)

    # -- public API -------------------------------------------------------------

    def clean(self, text: Any, *, url: str | None = None, kind: str = "auto") -> str:
        """Article text of ``text`` (see :meth:`explain`)."""
        return self.explain(text, url=url, kind=kind).text

    def explain(self, text: Any, *, url: str | None = None, kind: str = "auto") -> Result:
        """Clean ``text`` and say why each removed line went.

        ``text`` is ``str`` or ``bytes`` (UTF-8, else a detected encoding). ``kind``
        ``"auto"`` sends HTML-looking input through :meth:`explain_html`; ``"text"``
        forces plain text. ``url`` enables site-scoped rules.
        """
        if kind not in KINDS:
            raise CleanerError(f"kind must be one of {KINDS}, not {kind!r}")
        guess = html_guess(text) if kind == "auto" else kind
        if guess in ("html", "document"):
            return self.explain_html(text, url=url)
        if guess == "markup":
            return self._explain_guessed_markup(text, url=url)
        return self.explain_text(to_text(text), url=url)

    def _explain_guessed_markup(self, text: Any, *, url: str | None) -> Result:
        """Markup without a document around it is extracted as HTML, unless extraction keeps
        under :data:`GUESSED_HTML_MIN_KEPT` of its words: then it was text with tags in it,
        and the text path cleans it, saying so in the warnings."""
        extraction = extract(text, url)
        words = markup_words(text)
        kept = len(extraction.text.split())
        if kept >= GUESSED_HTML_MIN_KEPT * words:
            return self.explain_extraction(extraction)
        result = self.explain_text(to_text(text), url=url)
        result.warnings.insert(0, (
            f"the input looked like HTML but extraction kept {kept} of its {words} words, "
            "so it was cleaned as plain text (kind='html' or kind='text' decides)"
        ))
        return result

    def explain_text(
        self, text: str, *, url: str | None = None,
        evidence: Sequence[Evidence | None] | None = None,
    ) -> Result:
        """Clean plain text. ``evidence[i]`` (optional) describes non-blank line ``i``'s HTML source."""
        text = to_text(text)
        split = split_text(text)
        return self._run(split, url=url, evidence=evidence, kind="text", metadata={}, extra_warnings=())

    def explain_html(self, html: Any, *, url: str | None = None) -> Result:
        """Extract the article from HTML with trafilatura (:func:`cleaner.extraction.extract`),
        then clean it (:meth:`explain_extraction`)."""
        return self.explain_extraction(extract(html, url))

    def explain_extraction(self, extraction: Extraction) -> Result:
        """Clean what :func:`~cleaner.extraction.extract` kept of a page, using each line's
        HTML evidence. The result's ``kind`` is ``"html"``, its ``url`` the extraction's,
        its ``metadata`` what trafilatura finds and its ``warnings`` end with the extraction's."""
        from .profiles.runtime import explain_with_profile  # the site profile of the page, if the rules hold one

        return explain_with_profile(self.rule_set, extraction, self._explain_extracted)

    def _explain_extracted(self, extraction: Extraction) -> Result:
        if not extraction.blocks:
            return Result(text="", kind="html", url=extraction.url, warnings=list(extraction.warnings))
        return self._run(
            split_text(extraction.text), url=extraction.url, evidence=extraction.evidence, kind="html",
            metadata=extraction.metadata, extra_warnings=extraction.warnings,
        )

    # -- internals ----------------------------------------------------------------

    def _run(
        self, split: SplitText, *, url: str | None,
        evidence: Sequence[Evidence | None] | None, kind: str,
        metadata: Mapping[str, Any], extra_warnings: Sequence[str],
    ) -> Result:
        """Remove lines round by round until a round removes nothing.

        A removed line first becomes a ghost: later rounds' detectors still see it as
        context (so removing one line never hides a "Related news" header or a first
        headline copy from the others) but cannot remove it again. When nothing more is
        found, ghosts are dropped and the rounds go on until the ghost-free view is
        stable: that view is exactly what the output reads back as, which makes
        ``clean(clean(x)) == clean(x)``.
        """
        started = time.perf_counter()
        host = host_of(url)
        context = Context(host=host, trailer=self._trailer, toc=self._toc)
        entries = []
        for i, ((number, raw), gap) in enumerate(zip(split.lines, split.gaps)):
            text = normalize_space(raw)
            entries.append((number, text, gap, evidence[i] if evidence is not None and i < len(evidence) else None,
                            line_key(text), word_count(text), ends_sentence(text)))
        alive = list(range(len(entries)))
        ghosts: set[int] = set()
        removals: list[Removal] = []
        warnings: list[str] = []
        rule_cache: dict[tuple[int, str], Verdict | None] = {}
        budget_exceeded = False
        # Until the view is stable, with no fixed cap: a cap cut pathological documents off
        # mid-way and their output was not a fixpoint (clean(clean(x)) removed more). Each
        # round ghosts at least one new line or drops the ghosts, so 2n+1 rounds always end it;
        # the time budget bounds the cost. A real document needs two or three rounds.
        for _ in range(2 * len(entries) + 1):
            view = _build_view(entries, alive, ghosts)
            verdicts = self._one_round(view, context, rule_cache, warnings, started)
            if verdicts is None:
                budget_exceeded = True
                break
            real = [v for v in verdicts if not view[v.index].ghost]
            for verdict in real:
                line = view[verdict.index]
                removals.append(Removal(line.number, line.text, verdict.rule_id, verdict.source, verdict.reason))
            removed_now = {alive[v.index] for v in real}
            if removed_now:
                ghosts |= removed_now
                continue
            if ghosts:
                alive = [i for i in alive if i not in ghosts]
                ghosts = set()
                continue
            break
        alive = [i for i in alive if i not in ghosts]
        if budget_exceeded:
            alive = list(range(len(entries)))
            removals = []
            warnings.append(
                f"time budget of {self.time_budget}s exceeded; document passed through whitespace-normalised"
            )
        view = _build_view(entries, alive, set())
        changes = []
        if view and view[0].text != entries[alive[0]][1]:
            first = entries[alive[0]]
            changes.append(Change(first[0], first[1], view[0].text, "headline.bullet", "decorative bullet trimmed from the headline"))
        removals.sort(key=lambda r: r.line)
        text = join_lines([line.text for line in view], [line.gap for line in view], split.newline, split.trailing_newline)
        return Result(
            text=text, removals=removals, changes=changes, warnings=[*warnings, *extra_warnings], kind=kind,
            url=url, metadata=metadata, budget_exceeded=budget_exceeded, kept_lines=len(view),
        )

    def _one_round(
        self, view: list[Line], context: Context,
        rule_cache: dict[tuple[int, str], Verdict | None], warnings: list[str], started: float,
    ) -> list[Verdict] | None:
        """Rules first; if none fire, detectors (and, on a ghost-free view, the model).

        Returns ``None`` when the time budget ran out.
        """
        verdicts: list[Verdict] = []
        fresh = [line for line in view if not line.ghost and (line.number, line.text) not in rule_cache]
        if fresh:
            matches = self._matcher.match_many([(line.text, line.key, line.words, line.number) for line in fresh], context.host)
            for line, match in zip(fresh, matches):
                for timeout in match.timeouts:
                    warnings.append(f"pattern of rule {timeout.rule_id!r} timed out on line {timeout.line}; treated as no match")
                rule = match.rule
                rule_cache[(line.number, line.text)] = (
                    None if rule is None else Verdict(-1, rule.id, rule.source_label, rule.reason)
                )
        for index, line in enumerate(view):
            cached = None if line.ghost else rule_cache[(line.number, line.text)]
            if cached is not None:
                verdicts.append(Verdict(index, cached.rule_id, cached.source, cached.reason))
        if verdicts:
            return verdicts
        has_ghosts = any(line.ghost for line in view)
        stages = [*self._detectors, *([] if has_ghosts else self._model_stage), *self._extra]
        for _name, stage in stages:
            if self.time_budget is not None and time.perf_counter() - started > self.time_budget:
                return None
            found = [v for v in stage(view, context) if not view[v.index].ghost]
            if found:
                return _dedupe(found)
        return []


def _dedupe(verdicts: list[Verdict]) -> list[Verdict]:
    seen: set[int] = set()
    out = []
    for verdict in verdicts:
        if verdict.index not in seen:
            seen.add(verdict.index)
            out.append(verdict)
    return out


def _build_view(entries: list[tuple[int, str, int, Any, str, int, bool]], alive: list[int], ghosts: set[int]) -> list[Line]:
    """Lines as the output would read back: gaps merged over removed lines, headline bullet trimmed.

    Ghosts (``ghosts`` holds entry indices) are included, flagged; the headline is the
    first non-ghost line.
    """
    view: list[Line] = []
    previous = -1
    headline_seen = False
    for position, entry_index in enumerate(alive):
        number, text, gap, evidence, key, words, ends = entries[entry_index]
        if position and entry_index - previous > 1:
            gap = max(entries[j][2] for j in range(previous + 1, entry_index + 1))
        elif not position:
            gap = 1
        ghost = entry_index in ghosts
        if not ghost and not headline_seen:
            headline_seen = True
            trimmed = strip_bullet(text) or text
            if trimmed != text:
                view.append(Line.make(number, trimmed, gap, evidence, ghost))
                previous = entry_index
                continue
        view.append(Line(number, text, key, words, gap, evidence, ghost, ends))
        previous = entry_index
    return view


def _load_model_stage() -> list[tuple[str, Stage]]:
    """The shipped line model as a stage, when the package carries one."""
    from .model import default_model_stage

    stage = default_model_stage()
    return [] if stage is None else [("model", stage)]
