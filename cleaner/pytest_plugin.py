"""pytest plugin (entry point ``pytest11``): check golden directories from any test suite.

In ``pytest.ini``/``pyproject.toml`` name the directories::

    [tool.pytest.ini_options]
    golden_dirs = ["golden"]

and write one test; it is parametrized with every case found::

    def test_golden(golden_case, golden):
        golden.check(golden_case)

``pytest --update-goldens`` rewrites the expected files instead of failing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("article-cleaner")
    group.addoption(
        "--update-goldens", action="store_true", default=False,
        help="rewrite article-cleaner golden expected files with the current output",
    )
    group.addoption(
        "--golden-dir", action="append", default=[], metavar="DIR",
        help="golden directory to check (repeatable; adds to the golden_dirs ini option)",
    )
    parser.addini("golden_dirs", type="paths", default=[], help="article-cleaner golden directories")


def _golden_dirs(config: pytest.Config) -> list[Path]:
    dirs = [Path(p) for p in config.getini("golden_dirs")]
    dirs += [Path(p) for p in config.getoption("golden_dir")]
    return dirs


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "golden_case" not in metafunc.fixturenames:
        return
    from .golden import discover

    dirs = _golden_dirs(metafunc.config)
    cases = discover(dirs) if dirs else []
    root = metafunc.config.rootpath
    ids = [_case_id(case.path, root) for case in cases]
    metafunc.parametrize("golden_case", cases, ids=ids)


def _case_id(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class GoldenChecker:
    """Checks (or with ``--update-goldens`` rewrites) one case at a time."""

    def __init__(self, update: bool) -> None:
        from .golden import Runner

        self.update = update
        self._runner = Runner()
        self.written: list[str] = []

    def check(self, case: Any) -> None:
        from .golden import describe_failure, update

        outcome = self._runner.run(case)
        if self.update:
            done = update(outcome)
            if done is not None:
                self.written.append(f"{done} {case.expected_path}")
            return
        if not outcome.passed:
            pytest.fail(describe_failure(outcome) + " (or run pytest --update-goldens)", pytrace=False)


@pytest.fixture(scope="session")
def golden(request: pytest.FixtureRequest) -> GoldenChecker:
    """The golden checker; honours ``--update-goldens``."""
    checker = GoldenChecker(bool(request.config.getoption("update_goldens")))
    request.config.stash[_CHECKER] = checker
    return checker


_CHECKER = pytest.StashKey[GoldenChecker]()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """With ``--update-goldens``: which expected files were written."""
    checker = config.stash.get(_CHECKER, None)
    if checker is None or not checker.update:
        return
    terminalreporter.section("article-cleaner golden files")
    for line in checker.written or ["no expected file needed rewriting"]:
        terminalreporter.write_line(line)
