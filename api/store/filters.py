"""What deals and investments share: filters on status, dates, USD value and sources, and the
keyset orders they can be sorted by."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal
from sqlmodel import col, select

from api.store.models import Deal, Evidence, Investment
from api.store.paging import NO_DATE, Ordering
from api.vocab import DealStatus, Direction, SortField


@dataclass(frozen=True)
class OrderBy:
    field: SortField = SortField.ANNOUNCED_ON
    direction: Direction = Direction.DESC


NEWEST_FIRST = OrderBy()


def value_usd(model: type[Deal] | type[Investment]) -> ColumnElement[Any]:
    # No exchange rates are stored: a value counts in USD only where it was stated in USD.
    return case((col(model.value_currency) == "USD", col(model.value_amount)), else_=None)


# Where facts without a USD value sort: below every real value.
NO_VALUE = -1.0


def fact_ordering(model: type[Deal] | type[Investment], order: OrderBy) -> Ordering:
    """A keyset order on one field, ties broken by id; facts without the field sort as lowest."""
    descending = order.direction is Direction.DESC
    if order.field is SortField.KEY:
        return Ordering(
            columns=(col(model.key), col(model.id)),
            key=lambda row: (row.key, row.id),
            types=(str, int),
            descending=descending,
        )
    if order.field is SortField.VALUE_USD:
        return Ordering(
            columns=(func.coalesce(value_usd(model), literal(NO_VALUE)), col(model.id)),
            key=lambda row: (
                row.value_amount if row.value_currency == "USD" else NO_VALUE,
                row.id,
            ),
            types=(float, int),
            descending=descending,
        )
    return Ordering(
        columns=(func.coalesce(col(model.announced_on), literal(NO_DATE)), col(model.id)),
        key=lambda row: (row.announced_on or NO_DATE, row.id),
        types=(dt.date, int),
        descending=descending,
    )


@dataclass(frozen=True)
class FactFilter:
    """What deals and investments can both be filtered by."""

    status: DealStatus | None = None
    announced_after: dt.date | None = None
    announced_before: dt.date | None = None
    value_min_usd: float | None = None
    value_max_usd: float | None = None
    evidence_source_id: int | None = None


def filtered(model: type[Deal] | type[Investment], where: FactFilter) -> Select[Any]:
    query = select(model)
    if where.status is not None:
        query = query.where(col(model.status) == where.status)
    if where.announced_after is not None:
        query = query.where(col(model.announced_on) >= where.announced_after)
    if where.announced_before is not None:
        query = query.where(col(model.announced_on) <= where.announced_before)
    if where.value_min_usd is not None:
        query = query.where(value_usd(model) >= where.value_min_usd)
    if where.value_max_usd is not None:
        query = query.where(value_usd(model) <= where.value_max_usd)
    if where.evidence_source_id is not None:
        subject = col(Evidence.deal_id if model is Deal else Evidence.investment_id)
        quoted = select(subject).where(col(Evidence.source_id) == where.evidence_source_id)
        query = query.where(col(model.id).in_(quoted))
    return query
