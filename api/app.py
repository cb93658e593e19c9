"""The app factory: one Starlette app serving GraphQL, GraphiQL and REST over a read-only store."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api import rest, web
from api.config import Settings
from api.graphql.schema import document_cache
from api.graphql.view import GraphQLView
from api.http import BodyLimit, RequestIds, Validators
from api.rest.problems import EXCEPTION_HANDLERS, problem_response
from api.rest.responses import json_response
from api.store.db import TimeLimitExceeded, make_engine
from api.workers import Busy, Workers

# How long /healthz may take before it reports the store unreadable.
HEALTH_TIMEOUT = 1.0
# Worker threads compete with the event loop for the interpreter lock; a shorter switch interval
# than the default 5 ms keeps the loop, and /healthz, answering while they are busy.
SWITCH_INTERVAL = 0.001
# Responses shorter than this many bytes are not worth compressing.
GZIP_MINIMUM = 1_000


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

    app = Starlette(
        routes=[
            Route("/graphql", GraphQLView(settings, workers, documents), methods=["GET", "POST"]),
            *rest.routes(workers, settings),
            Route("/healthz", _healthz(health), methods=["GET"]),
            *web.routes(settings),
        ],
        middleware=_middleware(settings),
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.state.engine = store
    app.state.settings = settings
    app.state.documents = documents
    return app


def app_from_environment() -> Starlette:
    """The app for settings read from the environment: what each of several server processes
    builds (`dealgraph serve --processes N`)."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    return create_app(Settings())


def _middleware(settings: Settings) -> list[Middleware]:
    """Outermost first: every answer gets a request id and CORS headers, errors included."""
    return [
        Middleware(RequestIds, access_log=settings.access_log),
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Content-Type", "Authorization"],
            max_age=600,
        ),
        Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM),
        Middleware(Validators, max_age=settings.cache_max_age),
        Middleware(BodyLimit, max_bytes=settings.max_body_bytes),
    ]


def _healthz(health: Workers) -> Callable[[Request], Awaitable[Response]]:
    async def healthz(request: Request) -> Response:
        try:
            await asyncio.wait_for(health.call(_read_store), HEALTH_TIMEOUT)
        except (SQLAlchemyError, Busy, TimeLimitExceeded, TimeoutError):
            return problem_response(request, 503, "the store cannot be read")
        response = json_response({"status": "ok"})
        response.headers["Cache-Control"] = "no-store"
        return response

    return healthz


def _read_store(session: Session) -> None:
    session.execute(text("SELECT 1 FROM source LIMIT 1"))
