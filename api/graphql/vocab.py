"""The API's vocabulary as GraphQL enums, and money as a source states it."""

from __future__ import annotations

import strawberry

from api.store import models
from api.vocab import (
    ClaimRank,
    DealKind,
    DealRole,
    DealStatus,
    Direction,
    InvestmentRole,
    SearchKind,
    SortField,
    StakeKind,
    TimelineKind,
)

__all__ = [
    "ClaimRank",
    "DealKind",
    "DealRole",
    "DealStatus",
    "Direction",
    "InvestmentRole",
    "Money",
    "SearchKind",
    "SortField",
    "StakeKind",
    "TimelineKind",
]

# strawberry.enum registers each enum on the class itself: modules of this package import the
# enums from here, so that they are registered before any type uses them.
strawberry.enum(DealKind, description="What kind of transaction a deal is.")
strawberry.enum(DealStatus, description="How far a deal has got, as its sources state it.")
strawberry.enum(DealRole, description="The part a company plays in a deal.")
strawberry.enum(StakeKind, description="How much of a company a holder owns.")
strawberry.enum(InvestmentRole, description="Which side of an investment a company is on.")
strawberry.enum(
    SortField, name="FactSortField", description="What to sort deals or investments by."
)
strawberry.enum(Direction, name="SortDirection", description="Ascending or descending.")
strawberry.enum(TimelineKind, description="What happened at a point of a company's timeline.")
strawberry.enum(SearchKind, name="SearchKind", description="What a search hit is.")
strawberry.enum(
    ClaimRank,
    description="How much weight a claim carries: preferred claims give a fact's value; "
    "deprecated ones are kept but known to be wrong.",
)


def camel(name: str) -> str:
    """A field name as this schema writes it: `published_on` as `publishedOn`."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


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
