"""The API's vocabulary as GraphQL enums, and its value types: money, a deal's tranches,
valuation and terms."""

from __future__ import annotations

import inspect
from typing import Any

import strawberry
from strawberry.experimental.pydantic import type as pydantic_type

from api import vocab
from api.store import models
from api.vocab import (
    ClaimRank,
    DealKind,
    DealRole,
    DealStatus,
    Direction,
    InvestmentRole,
    Milestone,
    RoleKind,
    SearchKind,
    SortField,
    StakeChange,
    StakeKind,
    TermKind,
    TimelineKind,
    TrancheKind,
    ValuationBasis,
)

__all__ = [
    "ClaimRank",
    "DealKind",
    "DealRole",
    "DealStatus",
    "DealTerm",
    "Direction",
    "InvestmentRole",
    "Milestone",
    "Money",
    "PercentRange",
    "Quantity",
    "RoleKind",
    "SearchKind",
    "SortField",
    "StakeChange",
    "StakeKind",
    "TermKind",
    "TimelineKind",
    "Tranche",
    "TrancheKind",
    "Valuation",
    "ValuationBasis",
    "Window",
]

# strawberry.enum registers each enum on the class itself: modules of this package import the
# enums from here, so that they are registered before any type uses them.
strawberry.enum(DealKind, description="What kind of transaction a deal is.")
strawberry.enum(
    DealStatus,
    description="How far a deal has got, as its sources state it: RUMORED (speculated, with no "
    "talks reported), IN_TALKS (talks held), ANNOUNCED (a party announced its intention), AGREED "
    "(the parties agreed or signed), COMPLETED, or CANCELLED.",
)
strawberry.enum(DealRole, description="The part a company plays in a deal.")
strawberry.enum(StakeKind, description="How much of a company a holder owns.")
strawberry.enum(InvestmentRole, description="Which side of an investment a company is on.")
strawberry.enum(
    SortField, name="FactSortField", description="What to sort deals or investments by."
)
strawberry.enum(Direction, name="SortDirection", description="Ascending or descending.")
strawberry.enum(TimelineKind, description="What happened at a point of a company's timeline.")
strawberry.enum(SearchKind, name="SearchKind", description="What a search hit is.")
strawberry.enum(TrancheKind, description="What a part of a deal pays for.")
strawberry.enum(ValuationBasis, description="Whether a valuation counts the new money.")
strawberry.enum(
    TermKind, description="What kind of term a deal has: an option, a condition or a plan."
)
strawberry.enum(Milestone, description="A point in a deal's life that periods count from.")
strawberry.enum(
    StakeChange, description="What a deal does to a stake: its holder gains, sells or keeps it."
)
strawberry.enum(RoleKind, description="A position held, or a company's founding.")
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


def _doc(model: type[vocab.Value]) -> str:
    return inspect.cleandoc(model.__doc__ or "").replace("\n", " ")


# The value types are the API's own pydantic models (`api.vocab`), with their descriptions.
@pydantic_type(model=vocab.Money, all_fields=True, description=_doc(vocab.Money))
class Money:
    pass


def money_of(row: models.MoneyColumns) -> Money | None:
    money = row.money()
    return None if money is None else Money.from_pydantic(money)


@pydantic_type(model=vocab.Tranche, all_fields=True, description=_doc(vocab.Tranche))
class Tranche:
    pass


@pydantic_type(model=vocab.Valuation, all_fields=True, description=_doc(vocab.Valuation))
class Valuation:
    pass


@pydantic_type(model=vocab.Window, all_fields=True, description=_doc(vocab.Window))
class Window:
    pass


@pydantic_type(model=vocab.PercentRange, all_fields=True, description=_doc(vocab.PercentRange))
class PercentRange:
    pass


@pydantic_type(model=vocab.Quantity, all_fields=True, description=_doc(vocab.Quantity))
class Quantity:
    pass


def quantity_of(value: dict[str, Any] | None) -> Quantity | None:
    return None if value is None else Quantity.from_pydantic(vocab.Quantity(**value))


def percent_range_of(value: dict[str, Any] | None) -> PercentRange | None:
    return None if value is None else PercentRange.from_pydantic(vocab.PercentRange(**value))


@pydantic_type(model=vocab.DealTerm, all_fields=True, description=_doc(vocab.DealTerm))
class DealTerm:
    pass
