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


# Hypothesis profiles: "ci" (default, fast, derandomized: the same examples every run, so a red CI
# is never luck) and "long" (local fuzzing runs, random; pin what it finds with @example):
#   HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties.py
try:
    from hypothesis import HealthCheck, settings
except ImportError:  # hypothesis is in the test extra; without it the property tests are skipped
    pass
else:
    settings.register_profile(
        "ci", max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )
    settings.register_profile(
        "long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )
    import os as _os

    settings.load_profile(_os.environ.get("HYPOTHESIS_PROFILE", "ci"))
