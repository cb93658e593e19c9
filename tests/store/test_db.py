from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from api.store.db import TimeLimitExceeded, make_engine, time_limit
from api.store.models import DealParty, Evidence
from tests.conftest import ENGINE, load_store


@pytest.fixture
def store(tmp_path: Path) -> str:
    return load_store(tmp_path / "store.db")


def test_the_read_only_engine_refuses_writes(store: str) -> None:
    engine = make_engine(store, read_only=True)
    with engine.connect() as connection, pytest.raises(DBAPIError, match=r"readonly|read-only"):
        connection.execute(text("DELETE FROM evidence"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM evidence")).scalar_one() > 0


@pytest.mark.sqlite_only
def test_store_uses_wal(store: str) -> None:
    with make_engine(store).connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"


def test_foreign_keys_are_enforced(store: str) -> None:
    with (
        Session(make_engine(store)) as session,
        pytest.raises(IntegrityError, match=r"(?i)foreign key"),
    ):
        session.add(DealParty(deal_id=1, company_id=10_000, role="acquirer"))
        session.commit()


@pytest.mark.skipif(ENGINE != "postgresql", reason="PostgreSQL's transaction settings")
def test_readers_see_one_snapshot_and_writers_the_committed_state(store: str) -> None:
    # Readers also go without JIT compilation, which the API's short queries never repay.
    for read_only, expected in (
        (True, ("repeatable read", "on", "off")),
        (False, ("read committed", "off", "on")),
    ):
        engine = make_engine(store, read_only=read_only)
        with engine.connect() as connection:
            settings = connection.execute(
                text(
                    "SELECT current_setting('transaction_isolation'), "
                    "current_setting('transaction_read_only'), current_setting('jit')"
                )
            ).one()
        engine.dispose()
        assert tuple(settings) == expected


def test_evidence_names_exactly_one_fact(store: str) -> None:
    both = Evidence(
        source_id=1, quote="Alibaba", start_offset=0, end_offset=7, company_id=1, deal_id=1
    )
    with Session(make_engine(store)) as session, pytest.raises(IntegrityError, match="one_subject"):
        session.add(both)
        session.commit()


def test_a_statement_past_the_time_limit_is_stopped(store: str) -> None:
    endless = (
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
    )
    engine = make_engine(store, read_only=True)
    try:
        with Session(engine) as session:
            started = time.monotonic()
            with (
                pytest.raises(TimeLimitExceeded, match=r"longer than 0\.2 s"),
                time_limit(session, 0.2),
            ):
                session.execute(text(endless))
            assert time.monotonic() - started < 2
            # The connection goes back to the pool without the limit.
            session.rollback()
            assert session.execute(text("SELECT count(*) FROM source")).scalar_one() == 4
    finally:
        engine.dispose()
