"""The compiled read path: a query made only of fields it knows becomes one SQL statement per root
field, which builds that field's JSON in the database (`api.store.json_sql`); the resolvers answer
everything else, field for field the same (`tests/graphql/test_compiled.py` compares both).

It runs after validation and the cost limits, as an execution hook that hands strawberry the
result, so errors, limits and extensions stay the resolvers' own: whatever the compiler does not
cover, or any argument it would have to refuse, it leaves to them. SQLite only, for now.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLSchema,
    OperationType,
    get_operation_ast,
)
from graphql.execution.values import get_variable_values
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from strawberry.extensions import SchemaExtension

from api.graphql.compiler import (
    Compiler,
    FieldSql,
    NotCompiled,
    column,
    connection,
    root_statements,
)
from api.graphql.context import Context
from api.graphql.guards import PageSizes
from api.ids import InvalidToken, from_global_id
from api.store import json_sql as sql
from api.vocab import DealRole


def _company_ceo(compiler: Compiler, nodes: Sequence[FieldNode], row: str, _: Any) -> str:
    person = compiler.alias()
    found = f"{person}.id = {sql.ceo_of(f'{row}.id')}"
    return sql.subquery(
        f"SELECT {compiler.object('Person', nodes, person)} FROM person {person} WHERE {found}"
    )


def _company_deals(
    compiler: Compiler, nodes: Sequence[FieldNode], row: str, arguments: dict[str, Any]
) -> str:
    if arguments.get("after") is not None:
        raise NotCompiled("after")
    role = arguments.get("role")
    deal_ids = sql.deals_of_company(f"{row}.id", None if role is None else DealRole(role).name)
    limit = compiler.page_limit(arguments.get("first"))
    return connection(
        compiler,
        nodes,
        "Deal",
        "deal",
        lambda deal: f"{deal}.id IN {deal_ids}",
        sql.newest_first,
        limit,
    )


def _parties(role: DealRole) -> FieldSql:
    """`deals.parties_of_deals`: the companies in one role, in the order the sources list them."""

    def compile_field(
        compiler: Compiler, nodes: Sequence[FieldNode], row: str, arguments: dict[str, Any]
    ) -> str:
        party, company = compiler.alias(), compiler.alias()
        limit = compiler.bind(compiler.list_limit(arguments.get("first")))
        rows = (
            f"(SELECT {company}.* FROM deal_party {party} "
            f"JOIN company {company} ON {company}.id = {party}.company_id "
            f"WHERE {party}.deal_id = {row}.id AND {party}.role = '{role.name}' "
            f"ORDER BY {party}.id LIMIT {limit}) {company}"
        )
        return sql.array(compiler.object("Company", nodes, company), rows)

    return compile_field


def _deal_evidence(
    compiler: Compiler, nodes: Sequence[FieldNode], row: str, arguments: dict[str, Any]
) -> str:
    """`claims.evidence_of`: a fact's quotes, by source and place in it."""
    quote = compiler.alias()
    limit = compiler.bind(compiler.list_limit(arguments.get("first")))
    rows = (
        f"(SELECT * FROM evidence {quote} WHERE {quote}.deal_id = {row}.id "
        f"ORDER BY {quote}.source_id, {quote}.start_offset LIMIT {limit}) {quote}"
    )
    return sql.array(compiler.object("Evidence", nodes, quote), rows)


def _evidence_source(compiler: Compiler, nodes: Sequence[FieldNode], row: str, _: Any) -> str:
    source = compiler.alias()
    found = f"{source}.id = {row}.source_id"
    return sql.subquery(
        f"SELECT {compiler.object('Source', nodes, source)} FROM source {source} WHERE {found}"
    )


def _deal_value(compiler: Compiler, nodes: Sequence[FieldNode], row: str, _: Any) -> str:
    money = compiler.object("Money", nodes, row)
    return f"json(CASE WHEN {sql.has_money(row)} THEN {money} END)"


TYPES: dict[str, dict[str, FieldSql]] = {
    "Company": {
        "id": column(sql.global_id("Company", "{row}.slug")),
        "slug": column("{row}.slug"),
        "name": column("{row}.name"),
        "description": column("{row}.description"),
        "aliases": column("json({row}.aliases)"),
        "ceo": _company_ceo,
        "deals": _company_deals,
    },
    "Person": {
        "id": column(sql.global_id("Person", "{row}.slug")),
        "slug": column("{row}.slug"),
        "name": column("{row}.name"),
        "description": column("{row}.description"),
        "aliases": column("json({row}.aliases)"),
    },
    "Deal": {
        "id": column(sql.global_id("Deal", "{row}.key")),
        "key": column("{row}.key"),
        "kind": column("{row}.kind"),
        "status": column("{row}.status"),
        "announcedOn": column(sql.partial_date("{row}", "announced")),
        "completedOn": column(sql.partial_date("{row}", "completed")),
        "value": _deal_value,
        "acquirers": _parties(DealRole.ACQUIRER),
        "targets": _parties(DealRole.TARGET),
        "sellers": _parties(DealRole.SELLER),
        "evidence": _deal_evidence,
    },
    "Money": {
        "amount": column("{row}.value_amount"),
        "currency": column("{row}.value_currency"),
        "approximate": column(sql.boolean("{row}.value_approximate")),
        "text": column("coalesce({row}.value_text, '')"),
    },
    "Evidence": {
        "quote": column("{row}.quote"),
        "startOffset": column("{row}.start_offset"),
        "endOffset": column("{row}.end_offset"),
        "source": _evidence_source,
    },
    "Source": {
        "id": column(sql.global_id("Source", "{row}.slug")),
        "slug": column("{row}.slug"),
        "title": column("{row}.title"),
        "publisher": column("{row}.publisher"),
        "url": column("{row}.url"),
    },
}


def _by_name(row: str) -> str:
    """`paging.by_name`: alphabetically, ties by id."""
    return f"{row}.name, {row}.id"


def _root_company(
    compiler: Compiler, nodes: Sequence[FieldNode], _: str, arguments: dict[str, Any]
) -> str:
    """`company(id:)` or `company(slug:)`; anything but exactly one of them is the resolvers'."""
    given = {name: value for name, value in arguments.items() if value is not None}
    if set(given) == {"slug"}:
        slug = given["slug"]
    elif set(given) == {"id"}:
        try:
            type_name, slug = from_global_id(given["id"])
        except InvalidToken:
            raise NotCompiled("an invalid id") from None
        if type_name != "Company":
            raise NotCompiled("an id of another type")
    else:
        raise NotCompiled("company() without exactly one key")
    row = compiler.alias()
    found = f"{row}.slug = {compiler.bind(slug)}"
    return sql.subquery(
        f"SELECT {compiler.object('Company', nodes, row)} FROM company {row} WHERE {found}"
    )


def _root_companies(
    compiler: Compiler, nodes: Sequence[FieldNode], _: str, arguments: dict[str, Any]
) -> str:
    if arguments.get("after") is not None or arguments.get("search") is not None:
        raise NotCompiled("after or search")
    limit = compiler.page_limit(arguments.get("first"))
    return connection(compiler, nodes, "Company", "company", lambda _row: "1", _by_name, limit)


TYPES["Query"] = {"company": _root_company, "companies": _root_companies}


def compiled_data(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    context: Context,
    pages: PageSizes,
) -> dict[str, Any] | None:
    """The query's data, read by one statement per root field; None when the resolvers must
    answer (something is not compiled, or SQLite's parser cannot nest it that deep)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation is not OperationType.QUERY:
        return None
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables or {})
    if isinstance(coerced, list):
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    compiler = Compiler(schema, fragments, coerced.coerced, pages, TYPES)
    try:
        statements = root_statements(compiler, operation)
    except NotCompiled:
        return None
    store = context.session.connection()
    data: dict[str, Any] = {}
    try:
        for key, statement in statements:
            found = store.execute(text(statement), compiler.params).scalar_one()
            data[key] = None if found is None else orjson.loads(found)
    except OperationalError as error:
        if "parser stack overflow" in str(error):
            return None
        raise
    return data


class CompiledReads(SchemaExtension):
    """Hands strawberry the compiled answer, when there is one, so that the resolvers never run."""

    def __init__(self, pages: PageSizes) -> None:
        super().__init__()
        self.pages = pages

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        request = context.context
        if (
            context.result is None
            and context.graphql_document is not None
            and isinstance(request, Context)
            and request.session.get_bind().dialect.name == "sqlite"
        ):
            data = compiled_data(
                context.schema._schema,
                context.graphql_document,
                context.operation_name,
                context.variables,
                request,
                self.pages,
            )
            if data is not None:
                context.result = ExecutionResult(data=data)
        yield
