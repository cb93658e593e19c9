"""Ranked full-text search over companies, people, deals and source documents (SQLite FTS5).

The index is built by the loader (`api.corpus.search_index`), because the served store is
read-only. User input never reaches FTS5 as syntax: it is cut into words here and each word
becomes a quoted string.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text
from sqlmodel import Session

from api.store.models import Company, Deal, Person, Source
from api.store.rows import get_by_ids
from api.vocab import SearchKind

MAX_QUERY_LENGTH = 200
TABLE = "search_index"


# Indexed columns with their bm25 weights. A name hit must outrank a body hit, and a query
# that *is* one of a row's names (squashed) outranks one that merely shares words with it.
#   name:     an entity's name and aliases; a deal's key and its parties' names with roles
#   name_key: each of those names squashed ("southchinamorningpost"), matched whole
#   title:    a source's title
#   body:     an entity's description, a deal's kind/status/value, a source's full text
#   joined:   punctuated words of all the above with the punctuation removed ("ecommerce")
WEIGHTS: dict[str, float] = {
    "name": 10.0,
    "name_key": 20.0,
    "title": 4.0,
    "body": 1.0,
    "joined": 1.0,
}
UNINDEXED = ("kind", "row_id")
COLUMNS = (*UNINDEXED, *WEIGHTS)

# Private-use characters mark highlights in snippet() output; they are removed from indexed
# text so that any occurrence in a snippet is one of ours.
_OPEN, _CLOSE = "\ue000", "\ue001"
_ELLIPSIS = "…"
SENTINELS = {ord(_OPEN): None, ord(_CLOSE): None}
# Snippet length in tokens (FTS5 allows at most 64): a passage of a document, or all of a name.
_SOURCE_SNIPPET_TOKENS = 32
_NAME_SNIPPET_TOKENS = 64

# Runs of letters and digits: roughly what the unicode61 tokenizer keeps as one token.
TOKEN = re.compile(r"[^\W_]+")
_PHRASE = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Snippet:
    """Plain text with highlighted ranges: [start, end) offsets into `text`, in code points."""

    text: str
    highlights: tuple[tuple[int, int], ...]

    @property
    def highlighted(self) -> tuple[str, ...]:
        return tuple(self.text[start:end] for start, end in self.highlights)


@dataclass(frozen=True)
class Hit:
    kind: SearchKind
    id: int
    # Higher is better (negated bm25); comparable only within one result list.
    score: float
    snippet: Snippet


@dataclass(frozen=True)
class SearchPage:
    hits: tuple[Hit, ...]
    has_next: bool


def squash(value: str) -> str:
    """Casefolded letters and digits only: "South China Morning Post" -> "southchinamorningpost"."""
    return "".join(TOKEN.findall(value.casefold()))


@dataclass(frozen=True)
class _Term:
    tokens: tuple[str, ...]
    phrase: bool
    prefix: bool = False

    def expression(self) -> str:
        star = "*" if self.prefix else ""
        exact = f"{_quote(' '.join(self.tokens))}{star}"
        if self.phrase or len(self.tokens) == 1:
            return exact
        # A punctuated word also matches its rejoined form: "e-commerce" finds "ecommerce".
        return f"({exact} OR {_quote(''.join(self.tokens).casefold())}{star})"


def _quote(value: str) -> str:
    # Tokens hold only letters and digits; doubling quotes keeps this right for any string.
    return '"' + value.replace('"', '""') + '"'


def _terms(query: str) -> list[_Term]:
    terms: list[_Term] = []
    position = 0
    for quoted in [*_PHRASE.finditer(query), None]:
        # An unbalanced quote is ignored: the text after it is read as bare words.
        bare = query[position : quoted.start() if quoted else len(query)].replace('"', " ")
        terms += [_Term(tuple(TOKEN.findall(word)), phrase=False) for word in bare.split()]
        if quoted:
            terms.append(_Term(tuple(TOKEN.findall(quoted.group(1))), phrase=True))
            position = quoted.end()
    terms = [term for term in terms if term.tokens]
    bare_indexes = [i for i, term in enumerate(terms) if not term.phrase]
    if bare_indexes:
        last = bare_indexes[-1]
        terms[last] = _Term(terms[last].tokens, phrase=False, prefix=True)
    return terms


def match_expression(query: str) -> str:
    """The FTS5 MATCH expression for a user's query; ValueError if it has nothing to search for.

    A row matches when it contains every word and phrase of the query (the last bare word as a
    prefix), or when one of its names, squashed, is the squashed query.
    """
    query = unicodedata.normalize("NFC", query).strip()
    if not query:
        raise ValueError("the search query is empty")
    if len(query) > MAX_QUERY_LENGTH:
        raise ValueError(f"the search query is longer than {MAX_QUERY_LENGTH} characters")
    terms = _terms(query)
    if not terms:
        raise ValueError("the search query has no letters or digits to search for")
    indexed = " ".join(column for column in WEIGHTS if column != "name_key")
    words = " AND ".join(term.expression() for term in terms)
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


def search(
    session: Session,
    *,
    query: str,
    kinds: Collection[SearchKind] | None = None,
    limit: int,
    offset: int = 0,
) -> SearchPage:
    """One page of hits, best first, in one statement. Offsets are stable: the index only
    changes when the store is reloaded."""
    require_sqlite(session)
    if limit < 1 or offset < 0:
        raise ValueError("limit must be positive and offset not negative")
    match = match_expression(query)
    if kinds is not None and not kinds:
        return SearchPage((), has_next=False)
    statement = text(_SEARCH.format(kinds="" if kinds is None else "AND kind IN :kinds"))
    params: dict[str, Any] = {
        "match": match,
        "open": _OPEN,
        "close": _CLOSE,
        "ellipsis": _ELLIPSIS,
        "limit": limit + 1,
        "offset": offset,
    }
    if kinds is not None:
        statement = statement.bindparams(bindparam("kinds", expanding=True))
        params["kinds"] = sorted(kind.value for kind in kinds)
    rows = session.connection().execute(statement, params).all()
    hits = tuple(
        Hit(kind=SearchKind(kind), id=row_id, score=-score, snippet=_snippet(marked))
        for kind, row_id, score, marked in rows[:limit]
    )
    return SearchPage(hits, has_next=len(rows) > limit)


def _snippet(marked: str) -> Snippet:
    plain: list[str] = []
    highlights: list[tuple[int, int]] = []
    start: int | None = None
    length = 0
    for part in re.split(f"([{_OPEN}{_CLOSE}])", marked):
        if part == _OPEN:
            start = length
        elif part == _CLOSE:
            if start is not None and start < length:
                highlights.append((start, length))
            start = None
        else:
            plain.append(part)
            length += len(part)
    return Snippet("".join(plain), tuple(highlights))


def require_sqlite(session: Session) -> None:
    dialect = session.get_bind().dialect.name
    if dialect != "sqlite":
        # A PostgreSQL version would keep this module's interface: a tsvector built with
        # setweight() per column and a GIN index, to_tsquery() assembled from the same parsed
        # terms (never raw input), ts_rank() for the score and ts_headline() with the same
        # sentinels for snippets.
        raise NotImplementedError(
            f"full-text search needs SQLite FTS5; {dialect!r} is not supported yet"
        )


SEARCH_MODELS: dict[SearchKind, type[Company] | type[Person] | type[Deal] | type[Source]] = {
    SearchKind.COMPANY: Company,
    SearchKind.PERSON: Person,
    SearchKind.DEAL: Deal,
    SearchKind.SOURCE: Source,
}


def rows_of_hits(session: Session, *, hits: Sequence[Hit]) -> dict[tuple[str, int], Any]:
    found: dict[tuple[str, int], Any] = {}
    for kind, model in SEARCH_MODELS.items():
        ids = [hit.id for hit in hits if hit.kind is kind]
        if ids:
            found |= {
                (kind, pk): row for pk, row in get_by_ids(session, model=model, ids=ids).items()
            }
    return found
