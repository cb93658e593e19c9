from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import text
from sqlmodel import Session

from api.store.db import make_engine
from api.workers import Busy, Workers


@pytest.fixture
def workers(store_url: str) -> Workers:
    engine = make_engine(store_url, read_only=True, connections=2)
    return Workers(engine, size=2, queue_timeout=0.2, time_limit=5)


def test_work_runs_on_a_worker_thread_with_a_session_of_its_own(workers: Workers) -> None:
    def work(session: Session) -> tuple[str, int]:
        count = session.execute(text("SELECT count(*) FROM source")).scalar_one()
        return threading.current_thread().name, count

    async def main() -> tuple[str, int]:
        return await workers.call(work)

    try:
        thread, count = asyncio.run(main())
    finally:
        workers.close()
    assert thread.startswith("dealgraph") and thread != threading.current_thread().name
    assert count == 4


def test_async_work_runs_on_the_worker_threads_own_loop(workers: Workers) -> None:
    async def work(_session: Session) -> int:
        await asyncio.sleep(0)
        return id(asyncio.get_running_loop())

    async def main() -> tuple[int, int]:
        return id(asyncio.get_running_loop()), await workers.run(work)

    try:
        caller, worker = asyncio.run(main())
    finally:
        workers.close()
    assert caller != worker


def test_a_request_that_finds_every_worker_busy_is_refused_not_kept_waiting(
    workers: Workers,
) -> None:
    release = threading.Event()

    def hold(_session: Session) -> None:
        release.wait(5)

    async def main() -> BaseException | None:
        held = [asyncio.ensure_future(workers.call(hold)) for _ in range(2)]
        await asyncio.sleep(0.05)
        try:
            await workers.call(hold)
        except Busy as busy:
            return busy
        finally:
            release.set()
            await asyncio.gather(*held)
        return None

    try:
        refused = asyncio.run(main())
    finally:
        workers.close()
    assert isinstance(refused, Busy)
    assert refused.retry_after >= 1
