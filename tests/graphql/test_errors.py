from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from api.app import create_app
from api.config import Settings
from api.ids import to_global_id
from api.store.db import make_engine
from tests.conftest import graphql_errors, load_store


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        ("query($id: ID!) { company(id: $id) { name } }", {"id": "!!"}, "not a valid"),
        (
            "query($id: ID!) { company(id: $id) { name } }",
            {"id": to_global_id("Deal", "alibaba-acquires-kaola")},
            "is the id of a Deal, not of a Company",
        ),
        ("{ company { name } }", {}, "exactly one of `id` and `slug`"),
        ("{ companies(first: 101) { totalCount } }", {}, "`first` must be between 0 and 100"),
        ('{ companies(after: "bm9wZQ") { totalCount } }', {}, "not a valid cursor"),
        (
            '{ company(slug: "alibaba") { deals(after: "bm9wZQ") { totalCount } } }',
            {},
            "not a valid cursor",
        ),
        ('{ deals(announcedAfter: "Friday") { totalCount } }', {}, "must be a date"),
        ("{ companies { nodes { nope } } }", {}, "Cannot query field 'nope'"),
    ],
)
def test_bad_requests_get_precise_errors(
    client: TestClient, query: str, variables: dict[str, Any], message: str
) -> None:
    errors = graphql_errors(client, query, **variables)
    assert message in errors[0]["message"]


def test_limits_refuse_deep_and_aliased_queries(client: TestClient) -> None:
    deep = (
        "{ companies { nodes { "
        + "deals { nodes { targets { " * 5
        + "name"
        + " } } }" * 5
        + " } } }"
    )
    assert "exceeds maximum operation depth" in graphql_errors(client, deep)[0]["message"]
    aliased = "{ " + " ".join(f"a{i}: sources {{ totalCount }}" for i in range(40)) + " }"
    assert "aliases" in graphql_errors(client, aliased)[0]["message"]


def test_unexpected_failures_are_masked(tmp_path: Path) -> None:
    broken = load_store(tmp_path / "broken.db")
    engine = make_engine(broken)
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE metric RENAME TO metric_gone"))
    engine.dispose()
    with TestClient(create_app(Settings(database_url=broken))) as client:
        response = client.post(
            "/graphql", json={"query": '{ company(slug: "kaola") { name metrics { name } } }'}
        )
    body = response.json()
    assert body["errors"][0]["message"] == "Internal error."
    # Neither SQLite's words nor PostgreSQL's reach the client.
    assert "no such table" not in response.text
    assert "does not exist" not in response.text
    assert "SELECT" not in response.text
    assert body["data"] is None or body["data"]["company"] is None
