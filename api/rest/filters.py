"""Filter and sort parameters that the deal and investment lists share."""

from __future__ import annotations

import datetime as dt

from pydantic import Field
from starlette.requests import Request

from api.rest.params import PageParams, lookup
from api.rest.problems import ProblemDetail, ProblemError
from api.store import models
from api.store.filters import FactFilter, OrderBy
from api.vocab import (
    DealStatus,
    Direction,
    SortField,
)


class FactListParams(PageParams):
    status: DealStatus | None = None
    announced_after: dt.date | None = Field(default=None, description="Announced on or after.")
    announced_before: dt.date | None = Field(default=None, description="Announced on or before.")
    value_min_usd: float | None = Field(default=None, description="Value stated in USD ≥ this.")
    value_max_usd: float | None = Field(default=None, description="Value stated in USD ≤ this.")
    source: str | None = Field(
        default=None, description="Only those with evidence from this source (id or slug)."
    )
    order_by: SortField = Field(
        default=SortField.ANNOUNCED_ON, description="Sort field; ties broken by id."
    )
    direction: Direction = Field(default=Direction.DESC, description="asc or desc.")


def company_filter(request: Request, company: str | None, role: object | None) -> int | None:
    """The company a list is narrowed to; a role means nothing without one."""
    if company is not None:
        return lookup(request, models.Company, "Company", company).pk
    if role is not None:
        detail = ProblemDetail(parameter="role", message="needs `company`")
        raise ProblemError(400, "role needs company", [detail])
    return None


def fact_filter(request: Request, p: FactListParams) -> FactFilter:
    """The filter parameters deals and investments share, with references looked up."""
    source_id = None
    if p.source is not None:
        source_id = lookup(request, models.Source, "Source", p.source).pk
    return FactFilter(
        status=p.status,
        announced_after=p.announced_after,
        announced_before=p.announced_before,
        value_min_usd=p.value_min_usd,
        value_max_usd=p.value_max_usd,
        evidence_source_id=source_id,
    )


def sort_order(p: FactListParams) -> OrderBy:
    return OrderBy(field=p.order_by, direction=p.direction)
