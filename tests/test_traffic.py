"""Bursts of concurrent requests against the real server: every request is answered, or refused
at once with 503 and Retry-After, and /healthz keeps answering throughout, never queued behind the
burst."""

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
BURST_TIMEOUT = 60.0
# A probe queued behind the burst would take about as long as the burst; one with its own
# connection and thread takes a small share of it, however loaded the machine running the suite.
HEALTH_SHARE = 0.3


@pytest.fixture(scope="module")
def server(store_url: str) -> Iterator[str]:
    # Room for a round of 16 nested queries on either engine (PostgreSQL's take longer: each
    # statement is a round trip) before the queue refuses requests.
    with serving(store_url, QUEUE_TIMEOUT="5") as url:
        yield url


def _burst(url: str, size: int) -> tuple[list[httpx.Response], list[tuple[float, int]], float]:
    """`size` GraphQL requests at once, while another thread polls /healthz (so that the probe's
    latency is the server's, not this client's, which is busy with the burst); returns the
    responses, each probe's seconds and status, and the burst's seconds."""
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
    start = time.monotonic()
    try:
        responses = asyncio.run(_send(url, size))
    finally:
        seconds = time.monotonic() - start
        finished.set()
        prober.join()
    return responses, health, seconds


async def _send(url: str, size: int) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    async with httpx.AsyncClient(base_url=url, timeout=BURST_TIMEOUT, limits=limits) as client:
        requests = (client.post("/graphql", json={"query": NESTED}) for _ in range(size))
        return await asyncio.wait_for(asyncio.gather(*requests), timeout=BURST_TIMEOUT)


@pytest.mark.parametrize("size", [16, 64, 256])
def test_a_burst_is_answered_or_refused_and_health_stays_quick(server: str, size: int) -> None:
    responses, health, seconds = _burst(server, size)
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
    slowest = max(probe for probe, _ in health)
    assert slowest < HEALTH_SHARE * seconds, (
        f"/healthz took {slowest:.2f} s of a {seconds:.2f} s burst"
    )
    assert {status for _, status in health} == {200}
