"""The REST API under /api: plain JSON for scripts, RFC 9457 problems for errors, and an
OpenAPI 3.1 document generated from the same route table."""

from __future__ import annotations

import orjson
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
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
    people,
    search,
    sources,
    timeline,
)
from api.rest.endpoints import Endpoint
from api.rest.openapi import openapi_document
from api.rest.params import request_session
from api.rest.problems import problem_response
from api.rest.responses import json_response

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
    *people.ENDPOINTS,
    *sources.ENDPOINTS,
]


def healthz(request: Request) -> Response:
    try:
        request_session(request).execute(text("SELECT 1 FROM source LIMIT 1"))
    except SQLAlchemyError:
        return problem_response(request, 503, "the store cannot be read")
    return json_response({"status": "ok"})


def routes(_settings: Settings) -> list[BaseRoute]:
    document = orjson.dumps(openapi_document(ENDPOINTS, prefix=PREFIX))

    def openapi(_request: Request) -> Response:
        return Response(document, media_type="application/json")

    api = [
        Route(e.path.replace("{ref}", "{ref:str}"), e.handler, methods=["GET"], name=e.operation_id)
        for e in ENDPOINTS
    ]
    return [
        Mount(PREFIX, routes=api),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
