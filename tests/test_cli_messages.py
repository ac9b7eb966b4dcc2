"""What the CLI says on stderr without being asked: warnings always (``--quiet`` silences), flags not Python."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EMPTY_PAGE = "<html><head><title>Nothing</title></head><body><script>var x = 1;</script></body></html>"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, timeout=120)


def test_a_page_with_no_article_warns_on_stderr_unless_quiet(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text(EMPTY_PAGE, encoding="utf-8")
    done = cli("clean", str(page))
    assert done.returncode == 0 and done.stdout == ""
    assert done.stderr.startswith(f"article-cleaner: warning: {page}: ") and "no article text" in done.stderr
    quiet = cli("clean", "--quiet", str(page))
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_an_oversized_page_error_names_the_file_and_the_flag(tmp_path: Path) -> None:
    page = tmp_path / "huge.html"
    page.write_text("<html><body>" + "<p>x</p>" * 100_001 + "</body></html>", encoding="utf-8")
    done = cli("clean", str(page))
    assert done.returncode == 2
    assert str(page) in done.stderr and "--kind text" in done.stderr and "kind='text'" not in done.stderr
