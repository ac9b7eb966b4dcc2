"""The one protocol of the core's stages: an id, verdicts over a view, and how it meets ghosts.

The rules (:class:`RuleStage`), every detector (:mod:`cleaner.detectors`, as
:class:`FunctionStage`), the line model (:class:`cleaner.model.ModelStage`) and any
``extra_stages`` of a :class:`~cleaner.config.CleanerConfig` are :class:`Stage` objects.
Each round of the core's fixpoint loop (:meth:`cleaner.Cleaner.explain_text`) runs them
in that order until one gives verdicts (lines to remove, each with a rule id, a source and
a reason); those lines become ghosts and the next round starts.

A stage that reads the lines around a line as the output will have them (the line
model's features read the neighbours) is ``settled``: it runs only on a view without
ghosts, and when it removes lines it runs again at once on the view without them, before
any other stage looks, until it removes nothing more (at most ``MAX_SETTLED_ROUNDS``
rounds in a row), so its removals reach a fixed point of their own.

Writing a stage: any object with ``id``, ``settled`` and ``verdicts(view, context)``;
``FunctionStage("my.stage", function)`` wraps a plain function. ``view`` holds
:class:`~cleaner.view.Line` objects (ghosts flagged; a verdict on a ghost is ignored),
``context`` the :class:`Context` of the document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .matcher import Matcher
from .view import Line, Verdict


@dataclass(frozen=True)
class Context:
    """What stages may consult besides the view, for one document: its host, the header rules
    (``"action": "trailer"`` and ``"action": "toc"``), ``warnings`` where a stage reports a
    problem that did not stop it, and the rules' per-line matches (kept for the document, as
    a line's text does not change between rounds)."""

    host: str | None
    trailer: Matcher
    toc: Matcher
    warnings: list[str] = field(default_factory=list)
    rule_matches: dict[tuple[int, str], Verdict | None] = field(default_factory=dict)


class Stage(Protocol):
    """A stage of the core: ``id`` names it (``"rules"``, ``"trailer"``, ``"model"``), ``settled``
    says whether it needs a view without ghosts (see the module), ``verdicts`` says which lines
    of ``view`` go and why."""

    @property
    def id(self) -> str: ...

    @property
    def settled(self) -> bool: ...

    def verdicts(self, view: Sequence[Line], context: Context) -> list[Verdict]: ...


StageFunction = Callable[[Sequence[Line], Context], list[Verdict]]
"""A stage as a plain function: the view and the context in, verdicts out (what a detector is)."""


@dataclass(frozen=True)
class FunctionStage:
    """A :class:`Stage` made of a function (detectors, your own extra stages)."""

    id: str
    function: StageFunction
    settled: bool = False

    def verdicts(self, view: Sequence[Line], context: Context) -> list[Verdict]:
        return self.function(view, context)


@dataclass(frozen=True)
class RuleStage:
    """The rules with ``"action": "remove"`` as a stage: every line whose text a rule matches goes,
    with that rule's id, source (``"rule"`` or ``"learned"``) and reason. Each line is matched
    once per document (``context.rule_matches``); a pattern that timed out is reported in
    ``context.warnings`` and counts as no match."""

    matcher: Matcher
    id: str = "rules"
    settled: bool = False

    def verdicts(self, view: Sequence[Line], context: Context) -> list[Verdict]:
        memo = context.rule_matches
        fresh = [line for line in view if not line.ghost and (line.number, line.text) not in memo]
        if fresh:
            matches = self.matcher.match_many([(line.text, line.key, line.words, line.number) for line in fresh], context.host)
            for line, match in zip(fresh, matches):
                for timeout in match.timeouts:
                    context.warnings.append(
                        f"pattern of rule {timeout.rule_id!r} timed out on line {timeout.line}; treated as no match"
                    )
                rule = match.rule
                memo[(line.number, line.text)] = None if rule is None else Verdict(-1, rule.id, rule.source_label, rule.reason)
        verdicts: list[Verdict] = []
        for index, line in enumerate(view):
            known = None if line.ghost else memo[(line.number, line.text)]
            if known is not None:
                verdicts.append(Verdict(index, known.rule_id, known.source, known.reason))
        return verdicts
