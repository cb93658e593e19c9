"""Endpoints: a route's path, documentation and handler, and the handlers most routes are made
from (one item by id or key, one page of a list)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Row, Select
from sqlmodel import col, select
from starlette.requests import Request
from starlette.responses import Response

from api.ids import encode_cursor
from api.rest.compiled import compiled_rows, json_texts
from api.rest.include import Convert, Include, IncludeParams, embedded, parse_include
from api.rest.params import (
    PageParams,
    Params,
    RowT,
    lookup,
    natural_key,
    not_found,
    page_request,
    parse_params,
    request_session,
)
from api.rest.responses import (
    item_response,
    json_response,
    list_response,
    spliced_item,
    spliced_list,
)
from api.store.paging import Ordering, Page, PageRequest, page_statement, read_page
from api.store.rows import key_column

Handler = Callable[[Request], Response]


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


def one(model: type[RowT], type_name: str, convert: Convert, *, embeds: bool = False) -> Handler:
    """A handler for one item by id or key; with `embeds`, it takes `include`."""

    def handler(request: Request) -> Response:
        params = parse_params(request, IncludeParams if embeds else Params)
        include = _include(request, params, type_name, items=1)
        if embeds and _compiles(request):
            ref = request.path_params["ref"]
            key = natural_key(type_name, ref)
            query = select(model).where(col(getattr(model, key_column(model))) == key)
            rows = _compiled(request, query, type_name, include)
            if rows is not None:
                if not rows:
                    raise not_found(type_name, ref)
                return spliced_item(next(json_texts(rows)))
        row = lookup(request, model, type_name, request.path_params["ref"])
        session = request_session(request)
        if include is None:
            return item_response(convert(session, [row])[0])
        found = embedded(session, [row], type_name=type_name, include=include)
        return json_response({"data": found[0]})

    return handler


def _include(request: Request, params: Params, type_name: str, *, items: int) -> Include | None:
    """What `params` asks to embed in a list of at most `items` objects, checked."""
    if not isinstance(params, IncludeParams):
        return None
    return parse_include(
        params,
        type_name=type_name,
        table=request.state.embeddable,
        settings=request.app.state.settings,
        items=items,
    )


def _compiles(request: Request) -> bool:
    return bool(request.app.state.settings.rest_compiled)


def _compiled(
    request: Request,
    query: Select[Any],
    type_name: str,
    include: Include | None,
    ordering: Ordering | None = None,
) -> Sequence[Row[Any]] | None:
    return compiled_rows(
        request_session(request),
        query,
        type_name=type_name,
        include=include,
        table=request.state.embeddable,
        ordering=ordering,
    )


PageP = TypeVar("PageP", bound=PageParams)
# Where a list's order comes from: fixed, or chosen by the request's parameters.
OrderOf = Ordering | Callable[[PageP], Ordering]
Fetch = Callable[[Request, PageP, PageRequest], Page[Any]]


@dataclass(frozen=True)
class Rows(Generic[PageP]):
    """A list read by one query a page at a time (`paging.read_page`): the compiled path can
    build its objects in the same statement."""

    query: Callable[[Request, PageP], Select[Any]]


def next_cursor(page: Page[Any]) -> str | None:
    return None if not page.has_next or page.end is None else encode_cursor(page.end)


def _cursor(rows: Sequence[Row[Any]], ordering: Ordering, limit: int) -> str | None:
    """`next_cursor` of a page read with one row more than `limit`, to see whether more follow."""
    return encode_cursor(ordering.key(rows[limit - 1])) if len(rows) > limit else None


def paged(
    params: type[PageP],
    order: OrderOf[PageP],
    fetch: Fetch[PageP] | Rows[PageP],
    convert: Convert,
    *,
    embeds: str | None = None,
) -> Handler:
    """A handler for one page of a list, its parameters parsed and its cursor checked first; with
    `embeds`, the items' type, it takes `include`."""

    def handler(request: Request) -> Response:
        p = parse_params(request, params)
        ordering = order if isinstance(order, Ordering) else order(p)
        asked = page_request(request, p, ordering)
        include = None if embeds is None else _include(request, p, embeds, items=asked.limit)
        session = request_session(request)
        if isinstance(fetch, Rows):
            query = fetch.query(request, p)
            if embeds is not None and _compiles(request):
                statement = page_statement(query, ordering, asked)
                rows = _compiled(request, statement, embeds, include, ordering)
                if rows is not None:
                    cursor = _cursor(rows, ordering, asked.limit)
                    return spliced_list(json_texts(rows[: asked.limit]), cursor)
            page = read_page(session, query, ordering, asked)
        else:
            page = fetch(request, p, asked)
        if include is None or embeds is None:
            return list_response(convert(session, page.items), next_cursor(page))
        found = embedded(session, page.items, type_name=embeds, include=include)
        return json_response({"data": found, "next_cursor": next_cursor(page)})

    return handler
