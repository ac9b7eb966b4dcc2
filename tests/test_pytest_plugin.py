"""The pytest plugin in a throw-away project: a failing case, ``--update-goldens``, then green."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

INPUT = (
    "Share this article\n"
    "\n"
    "Night bus network to expand in spring\n"
    "\n"
    "Four new night bus routes will start running in April, the transit authority said on Wednesday.\n"
    "\n"
    "Advertisement\n"
    "\n"
    "The routes will run every 30 minutes between midnight and 5 a.m. on Fridays and Saturdays.\n"
)
CLEANED = (
    "Night bus network to expand in spring\n"
    "\n"
    "Four new night bus routes will start running in April, the transit authority said on Wednesday.\n"
    "\n"
    "The routes will run every 30 minutes between midnight and 5 a.m. on Fridays and Saturdays.\n"
)
TEST_MODULE = """
def test_golden(golden_case, golden):
    golden.check(golden_case)
"""


@pytest.fixture()
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini("[pytest]\ngolden_dirs =\n    cases\n")
    pytester.makepyfile(test_cases=TEST_MODULE)
    good = pytester.mkdir("cases") / "good-case"
    good.mkdir()
    (good / "input.txt").write_text(INPUT, encoding="utf-8")
    (good / "expected.txt").write_text(CLEANED, encoding="utf-8")
    bad = pytester.path / "cases" / "stale-case"
    bad.mkdir()
    (bad / "input.txt").write_text(INPUT, encoding="utf-8")
    (bad / "expected.txt").write_text("Share this article\n\n" + CLEANED, encoding="utf-8")
    return pytester


def test_failing_case_fails_with_diff_then_update_goldens_fixes_it(project: pytest.Pytester) -> None:
    first = project.runpytest("-p", "no:cacheprovider")
    first.assert_outcomes(passed=1, failed=1)
    output = first.stdout.str()
    assert "test_golden[cases/stale-case]" in output
    assert "-Share this article" in output
    assert "why:" in output
    assert "expected but removed: line 1 by [rule:share.button]" in output

    assert "accept it: article-cleaner golden update " in output and "cases/stale-case (or run pytest --update-goldens)" in output

    updated = project.runpytest("-p", "no:cacheprovider", "--update-goldens")
    updated.assert_outcomes(passed=2)
    updated.stdout.fnmatch_lines(["*article-cleaner golden files*", "updated */cases/stale-case/expected.txt"])
    assert (project.path / "cases" / "stale-case" / "expected.txt").read_text(encoding="utf-8") == CLEANED

    project.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_golden_dir_option_adds_directories(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\n")
    result = project.runpytest("-p", "no:cacheprovider", "-v", "--golden-dir", "cases/good-case")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*test_golden?cases/good-case? PASSED*"])
