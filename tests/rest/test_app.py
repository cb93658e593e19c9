from __future__ import annotations

from starlette.testclient import TestClient

from tests.rest.conftest import get_ok


def test_healthz(client: TestClient) -> None:
    assert get_ok(client, "/healthz") == {"status": "ok"}


def test_cors_allows_configured_origins_only(client: TestClient) -> None:
    allowed = client.get("/api/sources", headers={"Origin": "http://frontend.example"})
    assert allowed.headers["access-control-allow-origin"] == "http://frontend.example"
    other = client.get("/api/sources", headers={"Origin": "http://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers
