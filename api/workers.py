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
        """`work(session)` on an event loop of its own on a worker thread. The loop lives as long
        as the work: what an error cut short is cancelled before the session closes, and nothing
        is left to run during the next request."""
        return await self.call(lambda session: asyncio.run(work(session)))

    def close(self) -> None:
        self._threads.shutdown(wait=True, cancel_futures=True)

    def _in_session(self, work: Callable[[Session], T]) -> T:
        with Session(self.engine) as session, time_limit(session, self.time_limit):
            return work(session)
