"""The compiled read path: a query made only of fields it knows becomes one SQL statement per root
field, which builds that field's JSON in the database (`api.store.json_sql`); the resolvers answer
everything else, field for field the same (`tests/graphql/test_compiled.py` compares both).

It runs after validation and the cost limits, as an execution hook that hands strawberry the
result, so errors, limits and extensions stay the resolvers' own: whatever the compiler does not
cover, or any argument it would have to refuse, it leaves to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
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
from api.graphql.context import ClientError, Context
from api.graphql.guards import PageSizes
from api.graphql.relay import node_key
from api.store.json_sql import json_sql, too_deep
from api.vocab import DealKind, DealRole, DealStatus, Direction, SortField


def _company_ceo(compiler: Compiler, nodes: Sequence[FieldNode], row: str, _: Any) -> str:
    person = compiler.alias()
    found = f"{person}.id = {compiler.sql.ceo_of(f'{row}.id')}"
    return compiler.sql.subquery(
        f"SELECT {compiler.object('Person', nodes, person)} FROM person {person} WHERE {found}"
    )


def _company_deals(
    compiler: Compiler, nodes: Sequence[FieldNode], row: str, arguments: dict[str, Any]
) -> str:
    if arguments.get("after") is not None:
        raise NotCompiled("after")
    role = arguments.get("role")
    deal_ids = compiler.sql.deals_of_company(
        f"{row}.id", None if role is None else DealRole(role).name
    )
    limit = compiler.page_limit(arguments.get("first"))
    return connection(
        compiler,
        nodes,
        "Deal",
        "deal",
        lambda deal: f"{deal}.id IN {deal_ids}",
        compiler.sql.newest_first,
        limit,
    )


def _parties(role: DealRole) -> FieldSql:
    """`deals.parties_of_deals`: the companies in one role, in the order the sources list them."""

    def compile_field(
        compiler: Compiler, nodes: Sequence[FieldNode], row: str, arguments: dict[str, Any]
    ) -> str:
        party, company = compiler.alias(), compiler.alias()
        limit = compiler.bind(compiler.list_limit(arguments.get("first")))
        rows = compiler.sql.companies_in_role(row, role.name, (party, company), limit)
        element = compiler.object("Company", nodes, company)
        return compiler.sql.array(element, rows, f"{company}.party_order")

    return compile_field


def _evidence(subject: str) -> FieldSql:
    """`claims.evidence_of`: the quotes that state a fact or name an entity (`subject` is the
    evidence column that points at it), by source and place in it."""

    def compile_field(
        compiler: Compiler, nodes: Sequence[FieldNode], row: str, arguments: dict[str, Any]
    ) -> str:
        quote = compiler.alias()
        limit = compiler.bind(compiler.list_limit(arguments.get("first")))
        order = f"{quote}.source_id, {quote}.start_offset, {quote}.id"
        rows = (
            f"(SELECT * FROM evidence {quote} WHERE {quote}.{subject} = {row}.id "
            f"ORDER BY {order} LIMIT {limit}) {quote}"
        )
        return compiler.sql.array(compiler.object("Evidence", nodes, quote), rows, order)

    return compile_field


def _roles(owner: str) -> FieldSql:
    """`people.roles_of_people` and `people.roles_at_companies`: the roles of a person or at a
    company (`owner` is the role column that points at it), in the order they were stated."""

    def compile_field(
        compiler: Compiler, nodes: Sequence[FieldNode], row: str, arguments: dict[str, Any]
    ) -> str:
        role = compiler.alias()
        limit = compiler.bind(compiler.list_limit(arguments.get("first")))
        rows = (
            f"(SELECT * FROM role {role} WHERE {role}.{owner} = {row}.id "
            f"ORDER BY {role}.id LIMIT {limit}) {role}"
        )
        return compiler.sql.array(compiler.object("Role", nodes, role), rows, f"{role}.id")

    return compile_field


def _parent(type_name: str, table: str, column: str) -> FieldSql:
    """The one row of `table` that the row's `column` points at."""

    def compile_field(compiler: Compiler, nodes: Sequence[FieldNode], row: str, _: Any) -> str:
        found = compiler.alias()
        select = f"SELECT {compiler.object(type_name, nodes, found)} FROM {table} {found}"
        return compiler.sql.subquery(f"{select} WHERE {found}.id = {row}.{column}")

    return compile_field


def _deal_value(compiler: Compiler, nodes: Sequence[FieldNode], row: str, _: Any) -> str:
    money = compiler.object("Money", nodes, row)
    return compiler.sql.nullable(compiler.sql.has_money(row), money)


def _entity(type_name: str) -> dict[str, FieldSql]:
    """The fields a company and a person share (`models.EntityColumns`)."""
    return {
        "id": column(lambda sql, row: sql.global_id(type_name, f"{row}.slug")),
        "slug": column("{row}.slug"),
        "name": column("{row}.name"),
        "description": column("{row}.description"),
        "aliases": column(lambda sql, row: sql.json_column(f"{row}.aliases")),
    }


TYPES: dict[str, dict[str, FieldSql]] = {
    "Company": _entity("Company")
    | {
        "ceo": _company_ceo,
        "deals": _company_deals,
        "roles": _roles("company_id"),
    },
    "Person": _entity("Person") | {"roles": _roles("person_id")},
    "Role": {
        "title": column("{row}.title"),
        "kind": column("{row}.kind"),
        "current": column(lambda sql, row: sql.nullable_boolean(f"{row}.current")),
        "startedOn": column(lambda sql, row: sql.partial_date(row, "started")),
        "endedOn": column(lambda sql, row: sql.partial_date(row, "ended")),
        "person": _parent("Person", "person", "person_id"),
        "company": _parent("Company", "company", "company_id"),
        "evidence": _evidence("role_id"),
    },
    "Deal": {
        "id": column(lambda sql, row: sql.global_id("Deal", f"{row}.key")),
        "key": column("{row}.key"),
        "kind": column("{row}.kind"),
        "status": column("{row}.status"),
        "announcedOn": column(lambda sql, row: sql.partial_date(row, "announced")),
        "completedOn": column(lambda sql, row: sql.partial_date(row, "completed")),
        "value": _deal_value,
        "acquirers": _parties(DealRole.ACQUIRER),
        "targets": _parties(DealRole.TARGET),
        "sellers": _parties(DealRole.SELLER),
        "evidence": _evidence("deal_id"),
    },
    "Money": {
        "amount": column("{row}.value_amount"),
        "currency": column("{row}.value_currency"),
        "approximate": column(lambda sql, row: sql.boolean(f"{row}.value_approximate")),
        "text": column("coalesce({row}.value_text, '')"),
    },
    "Evidence": {
        "quote": column("{row}.quote"),
        "startOffset": column("{row}.start_offset"),
        "endOffset": column("{row}.end_offset"),
        "source": _parent("Source", "source", "source_id"),
    },
    "Source": {
        "id": column(lambda sql, row: sql.global_id("Source", f"{row}.slug")),
        "slug": column("{row}.slug"),
        "title": column("{row}.title"),
        "publisher": column("{row}.publisher"),
        "url": column("{row}.url"),
        "publishedOn": column(lambda sql, row: sql.partial_date(row, "published")),
        "text": column("{row}.text"),
    },
}


def _by_name(row: str) -> str:
    """`paging.by_name` on names: alphabetically, ties by id."""
    return f"{row}.name, {row}.id"


def _by_slug(row: str) -> str:
    """`sources.SOURCE_ORDER`: by slug, ties by id."""
    return f"{row}.slug, {row}.id"


def _one(type_name: str, table: str, key: str) -> FieldSql:
    """`company`, `person`, `deal`, `source`: one row by global id or by its key (`key`, the
    argument and the column); anything but exactly one of the two is the resolvers' to refuse."""

    def compile_field(
        compiler: Compiler, nodes: Sequence[FieldNode], _: str, arguments: dict[str, Any]
    ) -> str:
        try:
            value = node_key(type_name, arguments.get("id"), arguments.get(key))
        except ClientError:
            raise NotCompiled("an id or key the resolvers refuse") from None
        row = compiler.alias()
        select = f"SELECT {compiler.object(type_name, nodes, row)} FROM {table} {row}"
        return compiler.sql.subquery(f"{select} WHERE {row}.{key} = {compiler.bind(value)}")

    return compile_field


def _listing(type_name: str, table: str, order: Callable[[str], str]) -> FieldSql:
    """`companies`, `people`, `sources`: every row in order, a page at a time (without a
    search or a cursor, which are the resolvers')."""

    def compile_field(
        compiler: Compiler, nodes: Sequence[FieldNode], _: str, arguments: dict[str, Any]
    ) -> str:
        if arguments.get("after") is not None or arguments.get("search") is not None:
            raise NotCompiled("after or search")
        limit = compiler.page_limit(arguments.get("first"))
        return connection(compiler, nodes, type_name, table, lambda _row: "TRUE", order, limit)

    return compile_field


def _root_deals(
    compiler: Compiler, nodes: Sequence[FieldNode], _: str, arguments: dict[str, Any]
) -> str:
    """`deals(...)` filtered by kind, status, role and value, in any order; a company, a source
    or dates to filter by are the resolvers' (they look them up and check them)."""
    given = {name for name, value in arguments.items() if value is not None}
    if given - {"kind", "status", "role", "valueMinUsd", "valueMaxUsd", "orderBy", "first"}:
        raise NotCompiled("a filter the resolvers check")
    # Each with `{d}` for the deal row's alias.
    sql, conditions = compiler.sql, list[str]()
    for name, enum in (("kind", DealKind), ("status", DealStatus)):
        if name in given:
            conditions.append(f"{{d}}.{name} = '{enum(arguments[name]).name}'")
    if "role" in given:
        role = DealRole(arguments["role"]).name
        conditions.append(f"{{d}}.id IN (SELECT deal_id FROM deal_party WHERE role = '{role}')")
    for name, bound in (("valueMinUsd", ">="), ("valueMaxUsd", "<=")):
        if name in given:
            value = compiler.bind(float(arguments[name]))
            conditions.append(f"{sql.value_usd('{d}')} {bound} {value}")
    field, direction = _order(arguments.get("orderBy"))
    return connection(
        compiler,
        nodes,
        "Deal",
        "deal",
        lambda d: " AND ".join(condition.format(d=d) for condition in conditions) or "TRUE",
        lambda d: sql.fact_order(d, field, direction),
        compiler.page_limit(arguments.get("first")),
    )


def _order(order_by: Any) -> tuple[SortField, Direction]:
    """`filters.sort_order`: an `orderBy` input (as graphql-core gives it), by default newest
    announcement first."""
    if order_by is None:
        return SortField.ANNOUNCED_ON, Direction.DESC
    fields = order_by if isinstance(order_by, dict) else vars(order_by)
    return SortField(fields["field"]), Direction(fields["direction"])


TYPES["Query"] = {
    "company": _one("Company", "company", "slug"),
    "companies": _listing("Company", "company", _by_name),
    "person": _one("Person", "person", "slug"),
    "people": _listing("Person", "person", _by_name),
    "deal": _one("Deal", "deal", "key"),
    "deals": _root_deals,
    "source": _one("Source", "source", "slug"),
    "sources": _listing("Source", "source", _by_slug),
}


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
    store = context.session.connection()
    sql = json_sql(store.dialect.name)
    compiler = Compiler(schema, fragments, coerced.coerced, pages, TYPES, sql)
    try:
        statements = root_statements(compiler, operation)
    except NotCompiled:
        return None
    data: dict[str, Any] = {}
    try:
        for key, statement in statements:
            found = store.execute(text(statement), compiler.params).scalar_one()
            data[key] = None if found is None else orjson.loads(found)
    except OperationalError as error:
        if too_deep(error):
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
