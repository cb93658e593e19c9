from __future__ import annotations

from starlette.testclient import TestClient

from tests.rest.conftest import get_ok


def test_ownership_connections_and_timeline_endpoints(client: TestClient) -> None:
    ownership = get_ok(client, "/api/companies/abacus/ownership")["data"]
    assert ownership["ultimate_parent"]["slug"] == "alibaba"
    assert [link["parent"]["slug"] for link in ownership["chain"]] == [
        "south-china-morning-post",
        "alibaba",
    ]
    assert ownership["chain"][0]["via"]["evidence"]
    depth2 = get_ok(client, "/api/companies/alibaba/ownership?depth=2")["data"]["subsidiaries"]
    assert {(s["depth"], s["company"]["slug"]) for s in depth2} >= {(2, "abacus")}
    paths = get_ok(client, "/api/connections?from=softbank&to=snapdeal")["data"]
    assert [[s["node"]["slug"] for s in p["steps"]] for p in paths] == [["snapdeal"]]
    assert paths[0]["steps"][0]["via"]["kind"] == "major"
    timeline = get_ok(client, "/api/companies/kaola/timeline")["data"]
    assert [e["kind"] for e in timeline][-1] == "appointment"
    assert "deal_announced" in [e["kind"] for e in timeline]


def test_ownership_on_a_past_date_says_which(client: TestClient) -> None:
    now = get_ok(client, "/api/companies/south-china-morning-post/ownership")["data"]
    assert (now["as_of"], now["parent"]["slug"]) == (None, "alibaba")
    then = get_ok(client, "/api/companies/south-china-morning-post/ownership?as_of=2015-01-01")
    assert (then["data"]["as_of"], then["data"]["parent"]) == ("2015-01-01", None)
    bad = client.get("/api/companies/south-china-morning-post/ownership?as_of=2015-13")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["parameter"] == "as_of"
