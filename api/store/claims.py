"""Evidence and claims of facts, and the conflicts where claims disagree."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, union
from sqlmodel import Session, col, select

from api.store.models import (
    Claim,
    Conflict,
    DealParty,
    Evidence,
    Investment,
    InvestmentInvestor,
    Metric,
    Role,
    Stake,
)
from api.store.paging import Ordering, Page, PageRequest, count, read_page
from api.store.rows import group


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


def evidence_of(
    session: Session, *, subject: EvidenceSubject, ids: Sequence[int]
) -> dict[int, list[Evidence]]:
    column = getattr(Evidence, subject.value)
    statement = (
        select(Evidence)
        .where(col(column).in_(ids))
        .order_by(col(Evidence.source_id), col(Evidence.start_offset), col(Evidence.id))
    )
    return group(session, statement, subject.value, ids)


def claims_of(
    session: Session, *, subject: EvidenceSubject, ids: Sequence[int]
) -> dict[int, list[Claim]]:
    column = getattr(Claim, subject.value)
    statement = select(Claim).where(col(column).in_(ids)).order_by(col(Claim.field), col(Claim.id))
    return group(session, statement, subject.value, ids)


def claims_of_conflicts(session: Session, *, conflict_ids: Sequence[int]) -> dict[int, list[Claim]]:
    statement = (
        select(Claim).where(col(Claim.conflict_id).in_(conflict_ids)).order_by(col(Claim.id))
    )
    return group(session, statement, "conflict_id", conflict_ids)


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


CONFLICT_ORDER = Ordering(columns=(col(Conflict.id),), key=lambda row: (row.id,), types=(int,))


def list_conflicts(
    session: Session, *, company_id: int | None, page: PageRequest
) -> Page[Conflict]:
    return read_page(session, _conflicts_query(company_id), CONFLICT_ORDER, page)


def count_conflicts(session: Session, *, company_id: int | None) -> int:
    return count(session, _conflicts_query(company_id))
