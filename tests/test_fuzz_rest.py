"""Fuzzing the REST API from its own OpenAPI document (schemathesis).

Every operation is sent requests generated from its documented parameters, valid ones and
invalid ones, and every answer must be what the document promises: no 5xx, a documented status
code, a documented content type and a body valid for the documented schema, and a client error
for invalid input. The CSV export is checked as CSV.

The mismatches fuzzing found between the document and the answers are kept, fixed, as the
regression tests at the end of this module.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import schemathesis
from httpx2 import Response
from hypothesis import given
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema
from starlette.testclient import TestClient

from api import rest
from api.config import Settings
from api.rest.deals import CSV_COLUMNS
from tests.fuzzing import References, fuzz_settings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
OPERATIONS = [e.operation_id for e in rest.ENDPOINTS] + ["healthz"]
# Query parameters that name an object by global id or slug, and the types of object they name.
REFERENCE_PARAMETERS = {
    "company": ("Company",),
    "source": ("Source",),
    "from": ("Company", "Person"),
    "to": ("Company", "Person"),
}
# What the path parameter `ref` names, by the path's first part.
PATH_TYPES = {
    "companies": "Company",
    "deals": "Deal",
    "investments": "Investment",
    "people": "Person",
    "sources": "Source",
}
# A request for each operation whose query parameters name an object, naming nothing.
NAMING_NOTHING = {
    "listConflicts": {"company": "nobody"},
    "listConnections": {"from": "alibaba", "to": "nobody"},
    "listDeals": {"company": "nobody"},
    "exportDeals": {"source": "nope"},
    "summarizeDeals": {"company": "nobody"},
    "listInvestments": {"company": "nobody"},
}
CSV = "text/csv"
# The words a path's reference cannot be, since fixed routes beside it take them.
TAKEN = {"summary"}


@pytest.fixture(scope="module")
def served_document(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


@pytest.fixture(scope="module")
def api(served_document: dict[str, Any]) -> OpenApiSchema:
    return schemathesis.openapi.from_dict(served_document)


@pytest.fixture(scope="module")
def references(client: TestClient) -> References:
    return References.of(client)


def send(client: TestClient, case: Case[Any]) -> Response:
    request = case.as_transport_kwargs()
    return client.request(
        request["method"], request["url"], params=request.get("params"), headers=request["headers"]
    )


def with_references(
    cases: st.SearchStrategy[Case[Any]], references: References
) -> st.SearchStrategy[Case[Any]]:
    """Valid cases, their references often replaced by real ones so that lookups succeed."""

    @st.composite
    def cases_with_references(draw: st.DrawFn) -> Case[Any]:
        case = draw(cases)
        if "ref" in case.path_parameters and draw(st.booleans()):
            type_name = PATH_TYPES[case.operation.path.split("/")[2]]
            case.path_parameters["ref"] = draw(references.of_type(type_name))
        names = {p.name for p in case.operation.query}
        for name in sorted(names & set(REFERENCE_PARAMETERS)):
            if draw(st.booleans()):
                case.query[name] = draw(references.of_type(*REFERENCE_PARAMETERS[name]))
        if "cursor" in names and draw(st.booleans()):
            case.query["cursor"] = draw(st.sampled_from(references.cursors))
        return case

    return cases_with_references()


def assert_csv(response: Response) -> list[list[str]]:
    """A CSV document with the export's header and a full row per deal; return its rows."""
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    header, *rows = csv.reader(io.StringIO(response.text))
    assert header == list(CSV_COLUMNS)
    assert all(len(row) == len(header) for row in rows), rows
    return rows


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_operation_answers_as_documented(
    client: TestClient, api: OpenApiSchema, references: References, operation_id: str
) -> None:
    operation = api.find_operation_by_id(operation_id)
    cases = with_references(operation.as_strategy(), references)
    if len(operation.query):
        # An operation with only a path parameter, a string, has no invalid value to generate;
        # nor is a path that a fixed route beside it takes (`/deals/summary`) this operation's.
        invalid = operation.as_strategy(GenerationMode.NEGATIVE)
        cases |= invalid.filter(lambda case: case.path_parameters.get("ref") not in TAKEN)

    @fuzz_settings(max_examples=30)
    @given(case=cases)
    def check(case: Case[Any]) -> None:
        response = send(client, case)
        case.validate_response(response, checks=CHECKS)
        if operation_id == "exportDeals" and response.status_code == 200:
            rows = assert_csv(response)
            summary = client.get("/api/deals/summary", params=case.query)
            assert summary.status_code == 200, summary.text
            assert len(rows) == summary.json()["data"]["count"]

    check()


# Found by fuzzing: where the document and the answers disagreed, each shown by one request.


@pytest.mark.parametrize(("operation_id", "query"), NAMING_NOTHING.items())
def test_a_reference_that_names_nothing_gets_a_documented_404(
    client: TestClient, api: OpenApiSchema, operation_id: str, query: dict[str, str]
) -> None:
    case = api.find_operation_by_id(operation_id).Case(query=query)
    response = send(client, case)
    assert response.status_code == 404, response.text
    case.validate_response(response, checks=[status_code_conformance])


def test_the_csv_export_is_documented_as_csv(client: TestClient, api: OpenApiSchema) -> None:
    case = api.find_operation_by_id("exportDeals").Case()
    response = send(client, case)
    assert_csv(response)
    case.validate_response(response, checks=[content_type_conformance])


def test_deals_as_csv_on_request_are_documented(client: TestClient, api: OpenApiSchema) -> None:
    case = api.find_operation_by_id("listDeals").Case(headers={"Accept": CSV})
    response = send(client, case)
    assert_csv(response)
    case.validate_response(response, checks=[content_type_conformance])


def test_the_bounds_the_server_enforces_are_documented(
    served_document: dict[str, Any], settings: Settings
) -> None:
    def parameter(path: str, name: str) -> dict[str, Any]:
        (found,) = [
            p for p in served_document["paths"][path]["get"]["parameters"] if p["name"] == name
        ]
        return dict(found["schema"])

    (limit,) = [s for s in parameter("/api/companies", "limit")["anyOf"] if s["type"] == "integer"]
    assert (limit["minimum"], limit["maximum"]) == (1, settings.max_page_size)
    assert parameter("/api/search", "q")["minLength"] == 1
