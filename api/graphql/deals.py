"""Deals: acquisitions, mergers, stake purchases and partnerships, their parties and totals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

import strawberry
from strawberry.types import Info

from api import vocab
from api.dates import format_partial_date
from api.graphql import companies, investments
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
from api.graphql.lazy import LazyCompany, LazyInvestment
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
from api.graphql.vocab import (
    DealKind,
    DealRole,
    DealStatus,
    DealTerm,
    Money,
    Tranche,
    Valuation,
    money_of,
)
from api.ids import to_global_id
from api.store import models
from api.store.claims import EvidenceSubject
from api.store.deals import (
    DealFilter,
    aggregate_deals,
    count_deals,
    count_deals_of_companies,
    deal_ordering,
    deals_of_companies,
    list_deals,
    parties_of_deals,
)
from api.store.paging import Page, PageRequest
from api.store.rows import get_by_ids, get_by_keys

# How a company's deals are listed: newest announcement first.
ORDERING = deal_ordering()


class DealById(Loader[int, models.Deal]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, models.Deal]:
        return get_by_ids(self.session, model=models.Deal, ids=keys)


class DealByKey(Loader[str, models.Deal | None]):
    def fetch(self, keys: Sequence[str]) -> Mapping[str, models.Deal | None]:
        found = get_by_keys(self.session, model=models.Deal, keys=keys)
        return {key: found.get(key) for key in keys}


class PartiesOfDeal(Loader[int, list[tuple[models.DealParty, models.Company]]]):
    def fetch(
        self, keys: Sequence[int]
    ) -> Mapping[int, list[tuple[models.DealParty, models.Company]]]:
        return parties_of_deals(self.session, deal_ids=keys)


class DealPagesOfCompany(Loader[PageKey[DealRole], Page[models.Deal]]):
    def fetch(
        self, keys: Sequence[PageKey[DealRole]]
    ) -> Mapping[PageKey[DealRole], Page[models.Deal]]:
        return pages_by_role(
            keys,
            lambda ids, role, page: deals_of_companies(
                self.session, company_ids=ids, role=role, page=page
            ),
        )


class DealCountOfCompany(Loader[CountKey[DealRole], int]):
    def fetch(self, keys: Sequence[CountKey[DealRole]]) -> Mapping[CountKey[DealRole], int]:
        return counts_by_role(
            keys,
            lambda ids, role: count_deals_of_companies(self.session, company_ids=ids, role=role),
        )


@strawberry.type(description="A company's part in a deal.")
class DealParty:
    role: DealRole = strawberry.field(description="Acquirer, target, seller, investor or partner.")
    stake_percent: float | None = strawberry.field(
        description="Percentage of the target this party buys or sells in the deal, if stated."
    )
    company: LazyCompany = strawberry.field(description="The company.")


def _structure(field: str) -> str | None:
    return vocab.DealStructure.model_fields[field].description


@strawberry.type(description="An acquisition, merger, stake purchase or partnership.")
class Deal(Node, Fact):
    SUBJECT = EvidenceSubject.DEAL
    key: str = strawberry.field(
        description="Readable unique key, such as `alibaba-acquires-kaola`."
    )
    kind: DealKind = strawberry.field(description="What kind of transaction it is.")
    status: DealStatus = strawberry.field(
        description="Rumored, in talks, announced, agreed, completed or cancelled."
    )
    announced_on: str | None = strawberry.field(
        description="When it was announced: ISO-8601 prefix with the precision the source gives "
        "(`2019-09-05`, `2015-12`, `2016`), or null."
    )
    completed_on: str | None = strawberry.field(
        description="When it completed, ISO-8601 prefix, or null."
    )
    value: Money | None = strawberry.field(description="What was paid, if stated.")
    tranches: list[Tranche] = strawberry.field(description=_structure("tranches"))
    valuation: Valuation | None = strawberry.field(description=_structure("valuation"))
    terms: list[DealTerm] = strawberry.field(description=_structure("terms"))
    non_exhaustive_roles: list[DealRole] = strawberry.field(
        description=_structure("non_exhaustive_roles")
    )

    async def _parties(self, info: Info[Context, None], role: DealRole | None) -> list[DealParty]:
        rows = await PartiesOfDeal.of(info).load(self.pk)
        return [
            DealParty(
                role=party.role,
                stake_percent=party.stake_percent,
                company=companies.Company.from_row(company),
            )
            for party, company in rows
            if role is None or party.role == role
        ]

    @strawberry.field(description="Every company involved, with its role.")
    async def parties(self, info: Info[Context, None], first: LIST_FIRST = None) -> list[DealParty]:
        return limited(info, first, await self._parties(info, None))

    @strawberry.field(description="The buying companies.")
    async def acquirers(
        self, info: Info[Context, None], first: LIST_FIRST = None
    ) -> list[LazyCompany]:
        return limited(
            info, first, [p.company for p in await self._parties(info, DealRole.ACQUIRER)]
        )

    @strawberry.field(description="The companies bought (or in which a stake is bought).")
    async def targets(
        self, info: Info[Context, None], first: LIST_FIRST = None
    ) -> list[LazyCompany]:
        return limited(info, first, [p.company for p in await self._parties(info, DealRole.TARGET)])

    @strawberry.field(description="The companies selling.")
    async def sellers(
        self, info: Info[Context, None], first: LIST_FIRST = None
    ) -> list[LazyCompany]:
        return limited(info, first, [p.company for p in await self._parties(info, DealRole.SELLER)])

    @strawberry.field(description="Investments made as part of this deal.")
    async def investments(
        self, info: Info[Context, None], first: LIST_FIRST = None
    ) -> list[LazyInvestment]:
        rows = await investments.InvestmentsOfDeal.of(info).load(self.pk)
        return limited(info, first, [investments.Investment.from_row(row) for row in rows])

    @classmethod
    async def by_pk(cls, info: Info[Context, None], pk: int) -> Deal:
        return cls.from_row(await DealById.of(info).load(pk))

    @classmethod
    async def by_key(cls, info: Info[Context, None], key: str) -> Deal | None:
        row = await DealByKey.of(info).load(key)
        return None if row is None else cls.from_row(row)

    @classmethod
    def from_row(cls, row: models.Deal) -> Deal:
        structure = row.structure()
        valuation = structure.valuation
        return cls(
            id=strawberry.ID(to_global_id("Deal", row.key)),
            key=row.key,
            kind=row.kind,
            status=row.status,
            announced_on=format_partial_date(row.announced_on, row.announced_precision),
            completed_on=format_partial_date(row.completed_on, row.completed_precision),
            value=money_of(row),
            tranches=[Tranche.from_pydantic(tranche) for tranche in structure.tranches],
            valuation=None if valuation is None else Valuation.from_pydantic(valuation),
            terms=[DealTerm.from_pydantic(term) for term in structure.terms],
            non_exhaustive_roles=structure.non_exhaustive_roles,
            pk=row.pk,
        )


@strawberry.type(description="Deals sharing a year or a kind, with their total value.")
class AggregateBucket:
    key: str = strawberry.field(description='The year ("unknown" if undated) or the kind.')
    count: int = strawberry.field(description="How many deals.")
    total_value_usd: float = strawberry.field(description="Their summed value stated in USD.")


@strawberry.type(description="Totals over every deal a filter selects, not only this page.")
class DealAggregate:
    count: int = strawberry.field(description="How many deals.")
    total_value_usd: float = strawberry.field(
        description="Their summed value, counting values stated in USD (no exchange rates)."
    )
    by_year: list[AggregateBucket] = strawberry.field(description="By year of announcement.")
    by_kind: list[AggregateBucket] = strawberry.field(description="By kind of deal.")


@strawberry.type(description="A page of deals, with totals over all that the filter selects.")
class DealConnection(Connection[Deal]):
    where: strawberry.Private[DealFilter]

    @strawberry.field(
        description="Count and value by year and by kind, for charts: one statement per "
        "connection it is asked on."
    )
    def aggregate(self, info: Info[Context, None]) -> DealAggregate:
        found = aggregate_deals(info.context.session, where=self.where)
        return DealAggregate(
            count=found.count,
            total_value_usd=found.total_value_usd,
            by_year=[AggregateBucket(**vars(b)) for b in found.by_year],
            by_kind=[AggregateBucket(**vars(b)) for b in found.by_kind],
        )


def deal_connection(page: Connection[Deal], where: DealFilter) -> DealConnection:
    return DealConnection(
        edges=page.edges, nodes=page.nodes, page_info=page.page_info, count=page.count, where=where
    )


async def deals_of_company(
    info: Info[Context, None], company_pk: int, role: DealRole | None, page: PageRequest
) -> DealConnection:
    found = await DealPagesOfCompany.of(info).load(PageKey(company_pk, role, page))
    counter = DealCountOfCompany.of(info)
    return deal_connection(
        connection(found, Deal.from_row, lambda: counter.load(CountKey(company_pk, role)), page),
        DealFilter(company_id=company_pk, role=role),
    )


@strawberry.type
class DealQuery:
    @strawberry.field(description="A deal by global id or by key.")
    async def deal(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID | None, ID_ARG] = None,
        key: Annotated[str | None, strawberry.argument(description="Readable key.")] = None,
    ) -> Deal | None:
        return await Deal.by_key(info, node_key("Deal", id, key))

    @strawberry.field(description="Deals, newest announcement first, optionally filtered.")
    def deals(
        self,
        info: Info[Context, None],
        kind: Annotated[DealKind | None, strawberry.argument(description="Only this kind.")] = None,
        status: STATUS_FILTER = None,
        company: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only deals this company (global id) is party to."),
        ] = None,
        role: Annotated[
            DealRole | None, strawberry.argument(description="Only parties with this role.")
        ] = None,
        announced_after: ANNOUNCED_AFTER = None,
        announced_before: ANNOUNCED_BEFORE = None,
        value_min_usd: VALUE_MIN = None,
        value_max_usd: VALUE_MAX = None,
        source: SOURCE_FILTER = None,
        order_by: ORDER_BY = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> DealConnection:
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
        where = DealFilter(shared=shared, kind=kind, company_id=company_id, role=role)
        order = sort_order(order_by)
        page = root_connection(
            info,
            page_request(info, first, after, deal_ordering(order)),
            lambda s, page: list_deals(s, where=where, order=order, page=page),
            lambda s: count_deals(s, where=where),
            Deal.from_row,
        )
        return deal_connection(page, where)
