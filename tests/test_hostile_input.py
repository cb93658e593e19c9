"""Crafted input gets a client error that says what is wrong, never a server error, and never
has its whole self echoed back."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.rest.conftest import assert_problem


def token(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


CRAFTED_CURSORS = {
    "infinity": token("[Infinity, 1]"),
    "huge number": token(f"[{2**100}, 1]"),
    "deep nesting": token("[" * 3000 + "]" * 3000),
    "not json": token("{{{"),
    "not base64": "!!!",
}


def graphql_error(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    (error,) = response.json()["errors"]
    assert error["message"] != "Internal error."
    return dict(error)


@pytest.mark.parametrize("cursor", CRAFTED_CURSORS.values(), ids=CRAFTED_CURSORS.keys())
def test_a_crafted_cursor_is_a_bad_request(client: TestClient, cursor: str) -> None:
    body = assert_problem(client.get("/api/companies", params={"cursor": cursor}), 400)
    assert body["errors"] == [{"parameter": "cursor", "message": "not a valid cursor"}]
    query = "query($a: String) { companies(after: $a) { totalCount } }"
    error = graphql_error(client, query, a=cursor)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "is not a valid cursor" in error["message"]
    assert len(error["message"]) < 200


def test_a_name_search_too_long_to_match_is_a_bad_request(client: TestClient) -> None:
    body = assert_problem(client.get("/api/companies", params={"search": "a" * 50_000}), 400)
    assert body["errors"][0]["parameter"] == "search"
    query = "query($s: String) { companies(search: $s) { totalCount } }"
    error = graphql_error(client, query, s="a" * 50_000)
    assert "at most 200 characters" in error["message"]


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe not utf-8", b'"hello"', b"null", b"5", b"[" * 3000 + b"]" * 3000, b"{"],
    ids=["bad utf-8", "string", "null", "number", "deep nesting", "broken json"],
)
def test_a_body_that_is_not_a_json_object_is_a_bad_request(client: TestClient, body: bytes) -> None:
    response = client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"


def test_variables_nested_thousands_deep_are_a_bad_request(client: TestClient) -> None:
    nested = "[" * 3000 + '"x"' + "]" * 3000
    body = '{"query": "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", "variables": {"ids": '
    response = client.post(
        "/graphql", content=body + nested + "}}", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400


def test_a_huge_argument_is_quoted_only_in_part(client: TestClient) -> None:
    huge = "Q" * 500_000
    error = graphql_error(client, "query($id: ID!) { node(id: $id) { id } }", id=huge)
    assert "(500,000 characters)" in error["message"]
    assert len(error["message"]) < 200
    body = assert_problem(client.get(f"/api/companies/{'Q' * 5000}"), 404)
    assert len(body["detail"]) < 200


def test_a_wrong_method_says_which_are_allowed(client: TestClient) -> None:
    response = client.put("/graphql")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) >= {"GET", "POST"}
    assert assert_problem(client.post("/api/companies"), 405)
    assert set(client.post("/api/companies").headers["allow"].split(", ")) == {"GET", "HEAD"}


def test_client_mistakes_are_logged_as_one_line(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO"):
        graphql_error(client, '{ node(id: "nope") { id } }')
    mistakes = [r for r in caplog.records if "not a valid" in r.getMessage()]
    assert mistakes
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in mistakes)
