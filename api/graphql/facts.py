"""Any fact row as its GraphQL type."""

from __future__ import annotations

from typing import Any

from api.graphql import companies, deals, investments, people
from api.graphql.claims import Fact
from api.store import models


def as_fact(row: Any) -> Fact:
    """A deal, investment, stake, role or metric row as its GraphQL type."""
    if isinstance(row, models.Deal):
        return deals.Deal.from_row(row)
    if isinstance(row, models.Investment):
        return investments.Investment.from_row(row)
    if isinstance(row, models.Stake):
        return companies.Stake.from_row(row)
    if isinstance(row, models.Role):
        return people.Role.from_row(row)
    return companies.Metric.from_row(row)
