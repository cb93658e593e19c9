"""Types that modules of this package use in each other's annotations.

Domain modules refer to each other's types (a company's deals, a deal's companies), so they
cannot import each other's classes while those are being defined. These annotations name a type
and the module that defines it; strawberry resolves them when the schema is built. Code that
builds objects imports the defining module instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

if TYPE_CHECKING:
    from api.graphql.companies import Company, Stake
    from api.graphql.deals import Deal, DealConnection
    from api.graphql.graph import Control, Subsidiary
    from api.graphql.investments import Investment
    from api.graphql.metrics import Metric
    from api.graphql.people import Person, Role
    from api.graphql.timeline import TimelineEntry
    from api.graphql.unions import Entity, Relation

LazyCompany = Annotated["Company", strawberry.lazy("api.graphql.companies")]
LazyStake = Annotated["Stake", strawberry.lazy("api.graphql.companies")]
LazyDeal = Annotated["Deal", strawberry.lazy("api.graphql.deals")]
LazyDealConnection = Annotated["DealConnection", strawberry.lazy("api.graphql.deals")]
LazyControl = Annotated["Control", strawberry.lazy("api.graphql.graph")]
LazySubsidiary = Annotated["Subsidiary", strawberry.lazy("api.graphql.graph")]
LazyInvestment = Annotated["Investment", strawberry.lazy("api.graphql.investments")]
LazyMetric = Annotated["Metric", strawberry.lazy("api.graphql.metrics")]
LazyPerson = Annotated["Person", strawberry.lazy("api.graphql.people")]
LazyRole = Annotated["Role", strawberry.lazy("api.graphql.people")]
LazyTimelineEntry = Annotated["TimelineEntry", strawberry.lazy("api.graphql.timeline")]
LazyEntity = Annotated["Entity", strawberry.lazy("api.graphql.unions")]
LazyRelation = Annotated["Relation", strawberry.lazy("api.graphql.unions")]
