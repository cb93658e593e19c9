"""The REST API under /api: plain JSON for scripts, RFC 9457 problems for errors, and an
OpenAPI 3.1 document generated from the same route table."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import orjson
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from api.config import Settings
from api.rest import (
    claims,
    companies,
    deals,
    graph,
    investments,
    markets,
    people,
    search,
    sources,
    timeline,
)
from api.rest.endpoints import Endpoint, Handler
from api.rest.include import Embeddable, Table
from api.rest.openapi import openapi_document
from api.workers import Workers

PREFIX = "/api"
# In the order Starlette tries them, so `/deals/summary` comes before `/deals/{ref}`.
ENDPOINTS: list[Endpoint] = [
    *companies.ENDPOINTS,
    *claims.ENDPOINTS,
    *timeline.ENDPOINTS,
    *graph.ENDPOINTS,
    *search.ENDPOINTS,
    *deals.ENDPOINTS,
    *investments.ENDPOINTS,
    *markets.ENDPOINTS,
    *people.ENDPOINTS,
    *sources.ENDPOINTS,
]

# What `include` can embed in each type's objects.
EMBEDDABLE: Table = {
    "Company": Embeddable(companies.CompanyOut, companies.companies_out, companies.RELATIONS),
    "Deal": Embeddable(deals.DealOut, deals.deals_out, deals.RELATIONS),
    "Investment": Embeddable(
        investments.InvestmentOut, investments.investments_out, investments.RELATIONS
    ),
    "Person": Embeddable(people.PersonOut, people.people_out, {}),
}


def routes(workers: Workers, settings: Settings) -> list[BaseRoute]:
    """`/api/...` and `/openapi.json`; every handler runs on one of `workers`."""
    document = orjson.dumps(
        openapi_document(ENDPOINTS, EMBEDDABLE, prefix=PREFIX, max_page_size=settings.max_page_size)
    )

    def openapi(_request: Request) -> Response:
        return Response(document, media_type="application/json")

    api = [
        Route(
            e.path.replace("{ref}", "{ref:str}"),
            _on_worker(e.handler, workers),
            methods=["GET"],
            name=e.operation_id,
        )
        for e in ENDPOINTS
    ]
    return [Mount(PREFIX, routes=api), Route("/openapi.json", openapi, methods=["GET"])]


def _on_worker(handler: Handler, workers: Workers) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        def work(session: Session) -> Response:
            request.state.session = session
            request.state.embeddable = EMBEDDABLE
            return handler(request)

        return await workers.call(work)

    return endpoint
