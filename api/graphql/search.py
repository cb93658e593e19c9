"""Full-text search over companies, people, deals and sources."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql import companies, deals, people, sources
from api.graphql.context import ClientError, Context
from api.graphql.relay import AFTER, FIRST, Node, PageInfo, page_size, position
from api.graphql.vocab import SearchKind
from api.ids import encode_cursor, quoted
from api.store.search import search


@strawberry.type(description="A highlighted range of a snippet.")
class Highlight:
    start: int = strawberry.field(description="Index of its first character in the snippet text.")
    end: int = strawberry.field(description="Index just past its last character.")


@strawberry.type(description="A passage of the hit's text with the matched words marked.")
class Snippet:
    text: str = strawberry.field(description="Plain text: escape it as any other text.")
    highlights: list[Highlight] = strawberry.field(description="Where the matches are in it.")


@strawberry.type(description="One search result.")
class SearchHit:
    kind: SearchKind = strawberry.field(description="Company, person, deal or source.")
    score: float = strawberry.field(description="Relevance; higher is better, within one search.")
    snippet: Snippet = strawberry.field(description="Where the query matched.")
    cursor: str = strawberry.field(description="Pass as `after` for the hits after this one.")
    pk: strawberry.Private[int]

    @strawberry.field(description="The company, person, deal or source found.")
    async def node(self, info: Info[Context, None]) -> Node:
        if self.kind is SearchKind.COMPANY:
            return await companies.Company.by_pk(info, self.pk)
        if self.kind is SearchKind.PERSON:
            return await people.Person.by_pk(info, self.pk)
        if self.kind is SearchKind.DEAL:
            return await deals.Deal.by_pk(info, self.pk)
        return await sources.Source.by_pk(info, self.pk)


@strawberry.type(description="A page of search results, best first.")
class SearchResults:
    hits: list[SearchHit] = strawberry.field(description="The hits on this page.")
    page_info: PageInfo = strawberry.field(description="Where this page starts and ends.")


def search_offset(after: str) -> int:
    """How many hits come before the one after `after` (search pages use offset cursors)."""
    (offset,) = position(after, (int,))
    if not isinstance(offset, int) or offset < 0:
        raise ClientError(f"{quoted(after)} is not a valid cursor here")
    return offset


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description="Full-text search over companies, people, deals and source documents: names "
        "and aliases in any case and punctuation, quoted phrases, a prefix for the last word."
    )
    def search(
        self,
        info: Info[Context, None],
        query: Annotated[
            str, strawberry.argument(description='Words, or a "quoted phrase", to look for.')
        ],
        kinds: Annotated[
            list[SearchKind] | None, strawberry.argument(description="Only hits of these kinds.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> SearchResults:
        offset = 0 if after is None else search_offset(after)
        try:
            page = search(
                info.context.session,
                query=query,
                kinds=kinds,
                limit=max(page_size(info, first), 1),
                offset=offset,
            )
        except ValueError as error:
            raise ClientError(str(error)) from None
        hits = [
            SearchHit(
                kind=hit.kind,
                score=hit.score,
                snippet=Snippet(
                    text=hit.snippet.text,
                    highlights=[Highlight(start=a, end=b) for a, b in hit.snippet.highlights],
                ),
                cursor=encode_cursor((offset + index + 1,)),
                pk=hit.id,
            )
            for index, hit in enumerate(page.hits)
        ]
        return SearchResults(
            hits=hits,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=offset > 0,
                start_cursor=hits[0].cursor if hits else None,
                end_cursor=hits[-1].cursor if hits else None,
            ),
        )
