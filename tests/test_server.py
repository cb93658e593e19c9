"""The real thing: `dealgraph serve` under uvicorn on a loopback port, queried over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from api.ids import to_global_id
from tests.graphql.test_schema import CONTRACT_QUERY

DEALGRAPH = Path(sys.executable).with_name("dealgraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(store_url: str) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": store_url, "CORS_ORIGINS": "http://frontend.example"}
    process = subprocess.Popen(
        [str(DEALGRAPH), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{url}/healthz", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"server did not start:\n{output}")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


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
