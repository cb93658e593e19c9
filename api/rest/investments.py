"""Investments."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field
from sqlmodel import Session
from starlette.requests import Request

from api.dates import format_partial_date
from api.ids import to_global_id
from api.rest.claims import FactOut, fact_parts
from api.rest.endpoints import Endpoint, Rows, one, paged
from api.rest.filters import FactListParams, company_filter, fact_filter, sort_order
from api.rest.include import IncludeParams, Relation
from api.rest.responses import Item, List, Ref, ids, to_ref
from api.store import models
from api.store.claims import EvidenceSubject
from api.store.investments import (
    InvestmentFilter,
    investment_ordering,
    investments_query,
    investors_of_investments,
)
from api.store.rows import get_by_ids
from api.vocab import (
    DealStatus,
    InvestmentRole,
    Money,
)


class InvestmentOut(FactOut):
    id: str
    key: str
    status: DealStatus
    announced_on: str | None
    value: Money | None
    stake_percent: float | None
    round: str | None
    investors: list[Ref]
    investee: Ref
    deal_id: str | None


class InvestmentListParams(IncludeParams, FactListParams):
    REFERENCES = frozenset({"company", "source"})

    company: str | None = Field(
        default=None, description="Only investments this company is in (id or slug)."
    )
    role: InvestmentRole | None = Field(
        default=None, description="With `company`: which side it is on."
    )


def investment_filter(request: Request, p: InvestmentListParams) -> InvestmentFilter:
    company_id = company_filter(request, p.company, p.role)
    return InvestmentFilter(shared=fact_filter(request, p), company_id=company_id, role=p.role)


def investments_out(session: Session, rows: Sequence[models.Investment]) -> list[InvestmentOut]:
    investors = investors_of_investments(session, investment_ids=ids(rows))
    investees = get_by_ids(session, model=models.Company, ids=sorted({i.investee_id for i in rows}))
    deals = get_by_ids(
        session, model=models.Deal, ids=sorted({i.deal_id for i in rows if i.deal_id})
    )
    parts = fact_parts(session, EvidenceSubject.INVESTMENT, ids(rows))
    return [
        InvestmentOut(
            id=to_global_id("Investment", i.key),
            key=i.key,
            status=i.status,
            announced_on=format_partial_date(i.announced_on, i.announced_precision),
            value=i.money(),
            stake_percent=i.stake_percent,
            round=i.round,
            investors=[to_ref(c, "Company") for c in investors[i.pk]],
            investee=to_ref(investees[i.investee_id], "Company"),
            deal_id=None if i.deal_id is None else to_global_id("Deal", deals[i.deal_id].key),
            **parts[i.pk],
        )
        for i in rows
    ]


def _investors(
    session: Session, rows: Sequence[models.Investment], _limit: int
) -> dict[int, list[models.Company]]:
    return investors_of_investments(session, investment_ids=ids(rows))


def _investee(
    session: Session, rows: Sequence[models.Investment], _limit: int
) -> dict[int, list[models.Company]]:
    investees = get_by_ids(session, model=models.Company, ids=sorted({i.investee_id for i in rows}))
    return {i.pk: [investees[i.investee_id]] for i in rows}


RELATIONS = {
    "investors": Relation("Company", many=True, children=_investors),
    "investee": Relation("Company", many=False, children=_investee),
}


ENDPOINTS = [
    Endpoint(
        "/investments",
        "listInvestments",
        "Investments, newest first, filtered and sorted",
        List[InvestmentOut],
        paged(
            InvestmentListParams,
            lambda p: investment_ordering(sort_order(p)),
            Rows(lambda r, p: investments_query(investment_filter(r, p))),
            investments_out,
            embeds="Investment",
        ),
        InvestmentListParams,
    ),
    Endpoint(
        "/investments/{ref}",
        "getInvestment",
        "One investment, by id or key",
        Item[InvestmentOut],
        one(models.Investment, "Investment", investments_out, embeds=True),
        IncludeParams,
    ),
]
