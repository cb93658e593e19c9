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

from api.ids import encode_cursor
from api.rest.params import (
    PageParams,
    Params,
    RowT,
    lookup,
    page_request,
    parse_params,
    request_session,
)
from api.rest.responses import Out, item_response, list_response
from api.store.paging import Ordering, Page, PageRequest

Handler = Callable[[Request], Response]


Convert = Callable[[Session, Sequence[Any]], Sequence[Out]]


@dataclass(frozen=True)
class Endpoint:
    path: str
    operation_id: str
    summary: str
    # What a 200 holds: a JSON model, or None for a CSV document.
    response: type[BaseModel] | None
    handler: Handler
    params: type[Params] = Params
    # Whether a client can ask for the JSON list as CSV instead (Accept: text/csv).
    csv_on_request: bool = False

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
# Where a list's order comes from: fixed, or chosen by the request's parameters.
OrderOf = Ordering | Callable[[PageP], Ordering]
Fetch = Callable[[Request, PageP, PageRequest], Page[Any]]


def next_cursor(page: Page[Any]) -> str | None:
    return None if not page.has_next or page.end is None else encode_cursor(page.end)


def paged(
    params: type[PageP], order: OrderOf[PageP], fetch: Fetch[PageP], convert: Convert
) -> Handler:
    """A handler for one page of a list, its parameters parsed and its cursor checked first."""

    def handler(request: Request) -> Response:
        p = parse_params(request, params)
        ordering = order if isinstance(order, Ordering) else order(p)
        page = fetch(request, p, page_request(request, p, ordering))
        return list_response(convert(request_session(request), page.items), next_cursor(page))

    return handler
