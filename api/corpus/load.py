"""Loading a corpus: make the store hold exactly what a corpus directory states, in one
transaction, or change nothing."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select, text
from sqlmodel import Session

from api.corpus.bulk import indexes_set_aside
from api.corpus.search_index import rebuild_search_index
from api.corpus.store_faults import LoadError, reported_store_faults, store_name
from api.corpus.validate import read_corpus
from api.corpus.write import TABLES_BY_DEPENDENCY, clear, write
from api.corpus.write_lock import DEFAULT_WAIT_SECONDS, write_transaction
from api.store import models
from api.store.migrate import StoreNotMigrated, is_new, require_current, upgrade

DIGEST_KEY = "corpus_digest"
# Allocations between the cyclic garbage collector's runs while loading.
GC_ALLOCATIONS = 100_000


class Outcome(StrEnum):
    LOADED = "loaded"
    UNCHANGED = "unchanged"
    # Asked to load only into an empty store, and the store held a corpus.
    NOT_EMPTY = "not empty"


@dataclass(frozen=True)
class Loaded:
    outcome: Outcome
    # Rows per table once the load is over, parents first.
    counts: dict[str, int]


def load_corpus(
    engine: Engine,
    directory: Path,
    *,
    if_empty: bool = False,
    wait: float = DEFAULT_WAIT_SECONDS,
    on_wait: Callable[[], object] = lambda: None,
) -> Loaded:
    """Make the store hold exactly this corpus (with `if_empty`, only if it holds none).

    Raises CorpusError when the corpus has problems, and LoadError when the store cannot take
    it; either way the store is left as it was. When another loader holds the write lock, calls
    `on_wait` and waits up to `wait` seconds for it before refusing.
    """
    # Everything happens holding the write lock, so that what is checked (an empty store, the
    # stored digest) is still true when the corpus is written.
    with (
        _few_collections(),
        reported_store_faults(engine),
        write_transaction(engine, wait=wait, on_wait=on_wait) as connection,
        Session(bind=connection) as session,
    ):
        outcome = _load(session, directory, if_empty=if_empty)
        # The transaction is the connection's: the session only has to send what it holds.
        session.flush()
        return Loaded(outcome, corpus_summary(session))


@contextmanager
def _few_collections() -> Iterator[None]:
    """A load makes millions of objects that live until it ends, and few cycles: the cyclic
    garbage collector, run every 700 allocations by default, would look at them again and again."""
    before = gc.get_threshold()
    gc.set_threshold(GC_ALLOCATIONS, *before[1:])
    try:
        yield
    finally:
        # What `_load` froze (and anything frozen before: a load is its process's whole job).
        gc.unfreeze()
        gc.set_threshold(*before)


def _load(session: Session, directory: Path, *, if_empty: bool) -> Outcome:
    _require_schema(session.connection())
    if if_empty and not is_empty(session):
        return Outcome.NOT_EMPTY
    corpus = read_corpus(directory)
    # The corpus lives until it is written: later collections need not look at its objects.
    gc.freeze()
    if stored_digest(session) == corpus.digest:
        return Outcome.UNCHANGED
    digest = corpus.digest
    clear(session)
    with indexes_set_aside(session.connection(), TABLES_BY_DEPENDENCY):
        write(session, corpus)
    # Its rows are in the store now: the index is built from them, without the corpus in memory.
    del corpus
    rebuild_search_index(session)
    _refresh_statistics(session)
    session.merge(models.Meta(key=DIGEST_KEY, value=digest))
    return Outcome.LOADED


def _refresh_statistics(session: Session) -> None:
    """PostgreSQL plans a new corpus's queries without statistics until autovacuum comes round,
    and misjudges the compiled reads' nested subqueries; they are gathered in the load's own
    transaction, so readers get them with the corpus."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text("ANALYZE"))


def _require_schema(connection: Connection) -> None:
    """A new store gets the schema with its first corpus, in the same transaction; any other
    must already be at the code's revision."""
    if is_new(connection):
        upgrade(connection)
    try:
        require_current(connection)
    except StoreNotMigrated as error:
        raise LoadError([f"{store_name(connection.engine)}: {error}"]) from None


def stored_digest(session: Session) -> str | None:
    meta = session.get(models.Meta, DIGEST_KEY)
    return None if meta is None else meta.value


def is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(models.Source))


def corpus_summary(session: Session) -> dict[str, int]:
    return {
        str(table.__tablename__): session.scalar(select(func.count()).select_from(table)) or 0
        for table in reversed(TABLES_BY_DEPENDENCY)
    }
