"""Any object by its global id."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.companies import Company
from api.graphql.context import ClientError, Context
from api.graphql.deals import Deal
from api.graphql.investments import Investment
from api.graphql.people import Person
from api.graphql.relay import ID_ARG, Node, decode_id
from api.graphql.sources import Source

BY_KEY: dict[str, Callable[[Info[Context, None], str], Awaitable[Node | None]]] = {
    "Company": Company.by_key,
    "Person": Person.by_key,
    "Deal": Deal.by_key,
    "Investment": Investment.by_key,
    "Source": Source.by_key,
}


async def node_by_id(info: Info[Context, None], id: str) -> Node | None:
    type_name, key = decode_id(id)
    return await BY_KEY[type_name](info, key)


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global id; null if there is none.")
    async def node(
        self, info: Info[Context, None], id: Annotated[strawberry.ID, ID_ARG]
    ) -> Node | None:
        return await node_by_id(info, id)

    @strawberry.field(description="Objects by their global ids, in order; null where none.")
    async def nodes(
        self,
        info: Info[Context, None],
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global ids.")],
    ) -> list[Node | None]:
        if len(ids) > info.context.settings.max_page_size:
            raise ClientError(f"at most {info.context.settings.max_page_size} ids at once")
        return [await node_by_id(info, id) for id in ids]
