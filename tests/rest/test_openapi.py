from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from api import rest
from tests.rest.conftest import get_ok


def test_openapi_documents_every_route_and_resolves_every_reference(client: TestClient) -> None:
    document = get_ok(client, "/openapi.json")
    assert document["openapi"] == "3.1.0"
    documented = set(document["paths"])
    served = {rest.PREFIX + e.path for e in rest.ENDPOINTS} | {"/healthz"}
    assert documented == served
    schemas = document["components"]["schemas"]

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [node["$ref"]] if "$ref" in node else []
            return found + [r for value in node.values() for r in refs(value)]
        if isinstance(node, list):
            return [r for value in node for r in refs(value)]
        return []

    all_refs = refs(document)
    assert all_refs
    for ref in all_refs:
        assert ref.removeprefix("#/components/schemas/") in schemas, ref
    deals = document["paths"]["/api/deals"]["get"]
    assert {p["name"] for p in deals["parameters"]} >= {
        "kind",
        "status",
        "company",
        "announced_after",
        "cursor",
    }
    assert "404" in document["paths"]["/api/deals/{ref}"]["get"]["responses"]


def test_a_reference_cannot_be_the_fixed_path_beside_it(client: TestClient) -> None:
    document = get_ok(client, "/openapi.json")
    (ref,) = [
        p for p in document["paths"]["/api/deals/{ref}"]["get"]["parameters"] if p["in"] == "path"
    ]
    assert ref["schema"] == {"type": "string", "not": {"enum": ["summary"]}}
    (company,) = [
        p
        for p in document["paths"]["/api/companies/{ref}"]["get"]["parameters"]
        if p["in"] == "path"
    ]
    assert company["schema"] == {"type": "string"}
    summary = get_ok(client, "/api/deals/summary")["data"]
    assert "by_year" in summary


def test_fields_may_leave_out_every_property_but_the_id(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("CompanyOut", "DealOut", "InvestmentOut", "PersonOut"):
        assert schemas[name]["required"] == ["id"]
    # Other types are whole.
    assert "title" in schemas["RoleOut"]["required"]
