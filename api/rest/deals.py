"""Deals: filtered and sorted lists, CSV export and totals."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from pydantic import Field
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from api.dates import format_partial_date
from api.ids import to_global_id
from api.rest.claims import FactOut, fact_parts
from api.rest.endpoints import Endpoint, Rows, one, paged
from api.rest.filters import FactListParams, company_filter, fact_filter, sort_order
from api.rest.include import Children, IncludeParams, Relation
from api.rest.params import parse_params, request_session
from api.rest.responses import Item, List, Out, Ref, ids, item_response, to_ref
from api.store import models
from api.store.claims import EvidenceSubject
from api.store.deals import (
    DealFilter,
    aggregate_deals,
    deal_ordering,
    deals_query,
    list_deals,
    parties_of_deals,
    sources_of_deals,
)
from api.store.filters import OrderBy
from api.store.paging import PageRequest
from api.vocab import DealKind, DealRole, DealStatus, DealStructure, Money


class PartyOut(Out):
    company: Ref
    role: DealRole
    stake_percent: float | None


class DealOut(FactOut, DealStructure):
    id: str
    key: str
    kind: DealKind
    status: DealStatus
    announced_on: str | None = Field(description="ISO-8601 prefix: day, month or year.")
    completed_on: str | None
    value: Money | None
    parties: list[PartyOut]


class BucketOut(Out):
    key: str = Field(description='The year ("unknown" if undated) or the kind.')
    count: int
    total_value_usd: float


class SummaryOut(Out):
    count: int
    total_value_usd: float = Field(description="Summed values stated in USD (no exchange rates).")
    by_year: list[BucketOut]
    by_kind: list[BucketOut]


class DealListParams(FactListParams):
    REFERENCES = frozenset({"company", "source"})

    kind: DealKind | None = None
    company: str | None = Field(
        default=None, description="Only deals of this company (id or slug)."
    )
    role: DealRole | None = Field(default=None, description="With `company`: its role in the deal.")


class DealPageParams(IncludeParams, DealListParams):
    pass


def deal_filter(request: Request, p: DealListParams) -> DealFilter:
    company_id = company_filter(request, p.company, p.role)
    return DealFilter(
        shared=fact_filter(request, p), kind=p.kind, company_id=company_id, role=p.role
    )


def deals_out(session: Session, rows: Sequence[models.Deal]) -> list[DealOut]:
    parties = parties_of_deals(session, deal_ids=ids(rows))
    parts = fact_parts(session, EvidenceSubject.DEAL, ids(rows))
    return [
        DealOut(
            id=to_global_id("Deal", d.key),
            key=d.key,
            kind=d.kind,
            status=d.status,
            announced_on=format_partial_date(d.announced_on, d.announced_precision),
            completed_on=format_partial_date(d.completed_on, d.completed_precision),
            value=d.money(),
            **dict(d.structure()),
            parties=[
                PartyOut(
                    company=to_ref(company, "Company"),
                    role=party.role,
                    stake_percent=party.stake_percent,
                )
                for party, company in parties[d.pk]
            ],
            **parts[d.pk],
        )
        for d in rows
    ]


def _parties(role: DealRole) -> Children:
    def children(session: Session, rows: Sequence[models.Deal], limit: int) -> dict[int, list[Any]]:
        parties = parties_of_deals(session, deal_ids=ids(rows))
        return {
            pk: [company for party, company in found if party.role == role][:limit]
            for pk, found in parties.items()
        }

    return children


RELATIONS = {
    "acquirers": Relation("Company", many=True, children=_parties(DealRole.ACQUIRER)),
    "targets": Relation("Company", many=True, children=_parties(DealRole.TARGET)),
    "sellers": Relation("Company", many=True, children=_parties(DealRole.SELLER)),
}


CSV_COLUMNS = (
    "id",
    "key",
    "kind",
    "status",
    "announced_on",
    "completed_on",
    "value_amount",
    "value_currency",
    "value_approximate",
    "value_text",
    "acquirers",
    "targets",
    "sellers",
    "sources",
)


def deals_csv(session: Session, where: DealFilter, order: OrderBy) -> str:
    """Every deal the filter selects, fetched a page at a time, as CSV with one row per deal."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    page = PageRequest(limit=500)
    while True:
        found = list_deals(session, where=where, order=order, page=page)
        parties = parties_of_deals(session, deal_ids=ids(found.items))
        sources = sources_of_deals(session, deal_ids=ids(found.items))
        writer.writerows(_csv_row(d, parties[d.pk], sources[d.pk]) for d in found.items)
        if not found.has_next:
            return buffer.getvalue()
        page = PageRequest(limit=page.limit, after=found.end)


def _csv_row(
    deal: models.Deal, parties: list[tuple[models.DealParty, models.Company]], sources: list[str]
) -> tuple[Any, ...]:
    def named(role: DealRole) -> str:
        return "; ".join(company.name for party, company in parties if party.role == role)

    return (
        to_global_id("Deal", deal.key),
        deal.key,
        deal.kind.value,
        deal.status.value,
        format_partial_date(deal.announced_on, deal.announced_precision),
        format_partial_date(deal.completed_on, deal.completed_precision),
        deal.value_amount,
        deal.value_currency,
        deal.value_approximate,
        deal.value_text,
        named(DealRole.ACQUIRER),
        named(DealRole.TARGET),
        named(DealRole.SELLER),
        "; ".join(sources),
    )


_deal_page = paged(
    DealPageParams,
    lambda p: deal_ordering(sort_order(p)),
    Rows(lambda r, p: deals_query(deal_filter(r, p))),
    deals_out,
    embeds="Deal",
)


def list_deals_or_csv(request: Request) -> Response:
    if "text/csv" in request.headers.get("accept", ""):
        return deals_as_csv(request)
    return _deal_page(request)


def deals_as_csv(request: Request) -> Response:
    params = parse_params(request, DealListParams)
    body = deals_csv(request_session(request), deal_filter(request, params), sort_order(params))
    headers = {"content-disposition": 'attachment; filename="deals.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


def deal_summary(request: Request) -> Response:
    params = parse_params(request, DealListParams)
    found = aggregate_deals(request_session(request), where=deal_filter(request, params))
    return item_response(SummaryOut.model_validate(found, from_attributes=True))


ENDPOINTS = [
    Endpoint(
        "/deals",
        "listDeals",
        "Deals, newest first, filtered and sorted (CSV with `Accept: text/csv`)",
        List[DealOut],
        list_deals_or_csv,
        DealPageParams,
        csv_on_request=True,
    ),
    Endpoint(
        "/deals.csv",
        "exportDeals",
        "Every deal the filter selects, as CSV (limit and cursor are ignored)",
        None,
        deals_as_csv,
        DealListParams,
    ),
    Endpoint(
        "/deals/summary",
        "summarizeDeals",
        "Count and value in USD of the deals the filter selects, by year and by kind",
        Item[SummaryOut],
        deal_summary,
        DealListParams,
    ),
    Endpoint(
        "/deals/{ref}",
        "getDeal",
        "One deal, by id or key",
        Item[DealOut],
        one(models.Deal, "Deal", deals_out, embeds=True),
        IncludeParams,
    ),
]
