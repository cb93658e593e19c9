"""Companies, the stakes held in them and the figures given for them."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.dates import format_partial_date
from api.graphql import deals, facts, graph, investments, people, timeline
from api.graphql.claims import Evidence, Fact, evidence_of
from api.graphql.context import ClientError, Context, loaders
from api.graphql.lazy import (
    LazyControl,
    LazyDealConnection,
    LazyInvestment,
    LazyPerson,
    LazyRole,
    LazySubsidiary,
    LazyTimelineEntry,
)
from api.graphql.loaders import PageKey
from api.graphql.relay import (
    AFTER,
    FIRST,
    ID_ARG,
    SEARCH_ARG,
    SLUG_ARG,
    Connection,
    Node,
    connection,
    node_key,
    page_size,
    root_connection,
)
from api.graphql.vocab import DealRole, InvestmentRole, StakeKind
from api.ids import to_global_id
from api.store import models
from api.store.claims import EvidenceSubject
from api.store.companies import count_companies, list_companies
from api.store.deals import DealFilter
from api.store.graph import MAX_DEPTH


async def company_by_pk(info: Info[Context, None], pk: int) -> Company:
    row = await loaders(info).company_by_id.load(pk)
    assert row is not None
    return Company.from_row(row)


@strawberry.type(description="A holder's ownership of part or all of a company.")
class Stake(Fact):
    SUBJECT = EvidenceSubject.STAKE
    kind: StakeKind = strawberry.field(description="Owned, controlling, major, minority, ...")
    percent: float | None = strawberry.field(description="Percentage held, if stated.")
    current: bool | None = strawberry.field(
        description="Whether the sources present it as held now; null where they do not say."
    )
    holder_pk: strawberry.Private[int]
    company_pk: strawberry.Private[int]

    @strawberry.field(description="Who holds the stake.")
    async def holder(self, info: Info[Context, None]) -> Company:
        return await company_by_pk(info, self.holder_pk)

    @strawberry.field(description="The company the stake is in.")
    async def company(self, info: Info[Context, None]) -> Company:
        return await company_by_pk(info, self.company_pk)

    @classmethod
    def from_row(cls, row: models.Stake) -> Stake:
        assert row.id is not None
        return cls(
            kind=row.kind,
            percent=row.percent,
            current=row.current,
            pk=row.id,
            holder_pk=row.holder_id,
            company_pk=row.company_id,
        )


@strawberry.type(
    description="A figure for a company and period: market share, users, revenue, ... Each "
    "source's figure is a claim; where they disagree, `value` is null unless one is preferred."
)
class Metric(Fact):
    SUBJECT = EvidenceSubject.METRIC
    name: str = strawberry.field(description="What is measured, e.g. `market_share`.")
    value: float | None = strawberry.field(
        description="The figure the sources agree on (or the preferred one); null if disputed."
    )
    unit: str = strawberry.field(description="`percent`, `USD`, `users`, ...")
    approximate: bool = strawberry.field(description="Whether a source hedges it.")
    period: str | None = strawberry.field(description='The period it covers, e.g. "H1 2019".')
    company_pk: strawberry.Private[int]

    @strawberry.field(description="The company measured.")
    async def company(self, info: Info[Context, None]) -> Company:
        return await company_by_pk(info, self.company_pk)

    @classmethod
    def from_row(cls, row: models.Metric) -> Metric:
        assert row.id is not None
        return cls(
            name=row.name,
            value=row.value,
            unit=row.unit,
            approximate=row.approximate,
            period=row.period,
            pk=row.id,
            company_pk=row.company_id,
        )


@strawberry.type(description="A company or other organisation named in the sources.")
class Company(Node):
    slug: str = strawberry.field(description="Readable unique key, such as `alibaba`.")
    name: str = strawberry.field(description="Canonical name.")
    aliases: list[str] = strawberry.field(description="Other names the sources or users use.")
    description: str | None = strawberry.field(description="A one-line description.")
    pk: strawberry.Private[int]

    @strawberry.field(description="The current chief executive, if the sources name one.")
    async def ceo(self, info: Info[Context, None]) -> LazyPerson | None:
        row = await loaders(info).ceo_by_company.load(self.pk)
        return None if row is None else people.Person.from_row(row)

    @strawberry.field(description="Deals the company is a party to, newest first.")
    async def deals(
        self,
        info: Info[Context, None],
        role: Annotated[
            DealRole | None,
            strawberry.argument(description="Only deals where it has this role."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> LazyDealConnection:
        batch = loaders(info)
        page = await batch.deal_page_by_company.load(
            PageKey(self.pk, role, page_size(info, first), after)
        )
        count = batch.deal_count_by_company
        return deals.deal_connection(
            connection(page, deals.Deal.from_row, lambda: count.load((self.pk, role)), after),
            DealFilter(company_id=self.pk, role=role),
        )

    @strawberry.field(description="Investments the company made or received, newest first.")
    async def investments(
        self,
        info: Info[Context, None],
        role: Annotated[
            InvestmentRole | None,
            strawberry.argument(description="Only investments where it is on this side."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[LazyInvestment]:
        batch = loaders(info)
        page = await batch.investment_page_by_company.load(
            PageKey(self.pk, role, page_size(info, first), after)
        )
        count = batch.investment_count_by_company
        return connection(
            page, investments.Investment.from_row, lambda: count.load((self.pk, role)), after
        )

    @strawberry.field(description="People's positions at the company.")
    async def roles(self, info: Info[Context, None]) -> list[LazyRole]:
        rows = await loaders(info).roles_by_company.load(self.pk)
        return [people.Role.from_row(row) for row in rows or []]

    @strawberry.field(description="Stakes others hold in the company.")
    async def owners(self, info: Info[Context, None]) -> list[Stake]:
        rows = await loaders(info).stakes_by_company.load(self.pk)
        return [Stake.from_row(row) for row in rows or []]

    @strawberry.field(description="Stakes the company holds in others.")
    async def holdings(self, info: Info[Context, None]) -> list[Stake]:
        rows = await loaders(info).stakes_by_holder.load(self.pk)
        return [Stake.from_row(row) for row in rows or []]

    @strawberry.field(
        description="The company that controls it, through an owned or controlling stake or a "
        "completed acquisition; null if none, or if the sources leave it ambiguous."
    )
    async def parent(self, info: Info[Context, None]) -> Company | None:
        edge = await loaders(info).parent_by_company.load(self.pk)
        return None if edge is None else await company_by_pk(info, edge.parent_id)

    @strawberry.field(description="The top of its chain of control; null if it has no parent.")
    async def ultimate_parent(self, info: Info[Context, None]) -> Company | None:
        chain = await loaders(info).control_chain_by_company.load(self.pk) or []
        return await company_by_pk(info, chain[-1].parent_id) if chain else None

    @strawberry.field(
        description="Each link from the company up to its ultimate parent, with the fact that "
        "establishes it."
    )
    async def control_chain(self, info: Info[Context, None]) -> list[LazyControl]:
        chain = await loaders(info).control_chain_by_company.load(self.pk) or []
        return [graph.Control(edge=edge) for edge in chain]

    @strawberry.field(description="Companies it controls, directly or through others.")
    async def subsidiaries(
        self,
        info: Info[Context, None],
        depth: Annotated[
            int,
            strawberry.argument(description=f"How many levels down, 1 to {MAX_DEPTH}."),
        ] = 1,
    ) -> list[LazySubsidiary]:
        if not 1 <= depth <= MAX_DEPTH:
            raise ClientError(f"`depth` must be between 1 and {MAX_DEPTH}, got {depth}")
        found = await loaders(info).subsidiaries.load((self.pk, depth)) or []
        return [graph.Subsidiary(depth=s.depth, control=graph.Control(edge=s.edge)) for s in found]

    @strawberry.field(
        description="Its deals, investments, appointments and metrics in date order, undated last."
    )
    async def timeline(self, info: Info[Context, None]) -> list[LazyTimelineEntry]:
        entries = await loaders(info).timeline_by_company.load(self.pk) or []
        return [
            timeline.TimelineEntry(
                kind=e.kind, date=format_partial_date(e.on, e.precision), fact=facts.as_fact(e.fact)
            )
            for e in entries
        ]

    @strawberry.field(description="Figures the sources give for the company, by name and period.")
    async def metrics(self, info: Info[Context, None]) -> list[Metric]:
        rows = await loaders(info).metrics_by_company.load(self.pk)
        return [Metric.from_row(row) for row in rows or []]

    @strawberry.field(description="Quotes that name the company.")
    async def evidence(self, info: Info[Context, None]) -> list[Evidence]:
        return await evidence_of(info, EvidenceSubject.COMPANY, self.pk)

    @classmethod
    async def by_key(cls, info: Info[Context, None], slug: str) -> Company | None:
        row = await loaders(info).company_by_slug.load(slug)
        return None if row is None else cls.from_row(row)

    @classmethod
    def from_row(cls, row: models.Company) -> Company:
        assert row.id is not None
        return cls(
            id=strawberry.ID(to_global_id("Company", row.slug)),
            slug=row.slug,
            name=row.name,
            aliases=list(row.aliases),
            description=row.description,
            pk=row.id,
        )


@strawberry.type
class CompanyQuery:
    @strawberry.field(description="A company by global id or by slug.")
    async def company(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID | None, ID_ARG] = None,
        slug: Annotated[str | None, SLUG_ARG] = None,
    ) -> Company | None:
        return await Company.by_key(info, node_key("Company", id, slug))

    @strawberry.field(description="Companies by name, alphabetically.")
    def companies(
        self,
        info: Info[Context, None],
        search: Annotated[str | None, SEARCH_ARG] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Company]:
        return root_connection(
            info,
            first,
            after,
            lambda s, limit: list_companies(s, search=search, limit=limit, after=after),
            lambda s: count_companies(s, search=search),
            Company.from_row,
        )
