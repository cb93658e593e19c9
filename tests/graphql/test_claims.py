from __future__ import annotations

from starlette.testclient import TestClient

from tests.conftest import graphql


def test_claims_of_a_fact_by_field(client: TestClient) -> None:
    data = graphql(
        client,
        """{ deal(key: "alibaba-acquires-kaola") { value { amount approximate }
              disputedFields claims(field: "value") { value text evidence { source { slug } } } } }""",
    )["deal"]
    assert data["value"] == {"amount": 2e9, "approximate": True}
    assert data["disputedFields"] == ["announcedOn", "status"]
    assert sorted(c["text"] for c in data["claims"]) == [
        "about US$2 billion (2,000,000,000 USD)",
        "approximately $2bn (2,000,000,000 USD)",
    ]
