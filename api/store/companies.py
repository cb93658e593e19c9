"""Companies: found by name, and what hangs off each one (its chief executive, stakes, metrics)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from api.store.models import Company, Metric, Person, Role, Stake
from api.store.paging import Page, PageRequest, by_name, count, read_page
from api.store.rows import get_by_keys, group, name_search

COMPANY_ORDER = by_name(Company, col(Company.name))


def get_company(session: Session, *, slug: str) -> Company | None:
    return get_by_keys(session, model=Company, keys=[slug]).get(slug)


def list_companies(session: Session, *, search: str | None, page: PageRequest) -> Page[Company]:
    return read_page(session, name_search(Company, search), COMPANY_ORDER, page)


def count_companies(session: Session, *, search: str | None) -> int:
    return count(session, name_search(Company, search))


def ceos_of_companies(session: Session, *, company_ids: Sequence[int]) -> dict[int, Person | None]:
    """The current chief executive: a CEO role not stated to have ended, the latest stated first."""
    statement = (
        select(Role.company_id, Person)
        .join(Person, col(Person.id) == Role.person_id)
        .where(
            col(Role.company_id).in_(company_ids),
            col(Role.is_ceo),
            col(Role.current).is_not(False),
            col(Role.current).is_(True) | col(Role.ended_on).is_(None),
        )
        .order_by(col(Role.company_id), col(Role.current).desc().nulls_last(), col(Role.id).desc())
    )
    found: dict[int, Person | None] = dict.fromkeys(company_ids)
    for company_id, person in session.exec(statement).all():
        if found[company_id] is None:
            found[company_id] = person
    return found


def stakes_held_by(session: Session, *, company_ids: Sequence[int]) -> dict[int, list[Stake]]:
    return group(
        session,
        select(Stake).where(col(Stake.holder_id).in_(company_ids)).order_by(col(Stake.id)),
        "holder_id",
        company_ids,
    )


def stakes_in(session: Session, *, company_ids: Sequence[int]) -> dict[int, list[Stake]]:
    return group(
        session,
        select(Stake).where(col(Stake.company_id).in_(company_ids)).order_by(col(Stake.id)),
        "company_id",
        company_ids,
    )


def metrics_of_companies(
    session: Session, *, company_ids: Sequence[int]
) -> dict[int, list[Metric]]:
    statement = (
        select(Metric)
        .where(col(Metric.company_id).in_(company_ids))
        .order_by(col(Metric.name), col(Metric.id))
    )
    return group(session, statement, "company_id", company_ids)
