"""What a stage of the core is: the view it reads, the context it may consult, the verdicts it gives.

Detectors (:mod:`cleaner.detectors`), the line model (:mod:`cleaner.model`) and any
``extra_stages`` of a :class:`~cleaner.config.CleanerConfig` are stages: functions
``(view, context) -> list[Verdict]`` that read the current view (see
:class:`~cleaner.view.Line`) and say which lines go and why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .matcher import Matcher
from .view import Line, Verdict


@dataclass(frozen=True)
class Context:
    """What stages may consult besides the view: the host and the header rules
    (``"action": "trailer"`` and ``"action": "toc"``)."""

    host: str | None
    trailer: Matcher
    toc: Matcher


Stage = Callable[[Sequence[Line], Context], list[Verdict]]
"""A stage: the lines of the current view and the context in, verdicts (lines to remove) out."""
