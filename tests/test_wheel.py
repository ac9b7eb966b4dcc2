"""The built wheel, installed into a brand-new virtual environment, runs every CLI command.

Packaging mistakes (a data file left out of the wheel, a module only importable from the
source tree, an undeclared dependency, a broken entry point) pass every in-tree test and
fail here. The venv is real and installs the wheel with its dependencies through pip
(pip's cache keeps repeated runs fast); nothing from the test's own environment leaks in.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import REPO

ARTICLE = (
    "Advertisement\n"
    "\n"
    "Ferry timetable changes from Monday\n"
    "\n"
    "The ferry operator will add two extra sailings on weekdays from Monday, the company said on Friday.\n"
)
CLEANED = ARTICLE.split("\n", 2)[2]

pytestmark = pytest.mark.slow


def page(number: int) -> str:
    """A tiny HTML page of the one site, with a footer line the learner can count."""
    return (
        f"<html><head><title>Story {number}</title></head><body><article>"
        f"<h1>Council approves budget number {number}</h1>"
        f"<p>The council approved budget number {number} on Tuesday after a long debate about roads and schools.</p>"
        f"<p>Members said the plan for year {number} would add new bus routes and repair two bridges.</p>"
        "</article><footer><p>Follow us on Mastodon for more local news</p></footer></body></html>"
    )


def pip(python: Path, *args: str) -> None:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    done = subprocess.run([str(python), "-m", "pip", *args], capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` directory of a fresh venv holding only the wheel and its dependencies."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"  # a copy: setuptools writes build/ into the tree it builds
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for package in ("cleaner", "scrapy_plugin"):
        shutil.copytree(REPO / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    dist = root / "dist"
    pip(Path(sys.executable), "wheel", "--no-deps", "--quiet", "--wheel-dir", str(dist), str(source))
    (wheel,) = dist.glob("article_cleaner-*.whl")
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    pip(bin_dir / "python", "install", "--quiet", str(wheel))
    return bin_dir


def cli(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``article-cleaner`` script away from the source tree."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        [str(bin_dir / "article-cleaner"), *args], capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=env, timeout=300,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_the_wheel_holds_the_package_and_not_the_source_tree(installed: Path, tmp_path: Path) -> None:
    code = "import cleaner, cleaner.cli; print(cleaner.__file__)"
    done = subprocess.run([str(installed / "python"), "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert str(REPO) not in done.stdout and "site-packages" in done.stdout


def test_every_command_runs_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    helped = cli(installed, "--help", cwd=tmp_path)
    assert helped.returncode == 0
    for command in ("clean", "rules", "golden", "learn", "train"):
        assert command in helped.stdout

    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    cleaned = cli(installed, "clean", str(article), cwd=tmp_path)
    assert cleaned.returncode == 0 and cleaned.stdout == CLEANED

    listed = cli(installed, "rules", "list", "--format", "json", cwd=tmp_path)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) >= 20

    rules = tmp_path / "site.json"
    rules.write_text(json.dumps({"version": 1, "rules": [
        {"id": "site.follow", "kind": "exact", "lines": ["Follow us on Mastodon"], "reason": "follow prompt"},
    ]}), encoding="utf-8")
    checked = cli(installed, "rules", "check", str(rules), cwd=tmp_path)  # audits against the bundled sample article
    assert checked.returncode == 0 and checked.stdout.startswith("ok: "), checked.stderr

    case = tmp_path / "golden" / "ferry"
    case.mkdir(parents=True)
    (case / "input.txt").write_text(ARTICLE, encoding="utf-8")
    (case / "expected.txt").write_text(CLEANED, encoding="utf-8")
    golden = cli(installed, "golden", "check", str(tmp_path / "golden"), cwd=tmp_path)
    assert golden.returncode == 0, golden.stdout + golden.stderr

    pages = tmp_path / "pages" / "news.example"
    pages.mkdir(parents=True)
    for number in (1, 2):
        (pages / f"{number}.html").write_text(page(number), encoding="utf-8")
    learned_file = tmp_path / "learned.json"
    learned = cli(installed, "learn", str(pages.parent), "-o", str(learned_file), "--min-docs", "2", "--min-share", "0.5", cwd=tmp_path)
    assert learned.returncode == 0, learned.stderr
    assert json.loads(learned_file.read_text(encoding="utf-8"))["version"] == 1
