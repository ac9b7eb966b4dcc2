"""The ``article-cleaner`` command line, run as real subprocesses."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "golden" / "seeds" / "004-timestamp-bulleted-headline"
CLI = [sys.executable, "-m", "cleaner"]

ARTICLE = (
    "Advertisement\n"
    "\n"
    "Harbour News Network\n"
    "\n"
    "Ferry timetable changes from Monday\n"
    "\n"
    "The ferry operator will add two extra sailings on weekdays from Monday, the company said on Friday.\n"
)
CLEANED = (
    "Harbour News Network\n"
    "\n"
    "Ferry timetable changes from Monday\n"
    "\n"
    "The ferry operator will add two extra sailings on weekdays from Monday, the company said on Friday.\n"
)
SITE_RULES = {
    "version": 1,
    "rules": [{"id": "hnn.name", "kind": "exact", "lines": ["Harbour News Network"], "reason": "site name", "sites": ["hnn.example"]}],
}


def run(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], input=stdin, capture_output=True, text=True, encoding="utf-8", cwd=cwd or REPO, timeout=120,
    )


def assert_no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture()
def site_rules(tmp_path: Path) -> Path:
    path = tmp_path / "site.json"
    path.write_text(json.dumps(SITE_RULES), encoding="utf-8")
    return path


def test_installed_script_runs() -> None:
    script = shutil.which("article-cleaner")
    if script is None:
        pytest.skip("the article-cleaner script is not on PATH (package not installed with pip install -e .)")
    proc = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("article-cleaner ")


def test_clean_a_file(article: Path) -> None:
    proc = run("clean", str(article))
    assert proc.returncode == 0
    assert proc.stdout == CLEANED
    assert proc.stderr == ""


def test_clean_seed_matches_its_golden_expectation() -> None:
    proc = run("clean", str(SEED / "input.txt"))
    expected = (SEED / "expected.txt").read_text(encoding="utf-8")
    assert proc.stdout.rstrip("\n") == expected.rstrip("\n")


@pytest.mark.parametrize("args", [(), ("-",)], ids=["no-file", "dash"])
def test_clean_stdin(args: tuple[str, ...]) -> None:
    proc = run("clean", *args, stdin=ARTICLE)
    assert proc.returncode == 0
    assert proc.stdout == CLEANED


def test_clean_several_files_labels_each(article: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Share\n\nCouncil meets on Tuesday\n", encoding="utf-8")
    proc = run("clean", str(article), str(other))
    assert proc.stdout == f"==> {article} <==\n{CLEANED}\n==> {other} <==\nCouncil meets on Tuesday\n"


def test_explain_goes_to_stderr(article: Path) -> None:
    proc = run("clean", str(article), "--explain")
    assert proc.returncode == 0
    assert proc.stdout == CLEANED
    assert "1 line(s) removed" in proc.stderr
    assert "line 1: removed [rule:ad.marker] advertisement marker: 'Advertisement'" in proc.stderr


def test_json_format(article: Path) -> None:
    proc = run("clean", str(article), "--format", "json", "--url", "https://www.example.com/a")
    assert proc.returncode == 0
    [line] = proc.stdout.rstrip("\n").split("\n")  # JSON Lines: split on \n only, as the readers do
    record = json.loads(line)
    assert record["file"] == str(article)
    assert record["text"] == CLEANED
    assert record["url"] == "https://www.example.com/a"
    assert record["removals"] == [
        {"line": 1, "text": "Advertisement", "rule_id": "ad.marker", "source": "rule", "reason": "advertisement marker"},
    ]


def test_rules_and_url_enable_site_rules(article: Path, site_rules: Path) -> None:
    without_url = run("clean", str(article), "--rules", str(site_rules))
    assert without_url.stdout == CLEANED
    with_url = run("clean", str(article), "--rules", str(site_rules), "--url", "https://www.hnn.example/ferry", "--explain")
    assert with_url.returncode == 0
    assert with_url.stdout == CLEANED.replace("Harbour News Network\n\n", "")
    assert "[rule:hnn.name] site name" in with_url.stderr


def test_missing_input_file_is_a_one_line_error(tmp_path: Path) -> None:
    proc = run("clean", str(tmp_path / "absent.txt"))
    assert proc.returncode == 2
    assert proc.stderr.startswith("article-cleaner: error: ")
    assert "No such file" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert_no_traceback(proc)


def test_invalid_rules_for_clean_is_a_one_line_error(article: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 2, "rules": []}', encoding="utf-8")
    proc = run("clean", str(article), "--rules", str(bad))
    assert proc.returncode == 2
    assert f"{bad}: field 'version' is 2" in proc.stderr
    assert_no_traceback(proc)


def test_rules_list(site_rules: Path) -> None:
    proc = run("rules", "list", "--rules", str(site_rules))
    assert proc.returncode == 0
    rows = [line.split("\t") for line in proc.stdout.splitlines() if not line.startswith("#")]
    by_id = {row[0]: row for row in rows}
    assert by_id["ad.marker"][1:5] == ["exact", "hand", "builtin", "global"]
    assert by_id["trailer.related"][1] == "exact (trailer)"
    assert by_id["hnn.name"][3:6] == [str(site_rules), "hnn.example", "site name"]
    assert proc.stdout.splitlines()[-1] == f"# {len(rows)} rules from 2 file(s)"


def test_rules_list_json_without_builtin(site_rules: Path) -> None:
    proc = run("rules", "list", "--no-builtin", "--rules", str(site_rules), "--format", "json")
    assert json.loads(proc.stdout) == [{**SITE_RULES["rules"][0], "origin": str(site_rules)}]


def test_rules_check_good_and_bad(site_rules: Path, tmp_path: Path) -> None:
    good = run("rules", "check", str(site_rules))
    assert good.returncode == 0
    assert good.stdout.strip() == f"ok: {site_rules}: 1 rules (version 1, name 'site')"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"version": 1, "rules": [{"id": "x.y", "kind": "pattern", "pattern": "a*"}]}), encoding="utf-8")
    proc = run("rules", "check", str(site_rules), str(bad))
    assert proc.returncode == 1
    assert proc.stdout.startswith("ok: ")
    assert f"invalid: {bad}: rule 'x.y': field 'pattern': matches the empty string" in proc.stderr
    assert_no_traceback(proc)


def _copy_case(tmp_path: Path) -> Path:
    case = tmp_path / "golden" / "case-one"
    case.mkdir(parents=True)
    (case / "input.txt").write_text(ARTICLE, encoding="utf-8")
    (case / "expected.txt").write_text(CLEANED, encoding="utf-8")
    return case


def test_golden_check_passes_on_the_repository() -> None:
    proc = run("golden", "check", "golden")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 failed" in proc.stdout


def test_golden_check_fails_with_diff_and_why_then_update_fixes_it(tmp_path: Path) -> None:
    case = _copy_case(tmp_path)
    (case / "expected.txt").write_text("Advertisement\n\n" + CLEANED.replace("Monday\n", "Tuesday\n", 1), encoding="utf-8")
    failing = run("golden", "check", str(tmp_path / "golden"))
    assert failing.returncode == 1
    out = failing.stdout
    assert "-Advertisement" in out
    assert "-Ferry timetable changes from Tuesday" in out
    assert "+Ferry timetable changes from Monday" in out
    assert "why:" in out
    assert "expected but removed: line 1 by [rule:ad.marker] advertisement marker" in out
    assert "kept but not expected: no rule or detector removed 'Ferry timetable changes from Monday'" in out
    assert "1 case(s): 0 passed, 1 failed" in failing.stderr
    assert_no_traceback(failing)

    updated = run("golden", "update", str(tmp_path / "golden"))
    assert updated.returncode == 0
    assert f"updated {case / 'expected.txt'}" in updated.stdout
    assert (case / "expected.txt").read_text(encoding="utf-8") == CLEANED
    assert run("golden", "check", str(tmp_path / "golden")).returncode == 0


def test_golden_check_without_cases_fails(tmp_path: Path) -> None:
    proc = run("golden", "check", str(tmp_path))
    assert proc.returncode == 1
    assert "no golden cases found" in proc.stderr


def test_golden_check_missing_dir_is_a_usage_error(tmp_path: Path) -> None:
    proc = run("golden", "check", str(tmp_path / "absent"))
    assert proc.returncode == 2
    assert "no such golden directory" in proc.stderr
    assert_no_traceback(proc)


@pytest.mark.parametrize(
    "command",
    [(), ("clean",), ("rules",), ("rules", "list"), ("rules", "check"), ("golden",), ("golden", "check"), ("golden", "update")],
    ids=lambda c: " ".join(c) or "top",
)
def test_help_for_every_command(command: tuple[str, ...]) -> None:
    proc = run(*command, "--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: article-cleaner")
    assert_no_traceback(proc)


def test_no_command_is_a_usage_error() -> None:
    proc = run()
    assert proc.returncode == 2
    assert "usage:" in proc.stderr
