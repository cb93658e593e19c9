"""Companies and what hangs off each one: deals, investments, people, stakes and metrics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import Field
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from api.dates import format_partial_date
from api.ids import to_global_id
from api.rest.claims import EvidenceOut, FactOut, evidence_out, fact_parts
from api.rest.deals import DealOut, deals_out
from api.rest.endpoints import Endpoint, Rows, one, paged
from api.rest.include import IncludeParams, Relation
from api.rest.investments import InvestmentOut, investments_out
from api.rest.params import (
    CompanyListParams,
    PageParams,
    Params,
    lookup,
    parse_params,
    request_session,
)
from api.rest.people import RoleOut, roles_out
from api.rest.responses import ENTITY_PROVENANCE, Item, List, Out, Ref, ids, list_response, to_ref
from api.store import models
from api.store.claims import EvidenceSubject
from api.store.companies import (
    COMPANY_ORDER,
    ceos_of_companies,
    metrics_of_companies,
    stakes_held_by,
    stakes_in,
)
from api.store.deals import DealFilter, deal_ordering, deals_of_companies, deals_query
from api.store.investments import (
    InvestmentFilter,
    investment_ordering,
    investments_of_companies,
    investments_query,
)
from api.store.paging import PageRequest
from api.store.people import roles_at_companies
from api.store.rows import get_by_ids, name_search
from api.vocab import (
    IN_FORCE,
    DealRole,
    InvestmentRole,
    PercentRange,
    Provenance,
    Quantity,
    StakeChange,
    StakeKind,
)


class CompanyOut(Out):
    id: str
    slug: str
    name: str
    aliases: list[str]
    description: str | None
    provenance: list[Provenance] = Field(description=ENTITY_PROVENANCE)
    ceo: Ref | None = Field(description="The current chief executive, if the sources name one.")
    evidence: list[EvidenceOut]


class StakeOut(FactOut):
    holder: Ref
    company: Ref
    kind: StakeKind
    percent: float | None = Field(description="Percentage held, if stated exactly.")
    percent_range: PercentRange | None = Field(description="The percentage, given as a range.")
    current: bool | None = Field(
        description="Whether its document presents it as held at the time of writing (false: "
        "held before, no longer); null where it does not say."
    )
    as_of: str | None = Field(description="The date a source says it was held on, if any.")
    deal_id: str | None = Field(description="Global id of the deal that changes it, if any.")
    investment_id: str | None = Field(description="Global id of the investment that does.")
    change: StakeChange | None = Field(description="What that deal or investment does to it.")
    in_force: bool | None = Field(description=IN_FORCE)


class MetricOut(FactOut):
    company: Ref | None = Field(description="The company measured; null for a market or region.")
    market: str | None = Field(description="The market or region measured, in its source's words.")
    name: str = Field(description="What is measured, such as `market_share`.")
    value: float | None = Field(description="The agreed or preferred figure; null if disputed.")
    unit: str
    approximate: bool
    period: str | None
    forecast: bool = Field(description="A figure the source expects, not one it reports.")
    also: Quantity | None = Field(description="The same figure in another unit, if given.")
    among: str | None = Field(description="For a rank: the set it places the company in.")
    ranked_by: str | None = Field(description="For a rank: the metric that orders the set.")


class CompaniesParams(IncludeParams, CompanyListParams):
    pass


class CompanyDealParams(IncludeParams, PageParams):
    role: DealRole | None = None


class CompanyInvestmentParams(IncludeParams, PageParams):
    role: InvestmentRole | None = None


def companies_out(session: Session, rows: Sequence[models.Company]) -> list[CompanyOut]:
    ceos = ceos_of_companies(session, company_ids=ids(rows))
    evidence = evidence_out(session, EvidenceSubject.COMPANY, ids(rows))
    return [
        CompanyOut(
            id=to_global_id("Company", c.slug),
            slug=c.slug,
            name=c.name,
            aliases=c.aliases,
            description=c.description,
            provenance=[Provenance.model_validate(value) for value in c.provenance],
            ceo=None if (ceo := ceos[c.pk]) is None else to_ref(ceo, "Person"),
            evidence=evidence[c.pk],
        )
        for c in rows
    ]


def stakes_out(session: Session, rows: Sequence[models.Stake]) -> list[StakeOut]:
    companies = get_by_ids(
        session,
        model=models.Company,
        ids=sorted({r.holder_id for r in rows} | {r.company_id for r in rows}),
    )
    deals = get_by_ids(
        session, model=models.Deal, ids=sorted({r.deal_id for r in rows if r.deal_id})
    )
    investments = get_by_ids(
        session,
        model=models.Investment,
        ids=sorted({r.investment_id for r in rows if r.investment_id}),
    )
    parts = fact_parts(session, EvidenceSubject.STAKE, ids(rows))
    return [
        StakeOut(
            holder=to_ref(companies[r.holder_id], "Company"),
            company=to_ref(companies[r.company_id], "Company"),
            kind=r.kind,
            percent=r.percent,
            percent_range=r.percent_range,
            current=r.current,
            as_of=format_partial_date(r.as_of, r.as_of_precision),
            deal_id=None if r.deal_id is None else to_global_id("Deal", deals[r.deal_id].key),
            investment_id=None
            if r.investment_id is None
            else to_global_id("Investment", investments[r.investment_id].key),
            change=r.change,
            in_force=r.in_force,
            **parts[r.pk],
        )
        for r in rows
    ]


def metrics_out(session: Session, rows: Sequence[models.Metric]) -> list[MetricOut]:
    companies = get_by_ids(
        session, model=models.Company, ids=sorted({m.company_id for m in rows if m.company_id})
    )
    parts = fact_parts(session, EvidenceSubject.METRIC, ids(rows))
    return [
        MetricOut(
            company=None if m.company_id is None else to_ref(companies[m.company_id], "Company"),
            market=m.market,
            forecast=m.forecast,
            also=m.also,
            among=m.among,
            ranked_by=m.ranked_by,
            name=m.name,
            value=m.value,
            unit=m.unit,
            approximate=m.approximate,
            period=m.period,
            **parts[m.pk],
        )
        for m in rows
    ]


def _ceos(session: Session, rows: Sequence[models.Company], _limit: int) -> dict[int, list[Any]]:
    ceos = ceos_of_companies(session, company_ids=ids(rows))
    return {pk: [] if ceo is None else [ceo] for pk, ceo in ceos.items()}


def _deals(session: Session, rows: Sequence[models.Company], limit: int) -> dict[int, list[Any]]:
    pages = deals_of_companies(session, company_ids=ids(rows), role=None, page=PageRequest(limit))
    return {pk: page.items for pk, page in pages.items()}


def _investments(
    session: Session, rows: Sequence[models.Company], limit: int
) -> dict[int, list[Any]]:
    pages = investments_of_companies(
        session, company_ids=ids(rows), role=None, page=PageRequest(limit)
    )
    return {pk: page.items for pk, page in pages.items()}


RELATIONS = {
    "ceo": Relation("Person", many=False, children=_ceos),
    "deals": Relation("Deal", many=True, children=_deals),
    "investments": Relation("Investment", many=True, children=_investments),
}


def company_in_path(request: Request) -> int:
    row = lookup(request, models.Company, "Company", request.path_params["ref"])
    return row.pk


def company_people(request: Request) -> Response:
    parse_params(request, Params)
    company_id, session = company_in_path(request), request_session(request)
    roles = roles_at_companies(session, company_ids=[company_id])[company_id]
    return list_response(roles_out(session, roles), None)


def company_stakes(request: Request) -> Response:
    parse_params(request, Params)
    company_id, session = company_in_path(request), request_session(request)
    owners = stakes_in(session, company_ids=[company_id])[company_id]
    holdings = stakes_held_by(session, company_ids=[company_id])[company_id]
    return list_response(stakes_out(session, owners + holdings), None)


def company_metrics(request: Request) -> Response:
    parse_params(request, Params)
    company_id, session = company_in_path(request), request_session(request)
    metrics = metrics_of_companies(session, company_ids=[company_id])[company_id]
    return list_response(metrics_out(session, metrics), None)


ENDPOINTS = [
    Endpoint(
        "/companies",
        "listCompanies",
        "Companies by name",
        List[CompanyOut],
        paged(
            CompaniesParams,
            COMPANY_ORDER,
            Rows(lambda r, p: name_search(models.Company, p.search)),
            companies_out,
            embeds="Company",
        ),
        CompaniesParams,
    ),
    Endpoint(
        "/companies/{ref}",
        "getCompany",
        "One company, by id or slug",
        Item[CompanyOut],
        one(models.Company, "Company", companies_out, embeds=True),
        IncludeParams,
    ),
    Endpoint(
        "/companies/{ref}/deals",
        "listCompanyDeals",
        "Deals a company is party to, newest first",
        List[DealOut],
        paged(
            CompanyDealParams,
            deal_ordering(),
            Rows(lambda r, p: deals_query(DealFilter(company_id=company_in_path(r), role=p.role))),
            deals_out,
            embeds="Deal",
        ),
        CompanyDealParams,
    ),
    Endpoint(
        "/companies/{ref}/investments",
        "listCompanyInvestments",
        "Investments a company made or received, newest first",
        List[InvestmentOut],
        paged(
            CompanyInvestmentParams,
            investment_ordering(),
            Rows(
                lambda r, p: investments_query(
                    InvestmentFilter(company_id=company_in_path(r), role=p.role)
                )
            ),
            investments_out,
            embeds="Investment",
        ),
        CompanyInvestmentParams,
    ),
    Endpoint(
        "/companies/{ref}/people",
        "listCompanyPeople",
        "People's roles at a company",
        List[RoleOut],
        company_people,
    ),
    Endpoint(
        "/companies/{ref}/stakes",
        "listCompanyStakes",
        "Stakes in a company, then stakes it holds",
        List[StakeOut],
        company_stakes,
    ),
    Endpoint(
        "/companies/{ref}/metrics",
        "listCompanyMetrics",
        "Figures for a company (market share, users, revenue...) with every source's claim",
        List[MetricOut],
        company_metrics,
    ),
]
