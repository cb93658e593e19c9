"""Evidence, claims and conflicts: what every fact shows, and the facts whose sources disagree."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import Field
from sqlmodel import Session
from starlette.requests import Request

from api.claims import VALUE_FORMS, describe
from api.ids import to_global_id
from api.rest.endpoints import Endpoint, paged
from api.rest.params import PageParams, lookup, request_session
from api.rest.responses import List, Out, Ref, SourceRef, ids, to_ref
from api.store import models
from api.store.claims import (
    CONFLICT_ORDER,
    EvidenceSubject,
    claims_of,
    claims_of_conflicts,
    evidence_of,
    list_conflicts,
)
from api.store.paging import Page, PageRequest
from api.store.rows import get_by_ids
from api.vocab import (
    ClaimRank,
)


class EvidenceOut(Out):
    quote: str = Field(description="The exact words, as they occur in the source.")
    start_offset: int = Field(description="Index of the first character in the source text.")
    end_offset: int = Field(description="Index just past the last character.")
    source: SourceRef


class ClaimOut(Out):
    field: str = Field(description="The field it is about, such as `announced_on`.")
    value: Any = Field(description=VALUE_FORMS)
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


class FactRef(Out):
    type: str = Field(description="deal, investment, stake, role or metric.")
    id: str | None = Field(description="Global id, for deals and investments.")
    label: str = Field(description="What the fact is, in a few words.")


class ConflictOut(Out):
    field: str = Field(description="The disputed field.")
    resolved: bool = Field(
        description="Whether the fact keeps a value: a claim is preferred, the rest are "
        "deprecated, or only other facts contradict it."
    )
    reason: str | None = Field(
        description="Why, where the claims' values alone do not show it: a rank that another "
        "source's figures for the same period order the other way."
    )
    fact: FactRef
    claims: list[ClaimOut]


class ConflictListParams(PageParams):
    REFERENCES = frozenset({"company"})

    company: str | None = Field(
        default=None, description="Only conflicts about this company's facts (id or slug)."
    )


def quotes_out(session: Session, rows: Sequence[models.Evidence]) -> dict[int, EvidenceOut]:
    sources = get_by_ids(session, model=models.Source, ids=sorted({e.source_id for e in rows}))
    return {
        e.pk: EvidenceOut(
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


def evidence_out(
    session: Session, subject: EvidenceSubject, ids: Sequence[int]
) -> dict[int, list[EvidenceOut]]:
    rows = evidence_of(session, subject=subject, ids=ids)
    quotes = quotes_out(session, [e for found in rows.values() for e in found])
    return {pk: [quotes[e.pk] for e in found] for pk, found in rows.items()}


def claims_out(
    session: Session, rows: Sequence[models.Claim], quotes: dict[int, EvidenceOut]
) -> list[ClaimOut]:
    """Claims as output, given their quotes; attributions are looked up in one batch each."""
    companies = get_by_ids(
        session, model=models.Company, ids=sorted({c.attributed_company_id or 0 for c in rows})
    )
    people = get_by_ids(
        session, model=models.Person, ids=sorted({c.attributed_person_id or 0 for c in rows})
    )

    def speaker(claim: models.Claim) -> Ref | None:
        if claim.attributed_company_id is not None:
            return to_ref(companies[claim.attributed_company_id], "Company")
        if claim.attributed_person_id is not None:
            return to_ref(people[claim.attributed_person_id], "Person")
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


def fact_parts(
    session: Session, subject: EvidenceSubject, ids: Sequence[int]
) -> dict[int, dict[str, Any]]:
    """What every fact shows: its claims, its disputed fields and its evidence, in one batch. A
    claim's quote is always among its fact's evidence, so one lookup of quotes serves both."""
    claims = claims_of(session, subject=subject, ids=ids)
    evidence = evidence_of(session, subject=subject, ids=ids)
    quotes = quotes_out(session, [e for found in evidence.values() for e in found])
    every_claim = claims_out(session, [c for found in claims.values() for c in found], quotes)
    claim_iter = iter(every_claim)
    return {
        pk: {
            "claims": [next(claim_iter) for _ in claims[pk]],
            "disputed": list(dict.fromkeys(c.field for c in claims[pk] if c.conflict_id)),
            "evidence": [quotes[e.pk] for e in evidence[pk]],
        }
        for pk in ids
    }


def fact_refs(session: Session, rows: Sequence[models.Conflict]) -> list[FactRef]:
    """Short labels of the facts in dispute, looked up in a few batches."""

    def fetch(model: type[Any], column: str) -> dict[int, Any]:
        ids = sorted({getattr(r, column) for r in rows if getattr(r, column) is not None})
        return get_by_ids(session, model=model, ids=ids) if ids else {}

    deals, investments = fetch(models.Deal, "deal_id"), fetch(models.Investment, "investment_id")
    stakes, roles = fetch(models.Stake, "stake_id"), fetch(models.Role, "role_id")
    metrics = fetch(models.Metric, "metric_id")
    company_ids = {m.company_id for m in metrics.values() if m.company_id}
    company_ids |= {r.company_id for r in roles.values()}
    company_ids |= {s.company_id for s in stakes.values()} | {s.holder_id for s in stakes.values()}
    companies = get_by_ids(session, model=models.Company, ids=sorted(company_ids))
    people = get_by_ids(
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
        about = metric.market if metric.company_id is None else companies[metric.company_id].name
        text = f"{about} {metric.name}{period}"
        return FactRef(type="metric", id=None, label=text)

    return [label(row) for row in rows]


def conflicts_out(session: Session, rows: Sequence[models.Conflict]) -> list[ConflictOut]:
    claims = claims_of_conflicts(session, conflict_ids=ids(rows))
    evidence = get_by_ids(
        session,
        model=models.Evidence,
        ids=sorted({c.evidence_id for found in claims.values() for c in found}),
    )
    quotes = quotes_out(session, list(evidence.values()))
    return [
        ConflictOut(
            field=row.field,
            resolved=row.resolved,
            reason=row.reason,
            fact=fact,
            claims=claims_out(session, claims[row.pk], quotes),
        )
        for row, fact in zip(rows, fact_refs(session, rows), strict=True)
    ]


def _conflict_page(
    request: Request, params: ConflictListParams, page: PageRequest
) -> Page[models.Conflict]:
    company = None
    if params.company is not None:
        company = lookup(request, models.Company, "Company", params.company).pk
    return list_conflicts(request_session(request), company_id=company, page=page)


ENDPOINTS = [
    Endpoint(
        "/conflicts",
        "listConflicts",
        "Facts whose sources disagree, with every competing claim",
        List[ConflictOut],
        paged(ConflictListParams, CONFLICT_ORDER, _conflict_page, conflicts_out),
        ConflictListParams,
    ),
]
