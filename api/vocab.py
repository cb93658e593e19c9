"""The vocabulary the API exposes: kinds, statuses, roles, ranks, sort orders and money. The
corpus format, the store and both APIs use it; it depends on none of them."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class DealKind(StrEnum):
    ACQUISITION = "acquisition"
    MERGER = "merger"
    STAKE_PURCHASE = "stake_purchase"
    PARTNERSHIP = "partnership"


class DealStatus(StrEnum):
    """A deal's stage, in the order deals go through them (cancelled may come at any point)."""

    RUMORED = "rumored"
    IN_TALKS = "in_talks"
    ANNOUNCED = "announced"
    AGREED = "agreed"
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


class TrancheKind(StrEnum):
    NEW_SHARES = "new_shares"
    EXISTING_SHARES = "existing_shares"


class ValuationBasis(StrEnum):
    PRE_MONEY = "pre_money"
    POST_MONEY = "post_money"
    UNSPECIFIED = "unspecified"


class TermKind(StrEnum):
    OPTION = "option"
    CONDITION = "condition"
    # What a party says will happen once the deal is done ("Kaola will continue to operate
    # independently").
    PLAN = "plan"


class Milestone(StrEnum):
    ANNOUNCEMENT = "announcement"
    COMPLETION = "completion"


class StakeChange(StrEnum):
    """What a deal does to a stake: the holder gains it, sells it, or keeps it."""

    ACQUIRED = "acquired"
    SOLD = "sold"
    KEPT = "kept"


# How both APIs describe a stake's `in_force`, which the loader derives by this rule.
IN_FORCE = (
    "Whether it is held now, by what the sources say: a stake a deal or investment gives is held "
    "once that completes (until then it does not count); one it sells is no longer held once it "
    "completes and unknown before; one it keeps is held; any other stake is as current as its "
    "sources say. Null where that is unknown. The graph counts stakes in force first, then those "
    "of unknown currency, and never those not in force."
)

# How both APIs describe control on a date (`api.store.control`).
CONTROL_ON_A_DATE = (
    "On a date, a stake counts from the completion of the deal that gave it and until the "
    "completion of the one that sold it (a completion known only to the month or year, from its "
    "first day); one a pending deal would give counts on no date; one with no such dates is of "
    "unknown standing, ranked after those known to be held. A completed acquisition counts from "
    "its completion date, or on every date if undated."
)


class RoleKind(StrEnum):
    """Whether a role is a position held (chief executive, president) or a company's founding."""

    POSITION = "position"
    FOUNDER = "founder"
    CO_FOUNDER = "co_founder"


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


class Value(BaseModel):
    """A value the corpus format and both APIs share: what a facts file may hold is what the APIs
    give back."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Money(Value):
    """An amount of money as a source states it."""

    amount: float = Field(gt=0, description="The amount in whole units of the currency.")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, such as USD.")
    approximate: bool = Field(
        default=False, description='Whether a source hedges it ("about", "approximately").'
    )
    text: str = Field(min_length=1, description='The words the source uses, such as "about $1bn".')


class Tranche(Value):
    """One part of what a deal pays: for new shares, or for shares bought from holders."""

    kind: TrancheKind = Field(description="New shares issued, or existing shares bought.")
    value: Money | None = Field(default=None, description="What this part pays, if stated.")
    unnamed_sellers: str | None = Field(
        default=None,
        description="Who sells, in the source's words, where it names no company (\"existing "
        "investors\"); named sellers are the deal's seller parties.",
    )


class Valuation(Value):
    """What a deal says the target is worth, as a source states it."""

    value: Money = Field(description="The valuation.")
    basis: ValuationBasis = Field(
        description="Before or after the new money (pre- or post-money), or not said."
    )


class Window(Value):
    """A period counted from a milestone of the deal: "a 12 to 18 month period once the
    transaction completes"."""

    from_months: int = Field(ge=0, description="Months after the milestone that it starts.")
    to_months: int = Field(ge=0, description="Months after the milestone that it ends.")
    after: Milestone = Field(description="The milestone counted from.")

    @model_validator(mode="after")
    def _starts_before_it_ends(self) -> Self:
        if self.from_months > self.to_months:
            raise ValueError("from_months is after to_months")
        return self


class DealTerm(Value):
    """An option, condition or stated plan of a deal."""

    kind: TermKind = Field(
        description="An option, a condition, or a plan: what a party says will happen once the "
        "deal is done."
    )
    what: str = Field(description='What it allows or requires, such as "buy out".')
    on_whom: str | None = Field(
        default=None,
        description='Whom it concerns, in the source\'s words ("certain Lazada shareholders").',
    )
    window: Window | None = Field(default=None, description="When it applies, if stated.")


class DealStructure(Value):
    """How a deal is made up and on what terms, as its sources settle it."""

    tranches: list[Tranche] = Field(
        default=[],
        description="Its parts, each with its amount: new shares issued, existing shares bought.",
    )
    valuation: Valuation | None = Field(
        default=None,
        description="What the deal says the target is worth, if stated (its claim says who).",
    )
    terms: list[DealTerm] = Field(
        default=[], description="Options and other conditional terms, with when they apply."
    )
    non_exhaustive_roles: list[DealRole] = Field(
        default=[],
        description="Roles whose parties the sources list only in part (investors who divested "
        'their stakes "include" those named): there are more than those named.',
    )


class Quantity(Value):
    """A figure with its unit, as a source gives it."""

    value: float = Field(description="The figure.")
    unit: str = Field(min_length=1, description="`USD`, `CNY`, `percent`, `users`, ...")


class PercentRange(Value):
    """A share given as a range: "between 10% and 15%", "more than half" (50 to 100)."""

    low: float = Field(ge=0, lt=100, description="The lowest percentage it may be.")
    high: float = Field(gt=0, le=100, description="The highest percentage it may be.")

    @model_validator(mode="after")
    def _low_below_high(self) -> Self:
        if self.low >= self.high:
            raise ValueError("low is not below high")
        return self
