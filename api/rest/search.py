"""Full-text search."""

from __future__ import annotations

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from api.ids import InvalidToken, to_global_id
from api.rest.endpoints import Endpoint
from api.rest.params import PageParams, page_limit, parse_params, request_session
from api.rest.problems import ProblemDetail, ProblemError
from api.rest.responses import List, Out, list_response
from api.store.search import hit_cursor, rows_of_hits, search_page


class SnippetOut(Out):
    text: str = Field(description="Plain text: escape it as any other text.")
    highlights: list[tuple[int, int]] = Field(
        description="[start, end) character offsets of the matches in `text`."
    )


class SearchHitOut(Out):
    kind: str = Field(description="company, person, deal or source.")
    id: str = Field(description="Global id of what was found.")
    key: str = Field(description="Its slug or key.")
    name: str = Field(description="Its name, or a source's title.")
    score: float = Field(description="Relevance; higher is better, within one search.")
    snippet: SnippetOut


class SearchParams(PageParams):
    q: str = Field(description='Words, or a "quoted phrase", to look for.')
    kind: str | None = Field(
        default=None, description="Only hits of these kinds, comma-separated: company,deal,..."
    )


SEARCH_TYPES = {"company": "Company", "person": "Person", "deal": "Deal", "source": "Source"}


def search_hits(request: Request) -> Response:
    params = parse_params(request, SearchParams)
    session = request_session(request)
    kinds = None if params.kind is None else [k.strip() for k in params.kind.split(",")]
    try:
        page, offset = search_page(
            session,
            query=params.q,
            kinds=kinds,
            limit=page_limit(request, params),
            after=params.cursor,
        )
    except InvalidToken as error:
        detail = ProblemDetail(parameter="cursor", message="not a valid cursor")
        raise ProblemError(400, str(error), [detail]) from None
    except ValueError as error:
        parameter = "kind" if str(error).startswith("unknown kind") else "q"
        detail = ProblemDetail(parameter=parameter, message=str(error))
        raise ProblemError(400, str(error), [detail]) from None
    rows = rows_of_hits(session, hits=page.hits)
    hits = []
    for hit in page.hits:
        row = rows[(hit.kind, hit.id)]
        key = getattr(row, "slug", None) or row.key
        hits.append(
            SearchHitOut(
                kind=hit.kind,
                id=to_global_id(SEARCH_TYPES[hit.kind], key),
                key=key,
                name=getattr(row, "name", None) or getattr(row, "title", key),
                score=hit.score,
                snippet=SnippetOut(text=hit.snippet.text, highlights=list(hit.snippet.highlights)),
            )
        )
    next_cursor = hit_cursor(offset + len(hits)) if page.has_next else None
    return list_response(hits, next_cursor)


ENDPOINTS = [
    Endpoint(
        "/search",
        "search",
        "Full-text search over companies, people, deals and source documents, best first",
        List[SearchHitOut],
        search_hits,
        SearchParams,
    ),
]
