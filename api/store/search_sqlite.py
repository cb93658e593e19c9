"""Full-text search on SQLite: an FTS5 table (built by `api.corpus.search_index_sqlite`), each
term a quoted FTS5 string, ranked by bm25 with per-column weights."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlmodel import Session

from api.store.search import (
    CLOSE,
    COLUMNS,
    ELLIPSIS,
    INDEXED,
    OPEN,
    TABLE,
    UNINDEXED,
    Found,
    Snippet,
    Term,
    parse_query,
    squash,
)

# The indexed columns' bm25 weights, in the order of INDEXED.
WEIGHTS: dict[str, float] = {
    "name": 10.0,
    "name_key": 20.0,
    "title": 4.0,
    "body": 1.0,
    "joined": 1.0,
}
assert tuple(WEIGHTS) == INDEXED
TOKENIZER = "unicode61 remove_diacritics 2"
# Snippet length in tokens (FTS5 allows at most 64): a passage of a document, or all of a name.
_SOURCE_SNIPPET_TOKENS = 32
_NAME_SNIPPET_TOKENS = 64


def _expression(term: Term) -> str:
    star = "*" if term.prefix else ""
    exact = f"{_quote(' '.join(term.tokens))}{star}"
    if not term.punctuated:
        return exact
    return f"({exact} OR {_quote(''.join(term.tokens).casefold())}{star})"


def _quote(value: str) -> str:
    # Tokens hold only letters and digits; doubling quotes keeps this right for any string.
    return '"' + value.replace('"', '""') + '"'


def match_expression(query: str) -> str:
    """The FTS5 MATCH expression for a user's query; ValueError if it has nothing to search for.

    A row matches when it contains every word and phrase of the query (the last bare word as a
    prefix), or when one of its names, squashed, is the squashed query.
    """
    return _match(parse_query(query))


def _match(terms: Sequence[Term]) -> str:
    indexed = " ".join(column for column in INDEXED if column != "name_key")
    words = " AND ".join(_expression(term) for term in terms)
    names = _quote(squash("".join(token for term in terms for token in term.tokens)))
    if terms[-1].prefix:
        names = f"({names} OR {names}*)"
    return f"{{{indexed}}} : ({words}) OR {{name_key}} : {names}"


_SEARCH = f"""
SELECT kind, row_id,
    bm25({TABLE}, {", ".join(["0"] * len(UNINDEXED))}, {", ".join(map(str, WEIGHTS.values()))})
        AS score,
    snippet({TABLE},
        CASE kind WHEN 'source' THEN {COLUMNS.index("body")} ELSE {COLUMNS.index("name")} END,
        :open, :close, :ellipsis,
        CASE kind WHEN 'source' THEN {_SOURCE_SNIPPET_TOKENS} ELSE {_NAME_SNIPPET_TOKENS} END)
FROM {TABLE}
WHERE {TABLE} MATCH :match {{kinds}}
ORDER BY score, kind, row_id
LIMIT :limit OFFSET :offset
"""


def search_rows(
    session: Session,
    *,
    terms: Sequence[Term],
    kinds: Sequence[str] | None,
    limit: int,
    offset: int,
) -> list[Found]:
    statement = text(_SEARCH.format(kinds="" if kinds is None else "AND kind IN :kinds"))
    params: dict[str, Any] = {
        "match": _match(terms),
        "open": OPEN,
        "close": CLOSE,
        "ellipsis": ELLIPSIS,
        "limit": limit,
        "offset": offset,
    }
    if kinds is not None:
        statement = statement.bindparams(bindparam("kinds", expanding=True))
        params["kinds"] = list(kinds)
    rows = session.connection().execute(statement, params).all()
    # bm25 is lower for better matches.
    return [(kind, row_id, -score, _snippet(marked)) for kind, row_id, score, marked in rows]


def _snippet(marked: str) -> Snippet:
    plain: list[str] = []
    highlights: list[tuple[int, int]] = []
    start: int | None = None
    length = 0
    for part in re.split(f"([{OPEN}{CLOSE}])", marked):
        if part == OPEN:
            start = length
        elif part == CLOSE:
            if start is not None and start < length:
                highlights.append((start, length))
            start = None
        else:
            plain.append(part)
            length += len(part)
    return Snippet("".join(plain), tuple(highlights))
