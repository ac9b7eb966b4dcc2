"""Shared test helpers: where the repository and the shared benchmark data live."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPO / ".." / "shared" / "data").resolve()
AEB = SHARED_DATA / "article-extraction-benchmark"
WCXB = SHARED_DATA / "wcxb-dev"


def require_data(path: Path) -> Path:
    """Skip the calling test, with a message, when the shared benchmark data is absent."""
    if not path.exists():
        pytest.skip(f"shared benchmark data not found at {path}; place ../shared/data beside the repository to run this test")
    return path
