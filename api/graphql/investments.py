"""Investments: money put into a company by one or more investors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.dates import format_partial_date
from api.graphql import companies, deals
from api.graphql.claims import Fact
from api.graphql.context import Context
from api.graphql.filters import (
    ANNOUNCED_AFTER,
    ANNOUNCED_BEFORE,
    ORDER_BY,
    SOURCE_FILTER,
    STATUS_FILTER,
    VALUE_MAX,
    VALUE_MIN,
    company_pk,
    fact_filter,
    sort_order,
)
from api.graphql.lazy import LazyCompany, LazyDeal
from api.graphql.loaders import CountKey, Loader, PageKey, counts_by_role, pages_by_role
from api.graphql.relay import (
    AFTER,
    FIRST,
    ID_ARG,
    LIST_FIRST,
    Connection,
    Node,
    connection,
    limited,
    node_key,
    page_request,
    root_connection,
)
from api.graphql.vocab import DealStatus, InvestmentRole, Money, money_of
from api.ids import to_global_id
from api.store import models
from api.store.claims import EvidenceSubject
from api.store.investments import (
    InvestmentFilter,
    count_investments,
    count_investments_of_companies,
    investment_ordering,
    investments_of_companies,
    investments_of_deals,
    investors_of_investments,
    list_investments,
)
from api.store.paging import Page, PageRequest
from api.store.rows import get_by_ids, get_by_keys

# How a company's investments are listed: newest announcement first.
ORDERING = investment_ordering()


class InvestmentById(Loader[int, models.Investment]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, models.Investment]:
        return get_by_ids(self.session, model=models.Investment, ids=keys)


class InvestmentByKey(Loader[str, models.Investment | None]):
    def fetch(self, keys: Sequence[str]) -> Mapping[str, models.Investment | None]:
        found = get_by_keys(self.session, model=models.Investment, keys=keys)
        return {key: found.get(key) for key in keys}


class InvestorsOfInvestment(Loader[int, list[models.Company]]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, list[models.Company]]:
        return investors_of_investments(self.session, investment_ids=keys)


class InvestmentsOfDeal(Loader[int, list[models.Investment]]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, list[models.Investment]]:
        return investments_of_deals(self.session, deal_ids=keys)


class InvestmentPagesOfCompany(Loader[PageKey[InvestmentRole], Page[models.Investment]]):
    def fetch(
        self, keys: Sequence[PageKey[InvestmentRole]]
    ) -> Mapping[PageKey[InvestmentRole], Page[models.Investment]]:
        return pages_by_role(
            keys,
            lambda ids, role, page: investments_of_companies(
                self.session, company_ids=ids, role=role, page=page
            ),
        )


class InvestmentCountOfCompany(Loader[CountKey[InvestmentRole], int]):
    def fetch(
        self, keys: Sequence[CountKey[InvestmentRole]]
    ) -> Mapping[CountKey[InvestmentRole], int]:
        return counts_by_role(
            keys,
            lambda ids, role: count_investments_of_companies(
                self.session, company_ids=ids, role=role
            ),
        )


@strawberry.type(description="Money put into a company by one or more investors.")
class Investment(Node, Fact):
    SUBJECT = EvidenceSubject.INVESTMENT
    key: str = strawberry.field(description="Readable unique key.")
    status: DealStatus = strawberry.field(
        description="Rumored, in talks, announced, agreed, completed or cancelled."
    )
    announced_on: str | None = strawberry.field(
        description="When it was announced, ISO-8601 prefix, or null."
    )
    value: Money | None = strawberry.field(description="The amount invested, if stated.")
    stake_percent: float | None = strawberry.field(description="Stake acquired, if stated.")
    round: str | None = strawberry.field(description="Financing round, as the source names it.")
    investee_pk: strawberry.Private[int]
    deal_pk: strawberry.Private[int | None]

    @strawberry.field(description="The companies putting money in.")
    async def investors(
        self, info: Info[Context, None], first: LIST_FIRST = None
    ) -> list[LazyCompany]:
        rows = await InvestorsOfInvestment.of(info).load(self.pk)
        return limited(info, first, [companies.Company.from_row(row) for row in rows])

    @strawberry.field(description="The company receiving the money.")
    async def investee(self, info: Info[Context, None]) -> LazyCompany:
        return await companies.Company.by_pk(info, self.investee_pk)

    @strawberry.field(description="The deal this investment is part of, if any.")
    async def deal(self, info: Info[Context, None]) -> LazyDeal | None:
        return None if self.deal_pk is None else await deals.Deal.by_pk(info, self.deal_pk)

    @classmethod
    async def by_pk(cls, info: Info[Context, None], pk: int) -> Investment:
        return cls.from_row(await InvestmentById.of(info).load(pk))

    @classmethod
    async def by_key(cls, info: Info[Context, None], key: str) -> Investment | None:
        row = await InvestmentByKey.of(info).load(key)
        return None if row is None else cls.from_row(row)

    @classmethod
    def from_row(cls, row: models.Investment) -> Investment:
        return cls(
            id=strawberry.ID(to_global_id("Investment", row.key)),
            key=row.key,
            status=row.status,
            announced_on=format_partial_date(row.announced_on, row.announced_precision),
            value=money_of(row),
            stake_percent=row.stake_percent,
            round=row.round,
            pk=row.pk,
            investee_pk=row.investee_id,
            deal_pk=row.deal_id,
        )


async def investments_of_company(
    info: Info[Context, None], company_pk: int, role: InvestmentRole | None, page: PageRequest
) -> Connection[Investment]:
    found = await InvestmentPagesOfCompany.of(info).load(PageKey(company_pk, role, page))
    counter = InvestmentCountOfCompany.of(info)
    return connection(
        found, Investment.from_row, lambda: counter.load(CountKey(company_pk, role)), page
    )


@strawberry.type
class InvestmentQuery:
    @strawberry.field(description="An investment by global id or by key.")
    async def investment(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID | None, ID_ARG] = None,
        key: Annotated[str | None, strawberry.argument(description="Readable key.")] = None,
    ) -> Investment | None:
        return await Investment.by_key(info, node_key("Investment", id, key))

    @strawberry.field(description="Investments, newest announcement first.")
    def investments(
        self,
        info: Info[Context, None],
        status: STATUS_FILTER = None,
        company: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only investments this company (global id) is in."),
        ] = None,
        role: Annotated[
            InvestmentRole | None,
            strawberry.argument(description="With `company`: only where it is on this side."),
        ] = None,
        announced_after: ANNOUNCED_AFTER = None,
        announced_before: ANNOUNCED_BEFORE = None,
        value_min_usd: VALUE_MIN = None,
        value_max_usd: VALUE_MAX = None,
        source: SOURCE_FILTER = None,
        order_by: ORDER_BY = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Investment]:
        company_id = company_pk(info, company)
        shared = fact_filter(
            info,
            status=status,
            announced_after=announced_after,
            announced_before=announced_before,
            value_min_usd=value_min_usd,
            value_max_usd=value_max_usd,
            source=source,
        )
        where = InvestmentFilter(shared=shared, company_id=company_id, role=role)
        order = sort_order(order_by)
        return root_connection(
            info,
            page_request(info, first, after, investment_ordering(order)),
            lambda s, page: list_investments(s, where=where, order=order, page=page),
            lambda s: count_investments(s, where=where),
            Investment.from_row,
        )
