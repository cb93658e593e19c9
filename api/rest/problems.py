"""Errors as RFC 9457 problem documents: one place that turns each kind of error into a response."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from api.rest.responses import Out
from api.store.db import TimeLimitExceeded
from api.workers import Busy


class ProblemDetail(Out):
    parameter: str
    message: str


class Problem(Out):
    """An RFC 9457 problem document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemDetail] | None = None


class ProblemError(Exception):
    def __init__(self, status: int, detail: str, errors: list[ProblemDetail] | None = None) -> None:
        self.status, self.detail, self.errors = status, detail, errors


def problem_response(
    request: Request, status: int, detail: str, errors: list[ProblemDetail] | None = None
) -> Response:
    problem = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors,
    )
    return Response(
        orjson.dumps(problem.model_dump(exclude_none=True)),
        status_code=status,
        media_type="application/problem+json",
    )


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return problem_response(request, exc.status, exc.detail, exc.errors)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = {404: f"nothing is served at {request.url.path}"}.get(exc.status_code, str(exc.detail))
    response = problem_response(request, exc.status_code, detail)
    # A 405 names the methods that are allowed (Allow).
    response.headers.update(exc.headers or {})
    return response


async def _on_busy(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Busy)
    response = problem_response(request, 503, str(exc))
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def _on_time_limit(request: Request, exc: Exception) -> Response:
    return problem_response(request, 503, str(exc))


async def _on_unexpected(request: Request, _exc: Exception) -> Response:
    return problem_response(request, 500, "the server failed to answer; the failure is logged")


EXCEPTION_HANDLERS: dict[Any, Callable[[Request, Exception], Any]] = {
    ProblemError: _on_problem,
    HTTPException: _on_http,
    Busy: _on_busy,
    TimeLimitExceeded: _on_time_limit,
    Exception: _on_unexpected,
}
