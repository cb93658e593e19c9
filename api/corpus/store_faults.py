"""Faults of the store while loading (its directory missing, no permission to write, a full
disk, another writer holding the lock) as one line each that names the store and says what to
do, instead of a driver's exception."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from api.store.db import is_sqlite, sqlite_path
from api.store.sqlite_library import sqlite3

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26
# Codes whose cause is best found by looking at the store's files and their permissions.
_FILE_CODES = frozenset({SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN})
# SQLite keeps a write-ahead log and its index beside the store, in the same directory.
_SIDECARS = ("-wal", "-shm")


class LoadError(Exception):
    """The store could not take the corpus and was left as it was; `problems` says what and
    why, one line each, as CorpusError does for the corpus."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def store_name(engine: Engine) -> str:
    """The store as a person would name it: its file, or its URL without the password."""
    path = sqlite_path(engine.url) if is_sqlite(engine.url) else None
    return path or engine.url.render_as_string(hide_password=True)


def sqlite_code(error: BaseException) -> int | None:
    """The primary SQLite result code of a driver error, wrapped or not; None for other errors."""
    original = error.orig if isinstance(error, DBAPIError) else error
    code = getattr(original, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


@contextmanager
def reported_store_faults(engine: Engine) -> Iterator[None]:
    """Turn the store's operational faults inside the block into LoadError; bugs still raise."""
    try:
        yield
    except (DBAPIError, sqlite3.Error) as error:
        problem = store_problem(engine, error)
        if problem is None:
            raise
        raise LoadError([problem]) from error


def store_problem(engine: Engine, error: DBAPIError | sqlite3.Error) -> str | None:
    """What went wrong with the store and what to do, or None when the error is not a fault of
    the store's surroundings (a bug, say)."""
    store = store_name(engine)
    code = sqlite_code(error)
    if code == SQLITE_FULL:
        return (
            f"{store}: the disk is full (database or disk is full); free some space and load again"
        )
    if code == SQLITE_BUSY:
        return f"{store}: another process holds the store's write lock; load again once it has finished"
    if code in (SQLITE_NOTADB, SQLITE_CORRUPT):
        return f"{store}: not a usable SQLite database ({_first_line(error)}); move it away and load again"
    path = sqlite_path(engine.url) if is_sqlite(engine.url) else None
    if code in _FILE_CODES and path is not None:
        return (
            _file_problem(Path(path)) or f"{store}: cannot write the store ({_first_line(error)})"
        )
    if isinstance(error, OperationalError):
        return f"{store}: cannot use the store ({_first_line(error)})"
    return None


def _file_problem(path: Path) -> str | None:
    """Why SQLite cannot write a store at `path`, as far as the file system tells."""
    directory = path.parent
    if not directory.is_dir():
        return (
            f"{path}: the store's directory {directory} does not exist; create it, or set "
            "DATABASE_URL to a store in an existing directory"
        )
    if path.is_dir():
        return f"{path}: a directory, not a store; set DATABASE_URL to a file's path"
    for file in (path, *(path.with_name(path.name + suffix) for suffix in _SIDECARS)):
        if file.exists() and not _writable(file):
            return (
                f"{file}: read-only; make it writable (chmod u+w {file}) or set DATABASE_URL "
                "to a writable store"
            )
    if not _writable(directory):
        return (
            f"{path}: the store's directory {directory} is read-only, and SQLite must create "
            "files there; make it writable or set DATABASE_URL to another directory"
        )
    return None


def _writable(path: Path) -> bool:
    # Effective ids: what the process may do now, not what the user who started it may do.
    effective = os.access in os.supports_effective_ids
    return os.access(path, os.W_OK | (os.X_OK if path.is_dir() else 0), effective_ids=effective)


def _first_line(error: BaseException) -> str:
    original = error.orig if isinstance(error, DBAPIError) else error
    return str(original).splitlines()[0] if str(original) else type(original).__name__
