"""The store's tables. Every fact row is backed by at least one Evidence row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.dates import Precision
from api.facts import DealKind, DealRole, DealStatus, Money, StakeKind


class Meta(SQLModel, table=True):
    """Bookkeeping of the store itself, such as the digest of the corpus last loaded."""

    key: str = Field(primary_key=True)
    value: str


class Source(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    title: str
    publisher: str | None = None
    published_on: dt.date | None = None
    published_precision: Precision | None = None
    url: str | None = None
    text: str
    sha256: str


class Company(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    name: str
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Casefolded name and aliases, one per line: what name search matches against.
    search_key: str
    description: str | None = None


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    name: str
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    search_key: str
    description: str | None = None


class Role(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("person_id", "company_id", "title"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    title: str
    is_ceo: bool
    current: bool | None = None
    started_on: dt.date | None = None
    started_precision: Precision | None = None
    ended_on: dt.date | None = None
    ended_precision: Precision | None = None


class MoneyColumns(SQLModel):
    value_amount: float | None = None
    value_currency: str | None = None
    value_approximate: bool | None = None
    value_text: str | None = None

    @staticmethod
    def columns(value: Money | None) -> dict[str, Any]:
        if value is None:
            return {}
        return {
            "value_amount": value.amount,
            "value_currency": value.currency,
            "value_approximate": value.approximate,
            "value_text": value.text,
        }

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
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    kind: DealKind
    status: DealStatus
    announced_on: dt.date | None = Field(default=None, index=True)
    announced_precision: Precision | None = None
    completed_on: dt.date | None = None
    completed_precision: Precision | None = None


class DealParty(SQLModel, table=True):
    __tablename__ = "deal_party"
    __table_args__ = (UniqueConstraint("deal_id", "company_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="deal.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    role: DealRole
    stake_percent: float | None = None


class Investment(MoneyColumns, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    investee_id: int = Field(foreign_key="company.id", index=True)
    status: DealStatus
    announced_on: dt.date | None = None
    announced_precision: Precision | None = None
    stake_percent: float | None = None
    round: str | None = None
    deal_id: int | None = Field(default=None, foreign_key="deal.id")


class InvestmentInvestor(SQLModel, table=True):
    __tablename__ = "investment_investor"

    investment_id: int = Field(foreign_key="investment.id", primary_key=True)
    company_id: int = Field(foreign_key="company.id", primary_key=True, index=True)


class Stake(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("holder_id", "company_id"),)

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="company.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    kind: StakeKind
    percent: float | None = None
    current: bool | None = None


class Metric(SQLModel, table=True):
    """One source's statement of a measured value; sources that disagree give separate rows."""

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    name: str
    value: float
    unit: str
    approximate: bool
    period: str | None = None
    attributed_to_id: int | None = Field(default=None, foreign_key="company.id")


EVIDENCE_SUBJECTS = (
    "company_id",
    "person_id",
    "role_id",
    "deal_id",
    "investment_id",
    "stake_id",
    "metric_id",
)


class Evidence(SQLModel, table=True):
    """A verbatim quote from a source that states one fact; exactly one subject is set."""

    __table_args__ = (
        CheckConstraint(
            " + ".join(f"({column} IS NOT NULL)" for column in EVIDENCE_SUBJECTS) + " = 1",
            name="evidence_has_one_subject",
        ),
        CheckConstraint("start_offset >= 0 AND end_offset > start_offset", name="evidence_span"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    quote: str
    start_offset: int
    end_offset: int
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    role_id: int | None = Field(default=None, foreign_key="role.id", index=True)
    deal_id: int | None = Field(default=None, foreign_key="deal.id", index=True)
    investment_id: int | None = Field(default=None, foreign_key="investment.id", index=True)
    stake_id: int | None = Field(default=None, foreign_key="stake.id", index=True)
    metric_id: int | None = Field(default=None, foreign_key="metric.id", index=True)
