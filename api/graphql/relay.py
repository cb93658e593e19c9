"""Relay conventions: the Node interface, global ids, and keyset connections whose page size is
checked at the edge."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from sqlmodel import Session
from strawberry.types import Info

from api.graphql.context import ClientError, Context
from api.ids import (
    InvalidToken,
    Keyset,
    KeyTypes,
    decode_cursor,
    encode_cursor,
    from_global_id,
    quoted,
)
from api.store.paging import Ordering, Page, PageRequest
from api.store.rows import MAX_NAME_SEARCH

NODE_TYPES = ("Company", "Person", "Deal", "Investment", "Source")


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global id, stable across reloads.")


@strawberry.type(description="Where one page of a connection starts and ends.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="Whether this page was asked for after a cursor."
    )
    start_cursor: str | None = strawberry.field(description="Cursor of the first item, if any.")
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last item: pass it as `after` for the next page."
    )


NodeT = TypeVar("NodeT")


@strawberry.type(description="An item of a connection with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque cursor of this item.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, with keyset cursors (Relay connection).")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items with their cursors.")
    nodes: list[NodeT] = strawberry.field(description="The items.")
    page_info: PageInfo = strawberry.field(description="Where this page starts and ends.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list holds, across all pages.")
    async def total_count(self) -> int:
        return await self.count()


def connection(
    page: Page[Any],
    convert: Callable[[Any], NodeT],
    count: Callable[[], Awaitable[int]],
    requested: PageRequest,
) -> Connection[NodeT]:
    nodes = [convert(row) for row in page.items]
    cursors = [encode_cursor(page.ordering.key(row)) for row in page.items]
    return Connection(
        edges=[Edge(cursor=c, node=n) for c, n in zip(cursors, nodes, strict=True)],
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=requested.after is not None,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        ),
        count=count,
    )


def page_size(info: Info[Context, None], first: int | None) -> int:
    settings = info.context.settings
    return size_within(first, default=settings.default_page_size, maximum=settings.max_page_size)


def size_within(first: int | None, *, default: int, maximum: int) -> int:
    """`first`, checked against the server's maximum, or `default` if the client gave none."""
    if first is None:
        return default
    if not 0 <= first <= maximum:
        raise ClientError(f"`first` must be between 0 and {maximum}, got {first}")
    return first


def position(after: str, types: KeyTypes) -> Keyset:
    """Where `after` points in a list sorted by values of these types."""
    try:
        return decode_cursor(after, types)
    except InvalidToken as error:
        raise ClientError(str(error)) from None


def page_request(
    info: Info[Context, None], first: int | None, after: str | None, ordering: Ordering
) -> PageRequest:
    """`first` and `after` checked against the server's limits and the list's order."""
    start = None if after is None else position(after, ordering.types)
    return PageRequest(limit=page_size(info, first), after=start)


FIRST = "How many items to return (default and maximum set by the server)."
AFTER = "Return the items after this cursor (an `endCursor` or edge `cursor`)."


ID_ARG = strawberry.argument(description="Global id.")
SLUG_ARG = strawberry.argument(description="Readable key (slug).")
SEARCH_ARG = strawberry.argument(
    description="Only those whose name or an alias contains this text, ignoring case."
)


LIST_FIRST = Annotated[
    int | None,
    strawberry.argument(
        description="At most this many items (default and maximum: the server's page size limit)."
    ),
]
ItemT = TypeVar("ItemT")


def limited(info: Info[Context, None], first: int | None, items: list[ItemT]) -> list[ItemT]:
    """The first items of a list, as many as `first` asks for, within the server's limit."""
    maximum = info.context.settings.max_page_size
    return items[: size_within(first, default=maximum, maximum=maximum)]


def name_search(search: str | None) -> str | None:
    """A `search` argument, checked to be of a length the store can match."""
    if search is not None and len(search) > MAX_NAME_SEARCH:
        raise ClientError(f"`search` must be at most {MAX_NAME_SEARCH} characters long")
    return search


def root_connection(
    info: Info[Context, None],
    page: PageRequest,
    fetch: Callable[[Session, PageRequest], Page[Any]],
    count: Callable[[Session], int],
    convert: Callable[[Any], NodeT],
) -> Connection[NodeT]:
    """A root field's page, and its total counted only if asked for."""
    session = info.context.session

    async def total() -> int:
        return count(session)

    return connection(fetch(session, page), convert, total, page)


def decode_id(id: str, expected: str | None = None) -> tuple[str, str]:
    try:
        type_name, key = from_global_id(id)
    except InvalidToken as error:
        raise ClientError(str(error)) from None
    if type_name not in NODE_TYPES:
        raise ClientError(f"{quoted(id)} is not a valid id")
    if expected is not None and type_name != expected:
        raise ClientError(f"{quoted(id)} is the id of a {type_name}, not of a {expected}")
    return type_name, key


def node_key(type_name: str, id: str | None, key: str | None) -> str:
    """The natural key a root field is asked for, by global id or by the key itself."""
    if id is not None and key is None:
        return decode_id(id, type_name)[1]
    if key is not None and id is None:
        return key
    raise ClientError("pass exactly one of `id` and `slug`")
