"""The GraphQL endpoint over HTTP: strawberry's ASGI view, with every operation executed on a
worker (see `api.workers`) and every refusal answered as GraphQL errors in JSON."""

from __future__ import annotations

from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult

from api.config import Settings
from api.graphql.context import Context
from api.graphql.guards import DocumentCache
from api.graphql.schema import build_schema
from api.store.db import TimeLimitExceeded
from api.web import page_response
from api.workers import Busy, Workers

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"


# The context type is Any: strawberry hands get_context's value to execute_single, which builds
# the real Context on the worker that executes the operation, around that worker's session.
class GraphQLView(GraphQL[Any, None]):
    def __init__(self, settings: Settings, workers: Workers, documents: DocumentCache) -> None:
        super().__init__(
            build_schema(settings, documents), graphql_ide="graphiql" if settings.graphiql else None
        )
        self.settings = settings
        self.workers = workers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        media_type = _response_media_type(request)
        try:
            if media_type is None:
                raise HTTPException(406, f"responses are {JSON} or {GRAPHQL_RESPONSE}")
            response = await self.run(request)
        except HTTPException as error:
            response = error_response(error.reason, "BAD_REQUEST", error.status_code)
        except Busy as busy:
            headers = {"Retry-After": str(busy.retry_after)}
            response = error_response(str(busy), "SERVICE_UNAVAILABLE", 503, headers)
        except TimeLimitExceeded as late:
            response = error_response(str(late), "TIMEOUT", 503)
        if media_type == GRAPHQL_RESPONSE and response.media_type == JSON:
            _as_graphql_response(response, request)
        await response(scope, receive, send)

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        processed = await super().process_result(request, result)
        if _response_media_type(request) == GRAPHQL_RESPONSE and _is_request_error(result):
            # A request that could not be executed has no `data` at all, and answers 400.
            request.state.request_error = True
            processed.pop("data", None)
        return processed

    def decode_json(self, data: str | bytes) -> object:
        # orjson refuses invalid UTF-8 and nesting deeper than 1,024 levels as decode errors.
        decoded = orjson.loads(data)
        if not isinstance(decoded, dict | list):
            raise HTTPException(400, 'expected a JSON object, such as {"query": "{ ... }"}')
        return decoded

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def render_graphql_ide(self, request: Request) -> Response:
        # GraphiQL as `make web` built it, from this host alone, not strawberry's CDN page.
        return await page_response(self.settings, "graphiql")

    async def get_context(self, request: Any, response: Any) -> Settings:
        return self.settings

    async def execute_single(
        self,
        request: Any,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Any,
        context: Any,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        execute = super().execute_single

        async def on_worker(session: Session) -> ExecutionResult:
            return await execute(
                request=request,
                request_adapter=request_adapter,
                sub_response=sub_response,
                context=Context(session=session, settings=self.settings),
                root_value=root_value,
                request_data=request_data,
            )

        return await self.workers.run(on_worker)


def _response_media_type(request: Request) -> str | None:
    """The media type to answer in: the GraphQL-over-HTTP type if the client accepts it, plain
    JSON for clients that do not say (or accept anything, or want GraphiQL's page)."""
    accept = request.headers.get("accept", "")
    if GRAPHQL_RESPONSE in accept:
        return GRAPHQL_RESPONSE
    if not accept or any(kind in accept for kind in (JSON, "*/*", "application/*", "text/html")):
        return JSON
    return None


def _is_request_error(result: ExecutionResult) -> bool:
    """Whether the operation failed before it ran: errors without a path, and no data."""
    return result.data is None and all(error.path is None for error in result.errors or ())


def _as_graphql_response(response: Response, request: Request) -> None:
    response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
    if getattr(request.state, "request_error", False):
        response.status_code = 400


def error_response(
    message: str, code: str, status: int, headers: dict[str, str] | None = None
) -> Response:
    """A request that was refused before it could run, as a GraphQL response."""
    error = {"message": message, "extensions": {"code": code}}
    return Response(orjson.dumps({"errors": [error]}), status, headers, media_type=JSON)
