"""The REST API under /api: plain JSON for scripts, RFC 9457 problems for errors, and an
OpenAPI 3.1 document generated from the same route table."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Generic, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.json_schema import models_json_schema
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api import crud, graph, models
from api.claims import describe
from api.config import Settings
from api.dates import format_partial_date
from api.facts import ClaimRank, DealKind, DealRole, DealStatus, Money, StakeKind
from api.ids import InvalidToken, from_global_id, to_global_id

# Response bodies


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Ref(Out):
    """A reference to another object: its id and name, enough to show and to follow."""

    id: str
    slug: str
    name: str


class SourceRef(Out):
    id: str
    slug: str
    title: str


class EvidenceOut(Out):
    quote: str = Field(description="The exact words, as they occur in the source.")
    start_offset: int = Field(description="Index of the first character in the source text.")
    end_offset: int = Field(description="Index just past the last character.")
    source: SourceRef


class SourceOut(Out):
    id: str
    slug: str
    title: str
    publisher: str | None
    published_on: str | None = Field(description="ISO-8601 prefix: day, month or year.")
    url: str | None
    text: str


class ClaimOut(Out):
    field: str = Field(description="The field it is about, such as `announced_on`.")
    value: Any = Field(
        description="The claimed value: a number, string or boolean; money as {amount, currency, "
        "approximate, text}; a metric as {amount, unit, approximate}; a date as {date, weekday}."
    )
    text: str = Field(description="The claimed value as a person would write it.")
    rank: ClaimRank
    rank_reason: str | None = Field(description="Why it is preferred or deprecated.")
    note: str | None = Field(description="How the value was read from the text.")
    attributed_to: Ref | None = Field(description="Who the source attributes it to, if anyone.")
    evidence: EvidenceOut


class FactOut(Out):
    claims: list[ClaimOut] = Field(description="Every source's claim about the fact's fields.")
    disputed: list[str] = Field(description="Fields whose claims disagree; see /api/conflicts.")
    evidence: list[EvidenceOut]


class RoleOut(FactOut):
    title: str
    current: bool | None
    started_on: str | None
    ended_on: str | None
    person: Ref
    company: Ref


class CompanyOut(Out):
    id: str
    slug: str
    name: str
    aliases: list[str]
    description: str | None
    ceo: Ref | None = Field(description="The current chief executive, if the sources name one.")
    evidence: list[EvidenceOut]


class PersonOut(Out):
    id: str
    slug: str
    name: str
    aliases: list[str]
    description: str | None
    roles: list[RoleOut]
    evidence: list[EvidenceOut]


class PartyOut(Out):
    company: Ref
    role: DealRole
    stake_percent: float | None


class DealOut(FactOut):
    id: str
    key: str
    kind: DealKind
    status: DealStatus
    announced_on: str | None = Field(description="ISO-8601 prefix: day, month or year.")
    completed_on: str | None
    value: Money | None
    parties: list[PartyOut]


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


class StakeOut(FactOut):
    holder: Ref
    company: Ref
    kind: StakeKind
    percent: float | None
    current: bool | None


class MetricOut(FactOut):
    company: Ref
    name: str = Field(description="What is measured, such as `market_share`.")
    value: float | None = Field(description="The agreed or preferred figure; null if disputed.")
    unit: str
    approximate: bool
    period: str | None


Relation = StakeOut | DealOut | InvestmentOut | RoleOut


class ControlOut(Out):
    company: Ref = Field(description="The controlled company.")
    parent: Ref = Field(description="The company in control.")
    via: StakeOut | DealOut = Field(
        description="The owned or controlling stake, or the completed acquisition."
    )


class OwnershipOut(Out):
    parent: Ref | None = Field(description="Null if none, or if the sources leave it ambiguous.")
    ultimate_parent: Ref | None = Field(description="The top of the chain of control.")
    chain: list[ControlOut] = Field(description="Each link up to the ultimate parent.")
    subsidiaries: list[SubsidiaryOut] = Field(description="Companies it controls, by depth.")


class SubsidiaryOut(Out):
    depth: int
    company: Ref
    control: ControlOut = Field(description="Its link to its own parent.")


class NodeOut(Ref):
    type: str = Field(description="company or person.")


class StepOut(Out):
    node: NodeOut = Field(description="The company or person reached.")
    via: Relation = Field(description="The stake, deal, investment or role followed.")


class PathOut(Out):
    hops: int
    start: NodeOut
    steps: list[StepOut]


class BucketOut(Out):
    key: str = Field(description='The year ("unknown" if undated) or the kind.')
    count: int
    total_value_usd: float


class SummaryOut(Out):
    count: int
    total_value_usd: float = Field(description="Summed values stated in USD (no exchange rates).")
    by_year: list[BucketOut]
    by_kind: list[BucketOut]


class CsvExport(BaseModel):
    """A CSV document: a header row, then one row per deal."""


class TimelineEntryOut(Out):
    kind: crud.TimelineKind
    date: str | None = Field(description="ISO-8601 prefix; null if undated (listed last).")
    fact: DealOut | InvestmentOut | RoleOut | MetricOut


class SnippetOut(Out):
    text: str = Field(description="Plain text: escape it as any other text.")
    highlights: list[tuple[int, int]] = Field(
        description="[start, end) character offsets of the matches in `text`."
    )


class SearchHitOut(Out):
    kind: str = Field(description="company, person, deal or source.")
    id: str = Field(description="Global id of what was found.")
    key: str = Field(description="Its slug or key.")
    name: str = Field(description="Its name, or a source's title.")
    score: float = Field(description="Relevance; higher is better, within one search.")
    snippet: SnippetOut


class FactRef(Out):
    type: str = Field(description="deal, investment, stake, role or metric.")
    id: str | None = Field(description="Global id, for deals and investments.")
    label: str = Field(description="What the fact is, in a few words.")


class ConflictOut(Out):
    field: str = Field(description="The disputed field.")
    resolved: bool = Field(
        description="Whether the fact keeps a value: a claim is preferred, or the rest are "
        "deprecated."
    )
    fact: FactRef
    claims: list[ClaimOut]


ItemT = TypeVar("ItemT", bound=Out)


class Item(Out, Generic[ItemT]):
    data: ItemT


class List(Out, Generic[ItemT]):
    data: list[ItemT]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


class ProblemDetail(Out):
    parameter: str
    message: str


class Problem(Out):
    """An RFC 9457 problem document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemDetail] | None = None


# Errors


class ProblemError(Exception):
    def __init__(self, status: int, detail: str, errors: list[ProblemDetail] | None = None) -> None:
        self.status, self.detail, self.errors = status, detail, errors


def _problem_response(
    request: Request, status: int, detail: str, errors: list[ProblemDetail] | None = None
) -> Response:
    problem = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors,
    )
    return Response(
        orjson.dumps(problem.model_dump(exclude_none=True)),
        status_code=status,
        media_type="application/problem+json",
    )


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return _problem_response(request, exc.status, exc.detail, exc.errors)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = {404: f"nothing is served at {request.url.path}"}.get(exc.status_code, str(exc.detail))
    return _problem_response(request, exc.status_code, detail)


async def _on_unexpected(request: Request, _exc: Exception) -> Response:
    return _problem_response(request, 500, "the server failed to answer; the failure is logged")


EXCEPTION_HANDLERS: dict[Any, Callable[[Request, Exception], Any]] = {
    ProblemError: _on_problem,
    HTTPException: _on_http,
    Exception: _on_unexpected,
}


# Query parameters


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PageParams(Params):
    limit: int | None = Field(
        default=None, ge=1, description="Items per page (the server caps it)."
    )
    cursor: str | None = Field(default=None, description="`next_cursor` of the previous page.")


class CompanyListParams(PageParams):
    search: str | None = Field(default=None, description="Name or alias contains this, any case.")


class FactListParams(PageParams):
    status: DealStatus | None = None
    announced_after: dt.date | None = Field(default=None, description="Announced on or after.")
    announced_before: dt.date | None = Field(default=None, description="Announced on or before.")
    value_min_usd: float | None = Field(default=None, description="Value stated in USD ≥ this.")
    value_max_usd: float | None = Field(default=None, description="Value stated in USD ≤ this.")
    source: str | None = Field(
        default=None, description="Only those with evidence from this source (id or slug)."
    )
    order_by: crud.SortField = Field(
        default=crud.SortField.ANNOUNCED_ON, description="Sort field; ties broken by id."
    )
    direction: crud.Direction = Field(default=crud.Direction.DESC, description="asc or desc.")


class DealListParams(FactListParams):
    kind: DealKind | None = None
    company: str | None = Field(
        default=None, description="Only deals of this company (id or slug)."
    )
    role: DealRole | None = Field(default=None, description="With `company`: its role in the deal.")


class InvestmentListParams(FactListParams):
    company: str | None = Field(
        default=None, description="Only investments this company is in (id or slug)."
    )
    role: crud.InvestmentRole | None = Field(
        default=None, description="With `company`: which side it is on."
    )


class CompanyDealParams(PageParams):
    role: DealRole | None = None


class CompanyInvestmentParams(PageParams):
    role: crud.InvestmentRole | None = None


class SearchParams(PageParams):
    q: str = Field(description='Words, or a "quoted phrase", to look for.')
    kind: str | None = Field(
        default=None, description="Only hits of these kinds, comma-separated: company,deal,..."
    )


class OwnershipParams(Params):
    depth: int = Field(
        default=1, ge=1, le=graph.MAX_DEPTH, description="How many levels of subsidiaries."
    )


class ConnectionParams(Params):
    from_: str = Field(alias="from", description="A company or person (id or slug).")
    to: str = Field(description="A company or person (id or slug).")
    max_hops: int = Field(default=3, ge=1, le=graph.MAX_HOPS, description="Longest path.")
    limit: int = Field(default=10, ge=1, le=100, description="At most this many paths.")


class ConflictListParams(PageParams):
    company: str | None = Field(
        default=None, description="Only conflicts about this company's facts (id or slug)."
    )


def _params(request: Request, model: type[P]) -> P:
    raw: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name in raw:
            raise ProblemError(
                400,
                f"parameter {name!r} is given more than once",
                [ProblemDetail(parameter=name, message="given more than once")],
            )
        raw[name] = value
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        details = [
            ProblemDetail(
                parameter=".".join(str(p) for p in issue["loc"]) or "(query)",
                message="unknown parameter" if issue["type"] == "extra_forbidden" else issue["msg"],
            )
            for issue in error.errors()
        ]
        summary = "; ".join(f"{d.parameter}: {d.message}" for d in details)
        raise ProblemError(400, f"invalid query parameters: {summary}", details) from None


P = TypeVar("P", bound=Params)


# Building response bodies in batches: a constant number of statements per request


def _ref(row: models.Company | models.Person, type_name: str) -> Ref:
    return Ref(id=to_global_id(type_name, row.slug), slug=row.slug, name=row.name)


def _quotes(session: Session, rows: Sequence[models.Evidence]) -> dict[int, EvidenceOut]:
    sources = crud.get_by_ids(session, model=models.Source, ids=sorted({e.source_id for e in rows}))
    return {
        e.id: EvidenceOut(  # type: ignore[misc]
            quote=e.quote,
            start_offset=e.start_offset,
            end_offset=e.end_offset,
            source=SourceRef(
                id=to_global_id("Source", sources[e.source_id].slug),
                slug=sources[e.source_id].slug,
                title=sources[e.source_id].title,
            ),
        )
        for e in rows
    }


def _evidence(
    session: Session, subject: crud.EvidenceSubject, ids: Sequence[int]
) -> dict[int, list[EvidenceOut]]:
    rows = crud.evidence_of(session, subject=subject, ids=ids)
    quotes = _quotes(session, [e for found in rows.values() for e in found])
    return {pk: [quotes[e.id] for e in found] for pk, found in rows.items()}  # type: ignore[index]


def _claims(
    session: Session, rows: Sequence[models.Claim], quotes: dict[int, EvidenceOut]
) -> list[ClaimOut]:
    """Claims as output, given their quotes; attributions are looked up in one batch each."""
    companies = crud.get_by_ids(
        session, model=models.Company, ids=sorted({c.attributed_company_id or 0 for c in rows})
    )
    people = crud.get_by_ids(
        session, model=models.Person, ids=sorted({c.attributed_person_id or 0 for c in rows})
    )

    def speaker(claim: models.Claim) -> Ref | None:
        if claim.attributed_company_id is not None:
            return _ref(companies[claim.attributed_company_id], "Company")
        if claim.attributed_person_id is not None:
            return _ref(people[claim.attributed_person_id], "Person")
        return None

    return [
        ClaimOut(
            field=c.field,
            value=c.value,
            text=describe(c.value),
            rank=c.rank,
            rank_reason=c.rank_reason,
            note=c.note,
            attributed_to=speaker(c),
            evidence=quotes[c.evidence_id],
        )
        for c in rows
    ]


def _fact_parts(
    session: Session, subject: crud.EvidenceSubject, ids: Sequence[int]
) -> dict[int, dict[str, Any]]:
    """What every fact shows: its claims, its disputed fields and its evidence, in one batch. A
    claim's quote is always among its fact's evidence, so one lookup of quotes serves both."""
    claims = crud.claims_of(session, subject=subject, ids=ids)
    evidence = crud.evidence_of(session, subject=subject, ids=ids)
    quotes = _quotes(session, [e for found in evidence.values() for e in found])
    every_claim = _claims(session, [c for found in claims.values() for c in found], quotes)
    claims_out = iter(every_claim)
    return {
        pk: {
            "claims": [next(claims_out) for _ in claims[pk]],
            "disputed": list(dict.fromkeys(c.field for c in claims[pk] if c.conflict_id)),
            "evidence": [quotes[e.id] for e in evidence[pk]],  # type: ignore[index]
        }
        for pk in ids
    }


def _ids(rows: Sequence[Any]) -> list[int]:
    return [row.id for row in rows]


def companies_out(session: Session, rows: Sequence[models.Company]) -> list[CompanyOut]:
    ceos = crud.ceos_of_companies(session, company_ids=_ids(rows))
    evidence = _evidence(session, crud.EvidenceSubject.COMPANY, _ids(rows))
    return [
        CompanyOut(
            id=to_global_id("Company", c.slug),
            slug=c.slug,
            name=c.name,
            aliases=c.aliases,
            description=c.description,
            ceo=None if (ceo := ceos[c.id]) is None else _ref(ceo, "Person"),  # type: ignore[index]
            evidence=evidence[c.id],  # type: ignore[index]
        )
        for c in rows
    ]


def roles_out(session: Session, rows: Sequence[models.Role]) -> list[RoleOut]:
    people = crud.get_by_ids(session, model=models.Person, ids=sorted({r.person_id for r in rows}))
    companies = crud.get_by_ids(
        session, model=models.Company, ids=sorted({r.company_id for r in rows})
    )
    parts = _fact_parts(session, crud.EvidenceSubject.ROLE, _ids(rows))
    return [
        RoleOut(
            title=r.title,
            current=r.current,
            started_on=format_partial_date(r.started_on, r.started_precision),
            ended_on=format_partial_date(r.ended_on, r.ended_precision),
            person=_ref(people[r.person_id], "Person"),
            company=_ref(companies[r.company_id], "Company"),
            **parts[r.id],  # type: ignore[index]
        )
        for r in rows
    ]


def people_out(session: Session, rows: Sequence[models.Person]) -> list[PersonOut]:
    roles = crud.roles_of_people(session, person_ids=_ids(rows))
    every_role = [r for p in rows for r in roles[p.id]]  # type: ignore[index]
    role_out = dict(zip(_ids(every_role), roles_out(session, every_role), strict=True))
    evidence = _evidence(session, crud.EvidenceSubject.PERSON, _ids(rows))
    return [
        PersonOut(
            id=to_global_id("Person", p.slug),
            slug=p.slug,
            name=p.name,
            aliases=p.aliases,
            description=p.description,
            roles=[role_out[r.id] for r in roles[p.id]],  # type: ignore[index]
            evidence=evidence[p.id],  # type: ignore[index]
        )
        for p in rows
    ]


def deals_out(session: Session, rows: Sequence[models.Deal]) -> list[DealOut]:
    parties = crud.parties_of_deals(session, deal_ids=_ids(rows))
    parts = _fact_parts(session, crud.EvidenceSubject.DEAL, _ids(rows))
    return [
        DealOut(
            id=to_global_id("Deal", d.key),
            key=d.key,
            kind=d.kind,
            status=d.status,
            announced_on=format_partial_date(d.announced_on, d.announced_precision),
            completed_on=format_partial_date(d.completed_on, d.completed_precision),
            value=d.money(),
            parties=[
                PartyOut(
                    company=_ref(company, "Company"),
                    role=party.role,
                    stake_percent=party.stake_percent,
                )
                for party, company in parties[d.id]  # type: ignore[index]
            ],
            **parts[d.id],  # type: ignore[index]
        )
        for d in rows
    ]


def investments_out(session: Session, rows: Sequence[models.Investment]) -> list[InvestmentOut]:
    investors = crud.investors_of_investments(session, investment_ids=_ids(rows))
    investees = crud.get_by_ids(
        session, model=models.Company, ids=sorted({i.investee_id for i in rows})
    )
    deals = crud.get_by_ids(
        session, model=models.Deal, ids=sorted({i.deal_id for i in rows if i.deal_id})
    )
    parts = _fact_parts(session, crud.EvidenceSubject.INVESTMENT, _ids(rows))
    return [
        InvestmentOut(
            id=to_global_id("Investment", i.key),
            key=i.key,
            status=i.status,
            announced_on=format_partial_date(i.announced_on, i.announced_precision),
            value=i.money(),
            stake_percent=i.stake_percent,
            round=i.round,
            investors=[_ref(c, "Company") for c in investors[i.id]],  # type: ignore[index]
            investee=_ref(investees[i.investee_id], "Company"),
            deal_id=None if i.deal_id is None else to_global_id("Deal", deals[i.deal_id].key),
            **parts[i.id],  # type: ignore[index]
        )
        for i in rows
    ]


def sources_out(_session: Session, rows: Sequence[models.Source]) -> list[SourceOut]:
    return [
        SourceOut(
            id=to_global_id("Source", s.slug),
            slug=s.slug,
            title=s.title,
            publisher=s.publisher,
            published_on=format_partial_date(s.published_on, s.published_precision),
            url=s.url,
            text=s.text,
        )
        for s in rows
    ]


def stakes_out(session: Session, rows: Sequence[models.Stake]) -> list[StakeOut]:
    companies = crud.get_by_ids(
        session,
        model=models.Company,
        ids=sorted({r.holder_id for r in rows} | {r.company_id for r in rows}),
    )
    parts = _fact_parts(session, crud.EvidenceSubject.STAKE, _ids(rows))
    return [
        StakeOut(
            holder=_ref(companies[r.holder_id], "Company"),
            company=_ref(companies[r.company_id], "Company"),
            kind=r.kind,
            percent=r.percent,
            current=r.current,
            **parts[r.id],  # type: ignore[index]
        )
        for r in rows
    ]


def metrics_out(session: Session, rows: Sequence[models.Metric]) -> list[MetricOut]:
    companies = crud.get_by_ids(
        session, model=models.Company, ids=sorted({m.company_id for m in rows})
    )
    parts = _fact_parts(session, crud.EvidenceSubject.METRIC, _ids(rows))
    return [
        MetricOut(
            company=_ref(companies[m.company_id], "Company"),
            name=m.name,
            value=m.value,
            unit=m.unit,
            approximate=m.approximate,
            period=m.period,
            **parts[m.id],  # type: ignore[index]
        )
        for m in rows
    ]


_FACT_OUT: dict[type[Any], Callable[[Session, Sequence[Any]], Sequence[Out]]] = {
    models.Stake: stakes_out,
    models.Deal: deals_out,
    models.Investment: investments_out,
    models.Role: roles_out,
    models.Metric: metrics_out,
}
_EDGE_MODELS: dict[str, type[Any]] = {
    "stake": models.Stake,
    "deal": models.Deal,
    "investment": models.Investment,
    "role": models.Role,
}


def facts_out(session: Session, rows: Sequence[Any]) -> dict[tuple[type[Any], int], Any]:
    """Fact rows of any kinds in full, by (model, id), converted one batch per kind."""
    found: dict[tuple[type[Any], int], Any] = {}
    for model, convert in _FACT_OUT.items():
        batch = list({row.id: row for row in rows if isinstance(row, model)}.values())
        if batch:
            converted = convert(session, batch)
            found |= {(model, r.id): out for r, out in zip(batch, converted, strict=True)}
    return found


def relations_out(session: Session, edges: Sequence[graph.Edge]) -> dict[graph.Edge, Any]:
    """Each stake, deal, investment or role a graph edge follows, in full."""
    rows: list[Any] = []
    for kind, model in _EDGE_MODELS.items():
        ids = sorted({edge.id for edge in edges if edge.kind == kind})
        if ids:
            rows += crud.get_by_ids(session, model=model, ids=ids).values()
    found = facts_out(session, rows)
    return {edge: found[(_EDGE_MODELS[edge.kind], edge.id)] for edge in edges}


def ownership_out(session: Session, company_id: int, depth: int) -> OwnershipOut:
    chain = graph.ultimate_parents_of(session, company_ids=[company_id])[company_id]
    subsidiaries = graph.subsidiaries_of(session, company_ids=[company_id], depth=depth)[company_id]
    controls = chain + [s.edge for s in subsidiaries]
    relations = relations_out(session, [c.edge for c in controls])
    company_ids = {c.company_id for c in controls} | {c.parent_id for c in controls}
    companies = crud.get_by_ids(session, model=models.Company, ids=sorted(company_ids))

    def control(edge: graph.ControlEdge) -> ControlOut:
        return ControlOut(
            company=_ref(companies[edge.company_id], "Company"),
            parent=_ref(companies[edge.parent_id], "Company"),
            via=relations[edge.edge],
        )

    links = [control(edge) for edge in chain]
    return OwnershipOut(
        parent=links[0].parent if links else None,
        ultimate_parent=links[-1].parent if links else None,
        chain=links,
        subsidiaries=[
            SubsidiaryOut(
                depth=s.depth,
                company=_ref(companies[s.company_id], "Company"),
                control=control(s.edge),
            )
            for s in subsidiaries
        ],
    )


def timeline_out(session: Session, company_id: int) -> list[TimelineEntryOut]:
    entries = crud.timelines_of(session, company_ids=[company_id])[company_id]
    facts = facts_out(session, [e.fact for e in entries])
    return [
        TimelineEntryOut(
            kind=e.kind,
            date=format_partial_date(e.on, e.precision),
            fact=facts[(type(e.fact), e.fact.id)],  # type: ignore[index]
        )
        for e in entries
    ]


def paths_out(session: Session, paths: Sequence[graph.Path]) -> list[PathOut]:
    nodes = {path.start for path in paths} | {step.node for path in paths for step in path.steps}
    companies = crud.get_by_ids(
        session, model=models.Company, ids=sorted(n.id for n in nodes if n.kind == "company")
    )
    people = crud.get_by_ids(
        session, model=models.Person, ids=sorted(n.id for n in nodes if n.kind == "person")
    )
    relations = relations_out(session, [step.edge for path in paths for step in path.steps])

    def node(ref: graph.NodeRef) -> NodeOut:
        row = companies[ref.id] if ref.kind == "company" else people[ref.id]
        type_name = "Company" if ref.kind == "company" else "Person"
        return NodeOut(type=ref.kind, **_ref(row, type_name).model_dump())

    return [
        PathOut(
            hops=path.hops,
            start=node(path.start),
            steps=[StepOut(node=node(step.node), via=relations[step.edge]) for step in path.steps],
        )
        for path in paths
    ]


def _fact_refs(session: Session, rows: Sequence[models.Conflict]) -> list[FactRef]:
    """Short labels of the facts in dispute, looked up in a few batches."""

    def fetch(model: type[Any], column: str) -> dict[int, Any]:
        ids = sorted({getattr(r, column) for r in rows if getattr(r, column) is not None})
        return crud.get_by_ids(session, model=model, ids=ids) if ids else {}

    deals, investments = fetch(models.Deal, "deal_id"), fetch(models.Investment, "investment_id")
    stakes, roles = fetch(models.Stake, "stake_id"), fetch(models.Role, "role_id")
    metrics = fetch(models.Metric, "metric_id")
    company_ids = {m.company_id for m in metrics.values()} | {r.company_id for r in roles.values()}
    company_ids |= {s.company_id for s in stakes.values()} | {s.holder_id for s in stakes.values()}
    companies = crud.get_by_ids(session, model=models.Company, ids=sorted(company_ids))
    people = crud.get_by_ids(
        session, model=models.Person, ids=sorted({r.person_id for r in roles.values()})
    )

    def label(row: models.Conflict) -> FactRef:
        if row.deal_id is not None:
            key = deals[row.deal_id].key
            return FactRef(type="deal", id=to_global_id("Deal", key), label=key)
        if row.investment_id is not None:
            key = investments[row.investment_id].key
            return FactRef(type="investment", id=to_global_id("Investment", key), label=key)
        if row.stake_id is not None:
            stake = stakes[row.stake_id]
            text = f"{companies[stake.holder_id].name} stake in {companies[stake.company_id].name}"
            return FactRef(type="stake", id=None, label=text)
        if row.role_id is not None:
            role = roles[row.role_id]
            text = (
                f"{people[role.person_id].name}, {role.title} of {companies[role.company_id].name}"
            )
            return FactRef(type="role", id=None, label=text)
        assert row.metric_id is not None
        metric = metrics[row.metric_id]
        period = f" ({metric.period})" if metric.period else ""
        text = f"{companies[metric.company_id].name} {metric.name}{period}"
        return FactRef(type="metric", id=None, label=text)

    return [label(row) for row in rows]


def conflicts_out(session: Session, rows: Sequence[models.Conflict]) -> list[ConflictOut]:
    claims = crud.claims_of_conflicts(session, conflict_ids=_ids(rows))
    evidence = crud.get_by_ids(
        session,
        model=models.Evidence,
        ids=sorted({c.evidence_id for found in claims.values() for c in found}),
    )
    quotes = _quotes(session, list(evidence.values()))
    return [
        ConflictOut(
            field=row.field,
            resolved=row.resolved,
            fact=fact,
            claims=_claims(session, claims[row.id], quotes),  # type: ignore[index]
        )
        for row, fact in zip(rows, _fact_refs(session, rows), strict=True)
    ]


# Endpoints

SEARCH_TYPES = {"company": "Company", "person": "Person", "deal": "Deal", "source": "Source"}


def _json(body: dict[str, Any]) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")


def _item(item: Out) -> Response:
    return _json({"data": item.model_dump(mode="json")})


def _list(items: Sequence[Out], next_cursor: str | None) -> Response:
    return _json(
        {"data": [item.model_dump(mode="json") for item in items], "next_cursor": next_cursor}
    )


def _session(request: Request) -> Session:
    session: Session = request.state.session
    return session


def _limit(request: Request, params: PageParams) -> int:
    settings: Settings = request.app.state.settings
    if params.limit is None:
        return settings.default_page_size
    if params.limit > settings.max_page_size:
        raise ProblemError(
            400,
            f"limit must be at most {settings.max_page_size}",
            [ProblemDetail(parameter="limit", message=f"at most {settings.max_page_size}")],
        )
    return params.limit


Handler = Callable[[Request], Response]
Convert = Callable[[Session, Sequence[Any]], Sequence[Out]]


def _listing(
    request: Request,
    params: PageParams,
    fetch: Callable[[int, str | None], crud.Page[Any]],
    convert: Convert,
) -> Response:
    try:
        page = fetch(_limit(request, params), params.cursor)
    except InvalidToken as error:
        raise ProblemError(
            400, str(error), [ProblemDetail(parameter="cursor", message="not a valid cursor")]
        ) from None
    return _list(convert(_session(request), page.items), page.end_cursor if page.has_next else None)


_RowT = TypeVar(
    "_RowT", models.Company, models.Person, models.Deal, models.Investment, models.Source
)


def _lookup(request: Request, model: type[_RowT], type_name: str, ref: str) -> _RowT:
    """A row by global id, or else by its readable key (slug)."""
    key = ref
    try:
        found_type, found_key = from_global_id(ref)
        if found_type == type_name:
            key = found_key
    except InvalidToken:
        pass
    row = crud.get_by_keys(_session(request), model=model, keys=[key]).get(key)
    if row is None:
        raise ProblemError(404, f"no {type_name.lower()} with id or key {ref!r}")
    return row


@dataclass(frozen=True)
class Endpoint:
    path: str
    operation_id: str
    summary: str
    response: type[BaseModel]
    handler: Handler
    params: type[Params] = Params

    @property
    def path_params(self) -> list[str]:
        return [part[1:-1] for part in self.path.split("/") if part.startswith("{")]


def _one(model: type[_RowT], type_name: str, convert: Convert) -> Handler:
    def handler(request: Request) -> Response:
        _params(request, Params)
        row = _lookup(request, model, type_name, request.path_params["ref"])
        return _item(convert(_session(request), [row])[0])

    return handler


def _company(request: Request) -> int:
    row = _lookup(request, models.Company, "Company", request.path_params["ref"])
    assert row.id is not None
    return row.id


def _entity(request: Request, ref: str, parameter: str) -> graph.NodeRef:
    """A company or person by global id or slug (companies first for a bare slug)."""
    try:
        company = _lookup(request, models.Company, "Company", ref)
        return graph.NodeRef("company", company.id or 0)
    except ProblemError:
        pass
    try:
        person = _lookup(request, models.Person, "Person", ref)
        return graph.NodeRef("person", person.id or 0)
    except ProblemError:
        pass
    detail = ProblemDetail(parameter=parameter, message="no company or person has this id or slug")
    raise ProblemError(404, f"no company or person with id or slug {ref!r}", [detail])


def _fact_filter(request: Request, p: FactListParams) -> dict[str, Any]:
    """The filter fields deals and investments share, with references looked up."""
    company_id = None
    if getattr(p, "company", None) is not None:
        company_id = _lookup(request, models.Company, "Company", p.company).id  # type: ignore[attr-defined]
    elif getattr(p, "role", None) is not None:
        detail = ProblemDetail(parameter="role", message="needs `company`")
        raise ProblemError(400, "role needs company", [detail])
    source_id = None
    if p.source is not None:
        source_id = _lookup(request, models.Source, "Source", p.source).id
    return {
        "status": p.status,
        "company_id": company_id,
        "announced_after": p.announced_after,
        "announced_before": p.announced_before,
        "value_min_usd": p.value_min_usd,
        "value_max_usd": p.value_max_usd,
        "evidence_source_id": source_id,
    }


def _deal_filter(request: Request, p: DealListParams) -> crud.DealFilter:
    return crud.DealFilter(kind=p.kind, role=p.role, **_fact_filter(request, p))


def _investment_filter(request: Request, p: InvestmentListParams) -> crud.InvestmentFilter:
    return crud.InvestmentFilter(role=p.role, **_fact_filter(request, p))


def _order(p: FactListParams) -> crud.OrderBy:
    return crud.OrderBy(field=p.order_by, direction=p.direction)


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


def deals_csv(session: Session, where: crud.DealFilter, order: crud.OrderBy) -> str:
    """Every deal the filter selects, fetched a page at a time, as CSV with one row per deal."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    after = None
    while True:
        page = crud.list_deals(session, where=where, order=order, limit=500, after=after)
        parties = crud.parties_of_deals(session, deal_ids=_ids(page.items))
        sources = crud.sources_of_deals(session, deal_ids=_ids(page.items))
        for d in page.items:
            by_role = {
                role: "; ".join(c.name for p, c in parties[d.id] if p.role == role)  # type: ignore[index]
                for role in (DealRole.ACQUIRER, DealRole.TARGET, DealRole.SELLER)
            }
            writer.writerow(
                (
                    to_global_id("Deal", d.key),
                    d.key,
                    d.kind.value,
                    d.status.value,
                    format_partial_date(d.announced_on, d.announced_precision),
                    format_partial_date(d.completed_on, d.completed_precision),
                    d.value_amount,
                    d.value_currency,
                    d.value_approximate,
                    d.value_text,
                    by_role[DealRole.ACQUIRER],
                    by_role[DealRole.TARGET],
                    by_role[DealRole.SELLER],
                    "; ".join(sources[d.id]),  # type: ignore[index]
                )
            )
        if not page.has_next:
            return buffer.getvalue()
        after = page.end_cursor


PageP = TypeVar("PageP", bound=PageParams)
Fetch = Callable[[Request, PageP, int, str | None], crud.Page[Any]]


def _paged(params: type[PageP], fetch: Fetch[PageP], convert: Convert) -> Handler:
    def handler(request: Request) -> Response:
        p = _params(request, params)
        return _listing(request, p, lambda limit, after: fetch(request, p, limit, after), convert)

    return handler


def _endpoints() -> list[Endpoint]:
    def company_people(request: Request) -> Response:
        _params(request, Params)
        company_id, s = _company(request), _session(request)
        return _list(
            roles_out(s, crud.roles_at_companies(s, company_ids=[company_id])[company_id]), None
        )

    def company_stakes(request: Request) -> Response:
        _params(request, Params)
        company_id, s = _company(request), _session(request)
        owners = crud.stakes_in(s, company_ids=[company_id])[company_id]
        holdings = crud.stakes_held_by(s, company_ids=[company_id])[company_id]
        return _list(stakes_out(s, owners + holdings), None)

    def company_metrics(request: Request) -> Response:
        _params(request, Params)
        company_id, s = _company(request), _session(request)
        return _list(
            metrics_out(s, crud.metrics_of_companies(s, company_ids=[company_id])[company_id]),
            None,
        )

    def conflict_page(
        r: Request, p: ConflictListParams, n: int, c: str | None
    ) -> crud.Page[models.Conflict]:
        company = None if p.company is None else _lookup(r, models.Company, "Company", p.company)
        company_id = None if company is None else company.id
        return crud.list_conflicts(_session(r), company_id=company_id, limit=n, after=c)

    def company_timeline(request: Request) -> Response:
        _params(request, Params)
        return _list(timeline_out(_session(request), _company(request)), None)

    def company_ownership(request: Request) -> Response:
        p = _params(request, OwnershipParams)
        return _item(ownership_out(_session(request), _company(request), p.depth))

    def connections(request: Request) -> Response:
        p = _params(request, ConnectionParams)
        start, end = _entity(request, p.from_, "from"), _entity(request, p.to, "to")
        paths = graph.shortest_paths(
            _session(request), start=start, end=end, max_hops=p.max_hops, limit=p.limit
        )
        return _list(paths_out(_session(request), paths), None)

    def search_hits(request: Request) -> Response:
        p = _params(request, SearchParams)
        s = _session(request)
        kinds = None if p.kind is None else [k.strip() for k in p.kind.split(",")]
        try:
            page, offset = crud.search_page(
                s, query=p.q, kinds=kinds, limit=_limit(request, p), after=p.cursor
            )
        except InvalidToken as error:
            detail = ProblemDetail(parameter="cursor", message="not a valid cursor")
            raise ProblemError(400, str(error), [detail]) from None
        except ValueError as error:
            parameter = "kind" if str(error).startswith("unknown kind") else "q"
            detail = ProblemDetail(parameter=parameter, message=str(error))
            raise ProblemError(400, str(error), [detail]) from None
        rows = crud.rows_of_hits(s, hits=page.hits)
        hits = []
        for hit in page.hits:
            row = rows[(hit.kind, hit.id)]
            key = getattr(row, "slug", None) or row.key
            hits.append(
                SearchHitOut(
                    kind=hit.kind,
                    id=to_global_id(SEARCH_TYPES[hit.kind], key),
                    key=key,
                    name=getattr(row, "name", None) or getattr(row, "title", key),
                    score=hit.score,
                    snippet=SnippetOut(
                        text=hit.snippet.text, highlights=list(hit.snippet.highlights)
                    ),
                )
            )
        next_cursor = crud.hit_cursor(offset + len(hits)) if page.has_next else None
        return _list(hits, next_cursor)

    def company_investments(
        r: Request, p: CompanyInvestmentParams, n: int, c: str | None
    ) -> crud.Page[models.Investment]:
        company_id = _company(r)
        pages = crud.investments_of_companies(
            _session(r), company_ids=[company_id], role=p.role, limit=n, after=c
        )
        return pages[company_id]

    companies = _paged(
        CompanyListParams,
        lambda r, p, n, c: crud.list_companies(_session(r), search=p.search, limit=n, after=c),
        companies_out,
    )
    company_deals = _paged(
        CompanyDealParams,
        lambda r, p, n, c: crud.list_deals(
            _session(r),
            where=crud.DealFilter(company_id=_company(r), role=p.role),
            limit=n,
            after=c,
        ),
        deals_out,
    )
    deal_page = _paged(
        DealListParams,
        lambda r, p, n, c: crud.list_deals(
            _session(r), where=_deal_filter(r, p), order=_order(p), limit=n, after=c
        ),
        deals_out,
    )

    def deals(request: Request) -> Response:
        if "text/csv" in request.headers.get("accept", ""):
            return deals_as_csv(request)
        return deal_page(request)

    def deals_as_csv(request: Request) -> Response:
        p = _params(request, DealListParams)
        body = deals_csv(_session(request), _deal_filter(request, p), _order(p))
        headers = {"content-disposition": 'attachment; filename="deals.csv"'}
        return Response(body, media_type="text/csv; charset=utf-8", headers=headers)

    def deal_summary(request: Request) -> Response:
        p = _params(request, DealListParams)
        found = crud.aggregate_deals(_session(request), where=_deal_filter(request, p))
        return _item(SummaryOut.model_validate(found, from_attributes=True))

    investments = _paged(
        InvestmentListParams,
        lambda r, p, n, c: crud.list_investments(
            _session(r), where=_investment_filter(r, p), order=_order(p), limit=n, after=c
        ),
        investments_out,
    )
    people = _paged(
        CompanyListParams,
        lambda r, p, n, c: crud.list_people(_session(r), search=p.search, limit=n, after=c),
        people_out,
    )
    sources = _paged(
        PageParams, lambda r, p, n, c: crud.list_sources(_session(r), limit=n, after=c), sources_out
    )
    investments_of_company = _paged(CompanyInvestmentParams, company_investments, investments_out)
    company = _one(models.Company, "Company", companies_out)
    E = Endpoint
    return [
        E(
            "/api/companies",
            "listCompanies",
            "Companies by name",
            List[CompanyOut],
            companies,
            CompanyListParams,
        ),
        E(
            "/api/companies/{ref}",
            "getCompany",
            "One company, by id or slug",
            Item[CompanyOut],
            company,
        ),
        E(
            "/api/companies/{ref}/deals",
            "listCompanyDeals",
            "Deals a company is party to, newest first",
            List[DealOut],
            company_deals,
            CompanyDealParams,
        ),
        E(
            "/api/companies/{ref}/investments",
            "listCompanyInvestments",
            "Investments a company made or received, newest first",
            List[InvestmentOut],
            investments_of_company,
            CompanyInvestmentParams,
        ),
        E(
            "/api/companies/{ref}/people",
            "listCompanyPeople",
            "People's roles at a company",
            List[RoleOut],
            company_people,
        ),
        E(
            "/api/companies/{ref}/stakes",
            "listCompanyStakes",
            "Stakes in a company, then stakes it holds",
            List[StakeOut],
            company_stakes,
        ),
        E(
            "/api/companies/{ref}/metrics",
            "listCompanyMetrics",
            "Figures for a company (market share, users, revenue...) with every source's claim",
            List[MetricOut],
            company_metrics,
        ),
        E(
            "/api/conflicts",
            "listConflicts",
            "Facts whose sources disagree, with every competing claim",
            List[ConflictOut],
            _paged(ConflictListParams, conflict_page, conflicts_out),
            ConflictListParams,
        ),
        E(
            "/api/companies/{ref}/timeline",
            "getCompanyTimeline",
            "Deals, investments, appointments and metrics of a company in date order",
            List[TimelineEntryOut],
            company_timeline,
        ),
        E(
            "/api/companies/{ref}/ownership",
            "getCompanyOwnership",
            "Parent, chain of control up to the ultimate parent, and subsidiaries",
            Item[OwnershipOut],
            company_ownership,
            OwnershipParams,
        ),
        E(
            "/api/connections",
            "listConnections",
            "Shortest paths between two companies or people through stakes, deals, "
            "investments and roles",
            List[PathOut],
            connections,
            ConnectionParams,
        ),
        E(
            "/api/search",
            "search",
            "Full-text search over companies, people, deals and source documents, best first",
            List[SearchHitOut],
            search_hits,
            SearchParams,
        ),
        E(
            "/api/deals",
            "listDeals",
            "Deals, newest first, filtered and sorted (CSV with `Accept: text/csv`)",
            List[DealOut],
            deals,
            DealListParams,
        ),
        E(
            "/api/deals.csv",
            "exportDeals",
            "Every deal the filter selects, as CSV (limit and cursor are ignored)",
            CsvExport,
            deals_as_csv,
            DealListParams,
        ),
        E(
            "/api/deals/summary",
            "summarizeDeals",
            "Count and value in USD of the deals the filter selects, by year and by kind",
            Item[SummaryOut],
            deal_summary,
            DealListParams,
        ),
        E(
            "/api/deals/{ref}",
            "getDeal",
            "One deal, by id or key",
            Item[DealOut],
            _one(models.Deal, "Deal", deals_out),
        ),
        E(
            "/api/investments",
            "listInvestments",
            "Investments, newest first, filtered and sorted",
            List[InvestmentOut],
            investments,
            InvestmentListParams,
        ),
        E(
            "/api/investments/{ref}",
            "getInvestment",
            "One investment, by id or key",
            Item[InvestmentOut],
            _one(models.Investment, "Investment", investments_out),
        ),
        E(
            "/api/people",
            "listPeople",
            "People by name",
            List[PersonOut],
            people,
            CompanyListParams,
        ),
        E(
            "/api/people/{ref}",
            "getPerson",
            "One person, by id or slug",
            Item[PersonOut],
            _one(models.Person, "Person", people_out),
        ),
        E("/api/sources", "listSources", "Source documents", List[SourceOut], sources, PageParams),
        E(
            "/api/sources/{ref}",
            "getSource",
            "One source document, by id or slug",
            Item[SourceOut],
            _one(models.Source, "Source", sources_out),
        ),
    ]


# Wiring and the OpenAPI document


def openapi_document(endpoints: Sequence[Endpoint]) -> dict[str, Any]:
    ref_template = "#/components/schemas/{model}"
    inputs = [(e.response, "serialization") for e in endpoints] + [(Problem, "serialization")]
    inputs += [(e.params, "validation") for e in endpoints]
    refs, definitions = models_json_schema(list(dict.fromkeys(inputs)), ref_template=ref_template)  # type: ignore[arg-type]
    schemas: dict[str, Any] = definitions.get("$defs", {})

    def problem(description: str) -> dict[str, Any]:
        return {
            "description": description,
            "content": {"application/problem+json": {"schema": refs[(Problem, "serialization")]}},
        }

    paths: dict[str, Any] = {}
    for e in endpoints:
        query_schema = schemas[refs[(e.params, "validation")]["$ref"].rsplit("/", 1)[1]]
        parameters = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "description": "Global id, or the readable key (slug)",
                "schema": {"type": "string"},
            }
            for name in e.path_params
        ] + [
            {
                "name": field.alias or name,
                "in": "query",
                "required": field.is_required(),
                "description": field.description or "",
                "schema": query_schema["properties"][field.alias or name],
            }
            for name, field in e.params.model_fields.items()
        ]
        responses = {
            "200": {
                "description": "OK",
                "content": {"application/json": {"schema": refs[(e.response, "serialization")]}},
            },
            "400": problem("A query parameter is unknown, repeated or invalid."),
        }
        if e.path_params:
            responses["404"] = problem("Nothing has that id or key.")
        paths[e.path] = {
            "get": {
                "summary": e.summary,
                "operationId": e.operation_id,
                "parameters": parameters,
                "responses": responses,
            }
        }
    paths["/healthz"] = {
        "get": {
            "summary": "Whether the service can read its store",
            "operationId": "healthz",
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"status": {"type": "string"}},
                            }
                        }
                    },
                },
                "503": problem("The store cannot be read."),
            },
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "dealgraph",
            "version": "0.1.0",
            "description": "Corporate M&A facts, each with verbatim evidence from its source.",
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }


def routes(_settings: Settings) -> list[Route]:
    endpoints = _endpoints()
    document = orjson.dumps(openapi_document(endpoints))

    def openapi(_request: Request) -> Response:
        return Response(document, media_type="application/json")

    def healthz(request: Request) -> Response:
        try:
            _session(request).execute(text("SELECT 1 FROM source LIMIT 1"))
        except SQLAlchemyError:
            return _problem_response(request, 503, "the store cannot be read")
        return _json({"status": "ok"})

    return [
        *(
            Route(
                e.path.replace("{ref}", "{ref:str}"),
                e.handler,
                methods=["GET"],
                name=e.operation_id,
            )
            for e in endpoints
        ),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
