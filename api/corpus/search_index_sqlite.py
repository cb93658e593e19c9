"""The search index on SQLite: an FTS5 table, read by `api.store.search_sqlite`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, text

from api.store.search import COLUMNS, INDEXED, TABLE, UNINDEXED
from api.store.search_sqlite import TOKENIZER


def write_index(connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
    connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
    columns = ", ".join(f"{name} UNINDEXED" for name in UNINDEXED) + ", " + ", ".join(INDEXED)
    connection.execute(
        text(f"CREATE VIRTUAL TABLE {TABLE} USING fts5({columns}, tokenize = '{TOKENIZER}')")
    )
    if rows:
        placeholders = ", ".join(f":{name}" for name in COLUMNS)
        connection.execute(text(f"INSERT INTO {TABLE} VALUES ({placeholders})"), rows)
