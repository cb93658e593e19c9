from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from pydantic import BaseModel
from starlette.testclient import TestClient

from api import rest
from api.ids import to_global_id
from api.rest.companies import CompanyOut, StakeOut
from api.rest.deals import DealOut
from api.rest.investments import InvestmentOut
from api.rest.people import PersonOut, RoleOut
from api.rest.problems import Problem
from api.rest.responses import Item, List
from api.rest.sources import SourceOut
from tests.conftest import counting_statements, graphql

KAOLA_DEAL = to_global_id("Deal", "alibaba-acquires-kaola")


def get(client: TestClient, path: str, model: type[BaseModel] | None = None) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    if model is not None:
        model.model_validate(body)
    return body


def problem(client: TestClient, path: str, status: int) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    Problem.model_validate(body)
    assert body["status"] == status
    assert body["instance"] == path.split("?")[0]
    return body


def test_companies_search_by_alias_any_case(client: TestClient) -> None:
    body = get(client, "/api/companies?search=SCMP", List[CompanyOut])
    assert [c["slug"] for c in body["data"]] == ["scmp-group", "south-china-morning-post"]
    assert body["next_cursor"] is None


def test_company_by_slug_and_by_graphql_id_are_the_same(client: TestClient) -> None:
    by_slug = get(client, "/api/companies/kaola", Item[CompanyOut])
    by_id = get(client, f"/api/companies/{to_global_id('Company', 'kaola')}")
    assert by_slug == by_id
    assert by_slug["data"]["ceo"]["name"] == "Alvin Liu"
    gql_id = graphql(client, '{ company(slug: "kaola") { id } }')["company"]["id"]
    assert by_slug["data"]["id"] == gql_id


def test_company_deals_by_role(client: TestClient) -> None:
    acquired = get(client, "/api/companies/alibaba/deals?role=acquirer", List[DealOut])
    assert KAOLA_DEAL in {d["id"] for d in acquired["data"]}
    sold = get(client, "/api/companies/netease/deals?role=seller")["data"]
    assert [d["id"] for d in sold] == [KAOLA_DEAL]
    assert get(client, "/api/companies/netease/deals?role=acquirer")["data"] == []


def test_company_investments_people_and_stakes(client: TestClient) -> None:
    made = get(
        client,
        "/api/companies/yunfeng-capital/investments?role=investor",
        List[InvestmentOut],
    )
    assert [i["investee"]["slug"] for i in made["data"]] == ["netease-cloud-music"]
    received = get(client, "/api/companies/netease-cloud-music/investments?role=investee")
    assert received["data"] == made["data"]
    people = get(client, "/api/companies/kaola/people", List[RoleOut])["data"]
    assert {(r["person"]["name"], r["title"]) for r in people} >= {
        ("Alvin Liu", "Chief Executive Officer")
    }
    stakes = get(client, "/api/companies/south-china-morning-post/stakes", List[StakeOut])
    pairs = {(s["holder"]["slug"], s["company"]["slug"]) for s in stakes["data"]}
    assert ("alibaba", "south-china-morning-post") in pairs
    assert ("south-china-morning-post", "abacus") in pairs


def test_deal_filters(client: TestClient) -> None:
    rumored = get(client, "/api/deals?status=rumored", List[DealOut])["data"]
    assert [d["key"] for d in rumored] == ["alibaba-acquires-snapdeal"]
    in_2015 = get(client, "/api/deals?announced_after=2015-01-01&announced_before=2015-12-31")[
        "data"
    ]
    assert {d["announced_on"] for d in in_2015} == {"2015-12", "2015-06"}
    stake_buys = get(client, "/api/deals?kind=stake_purchase&company=alibaba&role=acquirer")["data"]
    assert [d["key"] for d in stake_buys] == ["alibaba-china-business-news-stake"]


def test_deal_item_carries_parties_value_and_evidence(client: TestClient) -> None:
    deal = get(client, f"/api/deals/{KAOLA_DEAL}", Item[DealOut])["data"]
    assert deal["value"]["amount"] == 2_000_000_000
    roles = {(p["company"]["slug"], p["role"]) for p in deal["parties"]}
    assert roles == {("alibaba", "acquirer"), ("kaola", "target"), ("netease", "seller")}
    texts = {s["id"]: s["text"] for s in get(client, "/api/sources")["data"]}
    for evidence in deal["evidence"]:
        text = texts[evidence["source"]["id"]]
        assert text[evidence["start_offset"] : evidence["end_offset"]] == evidence["quote"]
    assert get(client, "/api/deals/alibaba-acquires-kaola")["data"] == deal


def test_investments_people_and_sources(client: TestClient) -> None:
    investments = get(client, "/api/investments", List[InvestmentOut])["data"]
    lazada = [i for i in investments if i["investee"]["slug"] == "lazada"]
    assert lazada and all(
        i["deal_id"] == to_global_id("Deal", "alibaba-acquires-lazada") for i in lazada
    )
    one = get(client, f"/api/investments/{investments[0]['id']}", Item[InvestmentOut])
    assert one["data"] == investments[0]
    people = get(client, "/api/people?search=zhang", List[PersonOut])["data"]
    assert [p["name"] for p in people] == ["Daniel Zhang"]
    assert get(client, "/api/people/daniel-zhang", Item[PersonOut])["data"] == people[0]
    source = get(client, "/api/sources/001_fc294a4a7f80cbd8", Item[SourceOut])["data"]
    assert source["published_on"] == "2019-09-06"


def test_pages_follow_next_cursor_to_the_end(client: TestClient) -> None:
    slugs: list[str] = []
    path = "/api/companies?limit=4"
    while True:
        body = get(client, path)
        slugs += [c["slug"] for c in body["data"]]
        if body["next_cursor"] is None:
            break
        path = f"/api/companies?limit=4&cursor={body['next_cursor']}"
    assert len(slugs) == len(set(slugs)) == 27


def test_a_page_costs_the_same_statements_whatever_its_size(client: TestClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    counts = []
    for limit in (2, 6):
        with counting_statements(engine) as statements:
            assert len(get(client, f"/api/deals?limit={limit}")["data"]) == limit
        counts.append(len(statements))
    # deals, parties, claims, evidence, sources, attributed companies and people
    assert counts[0] == counts[1] == 7


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
    body = problem(client, path, status)
    assert detail in body["detail"]


def test_bad_parameters_are_listed_one_by_one(client: TestClient) -> None:
    body = problem(client, "/api/deals?limit=x&foo=1", 400)
    assert body["errors"] == [
        {
            "parameter": "limit",
            "message": "Input should be a valid integer, unable to parse string as an integer",
        },
        {"parameter": "foo", "message": "unknown parameter"},
    ]


def test_wrong_method_is_a_problem(client: TestClient) -> None:
    response = client.post("/api/companies")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


def test_openapi_documents_every_route_and_resolves_every_reference(client: TestClient) -> None:
    document = get(client, "/openapi.json")
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


def test_healthz(client: TestClient) -> None:
    assert get(client, "/healthz") == {"status": "ok"}


def test_cors_allows_configured_origins_only(client: TestClient) -> None:
    allowed = client.get("/api/sources", headers={"Origin": "http://frontend.example"})
    assert allowed.headers["access-control-allow-origin"] == "http://frontend.example"
    other = client.get("/api/sources", headers={"Origin": "http://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers


def test_conflicts_endpoint_lists_the_seed_disputes(client: TestClient) -> None:
    data = get(client, "/api/conflicts")["data"]
    assert [(c["fact"]["label"], c["field"]) for c in data] == [
        ("alibaba-acquires-kaola", "announced_on"),
        ("alibaba-acquires-kaola", "status"),
        ("Kaola market_share (H1 2019)", "value"),
        ("Tmall Global market_share (H1 2019)", "value"),
    ]
    shares = [c["value"]["amount"] for c in data[2]["claims"]]
    assert shares == [27.7, 24.5]
    assert [c["evidence"]["source"]["slug"] for c in data[2]["claims"]] == [
        "000_2b1eff056f60b6be",
        "001_fc294a4a7f80cbd8",
    ]
    assert len(get(client, "/api/conflicts?company=tmall-global")["data"]) == 1
    assert client.get("/api/conflicts?company=nobody").status_code == 404


def test_ownership_connections_and_timeline_endpoints(client: TestClient) -> None:
    ownership = get(client, "/api/companies/abacus/ownership")["data"]
    assert ownership["ultimate_parent"]["slug"] == "alibaba"
    assert [link["parent"]["slug"] for link in ownership["chain"]] == [
        "south-china-morning-post",
        "alibaba",
    ]
    assert ownership["chain"][0]["via"]["evidence"]
    depth2 = get(client, "/api/companies/alibaba/ownership?depth=2")["data"]["subsidiaries"]
    assert {(s["depth"], s["company"]["slug"]) for s in depth2} >= {(2, "abacus")}
    paths = get(client, "/api/connections?from=softbank&to=snapdeal")["data"]
    assert [[s["node"]["slug"] for s in p["steps"]] for p in paths] == [["snapdeal"]]
    assert paths[0]["steps"][0]["via"]["kind"] == "major"
    timeline = get(client, "/api/companies/kaola/timeline")["data"]
    assert [e["kind"] for e in timeline][-1] == "appointment"
    assert "deal_announced" in [e["kind"] for e in timeline]


def test_search_endpoint_pages_with_cursors(client: TestClient) -> None:
    first = get(client, "/api/search?q=alibaba&limit=2")
    assert len(first["data"]) == 2 and first["next_cursor"]
    second = get(client, f"/api/search?q=alibaba&limit=2&cursor={first['next_cursor']}")
    assert {h["id"] for h in first["data"]}.isdisjoint(h["id"] for h in second["data"])
    assert get(client, "/api/search?q=netease&kind=company")["data"][0]["key"] == "netease"


def test_deal_filters_csv_and_summary(client: TestClient) -> None:
    ordered = get(client, "/api/deals?order_by=value_usd&direction=desc&value_min_usd=2e8")
    assert [d["key"] for d in ordered["data"]] == [
        "alibaba-acquires-kaola",
        "alibaba-acquires-lazada",
        "alibaba-acquires-scmp",
    ]
    csv_response = client.get("/api/deals.csv?order_by=key&direction=asc")
    assert csv_response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(csv_response.text)))
    assert [r["key"] for r in rows] == sorted(r["key"] for r in rows) and len(rows) == 6
    kaola = next(r for r in rows if r["key"] == "alibaba-acquires-kaola")
    assert (kaola["targets"], kaola["sellers"]) == ("Kaola", "NetEase")
    assert kaola["sources"] == "000_2b1eff056f60b6be; 001_fc294a4a7f80cbd8"
    negotiated = client.get("/api/deals?kind=acquisition", headers={"accept": "text/csv"})
    assert len(negotiated.text.strip().splitlines()) == 1 + 4
    summary = get(client, "/api/deals/summary?kind=acquisition")["data"]
    assert (summary["count"], summary["total_value_usd"]) == (4, 3.266e9)


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/api/search?q=", 400, "the search query is empty"),
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
    response = client.get(path)
    assert response.status_code == status
    assert detail in response.json()["detail"]
