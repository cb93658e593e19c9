"""Fuzzing the GraphQL endpoint with queries generated from the whole schema (hypothesis-graphql).

Whatever the query, the answer is a GraphQL response as the GraphQL-over-HTTP spec shapes it, and
never a server error: no 5xx, and no `Internal error.` (an unexpected failure, masked).
"""

from __future__ import annotations

import time
from typing import Any

import graphql
import hypothesis_graphql
import pytest
from graphql import GraphQLSchema
from httpx2 import Response
from hypothesis import given
from hypothesis import strategies as st
from hypothesis_graphql import nodes
from starlette.testclient import TestClient

from api.app import create_app
from api.config import Settings
from api.graphql.schema import build_schema
from api.ids import to_global_id
from tests.conftest import counting_statements
from tests.fuzzing import References, fuzz_settings

MASKED = "Internal error."


def post(client: TestClient, query: str) -> Response:
    return client.post("/graphql", json={"query": query})


def assert_graphql_response(response: Response) -> dict[str, Any]:
    """A well-formed GraphQL response that reports no server failure; return its body."""
    assert response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert isinstance(body, dict), body
    assert set(body) <= {"data", "errors", "extensions"}, body
    assert "data" in body or "errors" in body, body
    if "data" in body:
        assert body["data"] is None or isinstance(body["data"], dict), body
    if body.get("data") is None:
        assert body.get("errors"), body
    if "errors" in body:
        errors = body["errors"]
        assert isinstance(errors, list) and errors, body
        for error in errors:
            assert isinstance(error, dict), error
            assert isinstance(error.get("message"), str), error
            assert error["message"] != MASKED, error
            for location in error.get("locations", []):
                assert isinstance(location["line"], int), error
                assert isinstance(location["column"], int), error
            assert all(isinstance(part, str | int) for part in error.get("path", [])), error
    if "extensions" in body:
        assert isinstance(body["extensions"], dict), body
    return body


@pytest.fixture(scope="module")
def schema(settings: Settings) -> GraphQLSchema:
    """The schema the app serves, read back from its SDL."""
    return graphql.build_schema(build_schema(settings).as_str())


@pytest.fixture(scope="module")
def references(client: TestClient) -> References:
    return References.of(client)


def argument_values(references: References) -> dict[str, st.SearchStrategy[Any]]:
    """Argument values for the built-in scalars, many of them meaningful in the seed corpus."""
    words = ("alibaba", "Kaola", '"Alibaba Group"', "ali", "2019", "2019-09", "2019-09-05")
    strings = st.one_of(
        st.sampled_from(references.cursors),
        st.sampled_from(words + references.all_keys()),
        st.text(max_size=20),
    )
    ints = st.one_of(st.integers(min_value=0, max_value=12), st.integers(-(2**31), 2**31 - 1))
    return {
        "ID": references.global_ids().map(nodes.String),
        "String": strings.map(nodes.String),
        "Int": ints.map(nodes.Int),
    }


def test_queries_on_each_root_field_get_well_formed_answers(
    client: TestClient, schema: GraphQLSchema, references: References
) -> None:
    # One root field a query, so that one refused argument does not null the whole answer and
    # most queries reach the resolvers below.
    assert schema.query_type is not None
    values = argument_values(references)
    queries = st.sampled_from(sorted(schema.query_type.fields)).flatmap(
        lambda field: hypothesis_graphql.queries(schema, fields=[field], custom_scalars=values)
    )

    @fuzz_settings(max_examples=120)
    @given(query=queries)
    def check(query: str) -> None:
        assert_graphql_response(post(client, query))

    check()


def test_queries_over_the_whole_schema_get_well_formed_answers(
    client: TestClient, schema: GraphQLSchema, references: References
) -> None:
    queries = hypothesis_graphql.queries(schema, custom_scalars=argument_values(references))

    @fuzz_settings(max_examples=50)
    @given(query=queries)
    def check(query: str) -> None:
        assert_graphql_response(post(client, query))

    check()


def test_invalid_queries_are_refused_as_client_errors(
    client: TestClient, schema: GraphQLSchema, references: References
) -> None:
    # Each query breaks the schema once: an unknown enum value, a missing required argument...
    queries = hypothesis_graphql.queries(
        schema, custom_scalars=argument_values(references), mode=hypothesis_graphql.Mode.NEGATIVE
    )

    @fuzz_settings(max_examples=100)
    @given(query=queries)
    def check(query: str) -> None:
        body = assert_graphql_response(post(client, query))
        assert body.get("data") is None, body

    check()


# Found by fuzzing, each kept as the smallest request that shows it.

KAOLA_DEAL = to_global_id("Deal", "alibaba-acquires-kaola")
# `conflicts` is non-null, so its error nulls the whole `data`, while `node` is still loading.
CUT_SHORT = f'{{ node(id: "{KAOLA_DEAL}") {{ id }} conflicts(first: -1) {{ totalCount }} }}'


def test_a_query_cut_short_by_an_error_leaves_no_work_for_the_next_request(store_url: str) -> None:
    # Two workers, so that the abandoned work finds a free connection rather than waiting 30 s for
    # one; requests far enough apart that each finds the first worker thread idle and runs on it.
    app = create_app(Settings(database_url=store_url, workers=2))
    with TestClient(app) as client:
        body = client.post("/graphql", json={"query": CUT_SHORT}).json()
        assert body["data"] is None
        assert "`first` must be between 0 and 100" in body["errors"][0]["message"]
        time.sleep(0.1)
        with counting_statements(app.state.engine) as statements:
            client.post("/graphql", json={"query": "{ __typename }"})
        leftover = app.state.engine.pool.checkedout()
    assert statements == []
    assert leftover == 0
