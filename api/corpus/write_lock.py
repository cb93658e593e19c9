"""The store's write lock for a load: taken at once when it is free; when another loader holds
it, waited for up to a bounded time (saying so first), then the load proceeds or is refused."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from api.corpus.store_faults import SQLITE_BUSY, LoadError, sqlite_code, store_name

DEFAULT_WAIT_SECONDS = 60.0


@contextmanager
def write_transaction(
    engine: Engine, *, wait: float, on_wait: Callable[[], object]
) -> Iterator[Connection]:
    """A connection holding the write lock in a transaction, committed when the block ends and
    rolled back when it raises. `on_wait` is called once before waiting for another loader."""
    connection = _begun(engine, seconds=0)
    if connection is None and wait > 0:
        on_wait()
        connection = _begun(engine, seconds=wait)
    if connection is None:
        raise LoadError(
            [
                f"{store_name(engine)}: another loader still holds the store's write lock after "
                f"{wait:g} s; load again once it has finished, or wait longer with --wait"
            ]
        )
    with connection:
        yield connection
        connection.commit()


def _begun(engine: Engine, *, seconds: float) -> Connection | None:
    """A connection whose writing transaction began within `seconds`, or None when the write
    lock stayed taken that long."""
    connection = engine.connect()
    try:
        with _busy_timeout(connection, seconds):
            connection.begin()
    except OperationalError as error:
        connection.close()
        if sqlite_code(error) == SQLITE_BUSY:
            return None
        raise
    except BaseException:
        connection.close()
        raise
    return connection


@contextmanager
def _busy_timeout(connection: Connection, seconds: float) -> Iterator[None]:
    """Within the block, SQLite retries a taken lock for `seconds` before it reports it busy.
    Set on the driver's connection, since a statement through SQLAlchemy would begin a
    transaction; restored after, as the connection goes back to the pool."""
    driver = connection.connection.driver_connection
    if not isinstance(driver, sqlite3.Connection):
        yield
        return
    (before,) = driver.execute("PRAGMA busy_timeout").fetchone()
    driver.execute(f"PRAGMA busy_timeout = {round(seconds * 1000)}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA busy_timeout = {int(before)}")
