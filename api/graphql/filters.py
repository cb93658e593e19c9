"""Filter and sort arguments that the deal and investment lists share."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.context import ClientError, Context
from api.graphql.relay import decode_id
from api.graphql.vocab import DealStatus, Direction, SortField
from api.ids import quoted
from api.store import models
from api.store.companies import get_company
from api.store.filters import FactFilter, OrderBy
from api.store.rows import get_by_keys


@strawberry.input(description="How to sort deals or investments; ties are broken by id.")
class FactOrder:
    field: SortField = strawberry.field(
        default=SortField.ANNOUNCED_ON,
        description="Announcement date, value in USD or key. Facts without it sort lowest.",
    )
    direction: Direction = strawberry.field(default=Direction.DESC, description="ASC or DESC.")


STATUS_FILTER = Annotated[DealStatus | None, strawberry.argument(description="Only this status.")]
ANNOUNCED_AFTER = Annotated[
    str | None, strawberry.argument(description="Announced on or after this date.")
]
ANNOUNCED_BEFORE = Annotated[
    str | None, strawberry.argument(description="Announced on or before this date.")
]
VALUE_MIN = Annotated[
    float | None, strawberry.argument(description="Value stated in USD at least this.")
]
VALUE_MAX = Annotated[
    float | None, strawberry.argument(description="Value stated in USD at most this.")
]
SOURCE_FILTER = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Only those with evidence from this source (global id)."),
]
ORDER_BY = Annotated[
    FactOrder | None,
    strawberry.argument(description="Sort order; newest announcement first by default."),
]


def sort_order(order_by: FactOrder | None) -> OrderBy:
    if order_by is None:
        return OrderBy()
    return OrderBy(field=order_by.field, direction=order_by.direction)


def source_pk(info: Info[Context, None], id: strawberry.ID | None) -> int | None:
    if id is None:
        return None
    slug = decode_id(id, "Source")[1]
    row = get_by_keys(info.context.session, model=models.Source, keys=[slug]).get(slug)
    if row is None or row.id is None:
        raise ClientError(f"no source has the id {quoted(id)}")
    return row.id


def company_pk(info: Info[Context, None], id: strawberry.ID | None) -> int | None:
    if id is None:
        return None
    row = get_company(info.context.session, slug=decode_id(id, "Company")[1])
    if row is None or row.id is None:
        raise ClientError(f"no company has the id {quoted(id)}")
    return row.id


def day(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ClientError(f"`{name}` must be a date like 2019-09-05, got {quoted(value)}") from None


def fact_filter(
    info: Info[Context, None],
    *,
    status: DealStatus | None,
    announced_after: str | None,
    announced_before: str | None,
    value_min_usd: float | None,
    value_max_usd: float | None,
    source: strawberry.ID | None,
) -> FactFilter:
    """The filter arguments deals and investments share, checked and looked up."""
    return FactFilter(
        status=status,
        announced_after=day(announced_after, "announcedAfter"),
        announced_before=day(announced_before, "announcedBefore"),
        value_min_usd=value_min_usd,
        value_max_usd=value_max_usd,
        evidence_source_id=source_pk(info, source),
    )
