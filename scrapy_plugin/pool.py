"""Running CPU-bound cleaning off the reactor thread, awaitable from Scrapy coroutines.

A bounded thread or process pool does the work, fed first-in first-out by a
``DeferredSemaphore`` on the reactor side; the returned awaitable is an ``asyncio``
future when Scrapy runs on asyncio (the default since Scrapy 2.13) and a Twisted
``Deferred`` otherwise, which is what a Scrapy ``async def`` callable can await.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable
import multiprocessing
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, TypeVar
from collections.abc import Callable

from twisted.internet.defer import Deferred, DeferredList, DeferredSemaphore

T = TypeVar("T")


def asyncio_in_use() -> bool:
    """Whether Scrapy callables run as asyncio tasks (asyncio reactor or no reactor)."""
    try:
        from scrapy.utils.asyncio import is_asyncio_available  # Scrapy >= 2.14
    except ImportError:
        from scrapy.utils.reactor import is_asyncio_reactor_installed

        return is_asyncio_reactor_installed()
    return is_asyncio_available()


KINDS = ("thread", "process")

WORKER_NICENESS = 10
"""Worker processes run this much nicer than the crawl process: where they compete for a core,
the operating system runs the reactor first (cleaning is the work that can wait)."""


def lower_priority() -> None:
    """Initializer of worker processes: lower their scheduling priority where the OS allows it."""
    try:
        os.nice(WORKER_NICENESS)
    except (AttributeError, OSError):  # no os.nice (Windows) or not permitted: run as is
        pass


class CleaningPool:
    """A bounded pool of threads or processes whose jobs can be awaited from the reactor thread.

    Threads share the GIL with the reactor, so C code that holds it (parts of lxml and
    trafilatura) still delays the reactor a little; processes do not, at the price of
    pickling each document and result and of one cleaner per process. Processes are
    started with ``spawn``: forking a process that runs a reactor and threads is unsafe.
    """

    def __init__(self, size: int, kind: str = "thread") -> None:
        if kind not in KINDS:
            raise ValueError(f"pool kind must be one of {KINDS}, not {kind!r}")
        self.size = size
        self.kind = kind
        self._executor: Executor | None = None
        self._warm_up: tuple[Callable[..., Any], tuple[Any, ...]] | None = None
        self._warming: list[Future[Any]] = []
        self._asyncio = False
        self._gate = DeferredSemaphore(size)
        self.restarts = 0

    def start(self, warm_up: tuple[Callable[..., Any], tuple[Any, ...]] | None = None) -> None:
        """Create the executor; call from the reactor thread when the spider opens.

        For processes, ``warm_up`` (a ``(function, args)`` job) is sent to every worker
        at once, so all of them are started, have imported the cleaner and built it
        before the first item: a process started mid-crawl would delay that item by
        the imports (about a second), and starting it then costs the reactor too.
        """
        if self._executor is None:
            if self.kind == "process":
                self._warm_up = warm_up or self._warm_up
                executor = ProcessPoolExecutor(
                    max_workers=self.size, mp_context=multiprocessing.get_context("spawn"), initializer=lower_priority,
                )
                self._executor = executor
                if self._warm_up is not None:
                    function, args = self._warm_up
                    self._warming = [executor.submit(function, *args) for _ in range(self.size)]
            else:
                self._executor = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="article-cleaner")
            self._asyncio = asyncio_in_use()

    def ready(self) -> Deferred[Any] | None:
        """A Deferred that fires when the warm-up jobs have finished (failed ones too), or
        ``None`` when nothing is warming up. Awaited at spider open, so that workers importing
        trafilatura do not compete with the crawl for the CPU while it starts."""
        warming, self._warming = self._warming, []
        if not warming:
            return None
        return DeferredList([self._deferred_from_future(future) for future in warming], consumeErrors=True)

    def run(self, make_job: Callable[[], tuple[Callable[..., T], tuple[Any, ...]]]) -> Awaitable[T]:
        """Run the job ``make_job()`` returns, ``(function, args)``, when a worker is free.

        Jobs wait first-in first-out on the reactor side and ``make_job`` is called only
        at dispatch, so a job uses the state current when it starts (e.g. a cleaner
        rebuilt with newly learned rules), not the state when it was queued.
        """
        if self._executor is None:
            self.start()
        deferred = self._gate.run(self._dispatch, make_job)
        if self._asyncio:
            return deferred.asFuture(asyncio.get_event_loop())
        return deferred

    def _dispatch(self, make_job: Callable[[], tuple[Callable[..., T], tuple[Any, ...]]]) -> Deferred[T]:
        assert self._executor is not None
        function, args = make_job()
        try:
            future = self._executor.submit(function, *args)
        except BrokenExecutor:
            # a worker process died (killed, out of memory): the job that was running on it
            # failed with BrokenProcessPool; start a new pool so the crawl goes on cleaning
            self.restarts += 1
            self._executor.shutdown(wait=False)
            self._executor = None
            self.start()
            self._warming = []  # the new workers warm up in the background; nothing waits for them
            assert self._executor is not None
            future = self._executor.submit(function, *args)
        return self._deferred_from_future(future)

    def _deferred_from_future(self, future: Future[T]) -> Deferred[T]:
        deferred: Deferred[T] = Deferred()

        def transfer(done: Future[T]) -> None:
            error = done.exception()
            if error is not None:
                deferred.errback(error)
            else:
                deferred.callback(done.result())

        if self._asyncio:
            loop = asyncio.get_event_loop()
            future.add_done_callback(lambda done: loop.call_soon_threadsafe(transfer, done))
        else:
            from twisted.internet import reactor

            future.add_done_callback(lambda done: reactor.callFromThread(transfer, done))
        return deferred

    def stop(self) -> None:
        """Release the threads or processes without waiting for them to exit.

        Called at spider close, when Scrapy has already awaited every item, so no job
        is left; not waiting keeps worker processes' exit from stalling the reactor.
        """
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None

