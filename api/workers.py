"""Where request work runs: a bounded pool of worker threads, never the event loop.

The data-access layer is synchronous, so a request's queries must not run on the event loop:
one request waiting for a database connection would freeze every other request, /healthz
included. Each GraphQL execution or REST handler runs on a worker thread with a store session of
its own (one read snapshot) and a time limit on its queries, and GraphQL resolvers run on an
event loop of their own on that thread, so their DataLoaders still batch. There are as many connections as
workers, so a worker never waits for one; a request that finds every worker busy waits briefly
for a slot, then is refused with 503 and Retry-After, never left hanging.
"""

from __future__ import annotations

import asyncio
import contextvars
import math
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from api.store.db import time_limit

T = TypeVar("T")


class Busy(Exception):
    """Every worker stayed busy for as long as a request may wait."""

    extensions: ClassVar[dict[str, str]] = {"code": "SERVICE_UNAVAILABLE"}

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"every worker is busy; retry in {retry_after:g} s")
        self.retry_after = max(1, math.ceil(retry_after))


class Workers:
    def __init__(
        self, engine: Engine, *, size: int, queue_timeout: float, time_limit: float
    ) -> None:
        self.engine = engine
        self.queue_timeout = queue_timeout
        self.time_limit = time_limit
        self._slots = asyncio.Semaphore(size)
        self._threads = ThreadPoolExecutor(max_workers=size, thread_name_prefix="dealgraph")
        # Each worker thread's event loop, kept from one request to the next.
        self._loops = threading.local()
        self._runners: list[asyncio.Runner] = []

    async def call(self, work: Callable[[Session], T]) -> T:
        """`work(session)` on a worker thread, with a store session that is closed after it."""
        try:
            await asyncio.wait_for(self._slots.acquire(), self.queue_timeout)
        except TimeoutError:
            raise Busy(self.queue_timeout) from None
        try:
            loop = asyncio.get_running_loop()
            # The worker runs in this request's context, so its log lines carry the request id.
            context = contextvars.copy_context()
            return await loop.run_in_executor(self._threads, context.run, self._in_session, work)
        finally:
            self._slots.release()

    async def run(self, work: Callable[[Session], Coroutine[Any, Any, T]]) -> T:
        """`work(session)` on its worker thread's event loop. The loop is kept from one request
        to the next (a new one costs a quarter of a millisecond), but whatever an error cut short
        is cancelled before the session closes, so nothing is left to run into the next
        request."""
        return await self.call(lambda session: self._on_thread_loop(work(session)))

    def close(self) -> None:
        self._threads.shutdown(wait=True, cancel_futures=True)
        # Nothing is left on them (see `_on_thread_loop`), and this may run on an event loop,
        # where `Runner.close` could not run theirs: closing frees their selectors.
        for runner in self._runners:
            runner.get_loop().close()

    def _on_thread_loop(self, work: Coroutine[Any, Any, T]) -> T:
        runner: asyncio.Runner | None = getattr(self._loops, "runner", None)
        if runner is None:
            runner = self._loops.runner = asyncio.Runner()
            self._runners.append(runner)
        try:
            # In this request's context (its request id), not the loop's first one.
            return runner.run(work, context=contextvars.copy_context())
        finally:
            _cancel_leftovers(runner.get_loop())

    def _in_session(self, work: Callable[[Session], T]) -> T:
        with Session(self.engine) as session, time_limit(session, self.time_limit):
            return work(session)


def _cancel_leftovers(loop: asyncio.AbstractEventLoop) -> None:
    left = asyncio.all_tasks(loop)
    for task in left:
        task.cancel()
    if left:
        loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
