"""The store's write lock for a load: taken at once when it is free; when another loader holds
it, waited for up to a bounded time (saying so first), then the load proceeds or is refused.
SQLite's lock is its write transaction (BEGIN IMMEDIATE); PostgreSQL's is an advisory lock held
until the transaction ends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from api.corpus.store_faults import SQLITE_BUSY, LoadError, sqlite_code, store_name
from api.store.db import is_sqlite, postgres_milliseconds
from api.store.sqlite_library import sqlite3

DEFAULT_WAIT_SECONDS = 60.0
# PostgreSQL's advisory lock for loads: any number that other applications are unlikely to use.
LOCK_KEY = 0x6465616C  # "deal"
LOCK_NOT_AVAILABLE = "55P03"


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
        locked = (_lock_sqlite if is_sqlite(engine.url) else _lock_postgres)(connection, seconds)
    except BaseException:
        connection.close()
        raise
    if not locked:
        connection.close()
        return None
    return connection


def _lock_sqlite(connection: Connection, seconds: float) -> bool:
    try:
        with _busy_timeout(connection, seconds):
            connection.begin()
    except OperationalError as error:
        if sqlite_code(error) == SQLITE_BUSY:
            return False
        raise
    return True


def _lock_postgres(connection: Connection, seconds: float) -> bool:
    connection.begin()
    if connection.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": LOCK_KEY}):
        return True
    if seconds <= 0:
        return False
    connection.execute(text(f"SET LOCAL lock_timeout = {postgres_milliseconds(seconds)}"))
    try:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            return False
        raise
    # The wait's limit is not meant for the load's own statements.
    connection.execute(text("SET LOCAL lock_timeout = 0"))
    return True


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
