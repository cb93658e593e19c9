"""What every response shares: JSON bodies, item and list envelopes, references to objects."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from api.ids import to_global_id
from api.store import models

ENTITY_PROVENANCE = (
    "How the name, each alias and the description are known: stated by a quote of a source, "
    "or added by an editor with a reason."
)


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Ref(Out):
    """A reference to another object: its id and name, enough to show and to follow."""

    id: str
    slug: str
    name: str


class SourceRef(Out):
    id: str
    slug: str
    title: str


ItemT = TypeVar("ItemT", bound=Out)


class Item(Out, Generic[ItemT]):
    data: ItemT


class List(Out, Generic[ItemT]):
    data: list[ItemT]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


def to_ref(row: models.Company | models.Person, type_name: str) -> Ref:
    return Ref(id=to_global_id(type_name, row.slug), slug=row.slug, name=row.name)


def ids(rows: Sequence[Any]) -> list[int]:
    return [row.pk for row in rows]


def json_response(body: dict[str, Any]) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")


def spliced_item(item: bytes) -> Response:
    """An item whose JSON the store built."""
    return Response(b'{"data":' + item + b"}", media_type="application/json")


def spliced_list(items: Iterable[bytes], next_cursor: str | None) -> Response:
    """A page whose items' JSON the store built."""
    body = b'{"data":[' + b",".join(items) + b'],"next_cursor":' + orjson.dumps(next_cursor) + b"}"
    return Response(body, media_type="application/json")


def item_response(item: Out) -> Response:
    return json_response({"data": item.model_dump(mode="json")})


def list_response(items: Sequence[Out], next_cursor: str | None) -> Response:
    return json_response(
        {"data": [item.model_dump(mode="json") for item in items], "next_cursor": next_cursor}
    )
