"""Every option of a :class:`~cleaner.Cleaner` in one frozen, validated, hashable value.

Modelled on ftfy's ``TextFixerConfig``: the options are checked once, when the
configuration is made, so a typo or a bad value fails where it was written, not in
the middle of a crawl; and the value is hashable, so one cleaner per configuration
can be shared by a whole process (:func:`cleaner.factory.cleaner_for`).

>>> CleanerConfig(detectors=("trailer",), model=False).detectors
('trailer',)
>>> CleanerConfig.from_options(modle=False)
Traceback (most recent call last):
  ...
cleaner.errors.OptionError: unknown cleaner option 'modle'; the options are: builtin, detectors, extra_stages, model, pattern_timeout, rules, time_budget
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, OptionError, RulesError
from .rules import RuleFile, RulesSource, parse_rules

if TYPE_CHECKING:
    from .stages import Stage

RuleSource = str | RuleFile
"""A rules source as the configuration holds it: a file path (``str``) or a parsed file."""


@dataclass(frozen=True)
class CleanerConfig:
    """How a :class:`~cleaner.Cleaner` cleans.

    ``rules``: extra rules sources (file paths, :class:`~cleaner.rules.RuleFile` objects or
    rules mappings, which are validated here), applied after the built-in set and
    overriding rules with the same id; a single path may be given alone.
    ``builtin``: include the shipped rules.
    ``detectors``: ``True`` (all), ``False`` (none) or the ids of the detectors to run.
    ``model``: use the shipped line model when one is installed.
    ``pattern_timeout``: seconds any one regex may run on one line.
    ``time_budget``: seconds for a whole document (``None``: no limit); past it the input
    is passed through whitespace-normalised and ``Result.budget_exceeded`` is set.
    ``extra_stages``: your own stages (:class:`~cleaner.stages.Stage`), run after the
    detectors and the model; ``FunctionStage("my.stage", function)`` wraps a function.

    Lists given for ``rules``, ``detectors`` and ``extra_stages`` are stored as tuples,
    paths as ``str`` and mappings as parsed :class:`~cleaner.rules.RuleFile` objects,
    which makes equal configurations compare (and hash) equal.
    """

    rules: tuple[RuleSource, ...] = ()
    builtin: bool = True
    detectors: bool | tuple[str, ...] = True
    model: bool = True
    pattern_timeout: float = 0.05
    time_budget: float | None = None
    extra_stages: tuple[Stage, ...] = ()

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "rules", _rules(self.rules))
        set_(self, "builtin", _flag("builtin", self.builtin))
        set_(self, "detectors", _detectors(self.detectors))
        set_(self, "model", _flag("model", self.model))
        _seconds("pattern_timeout", self.pattern_timeout, positive=True)
        if self.time_budget is not None:
            _seconds("time_budget", self.time_budget, positive=False)
        set_(self, "extra_stages", _stages(self.extra_stages))

    @classmethod
    def from_options(cls, **options: Any) -> CleanerConfig:
        """A configuration from keyword options; an unknown option is an :class:`OptionError`
        (a ``TypeError``) that names it."""
        unknown = sorted(set(options) - set(OPTION_NAMES))
        if unknown:
            names = ", ".join(repr(name) for name in unknown)
            raise OptionError(
                f"unknown cleaner option{'s' if len(unknown) > 1 else ''} {names}; "
                f"the options are: {', '.join(sorted(OPTION_NAMES))}"
            )
        return cls(**options)

    def replace(self, **options: Any) -> CleanerConfig:
        """This configuration with some options changed (validated like :meth:`from_options`)."""
        if not options:
            return self
        return CleanerConfig.from_options(**{**self.options(), **options})

    def options(self) -> dict[str, Any]:
        """The options as keyword arguments (``CleanerConfig(**config.options()) == config``)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


OPTION_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(CleanerConfig))
"""The names :meth:`CleanerConfig.from_options` accepts."""


def _rules(value: Any) -> tuple[RuleSource, ...]:
    if isinstance(value, (str, RuleFile, Mapping)) or hasattr(value, "__fspath__"):
        value = (value,)
    if isinstance(value, bytes) or not isinstance(value, Iterable):
        raise OptionError(
            f"rules must be a list of rules file paths, RuleFile objects or mappings, not {type(value).__name__}"
        )
    sources: list[RuleSource] = []
    for source in value:
        sources.append(_rule_source(source))
    return tuple(sources)


def _rule_source(source: RulesSource | Any) -> RuleSource:
    if isinstance(source, RuleFile):
        return source
    if isinstance(source, Mapping):
        return parse_rules(dict(source), origin="<mapping>")
    if isinstance(source, str) or hasattr(source, "__fspath__"):
        path = os.fspath(source)
        if isinstance(path, str):
            return path
    raise RulesError(f"rules must be given as file paths, RuleFile objects or mappings, not {type(source).__name__}")


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise OptionError(f"{name} must be True or False, not {value!r}")
    return value


def _detectors(value: Any) -> bool | tuple[str, ...]:
    from .detectors import DETECTORS

    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, Iterable):
        raise OptionError(f"detectors must be True, False or a list of detector ids, not {value!r}")
    names = list(value)
    if not all(isinstance(name, str) for name in names):
        raise OptionError(f"detectors must be True, False or a list of detector ids (strings), not {names!r}")
    unknown = [name for name in names if name not in DETECTORS]
    if unknown:
        raise ConfigError(f"unknown detector id(s) {unknown}; known: {sorted(DETECTORS)}")
    return tuple(name for name in DETECTORS if name in names)  # run order, duplicates dropped


def _seconds(name: str, value: Any, *, positive: bool) -> None:
    """Check a duration; it is kept as given (a budget of ``2`` is reported as ``2s``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise OptionError(f"{name} must be a number of seconds, not {value!r}")
    seconds = float(value)
    if seconds != seconds or seconds < 0 or (positive and seconds == 0):
        limit = "greater than 0" if positive else "0 or more"
        raise ConfigError(f"{name} must be {limit} seconds, not {value!r}")


def _stages(value: Any) -> tuple[Stage, ...]:
    if not isinstance(value, Iterable):
        raise OptionError(f"extra_stages must be a list of stages, not {value!r}")
    stages = tuple(value)
    for stage in stages:
        if not (
            isinstance(getattr(stage, "id", None), str) and isinstance(getattr(stage, "settled", None), bool)
            and callable(getattr(stage, "verdicts", None))
        ):
            raise OptionError(
                f"extra_stages must hold stages (with id, settled and verdicts(view, context)), not {stage!r}; "
                "wrap a function as cleaner.FunctionStage('my.stage', function)"
            )
    return stages

