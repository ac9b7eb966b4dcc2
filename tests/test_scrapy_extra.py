"""``import scrapy_plugin`` without the scrapy extra says which extra to install."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.parametrize("missing", ["itemadapter", "scrapy"])
def test_import_without_the_extra_names_it(missing: str) -> None:
    code = f"import sys; sys.modules[{missing!r}] = None\ntry:\n    import scrapy_plugin\nexcept ImportError as exc:\n    print(exc)\n"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"({missing} is missing)" in done.stdout and "pip install 'article-cleaner[scrapy]'" in done.stdout
