"""Ranked full-text search over companies, people, deals and source documents.

The index is built by the loader (`api.corpus.search_index`), because the served store is
read-only. This module reads a user's query into words and phrases; each engine turns them into
its own query (`api.store.search_sqlite`: FTS5, `api.store.search_postgres`: tsvector), so user
input never reaches an engine as syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from sqlmodel import Session

from api.store.models import Company, Deal, Person, Source
from api.store.rows import get_by_ids
from api.vocab import SearchKind

MAX_QUERY_LENGTH = 200
TABLE = "search_index"

# The index's columns, on every engine:
#   name:     an entity's name and aliases; a deal's key and its parties' names with roles
#   name_key: each of those names squashed ("southchinamorningpost"), matched whole
#   title:    a source's title
#   body:     an entity's description, a deal's kind/status/value, a source's full text
#   joined:   punctuated words of all the above with the punctuation removed ("ecommerce")
# A name hit must outrank a body hit, and a query that *is* one of a row's names (squashed)
# outranks one that merely shares words with it; each engine weighs the columns so.
UNINDEXED = ("kind", "row_id")
INDEXED = ("name", "name_key", "title", "body", "joined")
COLUMNS = (*UNINDEXED, *INDEXED)

# Private-use characters mark highlights in an engine's snippets; they are removed from indexed
# text so that any occurrence in a snippet is one of ours.
OPEN, CLOSE = "\ue000", "\ue001"
ELLIPSIS = "…"
SENTINELS = {ord(OPEN): None, ord(CLOSE): None}

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
    # Higher is better; comparable only within one result list.
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
class Term:
    """A word or a quoted phrase of a query, as the tokens an index holds. A row matches a
    query when it has every term; a phrase's tokens must be consecutive, in one column."""

    tokens: tuple[str, ...]
    phrase: bool
    # The last bare word of a query: its last token matches as a prefix.
    prefix: bool = False

    @property
    def punctuated(self) -> bool:
        """A bare word that punctuation cuts into several tokens ("e-commerce"): it also
        matches its rejoined form ("ecommerce")."""
        return not self.phrase and len(self.tokens) > 1


# One of an engine's hits: (kind, row id, score, snippet).
Found = tuple[str, int, float, Snippet]


class SearchRows(Protocol):
    """An engine's search: `limit` hits from `offset`, best first, in one statement."""

    def __call__(
        self,
        session: Session,
        *,
        terms: Sequence[Term],
        kinds: Sequence[str] | None,
        limit: int,
        offset: int,
    ) -> list[Found]: ...


def parse_query(query: str) -> list[Term]:
    """A user's query as terms; ValueError if it has nothing to search for."""
    query = unicodedata.normalize("NFC", query).strip()
    if not query:
        raise ValueError("the search query is empty")
    if len(query) > MAX_QUERY_LENGTH:
        raise ValueError(f"the search query is longer than {MAX_QUERY_LENGTH} characters")
    terms = _terms(query)
    if not terms:
        raise ValueError("the search query has no letters or digits to search for")
    return terms


def _terms(query: str) -> list[Term]:
    terms: list[Term] = []
    position = 0
    for quoted in [*_PHRASE.finditer(query), None]:
        # An unbalanced quote is ignored: the text after it is read as bare words.
        bare = query[position : quoted.start() if quoted else len(query)].replace('"', " ")
        terms += [Term(tuple(TOKEN.findall(word)), phrase=False) for word in bare.split()]
        if quoted:
            terms.append(Term(tuple(TOKEN.findall(quoted.group(1))), phrase=True))
            position = quoted.end()
    terms = [term for term in terms if term.tokens]
    bare_indexes = [i for i, term in enumerate(terms) if not term.phrase]
    if bare_indexes:
        last = bare_indexes[-1]
        terms[last] = Term(terms[last].tokens, phrase=False, prefix=True)
    return terms


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
    search_rows = _engine(session)
    if limit < 1 or offset < 0:
        raise ValueError("limit must be positive and offset not negative")
    terms = parse_query(query)
    if kinds is not None and not kinds:
        return SearchPage((), has_next=False)
    rows = search_rows(
        session,
        terms=terms,
        kinds=None if kinds is None else sorted(kind.value for kind in kinds),
        limit=limit + 1,
        offset=offset,
    )
    hits = tuple(
        Hit(kind=SearchKind(kind), id=row_id, score=score, snippet=snippet)
        for kind, row_id, score, snippet in rows[:limit]
    )
    return SearchPage(hits, has_next=len(rows) > limit)


def search_engine(session: Session) -> Literal["sqlite", "postgresql"]:
    """The engine the session's store runs on, if search supports it."""
    dialect = session.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        raise NotImplementedError(
            f"full-text search needs SQLite or PostgreSQL; {dialect!r} is not supported"
        )
    return "sqlite" if dialect == "sqlite" else "postgresql"


def _engine(session: Session) -> SearchRows:
    # Imported here, not at the top: the engines' modules build on this one.
    if search_engine(session) == "sqlite":
        from api.store import search_sqlite

        return search_sqlite.search_rows
    from api.store import search_postgres

    return search_postgres.search_rows


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
