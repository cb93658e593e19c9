"""The GraphQL schema: Relay-style types over the data-access module, resolved through
per-request DataLoaders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Generic, TypeVar

import strawberry
from graphql import GraphQLError
from sqlmodel import Session
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.scalars import JSON
from strawberry.types import Info

from api import crud, facts, graph, models
from api.claims import describe
from api.config import Settings
from api.dates import Precision, format_partial_date
from api.ids import InvalidToken, from_global_id, to_global_id
from api.loaders import Loaders, PageKey
from api.search import Kind as SearchKind


class ClientError(Exception):
    """A problem with the request itself; its message is shown to the client."""


@dataclass
class Context:
    session: Session
    settings: Settings
    loaders: Loaders


def _loaders(info: Info[Context, None]) -> Loaders:
    return info.context.loaders


strawberry.enum(facts.DealKind, description="What kind of transaction a deal is.")
strawberry.enum(facts.DealStatus, description="How far a deal has got, as its sources state it.")
strawberry.enum(facts.DealRole, description="The part a company plays in a deal.")
strawberry.enum(facts.StakeKind, description="How much of a company a holder owns.")
strawberry.enum(crud.InvestmentRole, description="Which side of an investment a company is on.")
strawberry.enum(
    crud.SortField, name="FactSortField", description="What to sort deals or investments by."
)
strawberry.enum(crud.Direction, name="SortDirection", description="Ascending or descending.")
strawberry.enum(crud.TimelineKind, description="What happened at a point of a company's timeline.")
strawberry.enum(SearchKind, name="SearchKind", description="What a search hit is.")
strawberry.enum(
    facts.ClaimRank,
    description="How much weight a claim carries: preferred claims give a fact's value; "
    "deprecated ones are kept but known to be wrong.",
)


def _date(day: dt.date | None, precision: Precision | None) -> str | None:
    return format_partial_date(day, precision)


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global id, stable across reloads.")


@strawberry.type(description="Where one page of a connection starts and ends.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="Whether this page was asked for after a cursor."
    )
    start_cursor: str | None = strawberry.field(description="Cursor of the first item, if any.")
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last item: pass it as `after` for the next page."
    )


NodeT = TypeVar("NodeT")


@strawberry.type(description="An item of a connection with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque cursor of this item.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, with keyset cursors (Relay connection).")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items with their cursors.")
    nodes: list[NodeT] = strawberry.field(description="The items.")
    page_info: PageInfo = strawberry.field(description="Where this page starts and ends.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list holds, across all pages.")
    async def total_count(self) -> int:
        return await self.count()


def _connection(
    page: crud.Page[Any],
    convert: Callable[[Any], NodeT],
    count: Callable[[], Awaitable[int]],
    after: str | None,
) -> Connection[NodeT]:
    nodes = [convert(row) for row in page.items]
    cursors = [page.ordering.cursor(row) for row in page.items]
    return Connection(
        edges=[Edge(cursor=c, node=n) for c, n in zip(cursors, nodes, strict=True)],
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=after is not None,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        ),
        count=count,
    )


def _page_size(info: Info[Context, None], first: int | None) -> int:
    settings = info.context.settings
    if first is None:
        return settings.default_page_size
    if not 0 <= first <= settings.max_page_size:
        raise ClientError(f"`first` must be between 0 and {settings.max_page_size}, got {first}")
    return first


async def _evidence(
    info: Info[Context, None], subject: crud.EvidenceSubject, pk: int
) -> list[Evidence]:
    rows = await _loaders(info).evidence[subject].load(pk)
    return [Evidence.from_row(row) for row in rows or []]


EVIDENCE_DESCRIPTION = "Verbatim quotes from sources that state this fact."


@strawberry.type(description="A source document: a news article the facts were read from.")
class Source(Node):
    slug: str = strawberry.field(description="The document's file name without extension.")
    title: str = strawberry.field(description="Headline, or a short title where it has none.")
    publisher: str | None = strawberry.field(description="Who published it, where stated.")
    published_on: str | None = strawberry.field(
        description="Publication date as an ISO-8601 prefix (day, month or year), if known."
    )
    url: str | None = strawberry.field(description="Where it was published, if known.")
    text: str = strawberry.field(description="The full text; evidence offsets index into it.")

    @classmethod
    def from_row(cls, row: models.Source) -> Source:
        return cls(
            id=strawberry.ID(to_global_id("Source", row.slug)),
            slug=row.slug,
            title=row.title,
            publisher=row.publisher,
            published_on=_date(row.published_on, row.published_precision),
            url=row.url,
            text=row.text,
        )


@strawberry.type(description="A verbatim quote from a source that states a fact.")
class Evidence:
    quote: str = strawberry.field(description="The exact words, as they occur in the source.")
    start_offset: int = strawberry.field(
        description="Index of the quote's first character in the source text (code points)."
    )
    end_offset: int = strawberry.field(description="Index just past the quote's last character.")
    source_pk: strawberry.Private[int]

    @strawberry.field(description="The document the quote is from.")
    async def source(self, info: Info[Context, None]) -> Source:
        row = await _loaders(info).source_by_id.load(self.source_pk)
        assert row is not None
        return Source.from_row(row)

    @classmethod
    def from_row(cls, row: models.Evidence) -> Evidence:
        return cls(
            quote=row.quote,
            start_offset=row.start_offset,
            end_offset=row.end_offset,
            source_pk=row.source_id,
        )


@strawberry.type(description="An amount of money as a source states it.")
class Money:
    amount: float = strawberry.field(description="The amount in whole units of the currency.")
    currency: str = strawberry.field(description="ISO 4217 code, such as USD.")
    approximate: bool = strawberry.field(
        description='Whether a source hedges it ("about", "approximately").'
    )
    text: str = strawberry.field(description='The words the source uses, such as "about $1bn".')

    @classmethod
    def from_row(cls, row: models.MoneyColumns) -> Money | None:
        money = row.money()
        return None if money is None else cls(**money.model_dump())


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


@strawberry.type(
    description="One source's statement of one field of a fact: the value it gives, the quote "
    "that gives it, who it attributes it to and how much weight it carries."
)
class Claim:
    field: str = strawberry.field(
        description="The field it is about, named as in this schema (`announcedOn`, `value`)."
    )
    value: JSON = strawberry.field(
        description="The claimed value: a number, string or boolean; money as {amount, currency, "
        "approximate, text}; a metric as {amount, unit, approximate}; a date as {date, weekday}, "
        "`date` an ISO-8601 prefix or null where the source names only a weekday."
    )
    text: str = strawberry.field(description="The claimed value as a person would write it.")
    rank: facts.ClaimRank = strawberry.field(description="Preferred, normal or deprecated.")
    rank_reason: str | None = strawberry.field(
        description="Why the claim is preferred or deprecated."
    )
    note: str | None = strawberry.field(
        description="How the value was read from the text, such as a weekday resolved against "
        "the publication date."
    )
    evidence_pk: strawberry.Private[int]
    company_pk: strawberry.Private[int | None]
    person_pk: strawberry.Private[int | None]

    @strawberry.field(description="The quote that states it, and its source.")
    async def evidence(self, info: Info[Context, None]) -> Evidence:
        row = await _loaders(info).evidence_by_id.load(self.evidence_pk)
        assert row is not None
        return Evidence.from_row(row)

    @strawberry.field(
        description='Who the source attributes it to ("according to iiMedia Research"), if anyone.'
    )
    async def attributed_to(self, info: Info[Context, None]) -> Entity | None:
        if self.company_pk is not None:
            return await _company(info, self.company_pk)
        if self.person_pk is not None:
            return await _person(info, self.person_pk)
        return None

    @classmethod
    def from_row(cls, row: models.Claim) -> Claim:
        return cls(
            field=_camel(row.field),
            value=row.value,
            text=describe(row.value),
            rank=row.rank,
            rank_reason=row.rank_reason,
            note=row.note,
            evidence_pk=row.evidence_id,
            company_pk=row.attributed_company_id,
            person_pk=row.attributed_person_id,
        )


@strawberry.interface(
    description="A statement the sources make: a deal, investment, stake, role or metric. Its "
    "fields give the preferred value; `claims` gives every source's version."
)
class Fact:
    pk: strawberry.Private[int]
    SUBJECT: ClassVar[crud.EvidenceSubject]

    @strawberry.field(description="Every source's claim about the fact's fields, by field.")
    async def claims(
        self,
        info: Info[Context, None],
        field: Annotated[
            str | None, strawberry.argument(description="Only claims about this field.")
        ] = None,
    ) -> list[Claim]:
        rows = await _loaders(info).claims[self.SUBJECT].load(self.pk) or []
        wanted = None if field is None else _snake(field)
        return [Claim.from_row(row) for row in rows if wanted in (None, row.field)]

    @strawberry.field(
        description="Fields whose claims disagree. A disputed field is null unless a claim is "
        "preferred or the others are deprecated; see `conflicts`."
    )
    async def disputed_fields(self, info: Info[Context, None]) -> list[str]:
        rows = await _loaders(info).claims[self.SUBJECT].load(self.pk) or []
        return list(dict.fromkeys(_camel(r.field) for r in rows if r.conflict_id is not None))

    @strawberry.field(description=EVIDENCE_DESCRIPTION)
    async def evidence(self, info: Info[Context, None]) -> list[Evidence]:
        return await _evidence(info, self.SUBJECT, self.pk)


RowT = TypeVar("RowT")


def _found(row: RowT | None) -> RowT:
    """A row the store's foreign keys guarantee exists."""
    assert row is not None
    return row


async def _company(info: Info[Context, None], pk: int) -> Company:
    row = await _loaders(info).company_by_id.load(pk)
    assert row is not None
    return Company.from_row(row)


async def _person(info: Info[Context, None], pk: int) -> Person:
    row = await _loaders(info).person_by_id.load(pk)
    assert row is not None
    return Person.from_row(row)


@strawberry.type(description="A person's position at a company.")
class Role(Fact):
    SUBJECT = crud.EvidenceSubject.ROLE
    title: str = strawberry.field(description='Normalised title, e.g. "Chief Executive Officer".')
    current: bool | None = strawberry.field(
        description="Whether the sources present it as current; null where they do not say."
    )
    started_on: str | None = strawberry.field(description="Start date, ISO-8601 prefix, if stated.")
    ended_on: str | None = strawberry.field(description="End date, ISO-8601 prefix, if stated.")
    person_pk: strawberry.Private[int]
    company_pk: strawberry.Private[int]

    @strawberry.field(description="Who holds the position.")
    async def person(self, info: Info[Context, None]) -> Person:
        return await _person(info, self.person_pk)

    @strawberry.field(description="Where the position is held.")
    async def company(self, info: Info[Context, None]) -> Company:
        return await _company(info, self.company_pk)

    @classmethod
    def from_row(cls, row: models.Role) -> Role:
        assert row.id is not None
        return cls(
            title=row.title,
            current=row.current,
            started_on=_date(row.started_on, row.started_precision),
            ended_on=_date(row.ended_on, row.ended_precision),
            pk=row.id,
            person_pk=row.person_id,
            company_pk=row.company_id,
        )


@strawberry.type(description="A person named in the sources.")
class Person(Node):
    slug: str = strawberry.field(description="Readable unique key, such as `alvin-liu`.")
    name: str = strawberry.field(description="Canonical name.")
    aliases: list[str] = strawberry.field(description="Other names the person is known by.")
    description: str | None = strawberry.field(description="A one-line description.")
    pk: strawberry.Private[int]

    @strawberry.field(description="Positions the person holds or held, with evidence.")
    async def roles(self, info: Info[Context, None]) -> list[Role]:
        rows = await _loaders(info).roles_by_person.load(self.pk)
        return [Role.from_row(row) for row in rows or []]

    @strawberry.field(description="Quotes that name the person.")
    async def evidence(self, info: Info[Context, None]) -> list[Evidence]:
        return await _evidence(info, crud.EvidenceSubject.PERSON, self.pk)

    @classmethod
    def from_row(cls, row: models.Person) -> Person:
        assert row.id is not None
        return cls(
            id=strawberry.ID(to_global_id("Person", row.slug)),
            slug=row.slug,
            name=row.name,
            aliases=list(row.aliases),
            description=row.description,
            pk=row.id,
        )


@strawberry.type(description="A company's part in a deal.")
class DealParty:
    role: facts.DealRole = strawberry.field(
        description="Acquirer, target, seller, investor or partner."
    )
    stake_percent: float | None = strawberry.field(
        description="Percentage of the target this party buys or sells in the deal, if stated."
    )
    company: Company = strawberry.field(description="The company.")


@strawberry.type(description="An acquisition, merger, stake purchase or partnership.")
class Deal(Node, Fact):
    SUBJECT = crud.EvidenceSubject.DEAL
    key: str = strawberry.field(
        description="Readable unique key, such as `alibaba-acquires-kaola`."
    )
    kind: facts.DealKind = strawberry.field(description="What kind of transaction it is.")
    status: facts.DealStatus = strawberry.field(
        description="Rumored, announced, completed or cancelled."
    )
    announced_on: str | None = strawberry.field(
        description="When it was announced: ISO-8601 prefix with the precision the source gives "
        "(`2019-09-05`, `2015-12`, `2016`), or null."
    )
    completed_on: str | None = strawberry.field(
        description="When it completed, ISO-8601 prefix, or null."
    )
    value: Money | None = strawberry.field(description="What was paid, if stated.")

    async def _parties(
        self, info: Info[Context, None], role: facts.DealRole | None
    ) -> list[DealParty]:
        rows = await _loaders(info).parties_by_deal.load(self.pk) or []
        return [
            DealParty(
                role=party.role,
                stake_percent=party.stake_percent,
                company=Company.from_row(company),
            )
            for party, company in rows
            if role is None or party.role == role
        ]

    @strawberry.field(description="Every company involved, with its role.")
    async def parties(self, info: Info[Context, None]) -> list[DealParty]:
        return await self._parties(info, None)

    @strawberry.field(description="The buying companies.")
    async def acquirers(self, info: Info[Context, None]) -> list[Company]:
        return [p.company for p in await self._parties(info, facts.DealRole.ACQUIRER)]

    @strawberry.field(description="The companies bought (or in which a stake is bought).")
    async def targets(self, info: Info[Context, None]) -> list[Company]:
        return [p.company for p in await self._parties(info, facts.DealRole.TARGET)]

    @strawberry.field(description="The companies selling.")
    async def sellers(self, info: Info[Context, None]) -> list[Company]:
        return [p.company for p in await self._parties(info, facts.DealRole.SELLER)]

    @strawberry.field(description="Investments made as part of this deal.")
    async def investments(self, info: Info[Context, None]) -> list[Investment]:
        rows = await _loaders(info).investments_by_deal.load(self.pk)
        return [Investment.from_row(row) for row in rows or []]

    @classmethod
    def from_row(cls, row: models.Deal) -> Deal:
        assert row.id is not None
        return cls(
            id=strawberry.ID(to_global_id("Deal", row.key)),
            key=row.key,
            kind=row.kind,
            status=row.status,
            announced_on=_date(row.announced_on, row.announced_precision),
            completed_on=_date(row.completed_on, row.completed_precision),
            value=Money.from_row(row),
            pk=row.id,
        )


@strawberry.type(description="Money put into a company by one or more investors.")
class Investment(Node, Fact):
    SUBJECT = crud.EvidenceSubject.INVESTMENT
    key: str = strawberry.field(description="Readable unique key.")
    status: facts.DealStatus = strawberry.field(
        description="Rumored, announced, completed or cancelled."
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
    async def investors(self, info: Info[Context, None]) -> list[Company]:
        rows = await _loaders(info).investors_by_investment.load(self.pk)
        return [Company.from_row(row) for row in rows or []]

    @strawberry.field(description="The company receiving the money.")
    async def investee(self, info: Info[Context, None]) -> Company:
        return await _company(info, self.investee_pk)

    @strawberry.field(description="The deal this investment is part of, if any.")
    async def deal(self, info: Info[Context, None]) -> Deal | None:
        if self.deal_pk is None:
            return None
        row = await _loaders(info).deal_by_id.load(self.deal_pk)
        return None if row is None else Deal.from_row(row)

    @classmethod
    def from_row(cls, row: models.Investment) -> Investment:
        assert row.id is not None
        return cls(
            id=strawberry.ID(to_global_id("Investment", row.key)),
            key=row.key,
            status=row.status,
            announced_on=_date(row.announced_on, row.announced_precision),
            value=Money.from_row(row),
            stake_percent=row.stake_percent,
            round=row.round,
            pk=row.id,
            investee_pk=row.investee_id,
            deal_pk=row.deal_id,
        )


@strawberry.type(description="A holder's ownership of part or all of a company.")
class Stake(Fact):
    SUBJECT = crud.EvidenceSubject.STAKE
    kind: facts.StakeKind = strawberry.field(description="Owned, controlling, major, minority, ...")
    percent: float | None = strawberry.field(description="Percentage held, if stated.")
    current: bool | None = strawberry.field(
        description="Whether the sources present it as held now; null where they do not say."
    )
    holder_pk: strawberry.Private[int]
    company_pk: strawberry.Private[int]

    @strawberry.field(description="Who holds the stake.")
    async def holder(self, info: Info[Context, None]) -> Company:
        return await _company(info, self.holder_pk)

    @strawberry.field(description="The company the stake is in.")
    async def company(self, info: Info[Context, None]) -> Company:
        return await _company(info, self.company_pk)

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
    SUBJECT = crud.EvidenceSubject.METRIC
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
        return await _company(info, self.company_pk)

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


@strawberry.type(description="A field of a fact whose sources disagree, with every claim.")
class Conflict:
    field: str = strawberry.field(description="The disputed field, named as in this schema.")
    resolved: bool = strawberry.field(
        description="Whether the fact still has a value: a claim is preferred, or all but one "
        "value are deprecated."
    )
    pk: strawberry.Private[int]
    row: strawberry.Private[models.Conflict]

    @strawberry.field(description="The fact in dispute.")
    async def fact(self, info: Info[Context, None]) -> Fact:
        loaders = _loaders(info)
        subjects: tuple[tuple[int | None, Any], ...] = (
            (self.row.deal_id, loaders.deal_by_id),
            (self.row.investment_id, loaders.investment_by_id),
            (self.row.stake_id, loaders.stake_by_id),
            (self.row.role_id, loaders.role_by_id),
            (self.row.metric_id, loaders.metric_by_id),
        )
        pk, loader = next(subject for subject in subjects if subject[0] is not None)
        return _fact(_found(await loader.load(pk)))

    @strawberry.field(description="Every claim about the field, the competing values included.")
    async def claims(self, info: Info[Context, None]) -> list[Claim]:
        rows = await _loaders(info).claims_by_conflict.load(self.pk)
        return [Claim.from_row(row) for row in rows or []]

    @classmethod
    def from_row(cls, row: models.Conflict) -> Conflict:
        assert row.id is not None
        return cls(field=_camel(row.field), resolved=row.resolved, pk=row.id, row=row)


FIRST = "How many items to return (default and maximum set by the server)."
AFTER = "Return the items after this cursor (an `endCursor` or edge `cursor`)."


@strawberry.type(description="A company or other organisation named in the sources.")
class Company(Node):
    slug: str = strawberry.field(description="Readable unique key, such as `alibaba`.")
    name: str = strawberry.field(description="Canonical name.")
    aliases: list[str] = strawberry.field(description="Other names the sources or users use.")
    description: str | None = strawberry.field(description="A one-line description.")
    pk: strawberry.Private[int]

    @strawberry.field(description="The current chief executive, if the sources name one.")
    async def ceo(self, info: Info[Context, None]) -> Person | None:
        row = await _loaders(info).ceo_by_company.load(self.pk)
        return None if row is None else Person.from_row(row)

    @strawberry.field(description="Deals the company is a party to, newest first.")
    async def deals(
        self,
        info: Info[Context, None],
        role: Annotated[
            facts.DealRole | None,
            strawberry.argument(description="Only deals where it has this role."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> DealConnection:
        loaders = _loaders(info)
        page = await loaders.deal_page_by_company.load(
            PageKey(self.pk, role, _page_size(info, first), after)
        )
        count = loaders.deal_count_by_company
        return _deal_connection(
            _connection(page, Deal.from_row, lambda: count.load((self.pk, role)), after),
            crud.DealFilter(company_id=self.pk, role=role),
        )

    @strawberry.field(description="Investments the company made or received, newest first.")
    async def investments(
        self,
        info: Info[Context, None],
        role: Annotated[
            crud.InvestmentRole | None,
            strawberry.argument(description="Only investments where it is on this side."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Investment]:
        loaders = _loaders(info)
        page = await loaders.investment_page_by_company.load(
            PageKey(self.pk, role, _page_size(info, first), after)
        )
        count = loaders.investment_count_by_company
        return _connection(page, Investment.from_row, lambda: count.load((self.pk, role)), after)

    @strawberry.field(description="People's positions at the company.")
    async def roles(self, info: Info[Context, None]) -> list[Role]:
        rows = await _loaders(info).roles_by_company.load(self.pk)
        return [Role.from_row(row) for row in rows or []]

    @strawberry.field(description="Stakes others hold in the company.")
    async def owners(self, info: Info[Context, None]) -> list[Stake]:
        rows = await _loaders(info).stakes_by_company.load(self.pk)
        return [Stake.from_row(row) for row in rows or []]

    @strawberry.field(description="Stakes the company holds in others.")
    async def holdings(self, info: Info[Context, None]) -> list[Stake]:
        rows = await _loaders(info).stakes_by_holder.load(self.pk)
        return [Stake.from_row(row) for row in rows or []]

    @strawberry.field(
        description="The company that controls it, through an owned or controlling stake or a "
        "completed acquisition; null if none, or if the sources leave it ambiguous."
    )
    async def parent(self, info: Info[Context, None]) -> Company | None:
        edge = await _loaders(info).parent_by_company.load(self.pk)
        return None if edge is None else await _company(info, edge.parent_id)

    @strawberry.field(description="The top of its chain of control; null if it has no parent.")
    async def ultimate_parent(self, info: Info[Context, None]) -> Company | None:
        chain = await _loaders(info).control_chain_by_company.load(self.pk) or []
        return await _company(info, chain[-1].parent_id) if chain else None

    @strawberry.field(
        description="Each link from the company up to its ultimate parent, with the fact that "
        "establishes it."
    )
    async def control_chain(self, info: Info[Context, None]) -> list[Control]:
        chain = await _loaders(info).control_chain_by_company.load(self.pk) or []
        return [Control(edge=edge) for edge in chain]

    @strawberry.field(description="Companies it controls, directly or through others.")
    async def subsidiaries(
        self,
        info: Info[Context, None],
        depth: Annotated[
            int,
            strawberry.argument(description=f"How many levels down, 1 to {graph.MAX_DEPTH}."),
        ] = 1,
    ) -> list[Subsidiary]:
        if not 1 <= depth <= graph.MAX_DEPTH:
            raise ClientError(f"`depth` must be between 1 and {graph.MAX_DEPTH}, got {depth}")
        found = await _loaders(info).subsidiaries.load((self.pk, depth)) or []
        return [Subsidiary(depth=s.depth, control=Control(edge=s.edge)) for s in found]

    @strawberry.field(
        description="Its deals, investments, appointments and metrics in date order, undated last."
    )
    async def timeline(self, info: Info[Context, None]) -> list[TimelineEntry]:
        entries = await _loaders(info).timeline_by_company.load(self.pk) or []
        return [
            TimelineEntry(kind=e.kind, date=_date(e.on, e.precision), fact=_fact(e.fact))
            for e in entries
        ]

    @strawberry.field(description="Figures the sources give for the company, by name and period.")
    async def metrics(self, info: Info[Context, None]) -> list[Metric]:
        rows = await _loaders(info).metrics_by_company.load(self.pk)
        return [Metric.from_row(row) for row in rows or []]

    @strawberry.field(description="Quotes that name the company.")
    async def evidence(self, info: Info[Context, None]) -> list[Evidence]:
        return await _evidence(info, crud.EvidenceSubject.COMPANY, self.pk)

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


@strawberry.type(description="A highlighted range of a snippet.")
class Highlight:
    start: int = strawberry.field(description="Index of its first character in the snippet text.")
    end: int = strawberry.field(description="Index just past its last character.")


@strawberry.type(description="A passage of the hit's text with the matched words marked.")
class Snippet:
    text: str = strawberry.field(description="Plain text: escape it as any other text.")
    highlights: list[Highlight] = strawberry.field(description="Where the matches are in it.")


@strawberry.type(description="One search result.")
class SearchHit:
    kind: SearchKind = strawberry.field(description="Company, person, deal or source.")
    score: float = strawberry.field(description="Relevance; higher is better, within one search.")
    snippet: Snippet = strawberry.field(description="Where the query matched.")
    cursor: str = strawberry.field(description="Pass as `after` for the hits after this one.")
    pk: strawberry.Private[int]

    @strawberry.field(description="The company, person, deal or source found.")
    async def node(self, info: Info[Context, None]) -> Node:
        loaders = _loaders(info)
        if self.kind is SearchKind.COMPANY:
            return await _company(info, self.pk)
        if self.kind is SearchKind.PERSON:
            return await _person(info, self.pk)
        if self.kind is SearchKind.DEAL:
            return Deal.from_row(_found(await loaders.deal_by_id.load(self.pk)))
        return Source.from_row(_found(await loaders.source_by_id.load(self.pk)))


@strawberry.type(description="A page of search results, best first.")
class SearchResults:
    hits: list[SearchHit] = strawberry.field(description="The hits on this page.")
    page_info: PageInfo = strawberry.field(description="Where this page starts and ends.")


@strawberry.input(description="How to sort deals or investments; ties are broken by id.")
class FactOrder:
    field: crud.SortField = strawberry.field(
        default=crud.SortField.ANNOUNCED_ON,
        description="Announcement date, value in USD or key. Facts without it sort lowest.",
    )
    direction: crud.Direction = strawberry.field(
        default=crud.Direction.DESC, description="ASC or DESC."
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
    where: strawberry.Private[crud.DealFilter]

    @strawberry.field(
        description="Count and value by year and by kind, for charts: one statement per "
        "connection it is asked on."
    )
    def aggregate(self, info: Info[Context, None]) -> DealAggregate:
        found = crud.aggregate_deals(info.context.session, where=self.where)
        return DealAggregate(
            count=found.count,
            total_value_usd=found.total_value_usd,
            by_year=[AggregateBucket(**vars(b)) for b in found.by_year],
            by_kind=[AggregateBucket(**vars(b)) for b in found.by_kind],
        )


@strawberry.type(description="One event in a company's history, with the fact behind it.")
class TimelineEntry:
    kind: crud.TimelineKind = strawberry.field(description="What happened.")
    date: str | None = strawberry.field(
        description="When, as an ISO-8601 prefix with the precision the sources give; null if "
        "undated (undated entries come last)."
    )
    fact: Fact = strawberry.field(
        description="The deal, investment, role or metric: its evidence and claims name the sources."
    )


def _fact(row: Any) -> Fact:
    """A deal, investment, stake, role or metric row as its GraphQL type."""
    if isinstance(row, models.Deal):
        return Deal.from_row(row)
    if isinstance(row, models.Investment):
        return Investment.from_row(row)
    if isinstance(row, models.Stake):
        return Stake.from_row(row)
    if isinstance(row, models.Role):
        return Role.from_row(row)
    return Metric.from_row(row)


def _deal_connection(page: Connection[Deal], where: crud.DealFilter) -> DealConnection:
    return DealConnection(
        edges=page.edges, nodes=page.nodes, page_info=page.page_info, count=page.count, where=where
    )


Entity = Annotated[
    Company | Person, strawberry.union("Entity", description="A company or a person.")
]
Relation = Annotated[
    Stake | Deal | Investment | Role,
    strawberry.union(
        "Relation", description="A fact that links two companies, or a person and a company."
    ),
]


async def _relation(
    info: Info[Context, None], edge: graph.Edge
) -> Stake | Deal | Investment | Role:
    loaders = _loaders(info)
    if edge.kind == "stake":
        return Stake.from_row(_found(await loaders.stake_by_id.load(edge.id)))
    if edge.kind == "deal":
        return Deal.from_row(_found(await loaders.deal_by_id.load(edge.id)))
    if edge.kind == "investment":
        return Investment.from_row(_found(await loaders.investment_by_id.load(edge.id)))
    return Role.from_row(_found(await loaders.role_by_id.load(edge.id)))


@strawberry.type(
    description="Control of one company by another, with the stake or completed acquisition "
    "that establishes it."
)
class Control:
    edge: strawberry.Private[graph.ControlEdge]

    @strawberry.field(description="The controlled company.")
    async def company(self, info: Info[Context, None]) -> Company:
        return await _company(info, self.edge.company_id)

    @strawberry.field(description="The company in control.")
    async def parent(self, info: Info[Context, None]) -> Company:
        return await _company(info, self.edge.parent_id)

    @strawberry.field(description="The owned or controlling stake, or the completed acquisition.")
    async def via(self, info: Info[Context, None]) -> Relation:
        return await _relation(info, self.edge.edge)


@strawberry.type(description="A company controlled, directly or through others.")
class Subsidiary:
    depth: int = strawberry.field(description="1 for a direct subsidiary, 2 for one below it...")
    control: Control = strawberry.field(description="Its link to its own parent.")

    @strawberry.field(description="The subsidiary.")
    async def company(self, info: Info[Context, None]) -> Company:
        return await _company(info, self.control.edge.company_id)


@strawberry.type(description="One step of a path: the fact followed and where it leads.")
class PathStep:
    node_ref: strawberry.Private[graph.NodeRef]
    edge: strawberry.Private[graph.Edge]

    @strawberry.field(description="The company or person reached.")
    async def node(self, info: Info[Context, None]) -> Entity:
        return await _entity(info, self.node_ref)

    @strawberry.field(description="The stake, deal, investment or role followed.")
    async def via(self, info: Info[Context, None]) -> Relation:
        return await _relation(info, self.edge)


@strawberry.type(description="A shortest chain of facts linking two companies or people.")
class RelationPath:
    hops: int = strawberry.field(description="How many facts the path follows.")
    steps: list[PathStep] = strawberry.field(description="The facts followed, in order.")


async def _entity(info: Info[Context, None], ref: graph.NodeRef) -> Company | Person:
    if ref.kind == "company":
        return await _company(info, ref.id)
    return await _person(info, ref.id)


_NODE_TYPES: dict[str, tuple[Callable[[Loaders], Any], Callable[[Any], Node]]] = {
    "Company": (lambda loaders: loaders.company_by_slug, Company.from_row),
    "Person": (lambda loaders: loaders.person_by_slug, Person.from_row),
    "Deal": (lambda loaders: loaders.deal_by_key, Deal.from_row),
    "Investment": (lambda loaders: loaders.investment_by_key, Investment.from_row),
    "Source": (lambda loaders: loaders.source_by_slug, Source.from_row),
}


def _decode(id: str, expected: str | None = None) -> tuple[str, str]:
    try:
        type_name, key = from_global_id(id)
    except InvalidToken as error:
        raise ClientError(str(error)) from None
    if type_name not in _NODE_TYPES:
        raise ClientError(f"{id!r} is not a valid id")
    if expected is not None and type_name != expected:
        raise ClientError(f"{id!r} is the id of a {type_name}, not of a {expected}")
    return type_name, key


async def _node(info: Info[Context, None], id: str, expected: str | None = None) -> Any:
    type_name, key = _decode(id, expected)
    loader, convert = _NODE_TYPES[type_name]
    row = await loader(_loaders(info)).load(key)
    return None if row is None else convert(row)


async def _by_id_or_slug(
    info: Info[Context, None], type_name: str, id: str | None, slug: str | None
) -> Any:
    if (id is None) == (slug is None):
        raise ClientError("pass exactly one of `id` and `slug`")
    if id is not None:
        return await _node(info, id, type_name)
    loader, convert = _NODE_TYPES[type_name]
    row = await loader(_loaders(info)).load(slug)
    return None if row is None else convert(row)


def _root_connection(
    info: Info[Context, None],
    first: int | None,
    after: str | None,
    fetch: Callable[[Session, int], crud.Page[Any]],
    count: Callable[[Session], int],
    convert: Callable[[Any], NodeT],
) -> Connection[NodeT]:
    session = info.context.session
    try:
        page = fetch(session, _page_size(info, first))
    except InvalidToken as error:
        raise ClientError(str(error)) from None

    async def total() -> int:
        return count(session)

    return _connection(page, convert, total, after)


ID_ARG = strawberry.argument(description="Global id.")
SLUG_ARG = strawberry.argument(description="Readable key (slug).")
SEARCH_ARG = strawberry.argument(
    description="Only those whose name or an alias contains this text, ignoring case."
)


async def _node_ref(info: Info[Context, None], id: strawberry.ID, argument: str) -> graph.NodeRef:
    type_name, _ = _decode(id)
    if type_name not in {"Company", "Person"}:
        raise ClientError(f"`{argument}` must be the id of a company or a person")
    node = await _node(info, id)
    if node is None:
        raise ClientError(f"`{argument}`: nothing has the id {id!r}")
    kind: graph.NodeKind = "company" if type_name == "Company" else "person"
    return graph.NodeRef(kind, node.pk)


STATUS_FILTER = Annotated[
    facts.DealStatus | None, strawberry.argument(description="Only this status.")
]
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


def _order(order_by: FactOrder | None) -> crud.OrderBy:
    if order_by is None:
        return crud.OrderBy()
    return crud.OrderBy(field=order_by.field, direction=order_by.direction)


def _source_pk(info: Info[Context, None], id: strawberry.ID | None) -> int | None:
    if id is None:
        return None
    slug = _decode(id, "Source")[1]
    row = crud.get_by_keys(info.context.session, model=models.Source, keys=[slug]).get(slug)
    if row is None or row.id is None:
        raise ClientError(f"no source has the id {id!r}")
    return row.id


def _company_pk(info: Info[Context, None], id: strawberry.ID | None) -> int | None:
    if id is None:
        return None
    row = crud.get_company(info.context.session, slug=_decode(id, "Company")[1])
    if row is None or row.id is None:
        raise ClientError(f"no company has the id {id!r}")
    return row.id


def _day(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ClientError(f"`{name}` must be a date like 2019-09-05, got {value!r}") from None


@strawberry.type(description="Entry points for reading the M&A facts store.")
class Query:
    @strawberry.field(description="Any object by its global id; null if there is none.")
    async def node(
        self, info: Info[Context, None], id: Annotated[strawberry.ID, ID_ARG]
    ) -> Node | None:
        node: Node | None = await _node(info, id)
        return node

    @strawberry.field(description="Objects by their global ids, in order; null where none.")
    async def nodes(
        self,
        info: Info[Context, None],
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global ids.")],
    ) -> list[Node | None]:
        if len(ids) > info.context.settings.max_page_size:
            raise ClientError(f"at most {info.context.settings.max_page_size} ids at once")
        return [await _node(info, id) for id in ids]

    @strawberry.field(description="A company by global id or by slug.")
    async def company(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID | None, ID_ARG] = None,
        slug: Annotated[str | None, SLUG_ARG] = None,
    ) -> Company | None:
        company: Company | None = await _by_id_or_slug(info, "Company", id, slug)
        return company

    @strawberry.field(description="Companies by name, alphabetically.")
    def companies(
        self,
        info: Info[Context, None],
        search: Annotated[str | None, SEARCH_ARG] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Company]:
        return _root_connection(
            info,
            first,
            after,
            lambda s, limit: crud.list_companies(s, search=search, limit=limit, after=after),
            lambda s: crud.count_companies(s, search=search),
            Company.from_row,
        )

    @strawberry.field(description="A person by global id or by slug.")
    async def person(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID | None, ID_ARG] = None,
        slug: Annotated[str | None, SLUG_ARG] = None,
    ) -> Person | None:
        person: Person | None = await _by_id_or_slug(info, "Person", id, slug)
        return person

    @strawberry.field(description="People by name, alphabetically.")
    def people(
        self,
        info: Info[Context, None],
        search: Annotated[str | None, SEARCH_ARG] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Person]:
        return _root_connection(
            info,
            first,
            after,
            lambda s, limit: crud.list_people(s, search=search, limit=limit, after=after),
            lambda s: crud.count_people(s, search=search),
            Person.from_row,
        )

    @strawberry.field(description="A deal by global id or by key.")
    async def deal(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID | None, ID_ARG] = None,
        key: Annotated[str | None, strawberry.argument(description="Readable key.")] = None,
    ) -> Deal | None:
        deal: Deal | None = await _by_id_or_slug(info, "Deal", id, key)
        return deal

    @strawberry.field(description="Deals, newest announcement first, optionally filtered.")
    def deals(
        self,
        info: Info[Context, None],
        kind: Annotated[
            facts.DealKind | None, strawberry.argument(description="Only this kind.")
        ] = None,
        status: STATUS_FILTER = None,
        company: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only deals this company (global id) is party to."),
        ] = None,
        role: Annotated[
            facts.DealRole | None, strawberry.argument(description="Only parties with this role.")
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
        where = crud.DealFilter(
            kind=kind,
            status=status,
            company_id=_company_pk(info, company),
            role=role,
            announced_after=_day(announced_after, "announcedAfter"),
            announced_before=_day(announced_before, "announcedBefore"),
            value_min_usd=value_min_usd,
            value_max_usd=value_max_usd,
            evidence_source_id=_source_pk(info, source),
        )
        order = _order(order_by)
        page = _root_connection(
            info,
            first,
            after,
            lambda s, limit: crud.list_deals(s, where=where, order=order, limit=limit, after=after),
            lambda s: crud.count_deals(s, where=where),
            Deal.from_row,
        )
        return _deal_connection(page, where)

    @strawberry.field(description="An investment by global id or by key.")
    async def investment(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID | None, ID_ARG] = None,
        key: Annotated[str | None, strawberry.argument(description="Readable key.")] = None,
    ) -> Investment | None:
        investment: Investment | None = await _by_id_or_slug(info, "Investment", id, key)
        return investment

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
            crud.InvestmentRole | None,
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
        where = crud.InvestmentFilter(
            status=status,
            company_id=_company_pk(info, company),
            role=role,
            announced_after=_day(announced_after, "announcedAfter"),
            announced_before=_day(announced_before, "announcedBefore"),
            value_min_usd=value_min_usd,
            value_max_usd=value_max_usd,
            evidence_source_id=_source_pk(info, source),
        )
        order = _order(order_by)
        return _root_connection(
            info,
            first,
            after,
            lambda s, limit: crud.list_investments(
                s, where=where, order=order, limit=limit, after=after
            ),
            lambda s: crud.count_investments(s, where=where),
            Investment.from_row,
        )

    @strawberry.field(description="A source document by global id or by slug.")
    async def source(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID | None, ID_ARG] = None,
        slug: Annotated[str | None, SLUG_ARG] = None,
    ) -> Source | None:
        source: Source | None = await _by_id_or_slug(info, "Source", id, slug)
        return source

    @strawberry.field(description="Source documents, by slug.")
    def sources(
        self,
        info: Info[Context, None],
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Source]:
        return _root_connection(
            info,
            first,
            after,
            lambda s, limit: crud.list_sources(s, limit=limit, after=after),
            crud.count_sources,
            Source.from_row,
        )

    @strawberry.field(
        description="The shortest paths between two companies or people through stakes, deals, "
        "investments and roles."
    )
    async def connections(
        self,
        info: Info[Context, None],
        from_: Annotated[
            strawberry.ID,
            strawberry.argument(name="from", description="Global id of a company or person."),
        ],
        to: Annotated[
            strawberry.ID, strawberry.argument(description="Global id of a company or person.")
        ],
        max_hops: Annotated[
            int,
            strawberry.argument(description=f"Longest path to look for, 1 to {graph.MAX_HOPS}."),
        ] = 3,
        first: Annotated[int, strawberry.argument(description="At most this many paths.")] = 10,
    ) -> list[RelationPath]:
        start, end = await _node_ref(info, from_, "from"), await _node_ref(info, to, "to")
        try:
            paths = graph.shortest_paths(
                info.context.session,
                start=start,
                end=end,
                max_hops=max_hops,
                limit=min(first, info.context.settings.max_page_size),
            )
        except ValueError as error:
            raise ClientError(str(error)) from None
        return [
            RelationPath(
                hops=path.hops,
                steps=[PathStep(node_ref=step.node, edge=step.edge) for step in path.steps],
            )
            for path in paths
        ]

    @strawberry.field(
        description="Full-text search over companies, people, deals and source documents: names "
        "and aliases in any case and punctuation, quoted phrases, a prefix for the last word."
    )
    def search(
        self,
        info: Info[Context, None],
        query: Annotated[
            str, strawberry.argument(description='Words, or a "quoted phrase", to look for.')
        ],
        kinds: Annotated[
            list[SearchKind] | None, strawberry.argument(description="Only hits of these kinds.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> SearchResults:
        try:
            page, offset = crud.search_page(
                info.context.session,
                query=query,
                kinds=kinds,
                limit=max(_page_size(info, first), 1),
                after=after,
            )
        except ValueError as error:
            raise ClientError(str(error)) from None
        hits = [
            SearchHit(
                kind=hit.kind,
                score=hit.score,
                snippet=Snippet(
                    text=hit.snippet.text,
                    highlights=[Highlight(start=a, end=b) for a, b in hit.snippet.highlights],
                ),
                cursor=crud.hit_cursor(offset + index + 1),
                pk=hit.id,
            )
            for index, hit in enumerate(page.hits)
        ]
        return SearchResults(
            hits=hits,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=offset > 0,
                start_cursor=hits[0].cursor if hits else None,
                end_cursor=hits[-1].cursor if hits else None,
            ),
        )

    @strawberry.field(
        description="Facts whose sources disagree, each field with its competing claims: the "
        "first thing to check before trusting a number."
    )
    def conflicts(
        self,
        info: Info[Context, None],
        company: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only conflicts about this company's facts (global id): its deals, "
                "investments, stakes, roles and metrics."
            ),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Conflict]:
        company_pk = _company_pk(info, company)
        return _root_connection(
            info,
            first,
            after,
            lambda s, limit: crud.list_conflicts(
                s, company_id=company_pk, limit=limit, after=after
            ),
            lambda s: crud.count_conflicts(s, company_id=company_pk),
            Conflict.from_row,
        )


def _should_mask(error: GraphQLError) -> bool:
    """Hide unexpected failures; keep what tells clients how to fix their request."""
    original = error.original_error
    return original is not None and not isinstance(
        original, ClientError | InvalidToken | GraphQLError
    )


def build_schema(settings: Settings) -> strawberry.Schema:
    cache = settings.graphql_cache_size
    return strawberry.Schema(
        query=Query,
        types=[Company, Person, Deal, Investment, Source],
        extensions=[
            lambda: QueryDepthLimiter(max_depth=settings.graphql_max_depth),
            lambda: MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases),
            lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
            lambda: ParserCache(maxsize=cache),
            lambda: ValidationCache(maxsize=cache),
            lambda: MaskErrors(should_mask_error=_should_mask, error_message="Internal error."),
        ],
    )


def export_sdl(settings: Settings | None = None) -> str:
    return build_schema(settings or Settings()).as_str() + "\n"
