from __future__ import annotations

from starlette.testclient import TestClient

from api.ids import to_global_id
from tests.conftest import counting_statements, graphql

NESTED = """
query Nested($first: Int!) {
  companies(first: $first) { nodes { name ceo { name }
    deals(first: 50) { totalCount nodes { announcedOn value { amount }
      targets { name ceo { name roles { title } } } sellers { name }
      evidence { quote source { title } } } }
    investments(first: 50) { nodes { investors { name } investee { name } } } } }
}
"""


def test_statements_are_bounded_by_depth_not_rows(client: TestClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    counts = {}
    # The first two companies (Abacus, Alibaba Group) already reach every nested level.
    for first in (2, 10, 100):
        with counting_statements(engine) as statements:
            data = graphql(client, NESTED, first=first)
        assert len(data["companies"]["nodes"]) == min(first, 27)
        counts[first] = len(statements)
    # Fetching every company lets the targets' CEOs come from the loader's cache: one fewer.
    assert counts[2] == counts[10] == 12
    assert counts[100] == 11


def test_company_by_slug_equals_company_by_id(client: TestClient) -> None:
    query = "query($id: ID, $slug: String) { company(id: $id, slug: $slug) { id name } }"
    by_slug = graphql(client, query, slug="netease")
    assert by_slug == graphql(client, query, id=to_global_id("Company", "netease"))
    assert graphql(client, query, slug="unknown")["company"] is None


PROVENANCE = """
query Provenance($first: Int!) {
  companies(first: $first) { nodes { slug name aliases description
    provenance { field value stated quote startOffset endOffset reason source { slug text } } } }
  people(first: 10) { nodes { slug provenance { field value stated reason } } }
}
"""


def test_every_name_alias_and_description_says_how_it_is_known(client: TestClient) -> None:
    companies = graphql(client, PROVENANCE, first=100)["companies"]["nodes"]
    assert len(companies) == 27
    for company in companies:
        known = company["provenance"]
        assert [p["value"] for p in known if p["field"] == "aliases"] == company["aliases"]
        assert any(p["field"] == "description" for p in known) == bool(company["description"])
        for p in known:
            if p["stated"]:
                assert p["reason"] is None
                assert p["source"]["text"][p["startOffset"] : p["endOffset"]] == p["quote"]
            else:
                assert p["reason"] and p["quote"] is None and p["source"] is None


def test_an_editorial_name_and_alias_say_why(client: TestClient) -> None:
    data = graphql(client, PROVENANCE, first=100)
    xinjiang = next(
        c for c in data["companies"]["nodes"] if c["slug"] == "xinjiang-regional-government"
    )
    name = xinjiang["provenance"][0]
    assert (name["field"], name["stated"]) == ("name", False)
    assert "the regional government" in name["reason"]
    jack_ma = next(p for p in data["people"]["nodes"] if p["slug"] == "jack-ma")
    (alias,) = [p for p in jack_ma["provenance"] if p["field"] == "aliases"]
    assert (alias["value"], alias["stated"]) == ("Ma Yun", False)
    assert "no source gives it" in alias["reason"]


def test_provenance_sources_are_loaded_together(client: TestClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    counts = {}
    for first in (2, 100):
        with counting_statements(engine) as statements:
            graphql(client, PROVENANCE, first=first)
        counts[first] = len(statements)
    assert counts[2] == counts[100]


STAKES = """
query Stakes($slug: String!) {
  company(slug: $slug) {
    parent { slug }
    owners { holder { slug } kind percent percentRange { low high } current asOf change inForce
      deal { key status } investment { key }
      claims(field: "percent") { attributedTo { ... on Company { slug } } evidence { quote } } }
  }
}
"""


def test_stakes_say_what_a_deal_does_to_them_and_whether_they_hold_now(
    client: TestClient,
) -> None:
    lazada = graphql(client, STAKES, slug="lazada")["company"]
    owners = {o["holder"]["slug"]: o for o in lazada["owners"]}
    alibaba, rocket = owners["alibaba"], owners["rocket-internet"]
    # Alibaba's controlling stake comes with an agreed deal: it does not count yet.
    assert (alibaba["kind"], alibaba["change"], alibaba["inForce"]) == (
        "CONTROLLING",
        "ACQUIRED",
        False,
    )
    assert alibaba["deal"] == {"key": "alibaba-acquires-lazada", "status": "AGREED"}
    assert lazada["parent"] is None
    # "keeping an 8.8% interest", after the deal: no source says it is held "now".
    assert (rocket["percent"], rocket["change"], rocket["current"], rocket["inForce"]) == (
        8.8,
        "KEPT",
        None,
        True,
    )
    (said,) = rocket["claims"]
    assert said["attributedTo"] == {"slug": "rocket-internet"}
    assert "keeping an 8.8% interest" in said["evidence"]["quote"]
    assert owners["tesco"]["change"] == "SOLD" and owners["tesco"]["inForce"] is None
    music = graphql(client, STAKES, slug="netease-cloud-music")["company"]
    minority = next(o for o in music["owners"] if o["holder"]["slug"] == "alibaba")
    assert minority["investment"] == {"key": "alibaba-yunfeng-netease-cloud-music-2019"}
    assert (minority["change"], minority["inForce"]) == ("ACQUIRED", False)
    assert music["parent"] == {"slug": "netease"}


def test_founders_are_roles_of_their_own_kind(client: TestClient) -> None:
    query = """{ person(slug: "jack-ma") { roles { title kind current company { slug } } } }"""
    roles = graphql(client, query)["person"]["roles"]
    assert {(r["company"]["slug"], r["title"], r["kind"], r["current"]) for r in roles} == {
        ("alibaba", "Founder", "FOUNDER", None),
        ("yunfeng-capital", "Co-founder", "CO_FOUNDER", None),
    }
