from __future__ import annotations

from collections.abc import Iterator

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
