"""Full-text search."""

from __future__ import annotations

from typing import Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from api.ids import InvalidToken, decode_cursor, encode_cursor, quoted, to_global_id
from api.rest.endpoints import Endpoint
from api.rest.params import PageParams, page_limit, parse_params, request_session
from api.rest.problems import ProblemDetail, ProblemError
from api.rest.responses import List, Out, list_response
from api.store.search import Hit, rows_of_hits, search
from api.vocab import SearchKind


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
    q: str = Field(min_length=1, description='Words, or a "quoted phrase", to look for.')
    kind: str | None = Field(
        default=None, description="Only hits of these kinds, comma-separated: company,deal,..."
    )


SEARCH_TYPES = {"company": "Company", "person": "Person", "deal": "Deal", "source": "Source"}


def search_hits(request: Request) -> Response:
    params = parse_params(request, SearchParams)
    session = request_session(request)
    offset = 0 if params.cursor is None else _offset(params.cursor)
    try:
        page = search(
            session,
            query=params.q,
            kinds=None if params.kind is None else _kinds(params.kind),
            limit=page_limit(request, params),
            offset=offset,
        )
    except ValueError as error:
        detail = ProblemDetail(parameter="q", message=str(error))
        raise ProblemError(400, str(error), [detail]) from None
    rows = rows_of_hits(session, hits=page.hits)
    hits = [_hit_out(hit, rows[(hit.kind, hit.id)]) for hit in page.hits]
    next_cursor = encode_cursor((offset + len(hits),)) if page.has_next else None
    return list_response(hits, next_cursor)


def _kinds(text: str) -> list[SearchKind]:
    kinds = [kind.strip() for kind in text.split(",")]
    unknown = sorted(set(kinds) - set(SearchKind))
    if unknown:
        message = f"unknown kinds {unknown}; expected some of {[k.value for k in SearchKind]}"
        raise ProblemError(400, message, [ProblemDetail(parameter="kind", message=message)])
    return [SearchKind(kind) for kind in kinds]


def _offset(cursor: str) -> int:
    """How many hits come before the cursor's (search pages use offset cursors)."""
    invalid = ProblemDetail(parameter="cursor", message="not a valid cursor")
    try:
        (offset,) = decode_cursor(cursor, (int,))
    except InvalidToken as error:
        raise ProblemError(400, str(error), [invalid]) from None
    if not isinstance(offset, int) or offset < 0:
        raise ProblemError(400, f"{quoted(cursor)} is not a valid cursor here", [invalid])
    return offset


def _hit_out(hit: Hit, row: Any) -> SearchHitOut:
    key = getattr(row, "slug", None) or row.key
    return SearchHitOut(
        kind=hit.kind,
        id=to_global_id(SEARCH_TYPES[hit.kind], key),
        key=key,
        name=getattr(row, "name", None) or getattr(row, "title", key),
        score=hit.score,
        snippet=SnippetOut(text=hit.snippet.text, highlights=list(hit.snippet.highlights)),
    )


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
