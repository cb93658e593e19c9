"""Keyset pagination: a total order per list, and one page of it, or one page per parent in a
single statement. Positions arrive already parsed (see `api.ids.decode_cursor`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, literal, tuple_
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, select

from api.ids import Keyset, KeyTypes
from api.store.models import Company, Metric, Person, Source

T = TypeVar("T", bound=SQLModel)
# Where undated rows sort: below every real date.
NO_DATE = dt.date.min


@dataclass(frozen=True)
class Ordering:
    """A total order for keyset pagination: sort expressions ending with a unique column."""

    columns: tuple[Any, ...]
    # A row's position in this order, and the types a position holds (to read cursors back).
    key: Callable[[Any], Keyset]
    types: KeyTypes
    descending: bool = False

    def after(self, position: Keyset) -> ColumnElement[bool]:
        key, bound = tuple_(*self.columns), tuple_(*(literal(v) for v in position))
        return key < bound if self.descending else key > bound

    def order_by(self) -> list[ColumnElement[Any]]:
        return [c.desc() if self.descending else c.asc() for c in self.columns]


def by_name(
    model: type[Company] | type[Person] | type[Source] | type[Metric], name: Any
) -> Ordering:
    return Ordering(
        columns=(name, col(model.id)),
        key=lambda row: (getattr(row, name.key), row.id),
        types=(str, int),
    )


@dataclass(frozen=True)
class PageRequest:
    """Which page to read: at most `limit` items, starting after the position `after`."""

    limit: int
    after: Keyset | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    has_next: bool
    ordering: Ordering

    @property
    def end(self) -> Keyset | None:
        """The position of the last item: where the next page starts."""
        return self.ordering.key(self.items[-1]) if self.items else None


def _starting(query: Select[Any], ordering: Ordering, page: PageRequest) -> Select[Any]:
    return query if page.after is None else query.where(ordering.after(page.after))


def page_statement(query: Select[Any], ordering: Ordering, page: PageRequest) -> Select[Any]:
    """The page's rows, and one more if another page follows."""
    statement = _starting(query, ordering, page).order_by(*ordering.order_by())
    return statement.limit(page.limit + 1)


def read_page(
    session: Session, query: Select[Any], ordering: Ordering, page: PageRequest
) -> Page[Any]:
    rows = list(session.scalars(page_statement(query, ordering, page)).all())
    return Page(rows[: page.limit], len(rows) > page.limit, ordering)


def read_pages_per_parent(
    session: Session,
    *,
    model: type[T],
    query: Select[Any],
    parent: ColumnElement[int],
    parent_ids: Sequence[int],
    ordering: Ordering,
    page: PageRequest,
) -> dict[int, Page[T]]:
    """One page of children for each parent, in one statement (a window over the parents)."""
    ranked = (
        _starting(query, ordering, page)
        .add_columns(
            parent.label("parent_id"),
            func.row_number().over(partition_by=parent, order_by=ordering.order_by()).label("rank"),
        )
        .where(parent.in_(parent_ids))
        .subquery()
    )
    row = aliased(model, ranked)
    statement = (
        select(row, ranked.c.parent_id)
        .where(ranked.c.rank <= page.limit + 1)
        .order_by(ranked.c.parent_id, ranked.c.rank)
    )
    children: dict[int, list[T]] = defaultdict(list)
    for child, parent_id in session.exec(statement).all():
        children[parent_id].append(child)
    limit = page.limit
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
