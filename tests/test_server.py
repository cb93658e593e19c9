"""The real thing: `dealgraph serve` under uvicorn on a loopback port, queried over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2 as httpx
import pytest

from api.ids import to_global_id
from tests.graphql.test_contract import CONTRACT_QUERY
from tests.serving import serving


@pytest.fixture(scope="module")
def server(store_url: str) -> Iterator[str]:
    with serving(store_url, CORS_ORIGINS="http://frontend.example") as url:
        yield url


def test_graphql_over_http(server: str) -> None:
    response = httpx.post(
        f"{server}/graphql",
        json={"query": CONTRACT_QUERY, "variables": {"id": to_global_id("Company", "alibaba")}},
        timeout=10,
    )
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    assert body["data"]["company"]["ceo"] == {"name": "Daniel Zhang"}


def test_rest_and_cors_over_http(server: str) -> None:
    response = httpx.get(
        f"{server}/api/companies/kaola", headers={"Origin": "http://frontend.example"}, timeout=10
    )
    assert response.status_code == 200
    assert response.json()["data"]["name"] == "Kaola"
    assert response.headers["access-control-allow-origin"] == "http://frontend.example"
