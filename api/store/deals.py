"""Deals: filtered and sorted lists, totals for charts, and each deal's parties and sources."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from api.store.filters import NEWEST_FIRST, FactFilter, OrderBy, fact_ordering, filtered
from api.store.models import Company, Deal, DealParty, Evidence, Source
from api.store.paging import (
    Ordering,
    Page,
    PageRequest,
    count,
    counts,
    read_page,
    read_pages_per_parent,
)
from api.vocab import DealKind, DealRole


@dataclass(frozen=True)
class DealFilter:
    shared: FactFilter = field(default_factory=FactFilter)
    kind: DealKind | None = None
    company_id: int | None = None
    role: DealRole | None = None


def deal_ordering(order: OrderBy = NEWEST_FIRST) -> Ordering:
    return fact_ordering(Deal, order)


def deals_query(where: DealFilter) -> Select[Any]:
    query = filtered(Deal, where.shared)
    if where.kind is not None:
        query = query.where(col(Deal.kind) == where.kind)
    if where.company_id is not None or where.role is not None:
        party = select(DealParty.deal_id)
        if where.company_id is not None:
            party = party.where(col(DealParty.company_id) == where.company_id)
        if where.role is not None:
            party = party.where(col(DealParty.role) == where.role)
        query = query.where(col(Deal.id).in_(party))
    return query


def list_deals(
    session: Session,
    *,
    where: DealFilter,
    order: OrderBy = NEWEST_FIRST,
    page: PageRequest,
) -> Page[Deal]:
    return read_page(session, deals_query(where), deal_ordering(order), page)


def count_deals(session: Session, *, where: DealFilter) -> int:
    return count(session, deals_query(where))


@dataclass(frozen=True)
class Bucket:
    key: str
    count: int
    total_value_usd: float


@dataclass(frozen=True)
class Aggregate:
    count: int
    total_value_usd: float
    by_year: list[Bucket]
    by_kind: list[Bucket]


def aggregate_deals(session: Session, *, where: DealFilter) -> Aggregate:
    """What charts need, in one statement: totals, and counts and values by year and by kind.
    Deals without a date count under the year "unknown"."""
    selected = deals_query(where).subquery()
    rows = session.execute(
        sa_select(
            selected.c.announced_on,
            selected.c.kind,
            selected.c.value_currency,
            selected.c.value_amount,
        )
    ).all()
    years: dict[str, list[float]] = defaultdict(list)
    kinds: dict[str, list[float]] = defaultdict(list)
    for announced_on, kind, currency, amount in rows:
        usd = amount if currency == "USD" and amount is not None else 0.0
        years["unknown" if announced_on is None else str(announced_on)[:4]].append(usd)
        kinds[DealKind[kind].value if kind in DealKind.__members__ else str(kind)].append(usd)

    def buckets(groups: dict[str, list[float]]) -> list[Bucket]:
        return [Bucket(key, len(values), sum(values)) for key, values in sorted(groups.items())]

    return Aggregate(
        count=len(rows),
        total_value_usd=sum(sum(values) for values in years.values()),
        by_year=buckets(years),
        by_kind=buckets(kinds),
    )


def _deals_of_companies(role: DealRole | None) -> tuple[Select[Any], ColumnElement[int]]:
    parties = select(DealParty.deal_id, DealParty.company_id).distinct()
    if role is not None:
        parties = parties.where(col(DealParty.role) == role)
    link = parties.subquery()
    return select(Deal).join(link, link.c.deal_id == Deal.id), link.c.company_id


def deals_of_companies(
    session: Session,
    *,
    company_ids: Sequence[int],
    role: DealRole | None,
    page: PageRequest,
) -> dict[int, Page[Deal]]:
    query, parent = _deals_of_companies(role)
    return read_pages_per_parent(
        session,
        model=Deal,
        query=query,
        parent=parent,
        parent_ids=company_ids,
        ordering=deal_ordering(),
        page=page,
    )


def count_deals_of_companies(
    session: Session, *, company_ids: Sequence[int], role: DealRole | None
) -> dict[int, int]:
    query, parent = _deals_of_companies(role)
    return counts(session, query, parent, company_ids)


def parties_of_deals(
    session: Session, *, deal_ids: Sequence[int]
) -> dict[int, list[tuple[DealParty, Company]]]:
    statement = (
        select(DealParty, Company)
        .join(Company, col(Company.id) == DealParty.company_id)
        .where(col(DealParty.deal_id).in_(deal_ids))
        .order_by(col(DealParty.id))
    )
    found: dict[int, list[tuple[DealParty, Company]]] = {i: [] for i in deal_ids}
    for party, company in session.exec(statement).all():
        found[party.deal_id].append((party, company))
    return found


def sources_of_deals(session: Session, *, deal_ids: Sequence[int]) -> dict[int, list[str]]:
    """The slugs of the sources that give evidence for each deal."""
    statement = (
        sa_select(col(Evidence.deal_id), col(Source.slug))
        .join(Source, col(Source.id) == col(Evidence.source_id))
        .where(col(Evidence.deal_id).in_(deal_ids))
        .distinct()
        .order_by(col(Evidence.deal_id), col(Source.slug))
    )
    found: dict[int, list[str]] = {pk: [] for pk in deal_ids}
    for deal_id, slug in session.execute(statement).all():
        found[deal_id].append(slug)
    return found
