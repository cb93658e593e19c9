"""A company's history as a list of dated entries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import strawberry
from strawberry.types import Info

from api.dates import format_partial_date
from api.graphql import facts
from api.graphql.claims import Fact
from api.graphql.context import Context
from api.graphql.loaders import Loader
from api.graphql.vocab import TimelineKind
from api.store import timeline


class TimelineOfCompany(Loader[int, list[timeline.TimelineEntry]]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, list[timeline.TimelineEntry]]:
        return timeline.timelines_of(self.session, company_ids=keys)


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


async def timeline_of(info: Info[Context, None], company_pk: int) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            kind=entry.kind,
            date=format_partial_date(entry.on, entry.precision),
            fact=facts.as_fact(entry.fact),
        )
        for entry in await TimelineOfCompany.of(info).load(company_pk)
    ]
