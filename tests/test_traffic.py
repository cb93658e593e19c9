"""Bursts of concurrent requests against the real server: every request is answered, or refused
at once with 503 and Retry-After, and /healthz answers within a second throughout."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import httpx2 as httpx
import pytest

from tests.serving import serving

NESTED = """
{ companies(first: 30) { nodes { name ceo { name }
    deals(first: 10) { totalCount nodes { key value { amount currency }
      targets { name ceo { name } } sellers { name }
      evidence { quote source { slug title } } claims { field text } } } } } }
"""
HEALTH_LIMIT = 1.0
BURST_TIMEOUT = 60.0


@pytest.fixture(scope="module")
def server(store_url: str) -> Iterator[str]:
    # Room for a round of 16 nested queries on either engine (PostgreSQL's take longer: each
    # statement is a round trip) before the queue refuses requests.
    with serving(store_url, QUEUE_TIMEOUT="5") as url:
        yield url


def _burst(url: str, size: int) -> tuple[list[httpx.Response], list[tuple[float, int]]]:
    """`size` GraphQL requests at once, while another thread polls /healthz (so that the probe's
    latency is the server's, not this client's, which is busy with the burst)."""
    health: list[tuple[float, int]] = []
    finished = threading.Event()

    def probe() -> None:
        with httpx.Client(base_url=url, timeout=BURST_TIMEOUT) as client:
            while not finished.is_set():
                start = time.monotonic()
                status = client.get("/healthz").status_code
                health.append((time.monotonic() - start, status))
                finished.wait(0.05)

    prober = threading.Thread(target=probe)
    prober.start()
    try:
        responses = asyncio.run(_send(url, size))
    finally:
        finished.set()
        prober.join()
    return responses, health


async def _send(url: str, size: int) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    async with httpx.AsyncClient(base_url=url, timeout=BURST_TIMEOUT, limits=limits) as client:
        requests = (client.post("/graphql", json={"query": NESTED}) for _ in range(size))
        return await asyncio.wait_for(asyncio.gather(*requests), timeout=BURST_TIMEOUT)


@pytest.mark.parametrize("size", [16, 64, 256])
def test_a_burst_is_answered_or_refused_and_health_stays_quick(server: str, size: int) -> None:
    responses, health = _burst(server, size)
    for response in responses:
        if response.status_code == 503:
            assert int(response.headers["retry-after"]) >= 1
            (error,) = response.json()["errors"]
            assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        else:
            assert response.status_code == 200, response.text
            body = response.json()
            assert "errors" not in body, body["errors"]
            assert len(body["data"]["companies"]["nodes"]) == 27
    assert sum(r.status_code == 200 for r in responses) >= min(size, 16)
    assert health, "the health probe never answered"
    slowest = max(seconds for seconds, _ in health)
    assert slowest < HEALTH_LIMIT, f"/healthz took {slowest:.2f} s during the burst"
    assert {status for _, status in health} == {200}
