from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.rest.conftest import assert_problem

LIMIT = 1_000_000


def test_a_body_longer_than_the_limit_is_refused_by_its_length(client: TestClient) -> None:
    response = client.post("/graphql", content=b"x" * (LIMIT + 1))
    body = assert_problem(response, 413)
    assert "longer than 1,000,000 bytes" in body["detail"]


def test_a_streamed_body_is_cut_off_at_the_limit(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"x" * 100_000

    response = client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_problem(response, 413)


def test_a_body_within_the_limit_is_served(client: TestClient) -> None:
    query = "{ sources(first: 1) { totalCount } }" + " " * 100_000
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200
    assert response.json()["data"]["sources"]["totalCount"] == 4


def test_every_answer_carries_a_request_id(client: TestClient) -> None:
    made = client.get("/api/companies").headers["x-request-id"]
    assert len(made) == 32
    assert (
        client.get("/healthz", headers={"x-request-id": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    forged = client.get("/healthz", headers={"x-request-id": "bad id\nwith newline"})
    assert forged.headers["x-request-id"] != "bad id\nwith newline"


def test_each_exchange_is_one_json_access_log_line(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="dealgraph.access"):
        headers = {"x-request-id": "log-me", "accept-encoding": "identity"}
        response = client.get("/api/sources?limit=1", headers=headers)
    (line,) = [r for r in caplog.records if r.name == "dealgraph.access" and "log-me" in r.message]
    logged = json.loads(line.message)
    assert logged["request_id"] == "log-me"
    assert (logged["method"], logged["path"], logged["status"]) == ("GET", "/api/sources", 200)
    assert logged["bytes"] == len(response.content)


def test_large_answers_are_compressed(client: TestClient) -> None:
    response = client.get("/api/sources", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["data"]


def test_a_get_answer_has_a_validator_and_an_unchanged_one_is_not_sent_again(
    client: TestClient,
) -> None:
    first = client.get("/api/companies/kaola")
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    assert first.headers["cache-control"] == "public, max-age=60"
    again = client.get("/api/companies/kaola", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = client.get("/api/companies/netease", headers={"if-none-match": etag})
    assert other.status_code == 200


def test_health_is_never_cached(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.mark.parametrize(
    ("query", "status", "has_data"),
    [
        ("{ sources(first: 1) { totalCount } }", 200, True),
        ('{ node(id: "nope") { id } }', 200, True),
        ("{ sources(first: 1) { nope } }", 400, False),
        ("{ sources(", 400, False),
    ],
    ids=["ok", "field error", "validation error", "parse error"],
)
def test_graphql_over_http_media_type_and_status_codes(
    client: TestClient, query: str, status: int, has_data: bool
) -> None:
    response = client.post("/graphql", json={"query": query}, headers={"accept": GRAPHQL_RESPONSE})
    assert response.status_code == status
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert ("data" in response.json()) is has_data
    legacy = client.post("/graphql", json={"query": query}, headers={"accept": "application/json"})
    assert legacy.status_code == 200
    assert legacy.headers["content-type"] == "application/json"


def test_a_media_type_graphql_cannot_answer_in_is_not_acceptable(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": "{ a }"}, headers={"accept": "text/csv"})
    assert response.status_code == 406
