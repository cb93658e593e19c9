"""The compiled read path (`api/graphql/compiled.py`) answers exactly as the resolvers do: the same
body, byte for byte once parsed, for hand-picked and for generated queries, on the seeds and on a
synthetic store; and it reads each root field with one SQL statement."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import graphql
import hypothesis_graphql
import pytest
from graphql import (
    DocumentNode,
    FieldDefinitionNode,
    GraphQLSchema,
    InputValueDefinitionNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
)
from hypothesis import given
from starlette.applications import Starlette
from starlette.testclient import TestClient

from api.app import create_app
from api.config import Settings
from api.corpus.synthetic import write_corpus
from api.graphql import compiled
from api.graphql.schema import build_schema
from api.ids import to_global_id
from api.store.sqlite_library import sqlite3
from tests.conftest import ENGINE, counting_statements, load_store
from tests.fuzzing import References, fuzz_settings
from tests.test_fuzz_graphql import argument_values

QUERIES = {
    "a company by slug, everything compiled": """{ company(slug: "alibaba") {
        __typename id slug name description aliases ceo { id slug name description aliases }
        deals(first: 3) { __typename totalCount nodes { id key kind status announcedOn completedOn
            value { amount currency approximate text } acquirers { name } targets(first: 1) { slug }
            sellers { id } evidence(first: 2) { quote startOffset endOffset
                source { id slug title publisher url } } } } } }""",
    "a company by id, with aliases and a fragment": """query ($id: ID!) { company(id: $id) {
        ...names alsoNamed: name ... on Company { ceo { ...person } } } }
        fragment names on Company { name aliases }
        fragment person on Person { name }""",
    "every company, default page": "{ companies { totalCount nodes { slug ceo { name } } } }",
    "deals in one role, and none": """{ a: company(slug: "alibaba") {
        sold: deals(role: SELLER) { totalCount nodes { key } }
        bought: deals(role: ACQUIRER, first: 2) { nodes { key } }
        none: deals(first: 0) { totalCount nodes { key } } } }""",
    "no such company": '{ company(slug: "no-such-company") { name } }',
    "deals by value": """{ deals(status: COMPLETED, orderBy: { field: VALUE_USD }, first: 5) {
        totalCount nodes { key value { amount currency } } } }""",
    "deals filtered every way it compiles": """{ deals(kind: ACQUISITION, role: SELLER,
        valueMinUsd: 1, valueMaxUsd: 1e12, orderBy: { field: KEY, direction: ASC }) {
            totalCount nodes { key targets { name } } } }""",
    "deals oldest first, with an order in a variable": """query ($order: FactOrder) {
        oldest: deals(orderBy: { direction: ASC }, first: 10) { nodes { key announcedOn } }
        chosen: deals(orderBy: $order, first: 3) { nodes { key } } }""",
    "people, roles, sources": """{ people(first: 5) { totalCount nodes { id slug name
            roles { title kind current startedOn endedOn company { name } evidence { quote } } } }
        person(slug: "daniel-zhang") { name roles(first: 1) { title person { slug } } }
        sources(first: 2) { nodes { id slug title publisher publishedOn url text } }
        source(slug: "000_2b1eff056f60b6be") { title publishedOn } }""",
    "a deal by key, and a company's roles": """{ deal(key: "alibaba-acquires-kaola") {
        id key status value { text } } company(slug: "alibaba") { roles { title current } } }""",
    "two root fields": '{ companies(first: 2) { nodes { name } } company(slug: "netease") { name } }',
}
# Each is left to the resolvers, which must still answer it (and do, identically).
NOT_COMPILED = {
    "a cursor": "{ companies(first: 1) { pageInfo { endCursor } nodes { name } } }",
    "a filter that is looked up": '{ deals(announcedAfter: "2019-01") { nodes { key } } }',
    "aggregates": "{ deals { aggregate { count } } }",
    "a field it does not know": '{ company(slug: "alibaba") { name parent { name } } }',
    "a directive": '{ company(slug: "alibaba") { name @include(if: true) } }',
    "first out of range": "{ companies(first: 100000) { nodes { name } } }",
    "both keys": '{ company(slug: "alibaba", id: "x") { name } }',
    "an id of another type": '{ company(id: "UGVyc29uOmpvZS10c2Fp") { name } }',
}
# SQLite's parser takes only so much nesting; PostgreSQL's takes this.
DEEP = """{ company(slug: "alibaba") { deals { nodes {
    targets { deals { nodes { acquirers { deals { nodes { key } } } } } } } } } }"""


def apps(url: str) -> tuple[TestClient, TestClient]:
    base = Settings(database_url=url, access_log=False)
    return (
        TestClient(create_app(base.model_copy(update={"graphql_compiled": True}))),
        TestClient(create_app(base.model_copy(update={"graphql_compiled": False}))),
    )


@pytest.fixture(scope="module")
def seeds(store_url: str) -> Iterator[tuple[TestClient, TestClient]]:
    compiled_app, resolvers = apps(store_url)
    with compiled_app, resolvers:
        yield compiled_app, resolvers


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, TestClient]]:
    directory: Path = tmp_path_factory.mktemp("synthetic")
    write_corpus(directory / "corpus", companies=200)
    compiled_app, resolvers = apps(load_store(directory / "store.db", seeds=directory / "corpus"))
    with compiled_app, resolvers:
        yield compiled_app, resolvers


def answers(
    pair: tuple[TestClient, TestClient], query: str, **variables: Any
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Both paths' bodies, and the statements the compiled one ran."""
    compiled_app, resolvers = pair
    body = {"query": query, "variables": variables}
    engine = cast(Starlette, compiled_app.app).state.engine
    with counting_statements(engine) as statements:
        first = compiled_app.post("/graphql", json=body).json()
    return first, resolvers.post("/graphql", json=body).json(), statements


def compiled_reads(statements: list[str]) -> bool:
    # json_object (SQLite) or json_build_object (PostgreSQL): JSON built in the database.
    return bool(statements) and all("_object(" in statement for statement in statements)


@pytest.mark.parametrize("name", QUERIES)
def test_compiled_queries_answer_as_the_resolvers_in_one_statement_per_root_field(
    seeds: tuple[TestClient, TestClient], name: str
) -> None:
    query = QUERIES[name]
    variables = {"id": to_global_id("Company", "kaola"), "order": {"field": "VALUE_USD"}}
    fast, slow, statements = answers(seeds, query, **variables)
    assert fast == slow
    assert "errors" not in fast, fast
    assert len(statements) == len(fast["data"])
    assert compiled_reads(statements)


@pytest.mark.parametrize("name", NOT_COMPILED)
def test_what_is_not_compiled_is_answered_by_the_resolvers(
    seeds: tuple[TestClient, TestClient], name: str
) -> None:
    fast, slow, statements = answers(seeds, NOT_COMPILED[name])
    assert fast == slow
    assert not compiled_reads(statements)


def test_deep_nesting_is_compiled_where_the_sqlite_library_can_parse_it(
    seeds: tuple[TestClient, TestClient],
) -> None:
    fast, slow, statements = answers(seeds, DEEP)
    assert fast == slow
    # Older SQLite (Python's own, 3.40 on Debian 12) overflows its parser; the resolvers answer.
    parses = ENGINE == "postgresql" or sqlite3.sqlite_version_info >= (3, 51)
    assert compiled_reads(statements) is parses


NESTED_PAGE = """{ companies(first: 100) { nodes { name deals(first: 5) { totalCount nodes {
    key value { text } targets { name ceo { name } } } } } } }"""


def test_a_synthetic_store_gets_the_same_answers(synthetic: tuple[TestClient, TestClient]) -> None:
    compiled_app, _ = synthetic
    slugs = compiled_app.post(
        "/graphql", json={"query": "{ companies(first: 100) { nodes { slug } } }"}
    )
    for node in slugs.json()["data"]["companies"]["nodes"][::10]:
        fast, slow, statements = answers(
            synthetic,
            QUERIES["a company by slug, everything compiled"].replace("alibaba", node["slug"]),
        )
        assert fast == slow
        assert compiled_reads(statements) and len(statements) == 1
    fast, slow, statements = answers(synthetic, NESTED_PAGE)
    assert fast == slow
    assert compiled_reads(statements)


# Arguments the compiled path leaves to the resolvers.
LOOKED_UP = ("after", "search", "company", "source", "announcedAfter", "announcedBefore")


def compiled_subset(schema: GraphQLSchema) -> GraphQLSchema:
    """The schema cut down to what the compiled path knows, so that generated queries stay in it:
    the arguments it leaves to the resolvers go, and a root field for one object takes its key
    only, always given (asking by id is among the hand-picked queries)."""
    keep = {name: set(fields) for name, fields in compiled.TYPES.items()}
    types = ("Company", "Person", "Deal", "Source")
    keep |= {f"{name}Connection": {"nodes", "totalCount"} for name in types}
    definitions = []
    for definition in graphql.parse(graphql.print_schema(schema)).definitions:
        if isinstance(definition, ObjectTypeDefinitionNode) and definition.name.value in keep:
            fields = tuple(
                FieldDefinitionNode(
                    name=field.name,
                    type=field.type,
                    arguments=tuple(_taken(field.arguments or ())),
                    directives=(),
                )
                for field in definition.fields or ()
                if field.name.value in keep[definition.name.value]
            )
            definition = ObjectTypeDefinitionNode(
                name=definition.name, fields=fields, interfaces=(), directives=()
            )
        definitions.append(definition)
    return graphql.build_ast_schema(DocumentNode(definitions=tuple(definitions)))


def _taken(arguments: Sequence[InputValueDefinitionNode]) -> Iterator[InputValueDefinitionNode]:
    names = {argument.name.value for argument in arguments}
    by_key = "id" in names and names & {"slug", "key"}
    for argument in arguments:
        name = argument.name.value
        if name in LOOKED_UP or (by_key and name == "id"):
            continue
        if by_key:
            required = NonNullTypeNode(type=argument.type)
            argument = InputValueDefinitionNode(name=argument.name, type=required, directives=())
        yield argument


def test_generated_queries_answer_as_the_resolvers(
    seeds: tuple[TestClient, TestClient], settings: Settings
) -> None:
    references = References.of(seeds[1])
    subset = compiled_subset(graphql.build_schema(build_schema(settings).as_str()))
    queries = hypothesis_graphql.queries(
        subset,
        fields=["company", "companies", "person", "people", "deal", "deals", "source", "sources"],
        custom_scalars=argument_values(references),
    )
    compiled_count = 0

    @fuzz_settings(max_examples=150)
    @given(query=queries)
    def check(query: str) -> None:
        nonlocal compiled_count
        fast, slow, statements = answers(seeds, query)
        assert fast == slow, query
        compiled_count += compiled_reads(statements)

    check()
    # Most generated queries ask for what the compiled path knows, with arguments it takes.
    assert compiled_count >= 80
