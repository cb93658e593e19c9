"""The bench's cases through each ASGI app in this process (`bench/queries.py`): the API's answer
checked against the floor's, then both timed, one side's requests alternating with the other's."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

import httpx2 as httpx
from starlette.types import ASGIApp

from api.app import create_app
from api.config import Settings
from bench.cases import Case
from bench.floor import create_floor_app
from tests.conftest import counting_statements

# In process, a case is timed for fewer rounds where they would take over this many seconds a
# side, but MIN_ROUNDS: a slow case's median settles in a few.
ROUND_SECONDS = 2.0
MIN_ROUNDS = 3


@dataclass(frozen=True)
class InProcess:
    """One case through each ASGI app in this process: the answer's size, the API's SQL
    statements, and each side's median milliseconds."""

    response_bytes: int
    statements: int
    app_ms: float
    floor_ms: float

    @property
    def slowdown(self) -> float:
        return self.app_ms / self.floor_ms


def settings(url: str) -> Settings:
    return Settings(database_url=url, max_page_size=1000, access_log=False)


def rounds_within(first_ms: float, rounds: int) -> int:
    """At most `rounds`, fewer where they would take over ROUND_SECONDS, but MIN_ROUNDS."""
    fit = int(ROUND_SECONDS * 1e3 / max(first_ms, 1e-3))
    return min(rounds, max(MIN_ROUNDS, fit))


def client(app: ASGIApp) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")


async def send(http: httpx.AsyncClient, case: Case, path: str | None = None) -> httpx.Response:
    response = await http.request(case.method, path or case.path, json=case.body)
    response.raise_for_status()
    return response


async def timed(
    http: httpx.AsyncClient, case: Case, path: str | None = None
) -> tuple[httpx.Response, float]:
    """The answer, and the milliseconds it took."""
    start = time.perf_counter()
    answer = await send(http, case, path)
    return answer, (time.perf_counter() - start) * 1e3


async def in_process(url: str, cases: Sequence[Case], rounds: int) -> dict[str, InProcess]:
    """Each case, once both sides are seen to give the same data, timed with the requests to one
    side alternating with the other's."""
    app = create_app(settings(url))
    floor = create_floor_app(url, cases, threads=2)
    found: dict[str, InProcess] = {}
    async with client(app) as api, client(floor) as bare:
        for case in cases:
            path = f"/floor/{case.name}"
            with counting_statements(app.state.engine) as statements:
                answer, first_ms = await timed(api, case)
            sql = len(statements)
            expected, floor_first_ms = await timed(bare, case, path)
            if not case.agrees(answer.json(), expected.json()):
                raise SystemExit(f"{case.name}: the API and the floor answer differently")
            # The checked requests are the first round.
            app_ms, floor_ms = [first_ms], [floor_first_ms]
            for _ in range(rounds_within(first_ms, rounds) - 1):
                app_ms.append((await timed(api, case))[1])
                floor_ms.append((await timed(bare, case, path))[1])
            medians = statistics.median(app_ms), statistics.median(floor_ms)
            found[case.name] = InProcess(len(answer.content), sql, *medians)
    return found
