"""The vocabulary the API exposes: kinds, statuses, roles, ranks, sort orders and money. The
corpus format, the store and both APIs use it; it depends on none of them."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class DealKind(StrEnum):
    ACQUISITION = "acquisition"
    MERGER = "merger"
    STAKE_PURCHASE = "stake_purchase"
    PARTNERSHIP = "partnership"


class DealStatus(StrEnum):
    RUMORED = "rumored"
    ANNOUNCED = "announced"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class DealRole(StrEnum):
    ACQUIRER = "acquirer"
    TARGET = "target"
    SELLER = "seller"
    INVESTOR = "investor"
    PARTNER = "partner"


class StakeKind(StrEnum):
    OWNED = "owned"
    CONTROLLING = "controlling"
    MAJOR = "major"
    MINORITY = "minority"
    BACKER = "backer"
    UNDISCLOSED = "undisclosed"


class ClaimRank(StrEnum):
    PREFERRED = "preferred"
    NORMAL = "normal"
    DEPRECATED = "deprecated"


class Weekday(StrEnum):
    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"


class InvestmentRole(StrEnum):
    INVESTOR = "investor"
    INVESTEE = "investee"


class SortField(StrEnum):
    ANNOUNCED_ON = "announced_on"
    VALUE_USD = "value_usd"
    KEY = "key"


class Direction(StrEnum):
    ASC = "asc"
    DESC = "desc"


class TimelineKind(StrEnum):
    DEAL_ANNOUNCED = "deal_announced"
    DEAL_COMPLETED = "deal_completed"
    INVESTMENT = "investment"
    APPOINTMENT = "appointment"
    METRIC = "metric"


class SearchKind(StrEnum):
    COMPANY = "company"
    PERSON = "person"
    DEAL = "deal"
    SOURCE = "source"


class Provenance(BaseModel):
    """How one field's value is known: stated by a quote of a document, or added by an editor
    (whoever curated the corpus) with a reason. The two are never mixed."""

    model_config = ConfigDict(frozen=True)

    field: str = Field(description="The field, such as `published_on`.")
    value: str | None = Field(
        default=None, description="Which of the field's values, for one with several (aliases)."
    )
    stated: bool = Field(description="Whether a document states it; if not, an editor added it.")
    source: str | None = Field(
        default=None, description="The slug of the document that states it, if stated."
    )
    quote: str | None = Field(default=None, description="The words that state it, if stated.")
    start_offset: int | None = Field(
        default=None, description="Where the quote starts in the text."
    )
    end_offset: int | None = Field(default=None, description="Where the quote ends in the text.")
    reason: str | None = Field(default=None, description="Why an editor added it, if editorial.")


class Money(BaseModel):
    """An amount of money as a source states it."""

    model_config = ConfigDict(frozen=True)

    amount: float = Field(description="The amount in whole units of the currency.")
    currency: str = Field(description="ISO 4217 code, such as USD.")
    approximate: bool = Field(description='Whether a source hedges it ("about", "approximately").')
    text: str = Field(description='The words the source uses, such as "about $1bn".')
