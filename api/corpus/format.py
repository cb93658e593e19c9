"""The seed corpus file formats: what a person writes after reading a document closely.

A corpus directory holds `entities.json` (canonical names and aliases of every company and
person) and, for each document `NAME.txt`, a facts file `NAME.facts.json` listing what that
document states, each fact with verbatim quotes from it.
"""

from __future__ import annotations

import typing
from typing import Annotated, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from api.dates import PARTIAL_DATE_PATTERN, parse_partial_date
from api.vocab import (
    ClaimRank,
    DealKind,
    DealRole,
    DealStatus,
    DealTerm,
    Money,
    PercentRange,
    Quantity,
    RoleKind,
    StakeChange,
    StakeKind,
    Tranche,
    Valuation,
    Weekday,
)


def _check_partial_date(value: str) -> str:
    parse_partial_date(value)
    return value


PartialDateText = Annotated[
    str,
    StringConstraints(pattern=PARTIAL_DATE_PATTERN),
    AfterValidator(_check_partial_date),
]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Quote = Annotated[str, StringConstraints(min_length=3, max_length=2000)]
Quotes = Annotated[list[Quote], Field(min_length=1)]
MetricName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClaimNote(Strict):
    """How a document states one field of a fact, where the fact's first quote is not enough."""

    quote: Quote | None = None
    attributed_to: Name | None = None
    rank: ClaimRank = ClaimRank.NORMAL
    reason: Name | None = None
    # For dates: the weekday the text names ("on Friday"). Without a date it is resolved against
    # the document's publication date, where that is known to the day.
    weekday: Weekday | None = None

    @model_validator(mode="after")
    def _ranked_with_reason(self) -> Self:
        if self.rank is not ClaimRank.NORMAL and self.reason is None:
            raise ValueError(f"a {self.rank} claim needs a reason")
        return self


class Claimed(Strict):
    """A fact whose listed fields are claims: several documents may state different values."""

    CLAIMED: ClassVar[frozenset[str]] = frozenset()
    quotes: Quotes
    claims: dict[str, ClaimNote] = {}

    @model_validator(mode="after")
    def _claims_name_claimed_fields(self) -> Self:
        for name, note in self.claims.items():
            if name not in self.CLAIMED:
                raise ValueError(
                    f"claims.{name}: not a field with claims (those are: "
                    f"{', '.join(sorted(self.CLAIMED))})"
                )
            if note.weekday is not None and not name.endswith("_on"):
                raise ValueError(f"claims.{name}: only a date can name a weekday")
        return self


class DocumentQuote(Strict):
    """Words of one document of the corpus, named by its file name without extension."""

    source: Name
    quote: Quote


class EntityEditorial(Strict):
    """Why the curator gave a name, alias or description that no source states."""

    name: Name | None = None
    aliases: dict[Name, Name] = {}
    description: Name | None = None


class EntityEntry(Strict):
    slug: Slug
    name: Name
    aliases: list[Name] = []
    description: str | None = None
    # The name and each alias are stated where a quote of the entity's mentions holds them; the
    # description where `description_quotes` state it. Anything else needs a reason in `editorial`.
    description_quotes: list[DocumentQuote] = []
    editorial: EntityEditorial = EntityEditorial()

    @model_validator(mode="after")
    def _description_stated_or_editorial(self) -> Self:
        known = bool(self.description_quotes) + (self.editorial.description is not None)
        if self.description is None and known:
            raise ValueError("description: there is none to quote or explain")
        if self.description is not None and known != 1:
            how = "both quoted and editorial" if known else "neither quoted nor editorial"
            raise ValueError(f"description: {how}; give description_quotes or a reason")
        unknown = set(self.editorial.aliases) - set(self.aliases)
        if unknown:
            raise ValueError(f"editorial.aliases: not aliases of '{self.slug}': {sorted(unknown)}")
        return self


class EntityRegistry(Strict):
    companies: list[EntityEntry]
    people: list[EntityEntry]


SourceField = Literal["title", "publisher", "published_on", "url"]


class SourceMeta(Strict):
    title: Name
    publisher: Name | None = None
    published_on: PartialDateText | None = None
    url: str | None = None
    # How each given field is known: the words of the document that state it, or, for what the
    # text does not give, why the curator added it. Every given field is one or the other.
    quotes: dict[SourceField, Quote] = {}
    editorial: dict[SourceField, Name] = {}

    @model_validator(mode="after")
    def _every_field_stated_or_editorial(self) -> Self:
        for name in typing.get_args(SourceField):
            given = getattr(self, name) is not None
            known = (name in self.quotes) + (name in self.editorial)
            if given and known != 1:
                how = "both quoted and editorial" if known else "neither quoted nor editorial"
                raise ValueError(f"{name}: {how}; give a quote that states it or a reason")
            if not given and known:
                raise ValueError(f"{name}: has no value to quote or explain")
        return self


class Mention(Strict):
    name: Name
    quotes: Quotes


class RoleFact(Claimed):
    CLAIMED = frozenset({"current", "started_on", "ended_on"})

    person: Name
    company: Name
    title: Name
    kind: RoleKind = RoleKind.POSITION
    current: bool | None = None
    started_on: PartialDateText | None = None
    ended_on: PartialDateText | None = None

    @model_validator(mode="after")
    def _founding_is_not_held(self) -> Self:
        if self.kind is not RoleKind.POSITION and (self.current, self.ended_on) != (None, None):
            raise ValueError(
                f"a {self.kind} role is not held or left: give started_on for when, not current "
                "or ended_on"
            )
        return self


class PartyFact(Strict):
    company: Name
    role: DealRole
    stake_percent: float | None = Field(default=None, gt=0, le=100)


def _not_a_deal_path(key: str) -> str:
    # /api/deals/summary is the REST summary, so a deal keyed "summary" could not be read there.
    if key == "summary":
        raise ValueError("'summary' is reserved: /api/deals/summary is the summary of all deals")
    return key


class DealFact(Claimed):
    CLAIMED = frozenset(
        {
            "status",
            "announced_on",
            "completed_on",
            "value",
            "tranches",
            "valuation",
            "terms",
            "non_exhaustive_roles",
        }
    )

    key: Annotated[Slug, AfterValidator(_not_a_deal_path)]
    kind: DealKind
    status: DealStatus
    announced_on: PartialDateText | None = None
    completed_on: PartialDateText | None = None
    value: Money | None = None
    parties: Annotated[list[PartyFact], Field(min_length=1)]
    tranches: list[Tranche] = []
    valuation: Valuation | None = None
    terms: list[DealTerm] = []
    # The roles whose parties the document lists only in part ("investors ... include").
    non_exhaustive_roles: list[DealRole] = []


class InvestmentFact(Claimed):
    CLAIMED = frozenset({"status", "announced_on", "value", "stake_percent", "round"})

    key: Slug
    investors: Annotated[list[Name], Field(min_length=1)]
    investee: Name
    status: DealStatus
    announced_on: PartialDateText | None = None
    value: Money | None = None
    stake_percent: float | None = Field(default=None, gt=0, le=100)
    round: Name | None = None
    deal: Slug | None = None


class StakeFact(Claimed):
    CLAIMED = frozenset({"kind", "percent", "percent_range", "current", "as_of"})

    holder: Name
    company: Name
    kind: StakeKind
    percent: float | None = Field(default=None, gt=0, le=100)
    percent_range: PercentRange | None = None
    # Held at the time of the document (true), held before it and no longer (false).
    current: bool | None = None
    # The date the document says the stake was held on.
    as_of: PartialDateText | None = None
    # A stake a deal or investment changes: its key, and whether the holder gains, sells or keeps
    # the stake through it.
    deal: Slug | None = None
    investment: Slug | None = None
    change: StakeChange | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.change is None) != (self.deal is None and self.investment is None) or (
            self.deal is not None and self.investment is not None
        ):
            raise ValueError(
                "change goes with one deal or one investment: what it does to the stake"
            )
        if self.percent is not None and self.percent_range is not None:
            raise ValueError("percent and percent_range: give one, exact or a range")
        return self


class MetricFact(Claimed):
    """A figure about a company, or about a market or region named in the text's words."""

    CLAIMED = frozenset({"value"})

    company: Name | None = None
    market: Name | None = None
    name: MetricName
    value: float
    unit: Name
    approximate: bool = False
    period: Name | None = None
    # A figure the text expects ("expected to reach"), not one it reports.
    forecast: bool = False
    # The same figure in another unit, where the text gives both ("10 trillion yuan (US$1.4
    # trillion)").
    also: Quantity | None = None
    # A rank (unit "rank") is a place within a named set ("China's cross-border e-commerce
    # platforms"), by the metric it orders them on ("market_share").
    among: Name | None = None
    ranked_by: MetricName | None = None

    @model_validator(mode="after")
    def _about_one_subject(self) -> Self:
        if (self.company is None) == (self.market is None):
            raise ValueError("a metric is about a company or a market: give one of the two")
        is_rank = self.unit == "rank"
        if is_rank != (self.among is not None) or is_rank != (self.ranked_by is not None):
            raise ValueError(
                "a rank (unit 'rank') names the set it is within (among) and what orders it "
                "(ranked_by); no other metric does"
            )
        return self


class FactsFile(Strict):
    source: SourceMeta
    companies: list[Mention] = []
    people: list[Mention] = []
    roles: list[RoleFact] = []
    deals: list[DealFact] = []
    investments: list[InvestmentFact] = []
    stakes: list[StakeFact] = []
    metrics: list[MetricFact] = []
