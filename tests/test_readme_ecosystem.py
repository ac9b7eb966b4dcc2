"""The README's datatrove, datasets and report examples run as written, from a clone's root."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from cleaner import clean

BLOCK = re.compile(r"```(?:python|bash)\n# README example: (\w+)\n(.*?)```", re.S)


def examples() -> dict[str, str]:
    return dict(BLOCK.findall((REPO / "README.md").read_text(encoding="utf-8")))


def test_readme_datatrove_datasets_and_report_examples_run(tmp_path: Path) -> None:
    pytest.importorskip("datatrove", reason="datatrove is not installed (pip install -e '.[datatrove]')")
    pytest.importorskip("datasets", reason="the datasets package is not installed (it is in the 'test' extra)")
    found = examples()
    assert set(found) >= {"datatrove", "datasets", "report"}
    (tmp_path / "golden").symlink_to(REPO / "golden")  # the examples read the bundled pages, as from the clone's root
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def python(name: str) -> str:
        script = tmp_path / f"readme_{name}.py"  # not datatrove.py: it would shadow the package
        script.write_text(found[name], encoding="utf-8")
        done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    python("datatrove")
    written = [json.loads(line) for path in sorted((tmp_path / "clean").glob("*.jsonl.gz"))
               for line in gzip.decompress(path.read_bytes()).decode("utf-8").split("\n") if line]
    assert {doc["id"] for doc in written} == {case.name for case in (REPO / "golden" / "html").iterdir()}
    assert all(doc["metadata"]["article_cleaner"]["removals"] for doc in written)
    first = clean(sorted((REPO / "golden" / "seeds").glob("*/input.txt"))[0].read_text(encoding="utf-8"), url="https://example.com/a")
    assert python("datasets") == f"{first[:80]}\n" * 2  # clean_batch and Dataset.map give the same cleaned text
    assert (tmp_path / "dataset-run.jsonl").exists()

    script = found["report"].replace("article-cleaner ", f"{sys.executable} -m cleaner ")
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    for page in ("report.html", "datatrove-report.html"):
        assert '<svg class="chart" data-chart="by-rule"' in (tmp_path / page).read_text(encoding="utf-8")
    assert "<h1>Rules file: learned" in (tmp_path / "rules.html").read_text(encoding="utf-8")  # two pages teach no rule
