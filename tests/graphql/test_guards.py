"""The guards of a public endpoint: documents checked once, queries too large refused before
they run, and the cost of the others reported."""

from __future__ import annotations

from starlette.testclient import TestClient

from api.app import create_app
from api.config import Settings
from api.graphql.guards import DocumentCache
from tests.conftest import graphql_errors

SMALL = (
    "{ companies(first: 5) { nodes { name deals(first: 3) { nodes { key targets { name } } } } } }"
)
HUGE = """{ companies(first: 100) { nodes { deals(first: 100) { nodes { targets {
    deals(first: 100) { nodes { key } } } } } } } }"""


def post(client: TestClient, query: str) -> dict[str, object]:
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_the_node_count_is_reported_with_every_answer(client: TestClient) -> None:
    body = post(client, SMALL)
    assert "errors" not in body
    # 5 companies, 3 deals each, and each deal's targets counted as one list.
    assert body["extensions"] == {"cost": {"nodes": 5 + 15 + 15, "maxNodes": 100_000}}


def test_a_query_that_could_return_too_many_items_is_refused_before_it_runs(
    client: TestClient,
) -> None:
    (error,) = graphql_errors(client, HUGE)
    assert error["extensions"]["code"] == "QUERY_TOO_LARGE"
    assert error["extensions"]["nodes"] == 100 + 100**2 + 100**2 + 100**3
    assert "more than the 100,000 allowed" in error["message"]


def test_variables_count_as_their_values(client: TestClient) -> None:
    query = "query Q($n: Int) { companies(first: $n) { nodes { name } } }"
    response = client.post("/graphql", json={"query": query, "variables": {"n": 7}})
    assert response.json()["extensions"]["cost"]["nodes"] == 7


def test_too_many_directives_are_refused(client: TestClient) -> None:
    fields = " ".join(f"f{i}: __typename @include(if: true)" for i in range(51))
    errors = graphql_errors(client, "{ " + fields + " }")
    assert any("more than 50 directives" in e["message"] for e in errors)


def test_a_repeated_query_is_parsed_and_validated_once(client: TestClient) -> None:
    documents: DocumentCache = client.app.state.documents  # type: ignore[attr-defined]
    query = "{ sources(first: 2) { nodes { slug } } }  # test_a_repeated_query"
    hits, misses = documents.hits, documents.misses
    for _ in range(5):
        post(client, query)
    assert documents.misses - misses == 1
    assert documents.hits - hits == 4


def test_the_document_cache_is_bounded_by_the_length_of_what_it_holds() -> None:
    from graphql import parse

    cache = DocumentCache(max_bytes=1_000, max_entry_bytes=300)
    checked = cache.get
    for i in range(50):
        query = "{ a }" + " " * 100 + f"#{i}"
        from api.graphql.guards import _Checked

        cache.put(query, _Checked(parse(query), []))
        assert cache.size <= 1_000
    assert checked("{ a }" + " " * 100 + "#49") is not None
    assert checked("{ a }" + " " * 100 + "#0") is None
    long = "{ a }" + " " * 400
    cache.put(long, _Checked(parse(long), []))
    assert checked(long) is None


def test_an_operation_past_the_time_limit_is_stopped_with_a_timeout_error(
    settings: Settings,
) -> None:
    with TestClient(create_app(settings.model_copy(update={"time_limit": 1e-6}))) as client:
        response = client.post("/graphql", json={"query": SMALL})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "TIMEOUT"
    assert "took longer than" in error["message"]


def test_batched_operations_are_refused(client: TestClient) -> None:
    response = client.post("/graphql", json=[{"query": SMALL}, {"query": SMALL}])
    assert response.status_code == 400


def test_with_introspection_off_the_schema_cannot_be_discovered(settings: Settings) -> None:
    closed = settings.model_copy(update={"graphql_introspection": False})
    with TestClient(create_app(closed)) as client:
        introspection = graphql_errors(client, "{ __schema { types { name } } }")
        assert any("introspection" in e["message"].lower() for e in introspection)
        (typo,) = graphql_errors(client, "{ compnies { totalCount } }")
        assert typo["message"] == "Cannot query field 'compnies' on type 'Query'."


def test_with_introspection_on_typos_get_suggestions(client: TestClient) -> None:
    (typo,) = graphql_errors(client, "{ compnies { totalCount } }")
    assert "Did you mean 'companies'" in typo["message"]


def test_every_list_that_can_grow_takes_a_page_size(client: TestClient) -> None:
    query = """{ deal(key: "alibaba-acquires-kaola") {
        evidence(first: 1) { quote } claims(first: 2) { field } parties(first: 1) { role }
        all: evidence { quote } } }"""
    body = post(client, query)
    deal = body["data"]["deal"]  # type: ignore[index]
    assert (len(deal["evidence"]), len(deal["claims"]), len(deal["parties"])) == (1, 2, 1)
    assert len(deal["all"]) > 2
    too_many = '{ deal(key: "alibaba-acquires-kaola") { evidence(first: 101) { quote } } }'
    (error,) = graphql_errors(client, too_many)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_page_size_on_a_list_counts_towards_the_node_limit(client: TestClient) -> None:
    query = """{ companies(first: 2) { nodes { deals(first: 3) { nodes {
        evidence(first: 50) { quote } } } } } }"""
    assert post(client, query)["extensions"] == {
        "cost": {"nodes": 2 + 2 * 3 + 2 * 3 * 50, "maxNodes": 100_000}
    }
