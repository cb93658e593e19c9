"""The store's tables. Every fact row is backed by at least one Evidence row."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Enum, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from api.dates import Precision
from api.vocab import (
    ClaimRank,
    DealKind,
    DealRole,
    DealStatus,
    DealStructure,
    Money,
    RoleKind,
    StakeChange,
    StakeKind,
)

# JSON values; PostgreSQL's jsonb, which (unlike json) can be compared, so rows holding it can
# be selected DISTINCT.
JSON_VALUE = JSON().with_variant(JSONB(), "postgresql")


def text_enum(members: type[StrEnum]) -> Enum:
    """An enum column stored as text, with no database type of its own: adding a member then
    needs no migration (a PostgreSQL enum type would need ALTER TYPE)."""
    return Enum(members, native_enum=False, length=32)


class Meta(SQLModel, table=True):
    """Bookkeeping of the store itself, such as the digest of the corpus last loaded."""

    key: str = Field(primary_key=True)
    value: str


class Row(SQLModel):
    """A row with an integer id: the loader numbers the rows it writes, table by table."""

    id: int | None = Field(default=None, primary_key=True)

    @property
    def pk(self) -> int:
        """The id of a written row."""
        if self.id is None:
            raise ValueError(f"{type(self).__name__} row has not been written yet")
        return self.id


def _exactly_one(columns: tuple[str, ...], name: str) -> CheckConstraint:
    # CASE, not a boolean sum, which SQLite allows and PostgreSQL does not.
    given = (f"CASE WHEN {column} IS NOT NULL THEN 1 ELSE 0 END" for column in columns)
    return CheckConstraint(" + ".join(given) + " = 1", name=name)


class Source(Row, table=True):
    slug: str = Field(unique=True, index=True)
    title: str
    publisher: str | None = None
    published_on: dt.date | None = None
    published_precision: Precision | None = Field(default=None, sa_type=text_enum(Precision))
    url: str | None = None
    text: str
    sha256: str
    # How each given metadata field is known, as `api.vocab.Provenance` values.
    provenance: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON_VALUE, nullable=False)
    )


class EntityColumns(Row):
    slug: str = Field(unique=True, index=True)
    name: str
    aliases: list[str] = Field(default_factory=list, sa_type=JSON_VALUE, nullable=False)
    # Casefolded name and aliases, one per line: what name search matches against.
    search_key: str
    description: str | None = None
    # How the name, each alias and the description are known, as `api.vocab.Provenance` values.
    provenance: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=JSON_VALUE, nullable=False
    )


class Company(EntityColumns, table=True):
    pass


class Person(EntityColumns, table=True):
    pass


class Role(Row, table=True):
    __table_args__ = (UniqueConstraint("person_id", "company_id", "title"),)

    person_id: int = Field(foreign_key="person.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    title: str
    kind: RoleKind = Field(default=RoleKind.POSITION, sa_type=text_enum(RoleKind))
    is_ceo: bool
    current: bool | None = None
    started_on: dt.date | None = None
    started_precision: Precision | None = Field(default=None, sa_type=text_enum(Precision))
    ended_on: dt.date | None = None
    ended_precision: Precision | None = Field(default=None, sa_type=text_enum(Precision))


class MoneyColumns(Row):
    value_amount: float | None = None
    value_currency: str | None = None
    value_approximate: bool | None = None
    value_text: str | None = None

    def money(self) -> Money | None:
        if self.value_amount is None or self.value_currency is None:
            return None
        return Money(
            amount=self.value_amount,
            currency=self.value_currency,
            approximate=bool(self.value_approximate),
            text=self.value_text or "",
        )


class Deal(MoneyColumns, table=True):
    key: str = Field(unique=True, index=True)
    kind: DealKind = Field(sa_type=text_enum(DealKind))
    status: DealStatus = Field(sa_type=text_enum(DealStatus))
    announced_on: dt.date | None = Field(default=None, index=True)
    announced_precision: Precision | None = Field(default=None, sa_type=text_enum(Precision))
    completed_on: dt.date | None = None
    completed_precision: Precision | None = Field(default=None, sa_type=text_enum(Precision))
    # The structure and terms, as `api.vocab` values in JSON form: settled like every claimed
    # field, so null or empty where sources disagree or say nothing.
    tranches: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON_VALUE, nullable=False)
    valuation: dict[str, Any] | None = Field(default=None, sa_type=JSON_VALUE)
    terms: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON_VALUE, nullable=False)
    non_exhaustive_roles: list[str] = Field(
        default_factory=list, sa_type=JSON_VALUE, nullable=False
    )

    def structure(self) -> DealStructure:
        return DealStructure(
            tranches=self.tranches,
            valuation=self.valuation,
            terms=self.terms,
            non_exhaustive_roles=self.non_exhaustive_roles,
        )


class DealParty(Row, table=True):
    __tablename__ = "deal_party"
    __table_args__ = (UniqueConstraint("deal_id", "company_id", "role"),)

    deal_id: int = Field(foreign_key="deal.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    role: DealRole = Field(sa_type=text_enum(DealRole))
    stake_percent: float | None = None


class Investment(MoneyColumns, table=True):
    key: str = Field(unique=True, index=True)
    investee_id: int = Field(foreign_key="company.id", index=True)
    status: DealStatus = Field(sa_type=text_enum(DealStatus))
    announced_on: dt.date | None = None
    announced_precision: Precision | None = Field(default=None, sa_type=text_enum(Precision))
    stake_percent: float | None = None
    round: str | None = None
    deal_id: int | None = Field(default=None, foreign_key="deal.id")


class InvestmentInvestor(SQLModel, table=True):
    __tablename__ = "investment_investor"

    investment_id: int = Field(foreign_key="investment.id", primary_key=True)
    company_id: int = Field(foreign_key="company.id", primary_key=True, index=True)


class Stake(Row, table=True):
    __table_args__ = (UniqueConstraint("holder_id", "company_id"),)

    holder_id: int = Field(foreign_key="company.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    kind: StakeKind = Field(sa_type=text_enum(StakeKind))
    percent: float | None = None
    percent_range: dict[str, Any] | None = Field(default=None, sa_type=JSON_VALUE)
    current: bool | None = None
    as_of: dt.date | None = None
    as_of_precision: Precision | None = Field(default=None, sa_type=text_enum(Precision))
    deal_id: int | None = Field(default=None, foreign_key="deal.id", index=True)
    investment_id: int | None = Field(default=None, foreign_key="investment.id", index=True)
    change: StakeChange | None = Field(default=None, sa_type=text_enum(StakeChange))
    # Whether it is held now by what the sources say: see `api.corpus.write.in_force`.
    in_force: bool | None = None
    # When it began or ceased to be held: the completion date of the deal or investment that
    # gave or sold it (`api.corpus.write.held_between`), where one is known.
    held_from: dt.date | None = None
    held_until: dt.date | None = None


class Metric(Row, table=True):
    """A measured value of a company, or of a market or region, for one period, such as Kaola's
    market share in H1 2019."""

    __table_args__ = (_exactly_one(("company_id", "market"), "metric_has_one_subject"),)

    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    # A market or region, in its source's words.
    market: str | None = Field(default=None, index=True)
    name: str
    unit: str
    period: str | None = None
    # The preferred claim's value, or the value the claims agree on; null while they dispute it.
    value: float | None = None
    approximate: bool
    forecast: bool = False
    # The same figure in another unit, as an `api.vocab.Quantity`.
    also: dict[str, Any] | None = Field(default=None, sa_type=JSON_VALUE)
    # A rank's set, in its source's words, and the metric that orders it.
    among: str | None = None
    ranked_by: str | None = None


FACT_SUBJECTS = ("role_id", "deal_id", "investment_id", "stake_id", "metric_id")
EVIDENCE_SUBJECTS = ("company_id", "person_id", *FACT_SUBJECTS)


class FactSubject(Row):
    """Which fact a row is about: exactly one of these is set."""

    role_id: int | None = Field(default=None, foreign_key="role.id", index=True)
    deal_id: int | None = Field(default=None, foreign_key="deal.id", index=True)
    investment_id: int | None = Field(default=None, foreign_key="investment.id", index=True)
    stake_id: int | None = Field(default=None, foreign_key="stake.id", index=True)
    metric_id: int | None = Field(default=None, foreign_key="metric.id", index=True)


class Evidence(FactSubject, table=True):
    """A verbatim quote from a source that states one fact or names one entity."""

    __table_args__ = (
        _exactly_one(EVIDENCE_SUBJECTS, "evidence_has_one_subject"),
        CheckConstraint("start_offset >= 0 AND end_offset > start_offset", name="evidence_span"),
    )

    source_id: int = Field(foreign_key="source.id", index=True)
    quote: str
    start_offset: int
    end_offset: int
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)


class Conflict(FactSubject, table=True):
    """A field of a fact whose claims disagree, or that other facts contradict."""

    __table_args__ = (_exactly_one(FACT_SUBJECTS, "conflict_has_one_subject"),)

    field: str
    # Whether a default value stands despite the disagreement (a preferred claim, the only value
    # left once deprecated claims are set aside, or one only other facts contradict).
    resolved: bool
    # Why, where the claims' values alone do not show it: a rank another document's figures
    # contradict.
    reason: str | None = None


class Claim(FactSubject, table=True):
    """One document's statement of one field of a fact, with the quote that states it."""

    __table_args__ = (_exactly_one(FACT_SUBJECTS, "claim_has_one_subject"),)

    field: str
    # JSON of the claimed value: a number, string or boolean; money as
    # {amount, currency, approximate, text}; a metric as {amount, unit, approximate};
    # a date as {date, weekday} with `date` an ISO-8601 prefix.
    value: Any = Field(sa_column=Column(JSON_VALUE, nullable=False))
    rank: ClaimRank = Field(sa_type=text_enum(ClaimRank))
    rank_reason: str | None = None
    # How the value was read from the text, such as a weekday resolved against the publication.
    note: str | None = None
    evidence_id: int = Field(foreign_key="evidence.id", index=True)
    attributed_company_id: int | None = Field(default=None, foreign_key="company.id")
    attributed_person_id: int | None = Field(default=None, foreign_key="person.id")
    conflict_id: int | None = Field(default=None, foreign_key="conflict.id", index=True)
