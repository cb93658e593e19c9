"""Loading a corpus: make the store hold exactly what a corpus directory states, in one
transaction, or change nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from api.corpus.search_index import rebuild_search_index
from api.corpus.validate import read_corpus
from api.corpus.write import TABLES_BY_DEPENDENCY, clear, write
from api.store import models

DIGEST_KEY = "corpus_digest"


def stored_digest(session: Session) -> str | None:
    meta = session.get(models.Meta, DIGEST_KEY)
    return None if meta is None else meta.value


def is_empty(engine: Engine) -> bool:
    with Session(engine) as session:
        return not session.scalar(select(func.count()).select_from(models.Source))


def load_corpus(engine: Engine, directory: Path) -> bool:
    """Make the store hold exactly this corpus. Returns False when it already did."""
    corpus = read_corpus(directory)
    with Session(engine) as session, session.begin():
        if stored_digest(session) == corpus.digest:
            return False
        clear(session)
        write(session, corpus)
        rebuild_search_index(session)
        session.merge(models.Meta(key=DIGEST_KEY, value=corpus.digest))
    return True


def corpus_summary(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            str(table.__tablename__): session.scalar(select(func.count()).select_from(table)) or 0
            for table in reversed(TABLES_BY_DEPENDENCY)
        }
