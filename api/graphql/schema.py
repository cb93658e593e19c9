"""The GraphQL schema: every domain's part of Query, with the request guards."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from api.config import Settings
from api.graphql.companies import Company, CompanyQuery
from api.graphql.conflicts import ConflictQuery
from api.graphql.context import ClientError
from api.graphql.deals import Deal, DealQuery
from api.graphql.graph import GraphQuery
from api.graphql.investments import Investment, InvestmentQuery
from api.graphql.nodes import NodeQuery
from api.graphql.people import Person, PersonQuery
from api.graphql.search import SearchQuery
from api.graphql.sources import Source, SourceQuery
from api.ids import InvalidToken


@strawberry.type(description="Entry points for reading the M&A facts store.")
class Query(
    NodeQuery,
    CompanyQuery,
    PersonQuery,
    DealQuery,
    InvestmentQuery,
    SourceQuery,
    GraphQuery,
    SearchQuery,
    ConflictQuery,
):
    pass


def _should_mask(error: GraphQLError) -> bool:
    """Hide unexpected failures; keep what tells clients how to fix their request."""
    original = error.original_error
    return original is not None and not isinstance(
        original, ClientError | InvalidToken | GraphQLError
    )


def build_schema(settings: Settings) -> strawberry.Schema:
    cache = settings.graphql_cache_size
    return strawberry.Schema(
        query=Query,
        types=[Company, Person, Deal, Investment, Source],
        extensions=[
            lambda: QueryDepthLimiter(max_depth=settings.graphql_max_depth),
            lambda: MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases),
            lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
            lambda: ParserCache(maxsize=cache),
            lambda: ValidationCache(maxsize=cache),
            lambda: MaskErrors(should_mask_error=_should_mask, error_message="Internal error."),
        ],
    )


def export_sdl(settings: Settings | None = None) -> str:
    return build_schema(settings or Settings()).as_str() + "\n"
