"""Engines for the store: SQLite by default (foreign keys on, WAL, writers BEGIN IMMEDIATE)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event, make_url
from sqlalchemy.engine import URL
from sqlmodel import Session, SQLModel, create_engine

from api.store import models  # noqa: F401  (registers the tables on SQLModel.metadata)


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
        return create_engine(url, pool_pre_ping=True, **pool)
    path = sqlite_path(url)
    if read_only and path is not None:
        url = str(make_url(url).set(database=f"file:{path}", query={"mode": "ro", "uri": "true"}))
    if path is None:
        pool = {}
    engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
    _configure_sqlite(engine, read_only=read_only)
    return engine


def _configure_sqlite(engine: Engine, *, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Readers get one snapshot per transaction; writers take the write lock up front,
        # since a deferred transaction that later writes fails under concurrency.
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def create_tables(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
