"""Errors are problem documents: the contract is written, and checked, in `conftest.py`."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from api.ids import to_global_id
from tests.rest.conftest import assert_problem

KAOLA_DEAL = to_global_id("Deal", "alibaba-acquires-kaola")


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/api/companies/no-such-company", 404, "no company with id or key 'no-such-company'"),
        (f"/api/companies/{KAOLA_DEAL}", 404, "no company"),
        ("/api/deals/nope", 404, "no deal"),
        ("/api/people/nope/extra", 404, "nothing is served at /api/people/nope/extra"),
        ("/api/companies?limit=0", 400, "limit: Input should be greater than or equal to 1"),
        ("/api/companies?limit=101", 400, "limit must be at most 100"),
        ("/api/companies?limit=ten", 400, "limit: Input should be a valid integer"),
        ("/api/companies?cursor=abc", 400, "not a valid cursor"),
        ("/api/companies?serch=ali", 400, "serch: unknown parameter"),
        ("/api/companies?search=a&search=b", 400, "'search' is given more than once"),
        ("/api/deals?status=done", 400, "status: Input should be 'rumored'"),
        (
            "/api/deals?announced_after=2019-13-01",
            400,
            "announced_after: Input should be a valid date",
        ),
        ("/api/deals?role=acquirer", 400, "role needs company"),
        ("/api/deals?company=nobody", 404, "no company with id or key 'nobody'"),
        ("/api/companies/alibaba/deals?role=buyer", 400, "role: Input should be"),
    ],
)
def test_errors_are_problem_documents(
    client: TestClient, path: str, status: int, detail: str
) -> None:
    body = assert_problem(client.get(path), status)
    assert detail in body["detail"]


def test_bad_parameters_are_listed_one_by_one(client: TestClient) -> None:
    body = assert_problem(client.get("/api/deals?limit=x&foo=1"), 400)
    assert body["errors"] == [
        {
            "parameter": "limit",
            "message": "Input should be a valid integer, unable to parse string as an integer",
        },
        {"parameter": "foo", "message": "unknown parameter"},
    ]


def test_wrong_method_is_a_problem(client: TestClient) -> None:
    assert_problem(client.post("/api/companies"), 405)


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/api/search?q=", 400, "q: String should have at least 1 character"),
        ("/api/search?q=%20%20", 400, "the search query is empty"),
        ("/api/search?q=a&kind=planet", 400, "unknown kinds"),
        ("/api/search", 400, "q: Field required"),
        ("/api/connections?from=softbank&to=nobody", 404, "no company or person"),
        ("/api/connections?from=softbank&to=kaola&max_hops=9", 400, "max_hops"),
        ("/api/deals?order_by=price", 400, "order_by: Input should be"),
        ("/api/deals?source=nope", 404, "no source with id or key 'nope'"),
        ("/api/companies/alibaba/ownership?depth=0", 400, "depth"),
    ],
)
def test_new_endpoints_refuse_bad_parameters(
    client: TestClient, path: str, status: int, detail: str
) -> None:
    body = assert_problem(client.get(path), status)
    assert detail in body["detail"]
