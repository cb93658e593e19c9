from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, inspect, select, table, text
from starlette.testclient import TestClient

from api.app import create_app
from api.config import Settings
from api.corpus.load import load_corpus
from api.store.db import make_engine
from tests.postgres import PostgresServer, postgres_server

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# The engine the suite runs on: `make test` runs it on each (sqlite, then postgresql).
ENGINE = os.environ.get("DEALGRAPH_TEST_ENGINE", "sqlite")
if ENGINE not in ("sqlite", "postgresql"):
    raise pytest.UsageError(f"DEALGRAPH_TEST_ENGINE is sqlite or postgresql, not {ENGINE!r}")
_postgres: list[PostgresServer] = []
_databases = itertools.count(1)


@pytest.fixture(scope="session", autouse=True)
def store_server() -> Iterator[None]:
    """On PostgreSQL, one throwaway server for the whole run; each store is a database of it."""
    if ENGINE == "sqlite":
        yield
        return
    with postgres_server() as server:
        _postgres.append(server)
        yield
        _postgres.clear()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if ENGINE != "sqlite":
        skip = pytest.mark.skip(reason=f"about SQLite itself; this run is on {ENGINE}")
        # The pages see the store only through the API, which the rest of the suite checks on
        # each engine: one run in a browser is enough.
        once = pytest.mark.skip(reason=f"browser tests run on the SQLite run, not on {ENGINE}")
        for item in items:
            if item.get_closest_marker("sqlite_only"):
                item.add_marker(skip)
            if item.get_closest_marker("browser"):
                item.add_marker(once)


def new_store_url(path: Path) -> str:
    """A new, empty store: the SQLite file `path`, or a new PostgreSQL database."""
    if ENGINE == "sqlite":
        return f"sqlite:///{path}"
    return _postgres[0].create_database(f"store_{next(_databases)}")


def load_store(path: Path, seeds: Path = SEEDS) -> str:
    url = new_store_url(path)
    engine = make_engine(url)
    load_corpus(engine, seeds)
    engine.dispose()
    return url


def query(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of one statement (portable SQL, `:name` parameters) on a store."""
    # Not read-only: closing a read-only SQLite connection leaves the WAL's files behind.
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of a store, in a stable order: to show a store unchanged."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            names = sorted(inspect(connection).get_table_names())
            # Sorted here: PostgreSQL cannot order by a json column.
            return {
                name: sorted(
                    (
                        tuple(row)
                        for row in connection.execute(select(text("*")).select_from(table(name)))
                    ),
                    key=repr,
                )
                for name in names
            }
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return load_store(tmp_path_factory.mktemp("store") / "dealgraph.db")


@pytest.fixture(scope="session")
def settings(store_url: str) -> Settings:
    return Settings(database_url=store_url, cors_origins=["http://frontend.example"])


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed corpus, for tests that corrupt it."""
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


@contextmanager
def counting_statements(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # Transaction and session settings (SQLite pragmas, PostgreSQL SET) are not queries.
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SET")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def graphql(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    """Run a query that must succeed; return its data."""
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def graphql_errors(client: TestClient, query: str, **variables: Any) -> list[dict[str, Any]]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    errors: list[dict[str, Any]] = response.json()["errors"]
    assert errors
    return errors
