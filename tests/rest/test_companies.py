from __future__ import annotations

from starlette.testclient import TestClient

from api.ids import to_global_id
from api.rest.companies import CompanyOut, StakeOut
from api.rest.deals import DealOut
from api.rest.investments import InvestmentOut
from api.rest.people import RoleOut
from api.rest.responses import Item, List
from tests.conftest import graphql
from tests.rest.conftest import get_ok

KAOLA_DEAL = to_global_id("Deal", "alibaba-acquires-kaola")


def test_companies_search_by_alias_any_case(client: TestClient) -> None:
    body = get_ok(client, "/api/companies?search=SCMP", List[CompanyOut])
    assert [c["slug"] for c in body["data"]] == ["scmp-group", "south-china-morning-post"]
    assert body["next_cursor"] is None


def test_company_by_slug_and_by_graphql_id_are_the_same(client: TestClient) -> None:
    by_slug = get_ok(client, "/api/companies/kaola", Item[CompanyOut])
    by_id = get_ok(client, f"/api/companies/{to_global_id('Company', 'kaola')}")
    assert by_slug == by_id
    assert by_slug["data"]["ceo"]["name"] == "Alvin Liu"
    gql_id = graphql(client, '{ company(slug: "kaola") { id } }')["company"]["id"]
    assert by_slug["data"]["id"] == gql_id


def test_company_deals_by_role(client: TestClient) -> None:
    acquired = get_ok(client, "/api/companies/alibaba/deals?role=acquirer", List[DealOut])
    assert KAOLA_DEAL in {d["id"] for d in acquired["data"]}
    sold = get_ok(client, "/api/companies/netease/deals?role=seller")["data"]
    assert [d["id"] for d in sold] == [KAOLA_DEAL]
    assert get_ok(client, "/api/companies/netease/deals?role=acquirer")["data"] == []


def test_company_investments_people_and_stakes(client: TestClient) -> None:
    made = get_ok(
        client,
        "/api/companies/yunfeng-capital/investments?role=investor",
        List[InvestmentOut],
    )
    assert [i["investee"]["slug"] for i in made["data"]] == ["netease-cloud-music"]
    received = get_ok(client, "/api/companies/netease-cloud-music/investments?role=investee")
    assert received["data"] == made["data"]
    people = get_ok(client, "/api/companies/kaola/people", List[RoleOut])["data"]
    assert {(r["person"]["name"], r["title"]) for r in people} >= {
        ("Alvin Liu", "Chief Executive Officer")
    }
    stakes = get_ok(client, "/api/companies/south-china-morning-post/stakes", List[StakeOut])
    pairs = {(s["holder"]["slug"], s["company"]["slug"]) for s in stakes["data"]}
    assert ("alibaba", "south-china-morning-post") in pairs
    assert ("south-china-morning-post", "abacus") in pairs


def test_pages_follow_next_cursor_to_the_end(client: TestClient) -> None:
    slugs: list[str] = []
    path = "/api/companies?limit=4"
    while True:
        body = get_ok(client, path)
        slugs += [c["slug"] for c in body["data"]]
        if body["next_cursor"] is None:
            break
        path = f"/api/companies?limit=4&cursor={body['next_cursor']}"
    assert len(slugs) == len(set(slugs)) == 27


def test_a_company_says_how_its_name_aliases_and_description_are_known(
    client: TestClient,
) -> None:
    netease = get_ok(client, "/api/companies/netease", Item[CompanyOut])["data"]
    assert netease["description"] == "Gaming and entertainment giant."
    assert [(p["field"], p["stated"]) for p in netease["provenance"]] == [
        ("name", True),
        ("description", True),
    ]
    description = netease["provenance"][1]
    assert description["quote"] == "gaming and entertainment giant NetEase"
    source = client.get(f"/api/sources/{description['source']}").json()["data"]
    start, end = description["start_offset"], description["end_offset"]
    assert source["text"][start:end] == description["quote"]


def test_a_stake_names_the_deal_that_changes_it(client: TestClient) -> None:
    stakes = get_ok(client, "/api/companies/lazada/stakes", List[StakeOut])["data"]
    rocket = next(s for s in stakes if s["holder"]["slug"] == "rocket-internet")
    assert (rocket["percent"], rocket["percent_range"], rocket["change"], rocket["in_force"]) == (
        8.8,
        None,
        "kept",
        True,
    )
    assert rocket["deal_id"] == to_global_id("Deal", "alibaba-acquires-lazada")
    assert rocket["investment_id"] is None
