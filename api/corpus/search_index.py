"""Building the full-text search index, inside the loader's transaction: the served store is
read-only. The index's columns are described in `api.store.search`; each engine stores them its
own way (`search_index_sqlite`, `search_index_postgres`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session, col, select

from api.corpus import search_index_postgres, search_index_sqlite
from api.store.models import Company, Deal, DealParty, Person, Source
from api.store.search import SENTINELS, TOKEN, search_engine, squash
from api.vocab import SearchKind

WRITERS: dict[str, Callable[[Connection, Sequence[dict[str, Any]]], None]] = {
    "sqlite": search_index_sqlite.write_index,
    "postgresql": search_index_postgres.write_index,
}


def rebuild_search_index(session: Session) -> None:
    """(Re)create the index from the store's rows, inside the caller's transaction."""
    write_index = WRITERS[search_engine(session)]
    companies = session.exec(select(Company).order_by(col(Company.id))).all()
    people = session.exec(select(Person).order_by(col(Person.id))).all()
    rows = [*_entity_rows(SearchKind.COMPANY, companies), *_entity_rows(SearchKind.PERSON, people)]
    rows += [*_deal_rows(session), *_source_rows(session)]
    write_index(session.connection(), rows)


def _joined(*texts: str | None) -> str:
    """Each word that punctuation splits into several tokens, rejoined: "e-commerce" -> "ecommerce"."""
    words = (word for value in texts if value for word in value.split())
    return " ".join(dict.fromkeys(squash(w) for w in words if len(TOKEN.findall(w)) > 1))


def _row(
    kind: SearchKind,
    row_id: int | None,
    *,
    names: Iterable[str] = (),
    title: str = "",
    body: str = "",
) -> dict[str, Any]:
    clean = [value.translate(SENTINELS) for value in names]
    title, body = title.translate(SENTINELS), body.translate(SENTINELS)
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


def _entity_rows(
    kind: SearchKind, entities: Sequence[Company] | Sequence[Person]
) -> list[dict[str, Any]]:
    return [
        _row(kind, e.id, names=[e.name, *e.aliases], body=e.description or "") for e in entities
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
    for deal in session.exec(select(Deal).order_by(col(Deal.id))).all():
        assert deal.id is not None
        body = " ".join(str(v) for v in (deal.kind, deal.status, deal.value_text) if v)
        rows.append(
            _row(SearchKind.DEAL, deal.id, names=[deal.key, *parties.get(deal.id, [])], body=body)
        )
    return rows


def _source_rows(session: Session) -> list[dict[str, Any]]:
    return [
        _row(SearchKind.SOURCE, s.id, title=s.title, body=s.text)
        for s in session.exec(select(Source).order_by(col(Source.id))).all()
    ]
