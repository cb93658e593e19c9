"""Writing many rows at once: numbered as they are added (the tables are empty), then inserted a
table at a time in one batched statement each (`COPY` on PostgreSQL), rather than through the
ORM's flush with a round trip per row."""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Table, text
from sqlmodel import Session, SQLModel, insert

from api.store import models
from api.store.db import is_sqlite


class Rows:
    """A load's rows as column values, by table."""

    def __init__(self) -> None:
        self.by_table: dict[type[SQLModel], list[dict[str, Any]]] = defaultdict(list)
        self.next_ids: dict[type[SQLModel], Iterator[int]] = {}

    def add_all(self, rows: Iterable[SQLModel]) -> None:
        for row in rows:
            self.add(row)

    def add(self, row: SQLModel) -> int:
        """Add a row; its id, or 0 for a row without one of its own (a link between two)."""
        table = type(row)
        row_id = 0
        if isinstance(row, models.Row):
            row.id = row_id = self._next_id(table)
        self.by_table[table].append({name: getattr(row, name) for name in _columns(table)})
        return row_id

    def add_values(self, table: type[models.Row], **values: Any) -> int:
        """Add a row of `table` from its column values (unnamed ones null), without building a
        model instance, which costs more than the insert itself; its id."""
        columns = _columns(table)
        if not values.keys() <= columns:
            raise TypeError(f"{table.__name__} has no column {sorted(values.keys() - columns)}")
        row_id = self._next_id(table)
        self.by_table[table].append(dict.fromkeys(columns) | values | {"id": row_id})
        return row_id

    def _next_id(self, table: type[SQLModel]) -> int:
        return next(self.next_ids.setdefault(table, itertools.count(1)))

    def write(self, session: Session, *, parents_first: Iterable[type[SQLModel]]) -> None:
        """Insert every row added, table by table in the order given (which must name them all),
        in the session's transaction."""
        connection = session.connection()
        add = _insert if is_sqlite(connection.engine.url) else _copy
        for table in parents_first:
            if values := self.by_table.pop(table, []):
                add(connection, table.__table__, values)  # type: ignore[attr-defined]
        if self.by_table:
            raise RuntimeError(f"rows of tables not in the order given: {list(self.by_table)}")


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    connection.execute(insert(table), rows)


def _copy(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """The rows by `copy_rows`, each value first converted as SQLAlchemy would bind it (an enum
    to its name, JSON)."""
    dialect, columns = connection.dialect, list(table.columns)
    convert = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    quote = dialect.identifier_preparer
    copy_rows(
        connection,
        quote.format_table(table),
        [quote.quote(column.name) for column in columns],
        (
            [
                value if to_db is None else to_db(value)
                for value, to_db in zip((row[c.key] for c in columns), convert, strict=True)
            ]
            for row in rows
        ),
    )
    if "id" in table.columns:
        # The rows brought their own ids: the id sequence must go on after them.
        last = max(row["id"] for row in rows)
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
            {"table": table.name, "last": last},
        )


def copy_rows(
    connection: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Rows of values streamed into `table` by PostgreSQL's COPY, in the connection's
    transaction: one command, several times faster than INSERTs."""
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


@functools.cache
def _columns(table: type[SQLModel]) -> frozenset[str]:
    return frozenset(column.key for column in table.__table__.columns)  # type: ignore[attr-defined]
