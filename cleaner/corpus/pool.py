"""Running a function over a stream of batches on N worker processes, results in input order.

The standard library does the work (``ProcessPoolExecutor``); this module adds what a
corpus run needs on top: a bounded number of batches in flight (memory stays flat
however long the input is), results yielded in submission order, each worker set up
once by an initializer (e.g. building its ``Cleaner``), and ``jobs=1`` running inline.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from ..errors import CleanerError

T = TypeVar("T")
R = TypeVar("R")

BATCHES_IN_FLIGHT_PER_JOB = 4


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def resolve_jobs(jobs: int | None) -> int:
    """``jobs`` validated; ``None`` or ``0`` means all cores."""
    if jobs is None or jobs == 0:
        return default_jobs()
    if jobs < 0:
        raise CleanerError(f"jobs must be a positive number of worker processes, not {jobs}")
    return jobs


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter), lazily."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def ordered_map(
    function: Callable[[T], R], batches: Iterable[T], *, jobs: int,
    initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (),
    in_flight: int | None = None,
) -> Iterator[R]:
    """``function(batch)`` for each batch, in order, on ``jobs`` processes.

    At most ``in_flight`` batches (default ``4 * jobs``) are submitted and not yet
    consumed, so the input is read only as fast as results are used. ``function``,
    the batches and the results must pickle (module-level functions, plain data).
    """
    if jobs <= 1:
        if initializer is not None:
            initializer(*initargs)
        yield from map(function, batches)
        return
    limit = max(1, in_flight or BATCHES_IN_FLIGHT_PER_JOB * jobs)
    with ProcessPoolExecutor(max_workers=jobs, initializer=initializer, initargs=initargs) as pool:
        pending: deque[Future[R]] = deque()
        try:
            for batch in batches:
                pending.append(pool.submit(function, batch))
                if len(pending) >= limit:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
