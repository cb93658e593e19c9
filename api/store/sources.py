"""Source documents."""

from __future__ import annotations

from sqlmodel import Session, col, select

from api.store.models import Source
from api.store.paging import Page, by_name, count, page

SOURCE_ORDER = by_name(Source, col(Source.slug))


def list_sources(session: Session, *, limit: int, after: str | None) -> Page[Source]:
    return page(session, select(Source), SOURCE_ORDER, limit, after)


def count_sources(session: Session) -> int:
    return count(session, select(Source))
