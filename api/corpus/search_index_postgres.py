"""The search index on PostgreSQL: a table of the rows' text with a weighted tsvector of it,
read by `api.store.search_postgres`."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, text

from api.corpus.bulk import copy_rows
from api.store.search import COLUMNS, TABLE, TOKEN
from api.store.search_postgres import CLASSES, fold, lexeme

# The longest lexeme a tsvector holds.
MAX_LEXEME_BYTES = 2046
_CREATE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    kind text NOT NULL,
    row_id integer NOT NULL,
    name text NOT NULL,
    name_key text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    joined text NOT NULL,
    document tsvector NOT NULL,
    PRIMARY KEY (kind, row_id)
)
"""
# The columns in the order of their positions: a long body may run past the last position a
# tsvector holds, so it comes after the short ones (and `joined`, which only matters word by
# word, after it).
_POSITION_ORDER = ("name", "name_key", "title", "body", "joined")


def create_index(connection: Connection) -> None:
    # One table for good, emptied and refilled in the load's transaction: a reader whose snapshot
    # is older than the load's commit keeps seeing the old rows, where a table dropped and
    # created anew would look empty to it.
    connection.execute(text(_CREATE))
    connection.execute(
        text(f"CREATE INDEX IF NOT EXISTS {TABLE}_document ON {TABLE} USING gin (document)")
    )
    connection.execute(text(f"DELETE FROM {TABLE}"))


def add_rows(connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
    copy_rows(
        connection,
        TABLE,
        [*COLUMNS, "document"],
        ([*(row[name] for name in COLUMNS), document(row)] for row in rows),
    )


def document(row: Mapping[str, str]) -> str:
    """The row's tsvector, as tsvector input: each token of each column folded, with its position
    and its column's weight class, and a gap between columns so that a phrase stays within one.
    PostgreSQL merges a word's entries, and keeps what a tsvector can hold: positions up to
    16383 (later ones become 16383), 256 of them per word."""
    entries: list[str] = []
    position = 0
    for column in _POSITION_ORDER:
        weight = CLASSES[column]
        tokens = TOKEN.findall(row[column])
        words = enumerate(map(_lexeme, tokens), start=position + 2)
        entries += (f"{word}:{at}{weight}" for at, word in words if word)
        position += len(tokens) + 1
    return " ".join(entries)


@functools.lru_cache(maxsize=1 << 16)
def _lexeme(token: str) -> str:
    """A token folded and quoted; empty if too long to index, as to_tsvector drops it."""
    word = fold(token)
    return lexeme(word) if len(word.encode()) <= MAX_LEXEME_BYTES else ""
