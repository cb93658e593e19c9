"""Shared fixtures for the direct tests of `api.store`: a read-only engine on the seed store
(the same one the APIs use), a session on it, and the seed rows' ids by natural key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.store.db import make_engine
from api.store.models import Company, Deal, Investment, Person, Source


@pytest.fixture(scope="session")
def seed_engine(store_url: str) -> Iterator[Engine]:
    engine = make_engine(store_url, read_only=True)
    yield engine
    engine.dispose()


@pytest.fixture
def session(seed_engine: Engine) -> Iterator[Session]:
    with Session(seed_engine) as session:
        yield session


def _ids(engine: Engine, model: Any) -> dict[str, int]:
    with Session(engine) as session:
        return {row.slug: row.pk for row in session.exec(select(model)).all()}


@pytest.fixture(scope="session")
def companies(seed_engine: Engine) -> dict[str, int]:
    """Company ids by slug."""
    return _ids(seed_engine, Company)


@pytest.fixture(scope="session")
def people(seed_engine: Engine) -> dict[str, int]:
    """Person ids by slug."""
    return _ids(seed_engine, Person)


@pytest.fixture(scope="session")
def sources(seed_engine: Engine) -> dict[str, int]:
    """Source ids by slug."""
    return _ids(seed_engine, Source)


@pytest.fixture(scope="session")
def deals(seed_engine: Engine) -> dict[str, int]:
    """Deal ids by key."""
    with Session(seed_engine) as session:
        return {row.key: row.pk for row in session.exec(select(Deal)).all()}


@pytest.fixture(scope="session")
def investments(seed_engine: Engine) -> dict[str, int]:
    """Investment ids by key."""
    with Session(seed_engine) as session:
        return {row.key: row.pk for row in session.exec(select(Investment)).all()}
