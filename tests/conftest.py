from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from starlette.testclient import TestClient

from api.app import create_app
from api.config import Settings
from api.corpus.load import load_corpus
from api.store.db import make_engine

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def load_store(path: Path, seeds: Path = SEEDS) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    load_corpus(engine, seeds)
    engine.dispose()
    return url


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
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA")):
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
