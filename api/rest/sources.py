"""Source documents."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field
from sqlmodel import Session

from api.dates import format_partial_date
from api.ids import to_global_id
from api.rest.endpoints import Endpoint, one, paged
from api.rest.params import PageParams, request_session
from api.rest.responses import Item, List, Out
from api.store import models
from api.store.sources import SOURCE_ORDER, list_sources
from api.vocab import Provenance


class SourceOut(Out):
    id: str
    slug: str
    title: str
    publisher: str | None
    published_on: str | None = Field(description="ISO-8601 prefix: day, month or year.")
    url: str | None
    text: str
    provenance: list[Provenance] = Field(
        description="How each given field is known: stated by a quote, or added by an editor."
    )


def sources_out(_session: Session, rows: Sequence[models.Source]) -> list[SourceOut]:
    return [
        SourceOut(
            id=to_global_id("Source", s.slug),
            slug=s.slug,
            title=s.title,
            publisher=s.publisher,
            published_on=format_partial_date(s.published_on, s.published_precision),
            url=s.url,
            text=s.text,
            provenance=[Provenance.model_validate(value) for value in s.provenance],
        )
        for s in rows
    ]


ENDPOINTS = [
    Endpoint(
        "/sources",
        "listSources",
        "Source documents",
        List[SourceOut],
        paged(
            PageParams,
            SOURCE_ORDER,
            lambda r, p, page: list_sources(request_session(r), page=page),
            sources_out,
        ),
        PageParams,
    ),
    Endpoint(
        "/sources/{ref}",
        "getSource",
        "One source document, by id or slug",
        Item[SourceOut],
        one(models.Source, "Source", sources_out),
    ),
]
