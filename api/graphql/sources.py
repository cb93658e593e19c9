"""Source documents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api import vocab
from api.dates import format_partial_date
from api.graphql.context import Context
from api.graphql.loaders import Loader
from api.graphql.relay import (
    AFTER,
    FIRST,
    ID_ARG,
    SLUG_ARG,
    Connection,
    Node,
    node_key,
    page_request,
    root_connection,
)
from api.graphql.vocab import camel
from api.ids import to_global_id
from api.store import models
from api.store.rows import get_by_ids, get_by_keys
from api.store.sources import SOURCE_ORDER, count_sources, list_sources


class SourceById(Loader[int, models.Source]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, models.Source]:
        return get_by_ids(self.session, model=models.Source, ids=keys)


class SourceBySlug(Loader[str, models.Source | None]):
    def fetch(self, keys: Sequence[str]) -> Mapping[str, models.Source | None]:
        found = get_by_keys(self.session, model=models.Source, keys=keys)
        return {key: found.get(key) for key in keys}


@strawberry.type(
    description="How one value is known: stated by a quote of a source, or added by an editor "
    "(whoever curated the corpus) with a reason. The two are never mixed."
)
class Provenance:
    field: str = strawberry.field(description="The field, named as in this schema.")
    value: str | None = strawberry.field(
        description="Which of the field's values, for a field with several (aliases)."
    )
    stated: bool = strawberry.field(
        description="Whether a source states it; if not, an editor added it."
    )
    quote: str | None = strawberry.field(description="The words that state it, if stated.")
    start_offset: int | None = strawberry.field(
        description="Index of the quote's first character in the source's text."
    )
    end_offset: int | None = strawberry.field(description="Index just past the quote's end.")
    reason: str | None = strawberry.field(description="Why an editor added it, if editorial.")
    source_slug: strawberry.Private[str | None]

    @strawberry.field(description="The source that states it, if stated.")
    async def source(self, info: Info[Context, None]) -> Source | None:
        return None if self.source_slug is None else await Source.by_key(info, self.source_slug)

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> Provenance:
        known = vocab.Provenance.model_validate(value)
        fields = known.model_dump(exclude={"source"}) | {"field": camel(known.field)}
        return cls(**fields, source_slug=known.source)


@strawberry.type(description="A source document: a news article the facts were read from.")
class Source(Node):
    slug: str = strawberry.field(description="The document's file name without extension.")
    title: str = strawberry.field(description="Headline, or a short title where it has none.")
    publisher: str | None = strawberry.field(description="Who published it, where stated.")
    published_on: str | None = strawberry.field(
        description="Publication date as an ISO-8601 prefix (day, month or year), if known."
    )
    url: str | None = strawberry.field(description="Where it was published, if known.")
    text: str = strawberry.field(description="The full text; evidence offsets index into it.")
    provenance: list[Provenance] = strawberry.field(
        description="How each given field (title, publisher, publishedOn, url) is known: stated "
        "by a quote of the text, or added by an editor with a reason."
    )

    @classmethod
    async def by_pk(cls, info: Info[Context, None], pk: int) -> Source:
        return cls.from_row(await SourceById.of(info).load(pk))

    @classmethod
    async def by_key(cls, info: Info[Context, None], slug: str) -> Source | None:
        row = await SourceBySlug.of(info).load(slug)
        return None if row is None else cls.from_row(row)

    @classmethod
    def from_row(cls, row: models.Source) -> Source:
        return cls(
            id=strawberry.ID(to_global_id("Source", row.slug)),
            slug=row.slug,
            title=row.title,
            publisher=row.publisher,
            published_on=format_partial_date(row.published_on, row.published_precision),
            url=row.url,
            text=row.text,
            provenance=[Provenance.from_value(value) for value in row.provenance],
        )


@strawberry.type
class SourceQuery:
    @strawberry.field(description="A source document by global id or by slug.")
    async def source(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID | None, ID_ARG] = None,
        slug: Annotated[str | None, SLUG_ARG] = None,
    ) -> Source | None:
        return await Source.by_key(info, node_key("Source", id, slug))

    @strawberry.field(description="Source documents, by slug.")
    def sources(
        self,
        info: Info[Context, None],
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Source]:
        return root_connection(
            info,
            page_request(info, first, after, SOURCE_ORDER),
            lambda s, page: list_sources(s, page=page),
            count_sources,
            Source.from_row,
        )
