"""Keyset pagination: a total order per list, one page of it, or one page per parent in a single
statement."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, literal, tuple_
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, select

from api.ids import InvalidToken, decode_cursor, encode_cursor
from api.store.models import Company, Person, Source

T = TypeVar("T", bound=SQLModel)
NO_DATE = dt.date.min


@dataclass(frozen=True)
class Ordering:
    """A total order for keyset pagination: sort expressions ending with a unique column."""

    columns: tuple[Any, ...]
    values: Callable[[Any], list[Any]]
    parse: Callable[[list[Any]], tuple[Any, ...]]
    descending: bool = False

    def cursor(self, row: Any) -> str:
        return encode_cursor(self.values(row))

    def after(self, cursor: str | None) -> ColumnElement[bool] | None:
        if cursor is None:
            return None
        try:
            values = self.parse(decode_cursor(cursor, len(self.columns)))
        except (TypeError, ValueError) as error:
            raise InvalidToken(f"{cursor!r} is not a valid cursor here") from error
        key, bound = tuple_(*self.columns), tuple_(*(literal(v) for v in values))
        return key < bound if self.descending else key > bound

    def order_by(self) -> list[ColumnElement[Any]]:
        return [c.desc() if self.descending else c.asc() for c in self.columns]


def by_name(model: type[Company] | type[Person] | type[Source], name: Any) -> Ordering:
    return Ordering(
        columns=(name, col(model.id)),
        values=lambda row: [getattr(row, name.key), row.id],
        parse=lambda v: (str(v[0]), int(v[1])),
    )


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    has_next: bool
    ordering: Ordering

    @property
    def end_cursor(self) -> str | None:
        return self.ordering.cursor(self.items[-1]) if self.items else None


def page(
    session: Session, query: Select[Any], ordering: Ordering, limit: int, after: str | None
) -> Page[Any]:
    condition = ordering.after(after)
    if condition is not None:
        query = query.where(condition)
    rows = list(session.exec(query.order_by(*ordering.order_by()).limit(limit + 1)).all())  # type: ignore[call-overload]
    return Page(rows[:limit], len(rows) > limit, ordering)


def pages_per_parent(
    session: Session,
    *,
    model: type[T],
    query: Select[Any],
    parent: ColumnElement[int],
    parent_ids: Sequence[int],
    ordering: Ordering,
    limit: int,
    after: str | None,
) -> dict[int, Page[T]]:
    """One page of children for each parent, in one statement (a window over the parents)."""
    condition = ordering.after(after)
    if condition is not None:
        query = query.where(condition)
    ranked = (
        query.add_columns(
            parent.label("parent_id"),
            func.row_number().over(partition_by=parent, order_by=ordering.order_by()).label("rank"),
        )
        .where(parent.in_(parent_ids))
        .subquery()
    )
    row = aliased(model, ranked)
    statement = (
        select(row, ranked.c.parent_id)
        .where(ranked.c.rank <= limit + 1)
        .order_by(ranked.c.parent_id, ranked.c.rank)
    )
    children: dict[int, list[T]] = defaultdict(list)
    for child, parent_id in session.exec(statement).all():
        children[parent_id].append(child)
    return {
        pid: Page(children[pid][:limit], len(children[pid]) > limit, ordering) for pid in parent_ids
    }


def counts(
    session: Session, query: Select[Any], parent: ColumnElement[int], parent_ids: Sequence[int]
) -> dict[int, int]:
    statement = (
        query.with_only_columns(parent, func.count()).where(parent.in_(parent_ids)).group_by(parent)
    )
    found: dict[int, int] = dict(session.execute(statement).all())
    return {pid: found.get(pid, 0) for pid in parent_ids}


def count(session: Session, query: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0
