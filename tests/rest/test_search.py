from __future__ import annotations

from starlette.testclient import TestClient

from tests.rest.conftest import get_ok


def test_search_endpoint_pages_with_cursors(client: TestClient) -> None:
    first = get_ok(client, "/api/search?q=alibaba&limit=2")
    assert len(first["data"]) == 2 and first["next_cursor"]
    second = get_ok(client, f"/api/search?q=alibaba&limit=2&cursor={first['next_cursor']}")
    assert {h["id"] for h in first["data"]}.isdisjoint(h["id"] for h in second["data"])
    assert get_ok(client, "/api/search?q=netease&kind=company")["data"][0]["key"] == "netease"
