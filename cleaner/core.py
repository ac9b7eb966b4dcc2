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
from .model import default_model_stage
from .result import Change, Removal, Result
from .rules import RuleSet
from .sites import host_of
from .stages import Context, RuleStage, Stage
from .textlines import SplitText, join_lines, normalize_space, split_text, strip_bullet
from .view import Line, Verdict

GUESSED_HTML_MIN_KEPT = 0.5
"""Share of a guessed (not declared) HTML input's words extraction must keep; below it the
input is cleaned as text. Real pages are recognised as documents and never fall back."""
MAX_SETTLED_ROUNDS = 50  # rounds in a row a settled stage (the line model) may remove lines
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

        def matcher(action: str) -> Matcher:
            return Matcher([r for r in self.rule_set.rules if r.action == action], timeout=config.pattern_timeout)

        self._trailer = matcher("trailer")
        self._toc = matcher("toc")
        model = default_model_stage() if config.model else None
        self.stages: tuple[Stage, ...] = (
            RuleStage(matcher("remove")),
            *detector_registry.select(config.detectors),
            *([] if model is None else [model]),
            *config.extra_stages,
        )
        """The stages in the order each round runs them: the rules, the detectors, the line
        model, the extra stages."""

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
        fallback = (
            f"the input looked like HTML but extraction kept {kept} of its {words} words, "
            "so it was cleaned as plain text (kind='html' or kind='text' decides)"
        )
        return self._run(
            split_text(to_text(text)), url=url, evidence=None, kind="text", metadata={}, extra_warnings=(),
            leading_warnings=(fallback,),
        )

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
        from .profiles.runtime import profile_page  # the site profile of the page, if the rules hold one

        page = profile_page(self.rule_set, extraction)
        return self.explain_page(page.extraction, page_stages=() if page.stage is None else (page.stage,))

    def explain_page(self, extraction: Extraction, *, page_stages: Sequence[Stage] = ()) -> Result:
        """:meth:`explain_extraction` with ``page_stages`` (for this page only, such as a site
        profile's :class:`~cleaner.profiles.runtime.ProfileStage`) run after all the others
        in each round, instead of the profile the rules may hold for the page's site."""
        if not extraction.blocks:
            return Result(text="", kind="html", url=extraction.url, warnings=list(extraction.warnings))
        return self._run(
            split_text(extraction.text), url=extraction.url, evidence=extraction.evidence, kind="html",
            metadata=extraction.metadata, extra_warnings=extraction.warnings, page_stages=page_stages,
        )

    # -- internals ----------------------------------------------------------------

    def _run(
        self, split: SplitText, *, url: str | None,
        evidence: Sequence[Evidence | None] | None, kind: str,
        metadata: Mapping[str, Any], extra_warnings: Sequence[str], leading_warnings: Sequence[str] = (),
        page_stages: Sequence[Stage] = (),
    ) -> Result:
        """Remove lines round by round until a round removes nothing: the core's one fixpoint loop.

        Each round runs the stages in order (:meth:`_round`) and the first that finds
        something decides the round. A removed line first becomes a ghost: later rounds'
        detectors still see it as context (so removing one line never hides a "Related
        news" header or a first headline copy from the others) but cannot remove it
        again. When nothing more is found, ghosts are dropped and the rounds go on until
        the ghost-free view is stable: that view is exactly what the output reads back as,
        which makes ``clean(clean(x)) == clean(x)``. A settled stage that removed lines
        runs again first in the next round, on the view without them (see
        :mod:`cleaner.stages`); those rounds do not count towards the round limit.
        """
        started = time.perf_counter()
        context = Context(host=host_of(url), trailer=self._trailer, toc=self._toc)
        entries = [
            Line.make(number, normalize_space(raw), gap, evidence[i] if evidence is not None and i < len(evidence) else None)
            for i, ((number, raw), gap) in enumerate(zip(split.lines, split.gaps))
        ]
        alive = list(range(len(entries)))
        ghosts: set[int] = set()
        removals: list[Removal] = []
        budget_exceeded = False
        # Until the view is stable, with no fixed cap: a cap cut pathological documents off
        # mid-way and their output was not a fixpoint (clean(clean(x)) removed more). Each
        # round ghosts at least one new line or drops the ghosts, so 2n+1 rounds always end it;
        # the time budget bounds the cost. A real document needs two or three rounds.
        limit = 2 * len(entries) + 1
        rounds = 0
        settling: Stage | None = None  # a settled stage that removed lines in the round before
        streak = 0  # rounds in a row it removed lines
        while rounds < limit or settling is not None:
            view = _build_view(entries, alive, ghosts)
            outcome = self._round(view, context, started, settling, settling_only=rounds >= limit, page_stages=page_stages)
            if outcome is None:
                budget_exceeded = True
                break
            stage, verdicts = outcome
            settled_again = stage is not None and stage is settling
            rounds += not settled_again
            for verdict in verdicts:
                line = view[verdict.index]
                removals.append(Removal(line.number, line.text, verdict.rule_id, verdict.source, verdict.reason))
            if verdicts:
                ghosts |= {alive[v.index] for v in verdicts}
                streak = streak + 1 if settled_again else 1
                settling = stage if stage is not None and stage.settled and streak < MAX_SETTLED_ROUNDS else None
                continue
            settling = None
            if ghosts:
                alive = [i for i in alive if i not in ghosts]
                ghosts = set()
                continue
            break
        alive = [i for i in alive if i not in ghosts]
        warnings = context.warnings
        if budget_exceeded:
            alive = list(range(len(entries)))
            removals = []
            warnings.append(
                f"time budget of {self.time_budget}s exceeded; document passed through whitespace-normalised"
            )
        view = _build_view(entries, alive, set())
        changes = []
        if view and view[0].text != entries[alive[0]].text:
            first = entries[alive[0]]
            changes.append(Change(first.number, first.text, view[0].text, "headline.bullet", "decorative bullet trimmed from the headline"))
        removals.sort(key=lambda r: r.line)
        text = join_lines([line.text for line in view], [line.gap for line in view], split.newline, split.trailing_newline)
        return Result(
            text=text, removals=removals, changes=changes, warnings=[*leading_warnings, *warnings, *extra_warnings], kind=kind,
            url=url, metadata=metadata, budget_exceeded=budget_exceeded, kept_lines=len(view),
        )

    def _round(
        self, view: list[Line], context: Context, started: float, settling: Stage | None, *, settling_only: bool,
        page_stages: Sequence[Stage] = (),
    ) -> tuple[Stage | None, list[Verdict]] | None:
        """One round: the stage that decided it (``None`` if none did) and its verdicts on real
        (non-ghost) lines of ``view``; ``None`` when the time budget ran out.

        The rules run first; then ``settling`` (the settled stage that removed lines in the
        round before, on the view without ghosts); then the other stages in order, a settled
        stage only on a view without ghosts. The budget is checked before each stage after
        the rules and the settling stage (the rules are bounded by ``pattern_timeout``).
        With ``settling_only`` (the round limit is reached), only a settling stage may still
        finish its own fixed point.
        """
        rules, *others = self.stages
        found = _real(view, rules.verdicts(view, context))
        if found:
            return rules, found
        if settling is not None:
            found = _settled(settling, view, context)
            if found:
                return settling, found
        if settling_only:
            return None, []
        has_ghosts = any(line.ghost for line in view)
        for stage in (*others, *page_stages):
            if stage.settled and has_ghosts:
                continue
            if self.time_budget is not None and time.perf_counter() - started > self.time_budget:
                return None
            found = _real(view, stage.verdicts(view, context))
            if found:
                return stage, found
        return None, []


def _real(view: Sequence[Line], verdicts: list[Verdict]) -> list[Verdict]:
    """``verdicts`` on lines that are not ghosts, one per line (the first)."""
    seen: set[int] = set()
    out = []
    for verdict in verdicts:
        if verdict.index not in seen and not view[verdict.index].ghost:
            seen.add(verdict.index)
            out.append(verdict)
    return out


def _settled(stage: Stage, view: Sequence[Line], context: Context) -> list[Verdict]:
    """``stage``'s verdicts on ``view`` without its ghosts, indexed back into ``view``."""
    positions = [index for index, line in enumerate(view) if not line.ghost]
    found = stage.verdicts([view[index] for index in positions], context)
    return _real(view, [Verdict(positions[v.index], v.rule_id, v.source, v.reason) for v in found])


def _build_view(entries: list[Line], alive: list[int], ghosts: set[int]) -> list[Line]:
    """Lines as the output would read back: gaps merged over removed lines, headline bullet trimmed.

    ``entries`` are the document's lines with their gaps in the input; ``alive`` the
    indices of those not removed yet, ``ghosts`` of those removed in this pass, which are
    included, flagged; the headline is the first non-ghost line.
    """
    view: list[Line] = []
    previous = -1
    headline_seen = False
    for position, entry_index in enumerate(alive):
        entry = entries[entry_index]
        gap = entry.gap
        if position and entry_index - previous > 1:
            gap = max(entries[j].gap for j in range(previous + 1, entry_index + 1))
        elif not position:
            gap = 1
        ghost = entry_index in ghosts
        if not ghost and not headline_seen:
            headline_seen = True
            trimmed = strip_bullet(entry.text) or entry.text
            if trimmed != entry.text:
                view.append(Line.make(entry.number, trimmed, gap, entry.evidence, ghost))
                previous = entry_index
                continue
        if gap == entry.gap and ghost == entry.ghost:
            view.append(entry)  # most lines: unchanged, and Line is immutable, so no copy
        else:
            view.append(Line(entry.number, entry.text, entry.key, entry.words, gap, entry.evidence, ghost, entry.ends))
        previous = entry_index
    return view
