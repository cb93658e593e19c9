"""A company's history as a list of dated entries."""

from __future__ import annotations

import strawberry

from api.graphql.claims import Fact
from api.graphql.vocab import TimelineKind


@strawberry.type(description="One event in a company's history, with the fact behind it.")
class TimelineEntry:
    kind: TimelineKind = strawberry.field(description="What happened.")
    date: str | None = strawberry.field(
        description="When, as an ISO-8601 prefix with the precision the sources give; null if "
        "undated (undated entries come last)."
    )
    fact: Fact = strawberry.field(
        description="The deal, investment, role or metric: its evidence and claims name the sources."
    )
