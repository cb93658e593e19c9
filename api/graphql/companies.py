"""Companies, the stakes held in them and the figures given for them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.dates import format_partial_date
from api.graphql import deals, graph, investments, metrics, people, timeline
from api.graphql.claims import Evidence, Fact, quotes_of
from api.graphql.context import Context
from api.graphql.lazy import (
    LazyControl,
    LazyDeal,
    LazyDealConnection,
    LazyInvestment,
    LazyMetric,
    LazyPerson,
    LazyRole,
    LazySubsidiary,
    LazyTimelineEntry,
)
from api.graphql.loaders import Loader
from api.graphql.relay import (
    AFTER,
    FIRST,
    ID_ARG,
    LIST_FIRST,
    SEARCH_ARG,
    SLUG_ARG,
    Connection,
    Node,
    limited,
    name_search,
    node_key,
    page_request,
    root_connection,
)
from api.graphql.sources import Provenance
from api.graphql.vocab import (
    DealRole,
    InvestmentRole,
    PercentRange,
    StakeChange,
    StakeKind,
    percent_range_of,
)
from api.ids import to_global_id
from api.store import models
from api.store.claims import EvidenceSubject
from api.store.companies import (
    COMPANY_ORDER,
    ceos_of_companies,
    count_companies,
    list_companies,
    stakes_held_by,
    stakes_in,
)
from api.store.control import MAX_DEPTH
from api.store.rows import get_by_ids, get_by_keys
from api.vocab import IN_FORCE


class CompanyById(Loader[int, models.Company]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, models.Company]:
        return get_by_ids(self.session, model=models.Company, ids=keys)


class CompanyBySlug(Loader[str, models.Company | None]):
    def fetch(self, keys: Sequence[str]) -> Mapping[str, models.Company | None]:
        found = get_by_keys(self.session, model=models.Company, keys=keys)
        return {key: found.get(key) for key in keys}


class CeoOfCompany(Loader[int, models.Person | None]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, models.Person | None]:
        return ceos_of_companies(self.session, company_ids=keys)


class StakeById(Loader[int, models.Stake]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, models.Stake]:
        return get_by_ids(self.session, model=models.Stake, ids=keys)


class StakesInCompany(Loader[int, list[models.Stake]]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, list[models.Stake]]:
        return stakes_in(self.session, company_ids=keys)


class StakesHeldBy(Loader[int, list[models.Stake]]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, list[models.Stake]]:
        return stakes_held_by(self.session, company_ids=keys)


@strawberry.type(description="A holder's ownership of part or all of a company.")
class Stake(Fact):
    SUBJECT = EvidenceSubject.STAKE
    kind: StakeKind = strawberry.field(description="Owned, controlling, major, minority, ...")
    percent: float | None = strawberry.field(description="Percentage held, if stated exactly.")
    percent_range: PercentRange | None = strawberry.field(
        description="The percentage held, where a source gives a range."
    )
    current: bool | None = strawberry.field(
        description="Whether its document presents it as held at the time of writing (false: "
        "held before, no longer); null where it does not say."
    )
    as_of: str | None = strawberry.field(
        description="The date a source says it was held on, ISO-8601 prefix, if any."
    )
    change: StakeChange | None = strawberry.field(
        description="What its `deal` or `investment` does to it: the holder gains, sells or "
        "keeps it."
    )
    in_force: bool | None = strawberry.field(description=IN_FORCE)
    holder_pk: strawberry.Private[int]
    company_pk: strawberry.Private[int]
    deal_pk: strawberry.Private[int | None]
    investment_pk: strawberry.Private[int | None]

    @strawberry.field(description="The deal that changes it, if any.")
    async def deal(self, info: Info[Context, None]) -> LazyDeal | None:
        return None if self.deal_pk is None else await deals.Deal.by_pk(info, self.deal_pk)

    @strawberry.field(description="The investment that changes it, if any.")
    async def investment(self, info: Info[Context, None]) -> LazyInvestment | None:
        if self.investment_pk is None:
            return None
        return await investments.Investment.by_pk(info, self.investment_pk)

    @strawberry.field(description="Who holds the stake.")
    async def holder(self, info: Info[Context, None]) -> Company:
        return await Company.by_pk(info, self.holder_pk)

    @strawberry.field(description="The company the stake is in.")
    async def company(self, info: Info[Context, None]) -> Company:
        return await Company.by_pk(info, self.company_pk)

    @classmethod
    async def by_pk(cls, info: Info[Context, None], pk: int) -> Stake:
        return cls.from_row(await StakeById.of(info).load(pk))

    @classmethod
    def from_row(cls, row: models.Stake) -> Stake:
        return cls(
            kind=row.kind,
            percent=row.percent,
            percent_range=percent_range_of(row.percent_range),
            current=row.current,
            as_of=format_partial_date(row.as_of, row.as_of_precision),
            change=row.change,
            in_force=row.in_force,
            pk=row.pk,
            holder_pk=row.holder_id,
            company_pk=row.company_id,
            deal_pk=row.deal_id,
            investment_pk=row.investment_id,
        )


@strawberry.type(description="A company or other organisation named in the sources.")
class Company(Node):
    slug: str = strawberry.field(description="Readable unique key, such as `alibaba`.")
    name: str = strawberry.field(description="Canonical name.")
    aliases: list[str] = strawberry.field(description="Other names the sources or users use.")
    description: str | None = strawberry.field(description="A one-line description.")
    provenance: list[Provenance] = strawberry.field(
        description="How the name, each alias and the description are known: stated by a quote "
        "of a source, or added by an editor with a reason."
    )
    pk: strawberry.Private[int]

    @strawberry.field(description="The current chief executive, if the sources name one.")
    async def ceo(self, info: Info[Context, None]) -> LazyPerson | None:
        row = await CeoOfCompany.of(info).load(self.pk)
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
        page = page_request(info, first, after, deals.ORDERING)
        return await deals.deals_of_company(info, self.pk, role, page)

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
        page = page_request(info, first, after, investments.ORDERING)
        return await investments.investments_of_company(info, self.pk, role, page)

    @strawberry.field(description="People's positions at the company.")
    async def roles(self, info: Info[Context, None], first: LIST_FIRST = None) -> list[LazyRole]:
        rows = await people.RolesAtCompany.of(info).load(self.pk)
        return limited(info, first, [people.Role.from_row(row) for row in rows])

    @strawberry.field(description="Stakes others hold in the company.")
    async def owners(self, info: Info[Context, None], first: LIST_FIRST = None) -> list[Stake]:
        return limited(
            info,
            first,
            [Stake.from_row(row) for row in await StakesInCompany.of(info).load(self.pk)],
        )

    @strawberry.field(description="Stakes the company holds in others.")
    async def holdings(self, info: Info[Context, None], first: LIST_FIRST = None) -> list[Stake]:
        return limited(
            info, first, [Stake.from_row(row) for row in await StakesHeldBy.of(info).load(self.pk)]
        )

    @strawberry.field(
        description="The company that controls it now (or on `asOf`), through an owned or "
        "controlling stake in force (`Stake.inForce`: a stake a pending deal would give does "
        "not count yet) or a completed acquisition; null if none, or if the sources leave it "
        "ambiguous."
    )
    async def parent(self, info: Info[Context, None], as_of: graph.AsOf = None) -> Company | None:
        edge = await graph.ParentOfCompany.of(info).load(graph.control_key(self.pk, as_of))
        return None if edge is None else await Company.by_pk(info, edge.parent_id)

    @strawberry.field(description="The top of its chain of control; null if it has no parent.")
    async def ultimate_parent(
        self, info: Info[Context, None], as_of: graph.AsOf = None
    ) -> Company | None:
        chain = await graph.ControlChainOfCompany.of(info).load(graph.control_key(self.pk, as_of))
        return await Company.by_pk(info, chain[-1].parent_id) if chain else None

    @strawberry.field(
        description="Each link from the company up to its ultimate parent, with the fact that "
        "establishes it."
    )
    async def control_chain(
        self, info: Info[Context, None], as_of: graph.AsOf = None
    ) -> list[LazyControl]:
        chain = await graph.ControlChainOfCompany.of(info).load(graph.control_key(self.pk, as_of))
        return [graph.Control(edge=edge) for edge in chain]

    @strawberry.field(description="Companies it controls, directly or through others.")
    async def subsidiaries(
        self,
        info: Info[Context, None],
        depth: Annotated[
            int,
            strawberry.argument(description=f"How many levels down, 1 to {MAX_DEPTH}."),
        ] = 1,
        first: LIST_FIRST = None,
        as_of: graph.AsOf = None,
    ) -> list[LazySubsidiary]:
        return limited(info, first, await graph.subsidiaries_of(info, self.pk, depth, as_of))

    @strawberry.field(
        description="Its deals, investments, appointments and metrics in date order, undated last."
    )
    async def timeline(
        self, info: Info[Context, None], first: LIST_FIRST = None
    ) -> list[LazyTimelineEntry]:
        return limited(info, first, await timeline.timeline_of(info, self.pk))

    @strawberry.field(description="Figures the sources give for the company, by name and period.")
    async def metrics(
        self, info: Info[Context, None], first: LIST_FIRST = None
    ) -> list[LazyMetric]:
        return limited(
            info,
            first,
            [
                metrics.Metric.from_row(row)
                for row in await metrics.MetricsOfCompany.of(info).load(self.pk)
            ],
        )

    @strawberry.field(description="Quotes that name the company.")
    async def evidence(self, info: Info[Context, None], first: LIST_FIRST = None) -> list[Evidence]:
        return limited(info, first, await quotes_of(info, EvidenceSubject.COMPANY, self.pk))

    @classmethod
    async def by_pk(cls, info: Info[Context, None], pk: int) -> Company:
        return cls.from_row(await CompanyById.of(info).load(pk))

    @classmethod
    async def by_key(cls, info: Info[Context, None], slug: str) -> Company | None:
        row = await CompanyBySlug.of(info).load(slug)
        return None if row is None else cls.from_row(row)

    @classmethod
    def from_row(cls, row: models.Company) -> Company:
        return cls(
            id=strawberry.ID(to_global_id("Company", row.slug)),
            slug=row.slug,
            name=row.name,
            aliases=list(row.aliases),
            description=row.description,
            provenance=[Provenance.from_value(value) for value in row.provenance],
            pk=row.pk,
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
            page_request(info, first, after, COMPANY_ORDER),
            lambda s, page: list_companies(s, search=name_search(search), page=page),
            lambda s: count_companies(s, search=search),
            Company.from_row,
        )
