"""People: found by name, and the roles they hold at companies."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from api.store.models import Person, Role
from api.store.paging import Page, PageRequest, by_name, count, read_page
from api.store.rows import group, name_search

PERSON_ORDER = by_name(Person, col(Person.name))


def list_people(session: Session, *, search: str | None, page: PageRequest) -> Page[Person]:
    return read_page(session, name_search(Person, search), PERSON_ORDER, page)


def count_people(session: Session, *, search: str | None) -> int:
    return count(session, name_search(Person, search))


def roles_of_people(session: Session, *, person_ids: Sequence[int]) -> dict[int, list[Role]]:
    return group(
        session,
        select(Role).where(col(Role.person_id).in_(person_ids)).order_by(col(Role.id)),
        "person_id",
        person_ids,
    )


def roles_at_companies(session: Session, *, company_ids: Sequence[int]) -> dict[int, list[Role]]:
    return group(
        session,
        select(Role).where(col(Role.company_id).in_(company_ids)).order_by(col(Role.id)),
        "company_id",
        company_ids,
    )
