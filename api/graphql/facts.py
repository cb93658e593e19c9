"""Any fact as its GraphQL type: from its row, or from a row that names it."""

from __future__ import annotations

from strawberry.types import Info

from api.graphql import companies, deals, investments, metrics, people
from api.graphql.claims import Fact
from api.graphql.context import Context
from api.store import models

FactRow = models.Deal | models.Investment | models.Stake | models.Role | models.Metric


def as_fact(row: FactRow) -> Fact:
    """A deal, investment, stake, role or metric row as its GraphQL type."""
    if isinstance(row, models.Deal):
        return deals.Deal.from_row(row)
    if isinstance(row, models.Investment):
        return investments.Investment.from_row(row)
    if isinstance(row, models.Stake):
        return companies.Stake.from_row(row)
    if isinstance(row, models.Role):
        return people.Role.from_row(row)
    return metrics.Metric.from_row(row)


async def fact_of(info: Info[Context, None], subject: models.FactSubject) -> Fact:
    """The fact that a claim or conflict is about."""
    if subject.deal_id is not None:
        return await deals.Deal.by_pk(info, subject.deal_id)
    if subject.investment_id is not None:
        return await investments.Investment.by_pk(info, subject.investment_id)
    if subject.stake_id is not None:
        return await companies.Stake.by_pk(info, subject.stake_id)
    if subject.role_id is not None:
        return await people.Role.by_pk(info, subject.role_id)
    if subject.metric_id is not None:
        return await metrics.Metric.by_pk(info, subject.metric_id)
    raise ValueError(f"{subject!r} names no fact")
