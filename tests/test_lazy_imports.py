"""Cleaning never pays for site learning: tldextract (and requests, filelock) load on first site_of only."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_cleaning_text_and_html_does_not_import_tldextract() -> None:
    code = (
        "import sys, cleaner\n"
        "cleaner.clean('You are here\\n\\nHeadline', url='https://news.example.co.uk/a')\n"
        "cleaner.clean_html('<html><body><article><p>' + 'Words of the article body. ' * 20 + '</p></article></body></html>',"
        " url='https://news.example.co.uk/a')\n"
        "print(sorted(m for m in ('tldextract', 'requests', 'filelock') if m in sys.modules))\n"
        "from cleaner.sites import site_of\n"
        "assert site_of('https://news.bbc.co.uk/x') == 'bbc.co.uk' and 'tldextract' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
