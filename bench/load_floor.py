"""The floor for loading: every row a load wrote into a SQLite store, inserted again by plain
`executemany` into a new store of the same schema (tables and indexes first, as the loader has
them, in one transaction). What the loader takes beyond this is spent outside the database."""

from __future__ import annotations

import time
from pathlib import Path

from api.store.sqlite_library import sqlite3


def executemany_seconds(store: Path, into: Path) -> tuple[float, int]:
    """Seconds to insert every row of `store` into a new store at `into`, and how many rows."""
    source = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    target = sqlite3.connect(into, isolation_level=None)
    try:
        tables = _create_schema(source, target)
        target.execute("PRAGMA foreign_keys=ON")
        target.execute("PRAGMA journal_mode=WAL")
        target.execute("PRAGMA synchronous=NORMAL")
        spent, count = 0.0, 0
        target.execute("BEGIN IMMEDIATE")
        for table in tables:
            rows = source.execute(f'SELECT * FROM "{table}"').fetchall()
            if not rows:
                continue
            marks = ", ".join("?" * len(rows[0]))
            started = time.perf_counter()
            target.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)
            spent += time.perf_counter() - started
            count += len(rows)
        started = time.perf_counter()
        target.execute("COMMIT")
        return spent + time.perf_counter() - started, count
    finally:
        source.close()
        target.close()


def _create_schema(source: sqlite3.Connection, target: sqlite3.Connection) -> list[str]:
    """The source's tables and indexes made in the target, in the order they were made there;
    the tables to copy, parents first (the order they were made in)."""
    made = source.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    virtual = [name for kind, name, sql in made if sql.upper().startswith("CREATE VIRTUAL")]
    tables = []
    for kind, name, sql in made:
        # A full-text table makes its own shadow tables; the migrations' table is no corpus row.
        if any(name.startswith(f"{v}_") for v in virtual) or name == "alembic_version":
            continue
        target.execute(sql)
        if kind == "table":
            tables.append(name)
    return tables
