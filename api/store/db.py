"""Engines for the store: SQLite by default (foreign keys on, WAL, writers BEGIN IMMEDIATE)."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import Engine, event, make_url
from sqlalchemy.engine import URL, Connection, ExceptionContext
from sqlmodel import Session, create_engine

from api.ids import to_global_id
from api.store import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from api.store.sqlite_library import sqlite3

# How often SQLite checks a statement's deadline, in virtual machine steps.
_STEPS_BETWEEN_CHECKS = 10_000
# Where a connection keeps the deadline of the request that holds it.
_DEADLINE = "dealgraph_deadline"


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str | URL) -> str | None:
    """The file behind a SQLite URL, or None for an in-memory store."""
    database = make_url(url).database
    return None if database in (None, "", ":memory:") else database


def make_engine(url: str, *, read_only: bool = False, connections: int | None = None) -> Engine:
    """An engine for the store; `connections` fixes the pool's size (no overflow)."""
    pool: dict[str, Any] = (
        {} if connections is None else {"pool_size": connections, "max_overflow": 0}
    )
    if not is_sqlite(url):
        engine = create_engine(
            _with_psycopg(url),
            pool_pre_ping=True,
            connect_args={"options": _POSTGRES_READER if read_only else _POSTGRES_WRITER},
            **pool,
        )
        _watch_deadlines(engine)
        return engine
    path = sqlite_path(url)
    if read_only and path is not None:
        url = str(make_url(url).set(database=f"file:{path}", query={"mode": "ro", "uri": "true"}))
    if path is None:
        pool = {}
    engine = create_engine(url, module=sqlite3, connect_args={"check_same_thread": False}, **pool)
    _configure_sqlite(engine, read_only=read_only)
    _watch_deadlines(engine)
    return engine


GLOBAL_ID_FUNCTION = "dealgraph_global_id"


# Readers see one snapshot per transaction and cannot write; writers see the committed state.
# Readers skip JIT compilation: it costs more than the API's short, nested queries ever gain.
_POSTGRES_READER = (
    "-c default_transaction_isolation=repeatable\\ read -c default_transaction_read_only=on "
    "-c jit=off"
)
_POSTGRES_WRITER = "-c default_transaction_isolation=read\\ committed"


def postgres_milliseconds(seconds: float) -> int:
    """A time limit as PostgreSQL's settings take it: at least 1 ms, since 0 means none."""
    return max(1, math.ceil(seconds * 1000))


def _with_psycopg(url: str) -> URL:
    """`postgresql://` as users write it, driven by psycopg 3 (SQLAlchemy's default is psycopg2)."""
    parsed = make_url(url)
    return (
        parsed.set(drivername="postgresql+psycopg") if parsed.drivername == "postgresql" else parsed
    )


def _watch_deadlines(engine: Engine) -> None:
    event.listen(engine, "before_cursor_execute", _before_execute)
    event.listen(engine, "handle_error", _on_error)


def _configure_sqlite(engine: Engine, *, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        # SQLite has no base64: compiled reads build global ids with this (api.graphql.compiled).
        dbapi_connection.create_function(GLOBAL_ID_FUNCTION, 2, to_global_id, deterministic=True)
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Readers get one snapshot per transaction; writers take the write lock up front,
        # since a deferred transaction that later writes fails under concurrency.
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


class TimeLimitExceeded(Exception):
    """A request ran past its time limit, and its statement was stopped."""

    extensions: ClassVar[dict[str, str]] = {"code": "TIMEOUT"}

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the request took longer than {seconds:g} s and was stopped")


@dataclass(frozen=True)
class _Deadline:
    seconds: float
    at: float

    def passed(self) -> bool:
        return time.monotonic() > self.at


@contextmanager
def time_limit(session: Session, seconds: float) -> Iterator[None]:
    """From `seconds` from now, this session's statements raise TimeLimitExceeded: a running one
    is stopped, and no new one starts."""
    connection = session.connection()
    deadline = _Deadline(seconds, time.monotonic() + seconds)
    raw = connection.connection.driver_connection
    if isinstance(raw, sqlite3.Connection):
        # SQLite calls the handler every so many virtual machine steps; true interrupts.
        raw.set_progress_handler(deadline.passed, _STEPS_BETWEEN_CHECKS)
    else:
        connection.exec_driver_sql(
            f"SET LOCAL statement_timeout = {postgres_milliseconds(seconds)}"
        )
    # Set once the limit is in place, so that setting it is not itself stopped.
    connection.info[_DEADLINE] = deadline
    try:
        yield
    finally:
        if isinstance(raw, sqlite3.Connection):
            raw.set_progress_handler(None, 0)
        connection.info.pop(_DEADLINE, None)


def _before_execute(connection: Connection, *_args: Any) -> None:
    deadline = connection.info.get(_DEADLINE)
    if deadline is not None and deadline.passed():
        raise TimeLimitExceeded(deadline.seconds)


def _on_error(context: ExceptionContext) -> None:
    """A statement stopped by its deadline raises TimeLimitExceeded where it ran."""
    deadline = None if context.connection is None else context.connection.info.get(_DEADLINE)
    if deadline is not None and deadline.passed():
        raise TimeLimitExceeded(deadline.seconds) from context.original_exception


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
