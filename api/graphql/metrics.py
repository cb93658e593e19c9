"""Figures: a company's, or a market's or region's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql import companies
from api.graphql.claims import Fact
from api.graphql.context import Context
from api.graphql.lazy import LazyCompany
from api.graphql.loaders import Loader
from api.graphql.relay import AFTER, FIRST, Connection, page_request, root_connection
from api.graphql.vocab import Quantity, quantity_of
from api.store import models
from api.store.claims import EvidenceSubject
from api.store.companies import metrics_of_companies
from api.store.markets import MARKET_ORDER, count_market_metrics, list_market_metrics
from api.store.rows import get_by_ids


class MetricById(Loader[int, models.Metric]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, models.Metric]:
        return get_by_ids(self.session, model=models.Metric, ids=keys)


class MetricsOfCompany(Loader[int, list[models.Metric]]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, list[models.Metric]]:
        return metrics_of_companies(self.session, company_ids=keys)


@strawberry.type(
    description="A figure for a company, or for a market or region, and a period: market "
    "share, users, revenue, market size, ... Each source's figure is a claim; where they "
    "disagree, `value` is null unless one is preferred."
)
class Metric(Fact):
    SUBJECT = EvidenceSubject.METRIC
    name: str = strawberry.field(description="What is measured, e.g. `market_share`.")
    value: float | None = strawberry.field(
        description="The figure the sources agree on (or the preferred one); null if disputed."
    )
    unit: str = strawberry.field(description="`percent`, `USD`, `users`, ...")
    approximate: bool = strawberry.field(description="Whether a source hedges it.")
    period: str | None = strawberry.field(description='The period it covers, e.g. "H1 2019".')
    market: str | None = strawberry.field(
        description="The market or region measured, in its source's words, if not a company."
    )
    forecast: bool = strawberry.field(
        description='Whether it is a figure expected ("expected to reach"), not one reported.'
    )
    also: Quantity | None = strawberry.field(
        description="The same figure in another unit, where the source gives both."
    )
    among: str | None = strawberry.field(
        description="For a rank (unit `rank`): the set it places the company in, in its "
        "source's words."
    )
    ranked_by: str | None = strawberry.field(
        description="For a rank: the metric that orders the set, e.g. `market_share`."
    )
    company_pk: strawberry.Private[int | None]

    @strawberry.field(description="The company measured; null for a market or region.")
    async def company(self, info: Info[Context, None]) -> LazyCompany | None:
        if self.company_pk is None:
            return None
        return await companies.Company.by_pk(info, self.company_pk)

    @classmethod
    async def by_pk(cls, info: Info[Context, None], pk: int) -> Metric:
        return cls.from_row(await MetricById.of(info).load(pk))

    @classmethod
    def from_row(cls, row: models.Metric) -> Metric:
        return cls(
            name=row.name,
            value=row.value,
            unit=row.unit,
            approximate=row.approximate,
            period=row.period,
            market=row.market,
            forecast=row.forecast,
            also=quantity_of(row.also),
            among=row.among,
            ranked_by=row.ranked_by,
            pk=row.pk,
            company_pk=row.company_id,
        )


@strawberry.type
class MetricQuery:
    @strawberry.field(
        description="Figures about markets and regions rather than one company (market size, "
        "share of sales online, ...), by market."
    )
    def market_figures(
        self,
        info: Info[Context, None],
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Metric]:
        return root_connection(
            info,
            page_request(info, first, after, MARKET_ORDER),
            lambda s, page: list_market_metrics(s, page=page),
            count_market_metrics,
            Metric.from_row,
        )
