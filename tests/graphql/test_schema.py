from __future__ import annotations

from starlette.testclient import TestClient

from tests.conftest import graphql


def test_every_type_field_and_argument_is_described(client: TestClient) -> None:
    data = graphql(
        client,
        """{ __schema { types { name kind description
              fields { name description args { name description } }
              enumValues { name } inputFields { name description } } } }""",
    )
    missing = []
    for t in data["__schema"]["types"]:
        if t["name"].startswith("__") or t["kind"] == "SCALAR":
            continue
        if not t["description"]:
            missing.append(t["name"])
        for f in t["fields"] or []:
            if not f["description"]:
                missing.append(f"{t['name']}.{f['name']}")
            missing += [
                f"{t['name']}.{f['name']}({a['name']})" for a in f["args"] if not a["description"]
            ]
    assert missing == []


def test_graphiql_is_served_to_browsers(client: TestClient) -> None:
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
