"""Endpoints: a route's path, documentation and handler, and the handlers most routes are made
from (one item by id or key, one page of a list)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from api.ids import InvalidToken
from api.rest.params import (
    PageParams,
    Params,
    RowT,
    lookup,
    page_limit,
    parse_params,
    request_session,
)
from api.rest.problems import ProblemDetail, ProblemError
from api.rest.responses import Out, item_response, list_response
from api.store.paging import Page

Handler = Callable[[Request], Response]


Convert = Callable[[Session, Sequence[Any]], Sequence[Out]]


def listing(
    request: Request,
    params: PageParams,
    fetch: Callable[[int, str | None], Page[Any]],
    convert: Convert,
) -> Response:
    try:
        page = fetch(page_limit(request, params), params.cursor)
    except InvalidToken as error:
        raise ProblemError(
            400, str(error), [ProblemDetail(parameter="cursor", message="not a valid cursor")]
        ) from None
    return list_response(
        convert(request_session(request), page.items), page.end_cursor if page.has_next else None
    )


@dataclass(frozen=True)
class Endpoint:
    path: str
    operation_id: str
    summary: str
    response: type[BaseModel]
    handler: Handler
    params: type[Params] = Params

    @property
    def path_params(self) -> list[str]:
        return [part[1:-1] for part in self.path.split("/") if part.startswith("{")]


def one(model: type[RowT], type_name: str, convert: Convert) -> Handler:
    def handler(request: Request) -> Response:
        parse_params(request, Params)
        row = lookup(request, model, type_name, request.path_params["ref"])
        return item_response(convert(request_session(request), [row])[0])

    return handler


PageP = TypeVar("PageP", bound=PageParams)


Fetch = Callable[[Request, PageP, int, str | None], Page[Any]]


def paged(params: type[PageP], fetch: Fetch[PageP], convert: Convert) -> Handler:
    def handler(request: Request) -> Response:
        p = parse_params(request, params)
        return listing(request, p, lambda limit, after: fetch(request, p, limit, after), convert)

    return handler
