"""Building the full-text search index, inside the loader's transaction: the served store is
read-only. The index's columns are described in `api.store.search`; each engine stores them its
own way (`search_index_sqlite`, `search_index_postgres`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import chain, filterfalse
from typing import Any, NamedTuple

from sqlalchemy import Connection
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from api.corpus import search_index_postgres, search_index_sqlite
from api.store.models import Company, Deal, DealParty, EntityColumns, Person, Source
from api.store.search import CLOSE, OPEN, SENTINELS, TOKEN, search_engine, squash
from api.vocab import SearchKind

# Sources are indexed this many at a time, so that their texts are never all in memory at once.
SOURCES_AT_ONCE = 1_000


class _Writer(NamedTuple):
    """How an engine stores the index: made empty, then given rows."""

    create: Callable[[Connection], None]
    add: Callable[[Connection, Sequence[dict[str, Any]]], None]


WRITERS: dict[str, _Writer] = {
    "sqlite": _Writer(search_index_sqlite.create_index, search_index_sqlite.add_rows),
    "postgresql": _Writer(search_index_postgres.create_index, search_index_postgres.add_rows),
}


def rebuild_search_index(session: Session) -> None:
    """(Re)create the index from the store's rows, inside the caller's transaction."""
    writer = WRITERS[search_engine(session)]
    connection = session.connection()
    writer.create(connection)
    rows = [*_entity_rows(session, SearchKind.COMPANY), *_entity_rows(session, SearchKind.PERSON)]
    rows += _deal_rows(session)
    # Rows are added by a thread of their own while the next sources' rows are made (SQLite
    # tokenizes without holding the interpreter); each chunk of sources is read before the
    # rows before it are sent, so that one thread at a time uses the connection.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dealgraph-index") as adding:
        found = _sources_after(session, 0)
        added = adding.submit(writer.add, connection, rows)
        while found:
            sources = _source_rows(found)
            added.result()
            found = _sources_after(session, found[-1][0] or 0)
            added = adding.submit(writer.add, connection, sources)
        added.result()


def _joined(*texts: str | None) -> str:
    """Each word that punctuation splits into several tokens, rejoined: "e-commerce" -> "ecommerce"."""
    # A word of letters and digits only is one token: most words are, and are skipped at once.
    words = filterfalse(str.isalnum, chain.from_iterable(v.split() for v in texts if v))
    return " ".join(dict.fromkeys(squash(w) for w in words if len(TOKEN.findall(w)) > 1))


def _clean(text: str) -> str:
    """The text without our highlight markers (`SENTINELS`); as it is when it has none."""
    return text.translate(SENTINELS) if OPEN in text or CLOSE in text else text


def _row(
    kind: SearchKind,
    row_id: int | None,
    *,
    names: Iterable[str] = (),
    title: str = "",
    body: str = "",
) -> dict[str, Any]:
    clean = [_clean(value) for value in names]
    title, body = _clean(title), _clean(body)
    name = "; ".join(clean)
    return {
        "kind": kind.value,
        "row_id": row_id,
        "name": name,
        "name_key": " ".join(dict.fromkeys(filter(None, map(squash, clean)))),
        "title": title,
        "body": body,
        "joined": _joined(name, title, body),
    }


def _entity_rows(session: Session, kind: SearchKind) -> list[dict[str, Any]]:
    entity: type[EntityColumns] = Company if kind is SearchKind.COMPANY else Person
    statement = select(entity.id, entity.name, entity.aliases, entity.description)
    return [
        _row(kind, row_id, names=[name, *aliases], body=description or "")
        for row_id, name, aliases, description in session.exec(
            statement.order_by(col(entity.id))
        ).all()
    ]


def _deal_rows(session: Session) -> list[dict[str, Any]]:
    parties: dict[int, list[str]] = {}
    statement = (
        select(DealParty.deal_id, DealParty.role, Company.name)
        .join(Company, col(Company.id) == DealParty.company_id)
        .order_by(col(DealParty.id))
    )
    for deal_id, role, name in session.exec(statement).all():
        parties.setdefault(deal_id, []).append(f"{name} ({role})")
    rows = []
    deals = sa_select(*map(col, (Deal.id, Deal.key, Deal.kind, Deal.status, Deal.value_text)))
    for deal_id, key, *described in session.execute(deals.order_by(col(Deal.id))).all():
        assert deal_id is not None
        body = " ".join(str(v) for v in described if v)
        rows.append(
            _row(SearchKind.DEAL, deal_id, names=[key, *parties.get(deal_id, [])], body=body)
        )
    return rows


def _sources_after(session: Session, after: int) -> Sequence[tuple[int | None, str, str]]:
    """The next SOURCES_AT_ONCE sources after id `after`: their ids, titles and texts."""
    statement = (
        select(Source.id, Source.title, Source.text)
        .where(col(Source.id) > after)
        .order_by(col(Source.id))
        .limit(SOURCES_AT_ONCE)
    )
    return session.exec(statement).all()


def _source_rows(found: Sequence[tuple[int | None, str, str]]) -> list[dict[str, Any]]:
    return [
        _row(SearchKind.SOURCE, row_id, title=title, body=text) for row_id, title, text in found
    ]
