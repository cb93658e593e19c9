"""The app factory: one Starlette app serving GraphQL, GraphiQL and REST over a read-only store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL

from api import rest
from api.config import Settings
from api.graphql.context import Context
from api.graphql.schema import build_schema
from api.rest.problems import EXCEPTION_HANDLERS
from api.store.db import make_engine


class SessionPerRequest:
    """Gives each HTTP request one store session (one read snapshot), closed when it ends."""

    def __init__(self, app: ASGIApp, engine: Engine) -> None:
        self.app = app
        self.engine = engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with Session(self.engine) as session:
            scope.setdefault("state", {})["session"] = session
            await self.app(scope, receive, send)


class GraphQLApp(GraphQL[Context, None]):
    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(settings), graphql_ide="graphiql" if settings.graphiql else None
        )
        self.settings = settings

    async def get_context(self, request: Any, response: Any) -> Context:
        session: Session = request.state.session
        return Context(session=session, settings=self.settings)


def create_app(settings: Settings) -> Starlette:
    """Build the service for these settings, over the store opened read-only."""
    store = make_engine(settings.database_url, read_only=True)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        store.dispose()

    async def home(_request: Request) -> Response:
        return RedirectResponse("/graphql")

    graphql = GraphQLApp(settings)
    app = Starlette(
        routes=[
            Route("/", home),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            *rest.routes(settings),
        ],
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["Content-Type", "Authorization"],
                max_age=600,
            ),
            Middleware(SessionPerRequest, engine=store),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.state.engine = store
    app.state.settings = settings
    return app
