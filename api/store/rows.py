"""Rows by id, natural key or name, and rows grouped by the parent they belong to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, false
from sqlmodel import Session, SQLModel, col, select

from api.store.models import Company, Person, Row

T = TypeVar("T", bound=SQLModel)
# The longest name search the edges accept: LIKE patterns grow costly, then fail.
MAX_NAME_SEARCH = 200
# How a row's names and aliases are joined in its `search_key`.
NAME_SEPARATOR = "\n"
R = TypeVar("R", bound=Row)


def get_by_ids(session: Session, *, model: type[R], ids: Sequence[int]) -> dict[int, R]:
    rows = session.exec(select(model).where(col(model.id).in_(ids))).all()
    return {row.pk: row for row in rows}


def key_column(model: type[SQLModel]) -> str:
    """The natural key: `slug` for sources, companies and people; `key` for deals, investments."""
    return "slug" if "slug" in model.model_fields else "key"


def get_by_keys(session: Session, *, model: type[T], keys: Sequence[str]) -> dict[str, T]:
    """Rows by natural key (`key_column`)."""
    name = key_column(model)
    rows = session.exec(select(model).where(col(getattr(model, name)).in_(keys))).all()
    return {getattr(row, name): row for row in rows}


def group(
    session: Session, statement: Select[Any], key: str, ids: Sequence[int]
) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {i: [] for i in ids}
    for row in session.scalars(statement).all():
        found[getattr(row, key)].append(row)
    return found


def name_search(model: type[Company] | type[Person], search: str | None) -> Select[Any]:
    """Rows one of whose names or aliases contains `search`, ignoring case."""
    query = select(model)
    if search and NAME_SEPARATOR in search:
        # No single name holds a line break, and the search must not span two of them.
        return query.where(false())
    if search:
        pattern = (
            "%"
            + search.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        query = query.where(col(model.search_key).like(pattern, escape="\\"))
    return query
