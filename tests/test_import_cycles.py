"""No module of cleaner/ or scrapy_plugin/ imports a module that imports it back (lazy imports included)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_no_import_cycles() -> None:
    done = subprocess.run([sys.executable, str(REPO / ".ci" / "import_cycles.py"), str(REPO)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().endswith(" 0 cycle(s)"), done.stdout
