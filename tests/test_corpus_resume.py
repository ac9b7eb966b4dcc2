"""``clean --jsonl ... --resume`` after a real run was SIGKILLed: the same bytes as a run never interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO
from corpus_data import text_records, write_jsonl

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def command(source: Path, output: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "cleaner", "clean", "--jsonl", str(source), "-o", str(output), "-j", "1", "--quiet", *extra]


def test_a_killed_run_resumed_equals_an_uninterrupted_run_byte_for_byte(tmp_path: Path) -> None:
    rows: list = []
    for i, record in enumerate(text_records(1500)):
        rows.append(record)
        if i % 250 == 100:
            rows.append("{torn record from the crawler")  # malformed: goes to the rejects file
        if i % 400 == 7:
            rows.append("")  # blank lines are skipped, not counted
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    whole = tmp_path / "whole.jsonl"
    done = subprocess.run(command(source, whole), cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    size = whole.stat().st_size

    out = tmp_path / "out.jsonl"
    run = subprocess.Popen(command(source, out), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while (not out.exists() or out.stat().st_size < size // 3) and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.005)
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=60)
    assert run.returncode == -signal.SIGKILL
    interrupted = out.read_bytes()
    assert 0 < len(interrupted) < size and whole.read_bytes().startswith(interrupted)  # a prefix, maybe torn at the end

    resumed = subprocess.run(command(source, out, "--resume"), cwd=REPO, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert out.read_bytes() == whole.read_bytes()
    assert (tmp_path / "out.rejects.jsonl").read_bytes() == (tmp_path / "whole.rejects.jsonl").read_bytes()
    assert len((tmp_path / "whole.rejects.jsonl").read_text(encoding="utf-8").rstrip("\n").split("\n")) == 6


def test_resume_of_a_finished_run_adds_nothing_and_refuses_compressed_output(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", text_records(5))
    out = tmp_path / "out.jsonl"
    assert subprocess.run(command(source, out), cwd=REPO, capture_output=True, timeout=300).returncode == 0
    before = out.read_bytes()
    assert subprocess.run(command(source, out, "--resume"), cwd=REPO, capture_output=True, timeout=300).returncode == 0
    assert out.read_bytes() == before
    refused = subprocess.run(command(source, tmp_path / "out.jsonl.gz", "--resume"), cwd=REPO, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2 and "--resume needs an uncompressed output file" in refused.stderr


def test_a_new_run_does_not_keep_an_earlier_runs_rejects(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    bad = write_jsonl(tmp_path / "bad.jsonl", [*text_records(2), "{broken"])
    assert subprocess.run(command(bad, out), cwd=REPO, capture_output=True, timeout=300).returncode == 0
    assert (tmp_path / "out.rejects.jsonl").read_text(encoding="utf-8").count("\n") == 1
    good = write_jsonl(tmp_path / "good.jsonl", text_records(3))
    assert subprocess.run(command(good, out), cwd=REPO, capture_output=True, timeout=300).returncode == 0
    assert (tmp_path / "out.rejects.jsonl").read_text(encoding="utf-8") == ""
    assert subprocess.run(command(good, out, "--resume"), cwd=REPO, capture_output=True, timeout=300).returncode == 0
    assert out.read_text(encoding="utf-8").count("\n") == 3
