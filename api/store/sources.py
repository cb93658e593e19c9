"""Source documents."""

from __future__ import annotations

from sqlmodel import Session, col, select

from api.store.models import Source
from api.store.paging import Page, PageRequest, by_name, count, read_page

SOURCE_ORDER = by_name(Source, col(Source.slug))


def list_sources(session: Session, *, page: PageRequest) -> Page[Source]:
    return read_page(session, select(Source), SOURCE_ORDER, page)


def count_sources(session: Session) -> int:
    return count(session, select(Source))
