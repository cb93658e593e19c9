from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Table
from sqlmodel import Session

from api.corpus import bulk
from api.corpus.bulk import Rows, insert_rows
from api.corpus.load import load_corpus
from api.corpus.synthetic import write_corpus
from api.corpus.write import TABLES_BY_DEPENDENCY
from api.store import models
from api.store.db import make_engine
from api.store.migrate import migrate
from tests.conftest import ENGINE, SEEDS, counting_statements, new_store_url, query


def inserts_of_a_load(store: Path, corpus: Path) -> int:
    engine = make_engine(new_store_url(store))
    try:
        with counting_statements(engine) as statements:
            load_corpus(engine, corpus)
    finally:
        engine.dispose()
    return sum(statement.lstrip().upper().startswith("INSERT") for statement in statements)


def test_a_load_inserts_a_batch_of_rows_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []

    def counted(connection: Connection, table: Table, rows: Sequence[Sequence[Any]]) -> None:
        batches.append(len(rows))
        insert_rows(connection, table, rows)

    monkeypatch.setattr(bulk, "insert_rows", counted)
    monkeypatch.setattr(bulk, "BATCH_ROWS", 1_000)
    write_corpus(tmp_path / "large", companies=300)
    seeds = inserts_of_a_load(tmp_path / "seeds.db", SEEDS)
    large = inserts_of_a_load(tmp_path / "large.db", tmp_path / "large")
    # The tables' rows and the search index's go to the driver a batch at a time (a statement,
    # or COPY, each); what else is inserted is the schema's revision and the corpus's digest.
    assert seeds == large <= 2
    # A full batch writes those of the tables it refers to as well, however few their rows.
    assert len(batches) <= len(TABLES_BY_DEPENDENCY) * (sum(batches) // 1_000 + 1)


def test_rows_are_numbered_table_by_table(tmp_path: Path) -> None:
    engine = make_engine(new_store_url(tmp_path / "store.db"))
    with Session(engine) as session:
        rows = Rows(session, parents_first=reversed(TABLES_BY_DEPENDENCY))
        source = dict(slug="s", title="t", text="x", sha256="0", provenance=[])
        assert rows.add_values(models.Source, **source) == 1
        assert rows.add_values(models.Source, **source | {"slug": "r"}) == 2
        assert rows.add_values(models.Company, slug="c", name="C", search_key="c") == 1
        assert rows.add_values(models.InvestmentInvestor, investment_id=1, company_id=1) == 0
    engine.dispose()


def test_a_column_a_table_lacks_is_refused(tmp_path: Path) -> None:
    engine = make_engine(new_store_url(tmp_path / "store.db"))
    with (
        Session(engine) as session,
        pytest.raises(TypeError, match=r"Source has no column \['sluggish'\]"),
    ):
        Rows(session, parents_first=[models.Source]).add_values(models.Source, sluggish="s")
    engine.dispose()


def test_tables_left_out_of_the_order_are_refused(tmp_path: Path) -> None:
    url = new_store_url(tmp_path / "store.db")
    engine = make_engine(url)
    load_corpus(engine, SEEDS)
    with (
        Session(engine) as session,
        pytest.raises(RuntimeError, match="not in the order given"),
        Rows(session, parents_first=[models.Source]) as rows,
    ):
        rows.add_values(models.Company, slug="extra", name="Extra", search_key="extra")
        rows.finish()
    engine.dispose()
    assert query(url, "SELECT count(*) FROM company WHERE slug = 'extra'") == [(0,)]


def test_a_full_batch_is_written_after_the_rows_it_refers_to(tmp_path: Path) -> None:
    engine = make_engine(new_store_url(tmp_path / "store.db"))
    migrate(engine)

    def count(table: str) -> int:
        return int(session.connection().exec_driver_sql(f"SELECT count(*) FROM {table}").scalar())

    with Session(engine) as session:
        with Rows(session, parents_first=[models.Company, models.Metric], batch=2) as rows:
            company = rows.add_values(models.Company, slug="a", name="A", search_key="a")
            metric = dict(company_id=company, unit="u", approximate=False)
            rows.add_values(models.Metric, name="m", **metric)
            rows.wait()
            assert (count("company"), count("metric")) == (0, 0)
            rows.add_values(models.Metric, name="n", **metric)
            rows.wait()
            assert (count("company"), count("metric")) == (1, 2)
        session.rollback()
    engine.dispose()


def test_a_row_added_after_a_load_gets_the_next_id(tmp_path: Path) -> None:
    url = new_store_url(tmp_path / "store.db")
    engine = make_engine(url)
    load_corpus(engine, SEEDS)
    [(companies,)] = query(url, "SELECT count(*) FROM company")
    with Session(engine) as session:
        later = models.Company(slug="later", name="Later", search_key="later")
        session.add(later)
        session.commit()
        assert later.id == companies + 1
    engine.dispose()


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's indexes are set aside while loading")
def test_a_load_keeps_every_index(tmp_path: Path) -> None:
    url = new_store_url(tmp_path / "store.db")
    engine = make_engine(url)
    migrate(engine)
    indexes = "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    migrated = query(url, indexes)
    load_corpus(engine, SEEDS)
    engine.dispose()
    assert query(url, indexes) == migrated
    assert len(migrated) > 20
