"""Golden files: input/expected pairs that pin the cleaner's behaviour.

A case is a directory holding ``input.txt`` (or ``input.html``) and ``expected.txt``,
plus an optional ``case.json``::

    {"url": "https://example.com/a", "note": "why this case exists",
     "options": {"rules": ["extra-rules.json"], "detectors": ["trailer"]}}

Rules paths in ``options`` are relative to the case directory. ``check`` runs a
case and explains each differing line; ``update`` rewrites ``expected.txt``.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import CleanerConfig
from .core import Cleaner
from .errors import CleanerError, GoldenError
from .factory import cleaner_for
from .result import Removal, Result

INPUT_NAMES = ("input.txt", "input.html")
EXPECTED_NAME = "expected.txt"
META_NAME = "case.json"
_OPTION_NAMES = {"rules", "builtin", "detectors", "model", "pattern_timeout", "kind"}


@dataclass(frozen=True)
class GoldenCase:
    """One golden case directory."""

    path: Path
    input_path: Path
    url: str | None = None
    note: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def expected_path(self) -> Path:
        return self.path / EXPECTED_NAME

    @property
    def name(self) -> str:
        return self.path.as_posix()

    @classmethod
    def load(cls, path: Path) -> GoldenCase:
        """Read a case directory; raise :class:`GoldenError` when it is malformed."""
        inputs = [path / n for n in INPUT_NAMES if (path / n).is_file()]
        if len(inputs) != 1:
            raise GoldenError(f"{path}: a golden case needs exactly one of {', '.join(INPUT_NAMES)}")
        meta: dict[str, Any] = {}
        meta_path = path / META_NAME
        if meta_path.is_file():
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise GoldenError(f"{meta_path}: not valid JSON ({exc})") from None
            if not isinstance(meta, dict):
                raise GoldenError(f"{meta_path}: must be a JSON object with url/note/options")
        options = meta.get("options", {})
        if not isinstance(options, dict) or set(options) - _OPTION_NAMES:
            raise GoldenError(f"{meta_path}: 'options' must be an object with keys among {sorted(_OPTION_NAMES)}")
        return cls(path, inputs[0], meta.get("url"), meta.get("note"), options)

    def cleaner_options(self) -> dict[str, Any]:
        """Options for :class:`Cleaner`, with rules paths resolved against the case directory."""
        options = {k: v for k, v in self.options.items() if k != "kind"}
        if "rules" in options:
            options["rules"] = [str(self.path / p) for p in options["rules"]]
        if isinstance(options.get("detectors"), list):
            options["detectors"] = tuple(options["detectors"])
        return options


@dataclass
class Outcome:
    """The result of running one case."""

    case: GoldenCase
    result: Result
    expected: str | None

    @property
    def passed(self) -> bool:
        """Equal, or differing only by the one final newline ``article-cleaner clean > expected.txt`` adds."""
        if self.expected is None:
            return False
        text = self.result.text
        return self.expected == text or (not text.endswith(("\n", "\r")) and self.expected in (text + "\n", text + "\r\n"))


def discover(dirs: Iterable[str | os.PathLike[str]]) -> list[GoldenCase]:
    """All cases under ``dirs`` (a case directory itself, or any parent), sorted by path."""
    found: list[GoldenCase] = []
    for top in dirs:
        root = Path(top)
        if not root.exists():
            raise GoldenError(f"{root}: no such golden directory")
        for directory in sorted(_walk(root)):
            found.append(GoldenCase.load(directory))
    return found


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        if any(name in filenames for name in INPUT_NAMES):
            yield Path(dirpath)


class Runner:
    """Runs cases, with the process's one :class:`Cleaner` per distinct option set (the factory's)."""

    def cleaner_for(self, case: GoldenCase) -> Cleaner:
        return cleaner_for(CleanerConfig.from_options(**case.cleaner_options()))

    def run(self, case: GoldenCase) -> Outcome:
        cleaner = self.cleaner_for(case)
        data = case.input_path.read_bytes()
        kind = case.options.get("kind", "html" if case.input_path.suffix == ".html" else "text")
        result = cleaner.explain(data, url=case.url, kind=kind)
        expected = case.expected_path.read_bytes().decode("utf-8") if case.expected_path.is_file() else None  # keep \r\n as written
        return Outcome(case, result, expected)


def update(outcome: Outcome) -> str | None:
    """Write the actual output as the case's expected file; what was done (``"created"``,
    ``"updated"``) or ``None`` when the file already held it."""
    if outcome.passed:
        return None
    done = "updated" if outcome.expected is not None else "created"
    outcome.case.expected_path.write_text(outcome.result.text, encoding="utf-8", newline="")
    return done


def describe_failure(outcome: Outcome) -> str:
    """A unified diff expected -> actual, then why each differing line differs."""
    if outcome.expected is None:
        return f"{outcome.case.name}: no {EXPECTED_NAME}; run `article-cleaner golden update {outcome.case.name}` to create it"
    expected_lines = outcome.expected.splitlines()
    actual_lines = outcome.result.text.splitlines()
    diff = list(difflib.unified_diff(
        expected_lines, actual_lines, fromfile=f"{outcome.case.name}/{EXPECTED_NAME}",
        tofile=f"{outcome.case.name} (actual)", lineterm="",
    ))
    if not diff:
        diff = [f"{outcome.case.name}: outputs differ only in line endings or the final newline"]
    removed_by_text: dict[str, Removal] = {}
    for removal in outcome.result.removals:
        removed_by_text.setdefault(removal.text, removal)
    notes = []
    for row in diff:
        if row.startswith("-") and not row.startswith("---") and row[1:].strip():
            found = removed_by_text.get(row[1:])
            if found is not None:
                notes.append(f"  expected but removed: line {found.line} by [{found.source}:{found.rule_id}] {found.reason}")
            else:
                notes.append(f"  expected but missing (not removed as a whole line; text differs): {row[1:][:80]!r}")
        elif row.startswith("+") and not row.startswith("+++") and row[1:].strip():
            notes.append(f"  kept but not expected: no rule or detector removed {row[1:][:80]!r}")
    accept = [f"if the new output is right, accept it: article-cleaner golden update {outcome.case.name}"]
    return "\n".join(diff + (["why:", *notes] if notes else []) + accept)


def check_dirs(dirs: Iterable[str | os.PathLike[str]], *, update_expected: bool = False) -> tuple[list[Outcome], list[str]]:
    """Run every case under ``dirs``; returns outcomes and report lines (failures explained)."""
    runner = Runner()
    outcomes: list[Outcome] = []
    report: list[str] = []
    for case in discover(dirs):
        try:
            outcome = runner.run(case)
        except CleanerError as exc:
            raise GoldenError(f"{case.name}: {exc}") from None
        outcomes.append(outcome)
        if update_expected:
            done = update(outcome)
            if done is not None:
                report.append(f"{done} {case.expected_path}")
        elif not outcome.passed:
            report.append(describe_failure(outcome))
    return outcomes, report
