"""The search index on SQLite: an FTS5 table, read by `api.store.search_sqlite`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, text

from api.corpus.bulk import insert_many
from api.store.search import COLUMNS, INDEXED, TABLE, UNINDEXED
from api.store.search_sqlite import TOKENIZER


def create_index(connection: Connection) -> None:
    connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
    columns = ", ".join(f"{name} UNINDEXED" for name in UNINDEXED) + ", " + ", ".join(INDEXED)
    connection.execute(
        text(f"CREATE VIRTUAL TABLE {TABLE} USING fts5({columns}, tokenize = '{TOKENIZER}')")
    )


def add_rows(connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        insert_many(connection, TABLE, COLUMNS, ([row[name] for name in COLUMNS] for row in rows))
