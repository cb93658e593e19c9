from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

from api.cli import main
from api.store.db import make_engine
from api.store.migrate import (
    PREDATES_MIGRATIONS,
    StoreNotMigrated,
    head,
    migrate,
    require_current,
    revision_of,
)
from tests.conftest import SEEDS, dump, new_store_url


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = new_store_url(tmp_path / "store.db")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_the_migrations_build_exactly_the_tables_the_models_declare(engine: Engine) -> None:
    assert migrate(engine) == (None, head())
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        assert differences == []
        assert set(inspect(connection).get_table_names()) == {
            *SQLModel.metadata.tables,
            "alembic_version",
        }
    # Migrating a store already at the head changes nothing.
    assert migrate(engine) == (head(), head())


def test_a_new_store_gets_its_schema_with_its_first_corpus(store_url: str) -> None:
    engine = make_engine(store_url, read_only=True)
    with engine.connect() as connection:
        assert revision_of(connection) == head()
        require_current(connection)
    engine.dispose()


def test_migrate_reports_the_revision(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert capsys.readouterr().out.endswith(f"schema at revision {head()} (from an empty store)\n")
    assert main(["migrate"]) == 0
    assert capsys.readouterr().out.endswith(f"schema at revision {head()} (already there)\n")


def test_a_store_made_before_migrations_is_refused_and_left_alone(
    url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    SQLModel.metadata.create_all(engine)
    before = dump(url)
    with pytest.raises(StoreNotMigrated, match="made before migrations existed"):
        migrate(engine)
    for command in (["migrate"], ["load", "--seeds", str(SEEDS)], ["serve", "--port", "1"]):
        assert main(command) == 1
        assert PREDATES_MIGRATIONS in capsys.readouterr().err
    assert dump(url) == before


def test_a_store_migrated_by_a_newer_dealgraph_is_refused(
    url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    before = dump(url)
    for command in (["load", "--seeds", str(SEEDS)], ["serve", "--port", "1"]):
        assert main(command) == 1
        error = capsys.readouterr().err
        assert "at revision 9999, which this dealgraph does not know" in error
    assert dump(url) == before


def test_serve_asks_for_migrate_on_a_store_with_no_schema(
    url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE unrelated (id INTEGER)"))
        connection.execute(text("DROP TABLE unrelated"))
    assert main(["serve", "--port", "1"]) == 1
    assert "the store has no schema yet: run `dealgraph migrate`" in capsys.readouterr().err
