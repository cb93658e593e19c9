"""The vocabulary the API exposes: kinds, statuses, roles, ranks and sort orders. The corpus
format, the store and both APIs use it; it depends on none of them."""

from __future__ import annotations

from enum import StrEnum


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
