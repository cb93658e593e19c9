"""Writing many rows at once: numbered as they are added (the tables are empty), held as tuples a
batch at a time, and inserted by one statement per batch (`executemany` on SQLite, `COPY` on
PostgreSQL), rather than through the ORM with a model instance and a round trip per row."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Self

from pydantic_core import PydanticUndefined
from sqlalchemy import Connection, Dialect, Table, bindparam, text
from sqlmodel import Session, SQLModel

from api.store import models
from api.store.db import is_sqlite

# Rows a table holds before they are written: enough that a statement's cost is spread thin,
# few enough that a large corpus's rows never all sit in memory at once.
BATCH_ROWS = 20_000


@dataclass(frozen=True)
class _Layout:
    """A table's columns in order, and the value each gets when a row does not name it."""

    table: Table
    columns: tuple[str, ...]
    names: frozenset[str]
    # By column, in order.
    defaults: tuple[Any, ...]
    numbered: bool


class Rows:
    """A load's rows, by table, written in the session's transaction. A table's batch is written
    once it is full, after those of the tables before it in `parents_first` (whose rows it may
    refer to); `finish` writes the rest. Every table written must be in `parents_first`.

    Batches are written by a thread of their own while the next ones are made: the database's
    work overlaps the loader's Python. One is written at a time; the rows' session must not be
    used until `wait` (or `finish`, or leaving the `with` block) says all are written."""

    def __init__(
        self,
        session: Session,
        *,
        parents_first: Iterable[type[SQLModel]],
        batch: int | None = None,
    ) -> None:
        self.session = session
        self.order = list(parents_first)
        self.batch = BATCH_ROWS if batch is None else batch
        self.pending: dict[type[SQLModel], list[tuple[Any, ...]]] = {t: [] for t in self.order}
        self.last_ids: dict[type[SQLModel], int] = {}
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dealgraph-rows")
        self._writing: Future[None] | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exception: object) -> None:
        # Whatever happened, nothing may still be writing once the caller has the session back.
        if self._writing is not None:
            futures.wait([self._writing])
        self._writer.shutdown()

    def add_values(self, table: type[SQLModel], **values: Any) -> int:
        """Add a row of `table` from its column values (unnamed ones get the model's default);
        its id, or 0 for a row without one of its own (a link between two)."""
        layout = _layout(table)
        if not values.keys() <= layout.names:
            raise TypeError(
                f"{table.__name__} has no column {sorted(values.keys() - layout.names)}"
            )
        pending = self.pending.get(table)
        if pending is None:
            raise RuntimeError(f"rows of a table not in the order given: {table.__name__}")
        row_id = 0
        if layout.numbered:
            row_id = values["id"] = self.last_ids[table] = self.last_ids.get(table, 0) + 1
        pending.append(tuple(map(values.get, layout.columns, layout.defaults)))
        if len(pending) >= self.batch:
            self._write_through(self.order.index(table) + 1)
        return row_id

    def wait(self) -> None:
        """Wait until every batch sent is written; raise what writing one raised."""
        writing, self._writing = self._writing, None
        if writing is not None:
            writing.result()

    def finish(self) -> None:
        """Write every row not yet written; on PostgreSQL, let each id sequence go on after the
        ids the rows brought."""
        self._write_through(len(self.order))
        self.wait()
        connection = self.session.connection()
        if is_sqlite(connection.engine.url):
            return
        for table, last in self.last_ids.items():
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                {"table": _layout(table).table.name, "last": last},
            )

    def _write_through(self, count: int) -> None:
        """Send what the first `count` tables of the order hold to be written, parents first,
        once the batches sent before are written."""
        self.wait()
        connection = self.session.connection()
        batches = []
        for table in self.order[:count]:
            if rows := self.pending[table]:
                self.pending[table] = []
                batches.append((_layout(table).table, rows))
        self._writing = self._writer.submit(_insert_batches, connection, batches)


@contextmanager
def indexes_set_aside(connection: Connection, tables: Iterable[type[SQLModel]]) -> Iterator[None]:
    """On SQLite, the tables' plain indexes dropped while the block fills them, and made again
    once it is done: sorting every key once costs less than keeping each index in order row by
    row (2.2 of 13 s of executemany on a 2,000-company corpus). Unique indexes stay, so a
    duplicate is refused by the insert that brings it. Within the caller's transaction, so a
    failed load rolls the drop back too."""
    if not is_sqlite(connection.engine.url):
        yield
        return
    indexes = connection.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND sql NOT LIKE 'CREATE UNIQUE %' AND tbl_name IN :tables ORDER BY rowid"
        ).bindparams(bindparam("tables", expanding=True)),
        {"tables": [_layout(table).table.name for table in tables]},
    ).all()
    quote = connection.dialect.identifier_preparer.quote
    for name, _sql in indexes:
        connection.exec_driver_sql(f"DROP INDEX {quote(name)}")
    yield
    for _name, sql in indexes:
        connection.exec_driver_sql(sql)


def _insert_batches(
    connection: Connection, batches: list[tuple[Table, list[tuple[Any, ...]]]]
) -> None:
    for table, rows in batches:
        insert_rows(connection, table, rows)


def insert_rows(connection: Connection, table: Table, rows: Sequence[Sequence[Any]]) -> None:
    """Rows of `table` in its columns' order, each value converted as SQLAlchemy would bind it
    (an enum to its name, JSON to text, a date on SQLite to ISO text), in the connection's
    transaction."""
    dialect = connection.dialect
    columns: list[Iterable[Any]] = list(zip(*rows, strict=True))
    for index, convert in _conversions(table, dialect):
        columns[index] = map(convert, columns[index])
    converted = zip(*columns, strict=True)
    quote = dialect.identifier_preparer
    names = [quote.quote(column.name) for column in table.columns]
    add = insert_many if is_sqlite(connection.engine.url) else copy_rows
    add(connection, quote.format_table(table), names, converted)


def insert_many(
    connection: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Rows of values inserted by SQLite's own executemany, in the connection's transaction:
    SQLAlchemy's would look at every row's parameters first."""
    marks = ", ".join("?" * len(columns))
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    finally:
        cursor.close()


def copy_rows(
    connection: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Rows of values streamed into `table` by PostgreSQL's COPY, in the connection's
    transaction: one command, several times faster than INSERTs."""
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _conversions(table: Table, dialect: Dialect) -> list[tuple[int, Callable[[Any], Any]]]:
    """The columns whose values the dialect converts before binding, by position."""
    found: list[tuple[int, Callable[[Any], Any]]] = []
    for index, column in enumerate(table.columns):
        convert = column.type.dialect_impl(dialect).bind_processor(dialect)
        if convert is not None:
            found.append((index, convert))
    return found


@functools.cache
def _layout(model: type[SQLModel]) -> _Layout:
    table: Table = model.__table__  # type: ignore[attr-defined]
    columns = tuple(column.key for column in table.columns)
    defaults: dict[str, Any] = dict.fromkeys(columns)
    for name, field in model.model_fields.items():
        if name not in defaults:
            continue
        if field.default_factory is not None:
            # Shared by the rows that take it: row values are only ever read.
            defaults[name] = field.default_factory()  # type: ignore[call-arg]
        elif field.default is not PydanticUndefined:
            defaults[name] = field.default
    numbered = issubclass(model, models.Row)
    return _Layout(table, columns, frozenset(columns), tuple(defaults.values()), numbered)
