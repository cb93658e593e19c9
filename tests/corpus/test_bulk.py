from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from api.corpus.bulk import Rows
from api.corpus.load import load_corpus
from api.corpus.synthetic import write_corpus
from api.corpus.write import TABLES_BY_DEPENDENCY
from api.store import models
from api.store.db import make_engine
from tests.conftest import SEEDS, counting_statements, new_store_url, query


def inserts_of_a_load(store: Path, corpus: Path) -> int:
    engine = make_engine(new_store_url(store))
    try:
        with counting_statements(engine) as statements:
            load_corpus(engine, corpus)
    finally:
        engine.dispose()
    return sum(statement.lstrip().upper().startswith("INSERT") for statement in statements)


def test_a_load_inserts_each_table_at_once_whatever_its_size(tmp_path: Path) -> None:
    write_corpus(tmp_path / "large", companies=300)
    seeds = inserts_of_a_load(tmp_path / "seeds.db", SEEDS)
    large = inserts_of_a_load(tmp_path / "large.db", tmp_path / "large")
    # At most a statement per table, one for the search index, the schema's revision and the
    # corpus's digest (PostgreSQL copies the tables and the index instead).
    assert seeds == large <= len(TABLES_BY_DEPENDENCY) + 3


def test_rows_are_numbered_table_by_table() -> None:
    rows = Rows()
    source = dict(slug="s", title="t", text="x", sha256="0", provenance=[])
    assert rows.add_values(models.Source, **source) == 1
    assert rows.add_values(models.Source, **source | {"slug": "r"}) == 2
    assert rows.add(models.Company(slug="c", name="C", search_key="c")) == 1
    assert rows.add(models.InvestmentInvestor(investment_id=1, company_id=1)) == 0


def test_a_column_a_table_lacks_is_refused() -> None:
    with pytest.raises(TypeError, match=r"Source has no column \['sluggish'\]"):
        Rows().add_values(models.Source, sluggish="s")


def test_tables_left_out_of_the_order_are_refused(tmp_path: Path) -> None:
    url = new_store_url(tmp_path / "store.db")
    engine = make_engine(url)
    load_corpus(engine, SEEDS)
    rows = Rows()
    rows.add(models.Company(slug="extra", name="Extra", search_key="extra"))
    with Session(engine) as session, pytest.raises(RuntimeError, match="not in the order given"):
        rows.write(session, parents_first=[models.Source])
    engine.dispose()
    assert query(url, "SELECT count(*) FROM company WHERE slug = 'extra'") == [(0,)]


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
