"""The cleaning pool on its own: a worker process that dies is replaced and cleaning goes on.

The pool needs a running Twisted reactor, so the scenario runs this file as a script in
a fresh Python process (as the crawl tests do).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("scrapy")

REPO = Path(__file__).resolve().parents[1]


def scenario() -> None:
    """Kill the only worker with a job, then run an ordinary job; print what happened."""
    from twisted.internet import task
    from twisted.internet.defer import ensureDeferred

    from scrapy_plugin.pool import CleaningPool

    async def run(reactor: object) -> None:
        pool = CleaningPool(1, "process")
        pool.start(warm_up=(pow, (2, 2)))
        outcome: list[object] = []
        try:
            await pool.run(lambda: (os._exit, (3,)))
        except Exception as error:
            outcome.append(type(error).__name__)
        outcome.append(await pool.run(lambda: (pow, (2, 10))))
        outcome.append(pool.restarts)
        pool.stop()
        print(json.dumps(outcome))

    task.react(lambda reactor: ensureDeferred(run(reactor)))


def warm_up_scenario() -> None:
    """Await the warm-up of two workers, as the pipeline does at spider open; print what happened."""
    from twisted.internet import task
    from twisted.internet.defer import ensureDeferred

    from scrapy_plugin.pool import CleaningPool

    async def run(reactor: object) -> None:
        pool = CleaningPool(2, "process")
        pool.start(warm_up=(pow, (2, 2)))
        ready = pool.ready()
        results = await ready if ready is not None else []
        outcome = {"warm_ups": [ok and value == 4 for ok, value in results], "again": pool.ready() is None}
        try:
            await pool.run(lambda: (os._exit, (3,)))
        except Exception:
            pass
        await pool.run(lambda: (pow, (2, 3)))
        outcome["after_restart"] = pool.ready() is None  # nothing is held for the new workers' warm-up
        pool.stop()
        print(json.dumps(outcome))

    task.react(lambda reactor: ensureDeferred(run(reactor)))


def test_warm_up_is_awaited_once_for_every_worker() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, __file__, "warm-up"], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {"warm_ups": [True, True], "again": True, "after_restart": True}


def test_a_dead_worker_process_fails_its_job_and_is_replaced() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == ["BrokenProcessPool", 1024, 1]


if __name__ == "__main__":
    warm_up_scenario() if sys.argv[1:] == ["warm-up"] else scenario()
