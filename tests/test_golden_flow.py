"""The golden flow a new user follows with the CLI: first expected file, check, change, accept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ARTICLE = (
    "Advertisement\n"
    "\n"
    "Ferry timetable changes from Monday\n"
    "\n"
    "The ferry operator will add two extra sailings on weekdays from Monday, the company said on Friday."
)  # no final newline: the API keeps that, the CLI's output ends with one


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_expected_file_made_by_clean_passes_the_check(tmp_path: Path) -> None:
    case = tmp_path / "golden" / "ferry"
    case.mkdir(parents=True)
    (case / "input.txt").write_text(ARTICLE, encoding="utf-8")
    made = cli("clean", str(case / "input.txt"), cwd=tmp_path)
    assert made.returncode == 0 and made.stdout.endswith("Friday.\n")
    (case / "expected.txt").write_text(made.stdout, encoding="utf-8")
    checked = cli("golden", "check", "golden", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_first_expected_file_by_golden_update_then_a_failure_says_how_to_accept(tmp_path: Path) -> None:
    case = tmp_path / "golden" / "ferry"
    case.mkdir(parents=True)
    (case / "input.txt").write_text(ARTICLE, encoding="utf-8")
    created = cli("golden", "update", "golden", cwd=tmp_path)
    assert created.returncode == 0
    assert f"created {Path('golden') / 'ferry' / 'expected.txt'}" in created.stdout
    assert (case / "expected.txt").read_text(encoding="utf-8").endswith("Friday.")

    (case / "expected.txt").write_text("Advertisement\n\n" + (case / "expected.txt").read_text(encoding="utf-8"), encoding="utf-8")
    failed = cli("golden", "check", "golden", cwd=tmp_path)
    assert failed.returncode == 1
    assert "article-cleaner golden update golden/ferry" in failed.stdout

    accepted = cli("golden", "update", "golden", cwd=tmp_path)
    assert f"updated {Path('golden') / 'ferry' / 'expected.txt'}" in accepted.stdout
    assert cli("golden", "check", "golden", cwd=tmp_path).returncode == 0
