"""The floor: a bare Starlette app that answers each case with its one hand-written SQL statement,
run on a bounded pool of threads as the API runs its own, over the same read-only store.

Served by uvicorn for the HTTP runs: `uvicorn bench.floor:app_from_environment --factory` with
DATABASE_URL set. It ignores the request body: the case's parameters are fixed.
"""

from __future__ import annotations

from collections.abc import Sequence

from anyio import CapacityLimiter, to_thread
from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.config import Settings
from api.store.db import make_engine
from bench.cases import Case, pick
from bench.cases_rest import bench_cases


def floor_answer(engine: Engine, case: Case) -> bytes:
    with engine.connect() as connection:
        answer: str = connection.execute(text(case.floor), dict(case.params)).scalar_one()
    return answer.encode()


def create_floor_app(database_url: str, cases: Sequence[Case], threads: int) -> Starlette:
    engine = make_engine(database_url, read_only=True, connections=threads)
    by_name = {case.name: case for case in cases}
    limiter = CapacityLimiter(threads)

    async def answer(request: Request) -> Response:
        case = by_name[request.path_params["name"]]
        body = await to_thread.run_sync(floor_answer, engine, case, limiter=limiter)
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/floor/{name}", answer, methods=["GET", "POST"])])


def app_from_environment() -> Starlette:
    settings = Settings()
    engine = make_engine(settings.database_url, read_only=True, connections=1)
    with engine.connect() as connection:
        cases = bench_cases(pick(connection), engine.dialect.name)
    engine.dispose()
    return create_floor_app(settings.database_url, cases, settings.workers)
