"""The app factory: one Starlette app serving GraphQL, GraphiQL and REST over a read-only store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from cross_web import AsyncHTTPRequestAdapter
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from api import rest
from api.config import Settings
from api.graphql.context import Context
from api.graphql.guards import DocumentCache
from api.graphql.schema import build_schema, document_cache
from api.http import BodyLimit
from api.rest.problems import EXCEPTION_HANDLERS, problem_response
from api.rest.responses import json_response
from api.store.db import TimeLimitExceeded, make_engine
from api.workers import Busy, Workers

# How long /healthz may take before it reports the store unreadable.
HEALTH_TIMEOUT = 1.0


# The context type is Any: strawberry hands get_context's value to execute_single, which builds
# the real Context on the worker that executes the operation, around that worker's session.
class GraphQLApp(GraphQL[Any, None]):
    """Strawberry's ASGI view, executing every operation on a worker (see `api.workers`)."""

    def __init__(self, settings: Settings, workers: Workers, documents: DocumentCache) -> None:
        super().__init__(
            build_schema(settings, documents), graphql_ide="graphiql" if settings.graphiql else None
        )
        self.settings = settings
        self.workers = workers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except (Busy, TimeLimitExceeded) as refused:
            await _refused(refused)(scope, receive, send)

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


def _refused(refused: Busy | TimeLimitExceeded) -> Response:
    """A GraphQL request that never ran, or ran out of time, as a GraphQL error."""
    error = {"message": str(refused), "extensions": refused.extensions}
    headers = {"Retry-After": str(refused.retry_after)} if isinstance(refused, Busy) else {}
    return JSONResponse({"errors": [error]}, status_code=503, headers=headers)


def create_app(settings: Settings) -> Starlette:
    """Build the service for these settings, over the store opened read-only."""
    store = make_engine(settings.database_url, read_only=True, connections=settings.workers)
    workers = Workers(
        store,
        size=settings.workers,
        queue_timeout=settings.queue_timeout,
        time_limit=settings.time_limit,
    )
    # /healthz has a connection and a thread of its own, so it answers while the API is busy.
    health_store = make_engine(settings.database_url, read_only=True, connections=1)
    health = Workers(health_store, size=1, queue_timeout=HEALTH_TIMEOUT, time_limit=HEALTH_TIMEOUT)
    documents = document_cache(settings)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        for pool in (workers, health):
            pool.close()
            pool.engine.dispose()

    async def home(_request: Request) -> Response:
        return RedirectResponse("/graphql")

    async def healthz(request: Request) -> Response:
        try:
            await asyncio.wait_for(health.call(_read_store), HEALTH_TIMEOUT)
        except (SQLAlchemyError, Busy, TimeLimitExceeded, TimeoutError):
            return problem_response(request, 503, "the store cannot be read")
        return json_response({"status": "ok"})

    app = Starlette(
        routes=[
            Route("/", home),
            Route("/graphql", GraphQLApp(settings, workers, documents), methods=["GET", "POST"]),
            *rest.routes(workers),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["Content-Type", "Authorization"],
                max_age=600,
            ),
            Middleware(BodyLimit, max_bytes=settings.max_body_bytes),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.state.engine = store
    app.state.settings = settings
    app.state.documents = documents
    return app


def _read_store(session: Session) -> None:
    session.execute(text("SELECT 1 FROM source LIMIT 1"))
