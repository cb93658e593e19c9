"""Investments: filtered and sorted lists, and each investment's investors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, union
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from api.store.filters import NEWEST_FIRST, FactFilter, OrderBy, fact_ordering, filtered
from api.store.models import Company, Investment, InvestmentInvestor
from api.store.paging import (
    Ordering,
    Page,
    PageRequest,
    count,
    counts,
    read_page,
    read_pages_per_parent,
)
from api.store.rows import group
from api.vocab import InvestmentRole


@dataclass(frozen=True)
class InvestmentFilter:
    shared: FactFilter = field(default_factory=FactFilter)
    company_id: int | None = None
    role: InvestmentRole | None = None


def investment_ordering(order: OrderBy = NEWEST_FIRST) -> Ordering:
    return fact_ordering(Investment, order)


def investments_query(where: InvestmentFilter) -> Select[Any]:
    query = filtered(Investment, where.shared)
    if where.company_id is not None:
        investee = col(Investment.investee_id) == where.company_id
        investor = col(Investment.id).in_(
            select(InvestmentInvestor.investment_id).where(
                col(InvestmentInvestor.company_id) == where.company_id
            )
        )
        if where.role is InvestmentRole.INVESTEE:
            query = query.where(investee)
        elif where.role is InvestmentRole.INVESTOR:
            query = query.where(investor)
        else:
            query = query.where(investee | investor)
    return query


def list_investments(
    session: Session,
    *,
    where: InvestmentFilter = InvestmentFilter(),
    order: OrderBy = NEWEST_FIRST,
    page: PageRequest,
) -> Page[Investment]:
    return read_page(session, investments_query(where), investment_ordering(order), page)


def count_investments(session: Session, *, where: InvestmentFilter = InvestmentFilter()) -> int:
    return count(session, investments_query(where))


def _investments_of_companies(
    role: InvestmentRole | None,
) -> tuple[Select[Any], ColumnElement[int]]:
    # Typed loosely: SQLAlchemy's overloads for a two-column union defeat mypy.
    investor: Any = sa_select(
        col(InvestmentInvestor.investment_id), col(InvestmentInvestor.company_id)
    )
    investee: Any = sa_select(
        col(Investment.id).label("investment_id"), col(Investment.investee_id).label("company_id")
    )
    links: Any = union(investor, investee)
    if role is InvestmentRole.INVESTOR:
        links = investor
    elif role is InvestmentRole.INVESTEE:
        links = investee
    link = links.subquery()
    return select(Investment).join(link, link.c.investment_id == Investment.id), link.c.company_id


def investments_of_companies(
    session: Session,
    *,
    company_ids: Sequence[int],
    role: InvestmentRole | None,
    page: PageRequest,
) -> dict[int, Page[Investment]]:
    query, parent = _investments_of_companies(role)
    return read_pages_per_parent(
        session,
        model=Investment,
        query=query,
        parent=parent,
        parent_ids=company_ids,
        ordering=investment_ordering(),
        page=page,
    )


def count_investments_of_companies(
    session: Session, *, company_ids: Sequence[int], role: InvestmentRole | None
) -> dict[int, int]:
    query, parent = _investments_of_companies(role)
    return counts(session, query, parent, company_ids)


def investors_of_investments(
    session: Session, *, investment_ids: Sequence[int]
) -> dict[int, list[Company]]:
    statement = (
        select(InvestmentInvestor.investment_id, Company)
        .join(Company, col(Company.id) == InvestmentInvestor.company_id)
        .where(col(InvestmentInvestor.investment_id).in_(investment_ids))
        .order_by(col(Company.name), col(Company.id))
    )
    found: dict[int, list[Company]] = {i: [] for i in investment_ids}
    for investment_id, company in session.exec(statement).all():
        found[investment_id].append(company)
    return found


def investments_of_deals(
    session: Session, *, deal_ids: Sequence[int]
) -> dict[int, list[Investment]]:
    statement = (
        select(Investment).where(col(Investment.deal_id).in_(deal_ids)).order_by(col(Investment.id))
    )
    return group(session, statement, "deal_id", deal_ids)
