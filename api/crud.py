"""Data access shared by GraphQL and REST: keyword-only functions, batched by parent ids, so a
request costs a number of statements bounded by its depth, never by its row count."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, case, func, literal, tuple_, union
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, select

from api import search
from api.dates import Precision
from api.facts import DealKind, DealRole, DealStatus
from api.ids import InvalidToken, decode_cursor, encode_cursor
from api.models import (
    Claim,
    Company,
    Conflict,
    Deal,
    DealParty,
    Evidence,
    Investment,
    InvestmentInvestor,
    Metric,
    Person,
    Role,
    Source,
    Stake,
)

T = TypeVar("T", bound=SQLModel)


class InvestmentRole(StrEnum):
    INVESTOR = "investor"
    INVESTEE = "investee"


class EvidenceSubject(StrEnum):
    COMPANY = "company_id"
    PERSON = "person_id"
    ROLE = "role_id"
    DEAL = "deal_id"
    INVESTMENT = "investment_id"
    STAKE = "stake_id"
    METRIC = "metric_id"


FACT_SUBJECTS = (
    EvidenceSubject.ROLE,
    EvidenceSubject.DEAL,
    EvidenceSubject.INVESTMENT,
    EvidenceSubject.STAKE,
    EvidenceSubject.METRIC,
)


@dataclass(frozen=True)
class Ordering:
    """A total order for keyset pagination: sort expressions ending with a unique column."""

    columns: tuple[Any, ...]
    values: Callable[[Any], list[Any]]
    parse: Callable[[list[Any]], tuple[Any, ...]]
    descending: bool = False

    def cursor(self, row: Any) -> str:
        return encode_cursor(self.values(row))

    def after(self, cursor: str | None) -> ColumnElement[bool] | None:
        if cursor is None:
            return None
        try:
            values = self.parse(decode_cursor(cursor, len(self.columns)))
        except (TypeError, ValueError) as error:
            raise InvalidToken(f"{cursor!r} is not a valid cursor here") from error
        key, bound = tuple_(*self.columns), tuple_(*(literal(v) for v in values))
        return key < bound if self.descending else key > bound

    def order_by(self) -> list[ColumnElement[Any]]:
        return [c.desc() if self.descending else c.asc() for c in self.columns]


def _by_name(model: type[Company] | type[Person] | type[Source], name: Any) -> Ordering:
    return Ordering(
        columns=(name, col(model.id)),
        values=lambda row: [getattr(row, name.key), row.id],
        parse=lambda v: (str(v[0]), int(v[1])),
    )


_NO_DATE = dt.date.min


COMPANY_ORDER = _by_name(Company, col(Company.name))
PERSON_ORDER = _by_name(Person, col(Person.name))
SOURCE_ORDER = _by_name(Source, col(Source.slug))


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    has_next: bool
    ordering: Ordering

    @property
    def end_cursor(self) -> str | None:
        return self.ordering.cursor(self.items[-1]) if self.items else None


def _page(
    session: Session, query: Select[Any], ordering: Ordering, limit: int, after: str | None
) -> Page[Any]:
    condition = ordering.after(after)
    if condition is not None:
        query = query.where(condition)
    rows = list(session.exec(query.order_by(*ordering.order_by()).limit(limit + 1)).all())  # type: ignore[call-overload]
    return Page(rows[:limit], len(rows) > limit, ordering)


def _pages_per_parent(
    session: Session,
    *,
    model: type[T],
    query: Select[Any],
    parent: ColumnElement[int],
    parent_ids: Sequence[int],
    ordering: Ordering,
    limit: int,
    after: str | None,
) -> dict[int, Page[T]]:
    """One page of children for each parent, in one statement (a window over the parents)."""
    condition = ordering.after(after)
    if condition is not None:
        query = query.where(condition)
    ranked = (
        query.add_columns(
            parent.label("parent_id"),
            func.row_number().over(partition_by=parent, order_by=ordering.order_by()).label("rank"),
        )
        .where(parent.in_(parent_ids))
        .subquery()
    )
    row = aliased(model, ranked)
    statement = (
        select(row, ranked.c.parent_id)
        .where(ranked.c.rank <= limit + 1)
        .order_by(ranked.c.parent_id, ranked.c.rank)
    )
    children: dict[int, list[T]] = defaultdict(list)
    for child, parent_id in session.exec(statement).all():
        children[parent_id].append(child)
    return {
        pid: Page(children[pid][:limit], len(children[pid]) > limit, ordering) for pid in parent_ids
    }


def _counts(
    session: Session, query: Select[Any], parent: ColumnElement[int], parent_ids: Sequence[int]
) -> dict[int, int]:
    statement = (
        query.with_only_columns(parent, func.count()).where(parent.in_(parent_ids)).group_by(parent)
    )
    found: dict[int, int] = dict(session.execute(statement).all())
    return {pid: found.get(pid, 0) for pid in parent_ids}


def _count(session: Session, query: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


# Lookups by id and by natural key


def get_by_ids(session: Session, *, model: type[T], ids: Sequence[int]) -> dict[int, T]:
    rows = session.exec(select(model).where(col(model.id).in_(ids))).all()  # type: ignore[attr-defined]
    return {row.id: row for row in rows}  # type: ignore[attr-defined]


def get_by_keys(session: Session, *, model: type[T], keys: Sequence[str]) -> dict[str, T]:
    """Rows by natural key: `slug` for sources, companies and people; `key` for deals, investments."""
    name = "slug" if "slug" in model.model_fields else "key"
    rows = session.exec(select(model).where(col(getattr(model, name)).in_(keys))).all()
    return {getattr(row, name): row for row in rows}


def get_company(session: Session, *, slug: str) -> Company | None:
    return get_by_keys(session, model=Company, keys=[slug]).get(slug)


# Root lists


def _name_search(model: type[Company] | type[Person], search: str | None) -> Select[Any]:
    query = select(model)
    if search:
        pattern = (
            "%"
            + search.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        query = query.where(col(model.search_key).like(pattern, escape="\\"))
    return query


def list_companies(
    session: Session, *, search: str | None, limit: int, after: str | None
) -> Page[Company]:
    return _page(session, _name_search(Company, search), COMPANY_ORDER, limit, after)


def count_companies(session: Session, *, search: str | None) -> int:
    return _count(session, _name_search(Company, search))


def list_people(
    session: Session, *, search: str | None, limit: int, after: str | None
) -> Page[Person]:
    return _page(session, _name_search(Person, search), PERSON_ORDER, limit, after)


def count_people(session: Session, *, search: str | None) -> int:
    return _count(session, _name_search(Person, search))


def list_sources(session: Session, *, limit: int, after: str | None) -> Page[Source]:
    return _page(session, select(Source), SOURCE_ORDER, limit, after)


def count_sources(session: Session) -> int:
    return _count(session, select(Source))


class SortField(StrEnum):
    ANNOUNCED_ON = "announced_on"
    VALUE_USD = "value_usd"
    KEY = "key"


class Direction(StrEnum):
    ASC = "asc"
    DESC = "desc"


@dataclass(frozen=True)
class OrderBy:
    field: SortField = SortField.ANNOUNCED_ON
    direction: Direction = Direction.DESC


def _value_usd(model: type[Deal] | type[Investment]) -> ColumnElement[Any]:
    # No exchange rates are stored: a value counts in USD only where it was stated in USD.
    return case((col(model.value_currency) == "USD", col(model.value_amount)), else_=None)


def fact_ordering(model: type[Deal] | type[Investment], order: OrderBy) -> Ordering:
    """A keyset order on one field, ties broken by id; facts without the field sort as lowest."""
    descending = order.direction is Direction.DESC
    if order.field is SortField.KEY:
        return Ordering(
            columns=(col(model.key), col(model.id)),
            values=lambda row: [row.key, row.id],
            parse=lambda v: (str(v[0]), int(v[1])),
            descending=descending,
        )
    if order.field is SortField.VALUE_USD:
        return Ordering(
            columns=(func.coalesce(_value_usd(model), literal(-1.0)), col(model.id)),
            values=lambda row: [
                row.value_amount if row.value_currency == "USD" else -1.0,
                row.id,
            ],
            parse=lambda v: (float(v[0]), int(v[1])),
            descending=descending,
        )
    return Ordering(
        columns=(func.coalesce(col(model.announced_on), literal(_NO_DATE)), col(model.id)),
        values=lambda row: [(row.announced_on or _NO_DATE).isoformat(), row.id],
        parse=lambda v: (dt.date.fromisoformat(v[0]), int(v[1])),
        descending=descending,
    )


@dataclass(frozen=True)
class FactFilter:
    status: DealStatus | None = None
    announced_after: dt.date | None = None
    announced_before: dt.date | None = None
    value_min_usd: float | None = None
    value_max_usd: float | None = None
    evidence_source_id: int | None = None


@dataclass(frozen=True)
class DealFilter(FactFilter):
    kind: DealKind | None = None
    company_id: int | None = None
    role: DealRole | None = None


@dataclass(frozen=True)
class InvestmentFilter(FactFilter):
    company_id: int | None = None
    role: InvestmentRole | None = None


def _filtered(model: type[Deal] | type[Investment], where: FactFilter) -> Select[Any]:
    query = select(model)
    if where.status is not None:
        query = query.where(col(model.status) == where.status)
    if where.announced_after is not None:
        query = query.where(col(model.announced_on) >= where.announced_after)
    if where.announced_before is not None:
        query = query.where(col(model.announced_on) <= where.announced_before)
    if where.value_min_usd is not None:
        query = query.where(_value_usd(model) >= where.value_min_usd)
    if where.value_max_usd is not None:
        query = query.where(_value_usd(model) <= where.value_max_usd)
    if where.evidence_source_id is not None:
        subject = col(Evidence.deal_id if model is Deal else Evidence.investment_id)
        quoted = select(subject).where(col(Evidence.source_id) == where.evidence_source_id)
        query = query.where(col(model.id).in_(quoted))
    return query


def _deal_query(where: DealFilter) -> Select[Any]:
    query = _filtered(Deal, where)
    if where.kind is not None:
        query = query.where(col(Deal.kind) == where.kind)
    if where.company_id is not None or where.role is not None:
        party = select(DealParty.deal_id)
        if where.company_id is not None:
            party = party.where(col(DealParty.company_id) == where.company_id)
        if where.role is not None:
            party = party.where(col(DealParty.role) == where.role)
        query = query.where(col(Deal.id).in_(party))
    return query


def _investment_query(where: InvestmentFilter) -> Select[Any]:
    query = _filtered(Investment, where)
    if where.company_id is not None:
        investee = col(Investment.investee_id) == where.company_id
        investor = col(Investment.id).in_(
            select(InvestmentInvestor.investment_id).where(
                col(InvestmentInvestor.company_id) == where.company_id
            )
        )
        if where.role is InvestmentRole.INVESTEE:
            query = query.where(investee)
        elif where.role is InvestmentRole.INVESTOR:
            query = query.where(investor)
        else:
            query = query.where(investee | investor)
    return query


def list_deals(
    session: Session,
    *,
    where: DealFilter,
    order: OrderBy = OrderBy(),
    limit: int,
    after: str | None,
) -> Page[Deal]:
    return _page(session, _deal_query(where), fact_ordering(Deal, order), limit, after)


def count_deals(session: Session, *, where: DealFilter) -> int:
    return _count(session, _deal_query(where))


def list_investments(
    session: Session,
    *,
    where: InvestmentFilter = InvestmentFilter(),
    order: OrderBy = OrderBy(),
    limit: int,
    after: str | None,
) -> Page[Investment]:
    ordering = fact_ordering(Investment, order)
    return _page(session, _investment_query(where), ordering, limit, after)


def count_investments(session: Session, *, where: InvestmentFilter = InvestmentFilter()) -> int:
    return _count(session, _investment_query(where))


@dataclass(frozen=True)
class Bucket:
    key: str
    count: int
    total_value_usd: float


@dataclass(frozen=True)
class Aggregate:
    count: int
    total_value_usd: float
    by_year: list[Bucket]
    by_kind: list[Bucket]


def aggregate_deals(session: Session, *, where: DealFilter) -> Aggregate:
    """What charts need, in one statement: totals, and counts and values by year and by kind.
    Deals without a date count under the year "unknown"."""
    selected = _deal_query(where).subquery()
    rows = session.execute(
        sa_select(
            selected.c.announced_on,
            selected.c.kind,
            selected.c.value_currency,
            selected.c.value_amount,
        )
    ).all()
    years: dict[str, list[float]] = defaultdict(list)
    kinds: dict[str, list[float]] = defaultdict(list)
    for announced_on, kind, currency, amount in rows:
        usd = amount if currency == "USD" and amount is not None else 0.0
        years["unknown" if announced_on is None else str(announced_on)[:4]].append(usd)
        kinds[DealKind[kind].value if kind in DealKind.__members__ else str(kind)].append(usd)

    def buckets(groups: dict[str, list[float]]) -> list[Bucket]:
        return [Bucket(key, len(values), sum(values)) for key, values in sorted(groups.items())]

    return Aggregate(
        count=len(rows),
        total_value_usd=sum(sum(values) for values in years.values()),
        by_year=buckets(years),
        by_kind=buckets(kinds),
    )


# Children of many parents at once


def _deals_of_companies(role: DealRole | None) -> tuple[Select[Any], ColumnElement[int]]:
    parties = select(DealParty.deal_id, DealParty.company_id).distinct()
    if role is not None:
        parties = parties.where(col(DealParty.role) == role)
    link = parties.subquery()
    return select(Deal).join(link, link.c.deal_id == Deal.id), link.c.company_id


def deals_of_companies(
    session: Session,
    *,
    company_ids: Sequence[int],
    role: DealRole | None,
    limit: int,
    after: str | None,
) -> dict[int, Page[Deal]]:
    query, parent = _deals_of_companies(role)
    return _pages_per_parent(
        session,
        model=Deal,
        query=query,
        parent=parent,
        parent_ids=company_ids,
        ordering=fact_ordering(Deal, OrderBy()),
        limit=limit,
        after=after,
    )


def count_deals_of_companies(
    session: Session, *, company_ids: Sequence[int], role: DealRole | None
) -> dict[int, int]:
    query, parent = _deals_of_companies(role)
    return _counts(session, query, parent, company_ids)


def _investments_of_companies(
    role: InvestmentRole | None,
) -> tuple[Select[Any], ColumnElement[int]]:
    # Typed loosely: SQLAlchemy's overloads for a two-column union defeat mypy.
    investor: Any = sa_select(
        col(InvestmentInvestor.investment_id), col(InvestmentInvestor.company_id)
    )
    investee: Any = sa_select(
        col(Investment.id).label("investment_id"), col(Investment.investee_id).label("company_id")
    )
    links: Any = union(investor, investee)
    if role is InvestmentRole.INVESTOR:
        links = investor
    elif role is InvestmentRole.INVESTEE:
        links = investee
    link = links.subquery()
    return select(Investment).join(link, link.c.investment_id == Investment.id), link.c.company_id


def investments_of_companies(
    session: Session,
    *,
    company_ids: Sequence[int],
    role: InvestmentRole | None,
    limit: int,
    after: str | None,
) -> dict[int, Page[Investment]]:
    query, parent = _investments_of_companies(role)
    return _pages_per_parent(
        session,
        model=Investment,
        query=query,
        parent=parent,
        parent_ids=company_ids,
        ordering=fact_ordering(Investment, OrderBy()),
        limit=limit,
        after=after,
    )


def count_investments_of_companies(
    session: Session, *, company_ids: Sequence[int], role: InvestmentRole | None
) -> dict[int, int]:
    query, parent = _investments_of_companies(role)
    return _counts(session, query, parent, company_ids)


def parties_of_deals(
    session: Session, *, deal_ids: Sequence[int]
) -> dict[int, list[tuple[DealParty, Company]]]:
    statement = (
        select(DealParty, Company)
        .join(Company, col(Company.id) == DealParty.company_id)
        .where(col(DealParty.deal_id).in_(deal_ids))
        .order_by(col(DealParty.id))
    )
    found: dict[int, list[tuple[DealParty, Company]]] = {i: [] for i in deal_ids}
    for party, company in session.exec(statement).all():
        found[party.deal_id].append((party, company))
    return found


def investors_of_investments(
    session: Session, *, investment_ids: Sequence[int]
) -> dict[int, list[Company]]:
    statement = (
        select(InvestmentInvestor.investment_id, Company)
        .join(Company, col(Company.id) == InvestmentInvestor.company_id)
        .where(col(InvestmentInvestor.investment_id).in_(investment_ids))
        .order_by(col(Company.name))
    )
    found: dict[int, list[Company]] = {i: [] for i in investment_ids}
    for investment_id, company in session.exec(statement).all():
        found[investment_id].append(company)
    return found


def ceos_of_companies(session: Session, *, company_ids: Sequence[int]) -> dict[int, Person | None]:
    """The current chief executive: a CEO role not stated to have ended, the latest stated first."""
    statement = (
        select(Role.company_id, Person)
        .join(Person, col(Person.id) == Role.person_id)
        .where(
            col(Role.company_id).in_(company_ids),
            col(Role.is_ceo),
            col(Role.current).is_not(False),
        )
        .order_by(col(Role.company_id), col(Role.current).desc(), col(Role.id).desc())
    )
    found: dict[int, Person | None] = dict.fromkeys(company_ids)
    for company_id, person in session.exec(statement).all():
        if found[company_id] is None:
            found[company_id] = person
    return found


def roles_of_people(session: Session, *, person_ids: Sequence[int]) -> dict[int, list[Role]]:
    return _group(
        session,
        select(Role).where(col(Role.person_id).in_(person_ids)).order_by(col(Role.id)),
        "person_id",
        person_ids,
    )


def roles_at_companies(session: Session, *, company_ids: Sequence[int]) -> dict[int, list[Role]]:
    return _group(
        session,
        select(Role).where(col(Role.company_id).in_(company_ids)).order_by(col(Role.id)),
        "company_id",
        company_ids,
    )


def stakes_held_by(session: Session, *, company_ids: Sequence[int]) -> dict[int, list[Stake]]:
    return _group(
        session,
        select(Stake).where(col(Stake.holder_id).in_(company_ids)).order_by(col(Stake.id)),
        "holder_id",
        company_ids,
    )


def stakes_in(session: Session, *, company_ids: Sequence[int]) -> dict[int, list[Stake]]:
    return _group(
        session,
        select(Stake).where(col(Stake.company_id).in_(company_ids)).order_by(col(Stake.id)),
        "company_id",
        company_ids,
    )


def metrics_of_companies(
    session: Session, *, company_ids: Sequence[int]
) -> dict[int, list[Metric]]:
    statement = (
        select(Metric)
        .where(col(Metric.company_id).in_(company_ids))
        .order_by(col(Metric.name), col(Metric.id))
    )
    return _group(session, statement, "company_id", company_ids)


class TimelineKind(StrEnum):
    DEAL_ANNOUNCED = "deal_announced"
    DEAL_COMPLETED = "deal_completed"
    INVESTMENT = "investment"
    APPOINTMENT = "appointment"
    METRIC = "metric"


@dataclass(frozen=True)
class TimelineEntry:
    kind: TimelineKind
    on: dt.date | None
    precision: Precision | None
    fact: Deal | Investment | Role | Metric


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def timelines_of(session: Session, *, company_ids: Sequence[int]) -> dict[int, list[TimelineEntry]]:
    """Deals, investments, appointments and metrics of each company in date order; undated
    ones last. A metric is dated by the year its period names ("H1 2019"), if any."""
    found: dict[int, list[TimelineEntry]] = {pk: [] for pk in company_ids}
    deals = sa_select(col(DealParty.company_id), Deal).join(
        Deal, col(Deal.id) == col(DealParty.deal_id)
    )
    for company_id, deal in session.execute(
        deals.where(col(DealParty.company_id).in_(company_ids)).distinct()
    ).all():
        found[company_id].append(
            TimelineEntry(
                TimelineKind.DEAL_ANNOUNCED, deal.announced_on, deal.announced_precision, deal
            )
        )
        if deal.completed_on is not None:
            found[company_id].append(
                TimelineEntry(
                    TimelineKind.DEAL_COMPLETED, deal.completed_on, deal.completed_precision, deal
                )
            )
    for company_id, pages in investments_of_companies(
        session, company_ids=company_ids, role=None, limit=10_000, after=None
    ).items():
        found[company_id] += [
            TimelineEntry(TimelineKind.INVESTMENT, i.announced_on, i.announced_precision, i)
            for i in pages.items
        ]
    for company_id, roles in roles_at_companies(session, company_ids=company_ids).items():
        found[company_id] += [
            TimelineEntry(TimelineKind.APPOINTMENT, r.started_on, r.started_precision, r)
            for r in roles
        ]
    for company_id, metrics in metrics_of_companies(session, company_ids=company_ids).items():
        for metric in metrics:
            year = _YEAR.search(metric.period or "")
            on = dt.date(int(year.group()), 1, 1) if year else None
            found[company_id].append(
                TimelineEntry(TimelineKind.METRIC, on, Precision.YEAR if on else None, metric)
            )
    for entries in found.values():
        entries.sort(key=lambda e: (e.on is None, e.on or _NO_DATE, e.kind.value, e.fact.id or 0))
    return found


def sources_of_deals(session: Session, *, deal_ids: Sequence[int]) -> dict[int, list[str]]:
    """The slugs of the sources that give evidence for each deal."""
    statement = (
        sa_select(col(Evidence.deal_id), col(Source.slug))
        .join(Source, col(Source.id) == col(Evidence.source_id))
        .where(col(Evidence.deal_id).in_(deal_ids))
        .distinct()
        .order_by(col(Evidence.deal_id), col(Source.slug))
    )
    found: dict[int, list[str]] = {pk: [] for pk in deal_ids}
    for deal_id, slug in session.execute(statement).all():
        found[deal_id].append(slug)
    return found


def investments_of_deals(
    session: Session, *, deal_ids: Sequence[int]
) -> dict[int, list[Investment]]:
    statement = (
        select(Investment).where(col(Investment.deal_id).in_(deal_ids)).order_by(col(Investment.id))
    )
    return _group(session, statement, "deal_id", deal_ids)


def evidence_of(
    session: Session, *, subject: EvidenceSubject, ids: Sequence[int]
) -> dict[int, list[Evidence]]:
    column = getattr(Evidence, subject.value)
    statement = (
        select(Evidence)
        .where(col(column).in_(ids))
        .order_by(col(Evidence.source_id), col(Evidence.start_offset))
    )
    return _group(session, statement, subject.value, ids)


def claims_of(
    session: Session, *, subject: EvidenceSubject, ids: Sequence[int]
) -> dict[int, list[Claim]]:
    column = getattr(Claim, subject.value)
    statement = select(Claim).where(col(column).in_(ids)).order_by(col(Claim.field), col(Claim.id))
    return _group(session, statement, subject.value, ids)


def claims_of_conflicts(session: Session, *, conflict_ids: Sequence[int]) -> dict[int, list[Claim]]:
    statement = (
        select(Claim).where(col(Claim.conflict_id).in_(conflict_ids)).order_by(col(Claim.id))
    )
    return _group(session, statement, "conflict_id", conflict_ids)


def _conflicts_query(company_id: int | None) -> Select[Any]:
    query = select(Conflict)
    if company_id is None:
        return query
    # A conflict concerns a company when its fact does: a deal or investment it is party to,
    # a stake held in or by it, a role at it, one of its metrics.
    deals = select(DealParty.deal_id).where(DealParty.company_id == company_id)
    investments: Any = union(
        select(Investment.id).where(Investment.investee_id == company_id),
        select(InvestmentInvestor.investment_id).where(InvestmentInvestor.company_id == company_id),
    )
    stakes = select(Stake.id).where(
        (Stake.company_id == company_id) | (Stake.holder_id == company_id)
    )
    return query.where(
        col(Conflict.deal_id).in_(deals)
        | col(Conflict.investment_id).in_(investments)
        | col(Conflict.stake_id).in_(stakes)
        | col(Conflict.role_id).in_(select(Role.id).where(Role.company_id == company_id))
        | col(Conflict.metric_id).in_(select(Metric.id).where(Metric.company_id == company_id))
    )


_BY_CONFLICT_ID = Ordering(
    columns=(col(Conflict.id),),
    values=lambda row: [row.id],
    parse=lambda values: (int(values[0]),),
)


def list_conflicts(
    session: Session, *, company_id: int | None, limit: int, after: str | None
) -> Page[Conflict]:
    return _page(session, _conflicts_query(company_id), _BY_CONFLICT_ID, limit, after)


def count_conflicts(session: Session, *, company_id: int | None) -> int:
    return _count(session, _conflicts_query(company_id))


SEARCH_MODELS: dict[search.Kind, type[Company] | type[Person] | type[Deal] | type[Source]] = {
    search.Kind.COMPANY: Company,
    search.Kind.PERSON: Person,
    search.Kind.DEAL: Deal,
    search.Kind.SOURCE: Source,
}


def search_page(
    session: Session, *, query: str, kinds: Sequence[str] | None, limit: int, after: str | None
) -> tuple[search.SearchPage, int]:
    """A page of search hits and its offset. Offset cursors are sound here: the index only
    changes when the store is reloaded."""
    offset = 0 if after is None else _search_offset(after)
    return search.search(session, query=query, kinds=kinds, limit=limit, offset=offset), offset


def _search_offset(cursor: str) -> int:
    (offset,) = decode_cursor(cursor, 1)
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise InvalidToken(f"{cursor!r} is not a valid cursor here")
    return offset


def hit_cursor(offset: int) -> str:
    return encode_cursor([offset])


def rows_of_hits(session: Session, *, hits: Sequence[search.Hit]) -> dict[tuple[str, int], Any]:
    found: dict[tuple[str, int], Any] = {}
    for kind, model in SEARCH_MODELS.items():
        ids = [hit.id for hit in hits if hit.kind is kind]
        if ids:
            found |= {
                (kind, pk): row for pk, row in get_by_ids(session, model=model, ids=ids).items()
            }
    return found


def _group(
    session: Session, statement: Select[Any], key: str, ids: Sequence[int]
) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {i: [] for i in ids}
    for row in session.exec(statement).all():  # type: ignore[call-overload]
        found[getattr(row, key)].append(row)
    return found
