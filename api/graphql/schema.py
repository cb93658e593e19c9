"""The GraphQL schema: every domain's part of Query, with the request guards."""

from __future__ import annotations

import logging
from collections.abc import Callable

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxTokensLimiter,
    SchemaExtension,
    max_aliases,
    query_depth_limiter,
)
from strawberry.types import ExecutionContext

from api.config import Settings
from api.graphql.companies import Company, CompanyQuery
from api.graphql.compiled import CompiledReads
from api.graphql.conflicts import ConflictQuery
from api.graphql.context import ClientError
from api.graphql.deals import Deal, DealQuery
from api.graphql.graph import GraphQuery
from api.graphql.guards import (
    CachedDocuments,
    DocumentCache,
    HideSuggestions,
    NodeLimit,
    PageSizes,
    directive_limit,
)
from api.graphql.investments import Investment, InvestmentQuery
from api.graphql.metrics import MetricQuery
from api.graphql.nodes import NodeQuery
from api.graphql.people import Person, PersonQuery
from api.graphql.search import SearchQuery
from api.graphql.sources import Source, SourceQuery
from api.ids import InvalidToken
from api.store.db import TimeLimitExceeded

LOG = logging.getLogger("dealgraph.graphql")


@strawberry.type(description="Entry points for reading the M&A facts store.")
class Query(
    NodeQuery,
    CompanyQuery,
    MetricQuery,
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
        original, ClientError | InvalidToken | GraphQLError | TimeLimitExceeded
    )


class Schema(strawberry.Schema):
    """The schema, logging a client's mistake as one line and only a failure with its traceback."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        failures = [error for error in errors if _should_mask(error)]
        for error in errors:
            if not _should_mask(error):
                LOG.info("client error: %s", error.message[:200])
        super().process_errors(failures, execution_context)


def document_cache(settings: Settings) -> DocumentCache:
    return DocumentCache(
        max_bytes=settings.graphql_cache_bytes, max_entry_bytes=settings.graphql_cache_entry_bytes
    )


def build_schema(settings: Settings, documents: DocumentCache | None = None) -> strawberry.Schema:
    # Built once per schema, so that every request shares them: the validation rules must be the
    # same classes for cached validations to stand.
    documents = documents or document_cache(settings)
    rules: list[type[ASTValidationRule]] = [
        query_depth_limiter.create_validator(settings.graphql_max_depth, None, None),
        max_aliases.create_validator(settings.graphql_max_aliases),
        directive_limit(settings.graphql_max_directives),
    ]
    pages = PageSizes(default=settings.default_page_size, maximum=settings.max_page_size)
    closed: list[Callable[[], SchemaExtension]] = []
    if not settings.graphql_introspection:
        closed = [DisableIntrospection, HideSuggestions]
    return Schema(
        query=Query,
        types=[Company, Person, Deal, Investment, Source],
        extensions=[
            lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
            lambda: CachedDocuments(documents),
            *closed,
            lambda: AddValidationRules(rules),
            lambda: NodeLimit(max_nodes=settings.graphql_max_nodes, pages=pages),
            *([lambda: CompiledReads(pages)] if settings.graphql_compiled else []),
            lambda: MaskErrors(should_mask_error=_should_mask, error_message="Internal error."),
        ],
    )


def export_sdl(settings: Settings | None = None) -> str:
    return build_schema(settings or Settings()).as_str() + "\n"
