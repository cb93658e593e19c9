from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from api.ids import to_global_id
from tests.conftest import counting_statements, graphql

CONTRACT_QUERY = """
query AcquirerDeals($id: ID!) {
  company(id: $id) {
    name aliases
    ceo { name }
    deals(role: ACQUIRER, first: 50) {
      totalCount
      nodes {
        id kind status announcedOn
        value { amount currency approximate text }
        acquirers { name } targets { name ceo { name } } sellers { name }
        evidence { quote source { id title } }
      }
    }
    investments(role: INVESTOR, first: 50) { nodes { value { amount currency approximate } investors { name } investee { name } evidence { quote } } }
  }
  companies(search: "Alibaba", first: 10) { totalCount pageInfo { hasNextPage endCursor } nodes { id slug name aliases } }
  people(search: "Liu", first: 10) { nodes { id name roles { title current company { name } evidence { quote } } } }
  sources(first: 10) { totalCount nodes { id title publisher publishedOn text } }
}
"""

KAOLA_ARTICLES = {"000_2b1eff056f60b6be", "001_fc294a4a7f80cbd8"}
ALIBABA = to_global_id("Company", "alibaba")


@pytest.fixture(scope="module")
def contract(client: TestClient) -> dict[str, Any]:
    return graphql(client, CONTRACT_QUERY, id=ALIBABA)


def test_contract_query_names_the_acquirer_and_its_ceo(contract: dict[str, Any]) -> None:
    company = contract["company"]
    assert company["name"] == "Alibaba Group"
    assert {"Alibaba", "Alibaba Group Holding Ltd"} <= set(company["aliases"])
    assert company["ceo"] == {"name": "Daniel Zhang"}


def test_contract_query_finds_kaola_with_value_seller_ceo_and_both_articles(
    contract: dict[str, Any],
) -> None:
    deals = contract["company"]["deals"]
    assert deals["totalCount"] == len(deals["nodes"]) >= 4
    kaola = next(
        d for d in deals["nodes"] if {"name": "Kaola", "ceo": {"name": "Alvin Liu"}} in d["targets"]
    )
    assert kaola["kind"] == "ACQUISITION"
    assert kaola["status"] == "ANNOUNCED"
    assert kaola["announcedOn"] == "2019-09-05"
    assert kaola["value"] == {
        "amount": 2_000_000_000,
        "currency": "USD",
        "approximate": True,
        "text": "about US$2 billion",
    }
    assert kaola["acquirers"] == [{"name": "Alibaba Group"}]
    assert kaola["sellers"] == [{"name": "NetEase"}]
    sources = {e["source"]["id"] for e in kaola["evidence"]}
    assert sources == {to_global_id("Source", slug) for slug in KAOLA_ARTICLES}


def test_contract_query_dates_keep_their_precision(contract: dict[str, Any]) -> None:
    dates = {d["announcedOn"] for d in contract["company"]["deals"]["nodes"]}
    # A day, a month, and the deals no source dates.
    assert dates == {"2019-09-05", "2015-06", None}


def test_contract_query_lists_the_cloud_music_investment(contract: dict[str, Any]) -> None:
    investments = contract["company"]["investments"]["nodes"]
    music = next(i for i in investments if i["investee"] == {"name": "NetEase Cloud Music"})
    assert {c["name"] for c in music["investors"]} == {"Alibaba Group", "Yunfeng Capital"}
    assert music["value"] == {"amount": 700_000_000, "currency": "USD", "approximate": True}


def test_contract_query_searches_names_and_people(contract: dict[str, Any]) -> None:
    companies = contract["companies"]
    assert [c["slug"] for c in companies["nodes"]] == ["alibaba"]
    assert companies["totalCount"] == 1
    assert companies["pageInfo"]["hasNextPage"] is False
    (alvin,) = contract["people"]["nodes"]
    assert alvin["name"] == "Alvin Liu"
    roles = {(r["title"], r["company"]["name"]): r for r in alvin["roles"]}
    assert roles["Chief Executive Officer", "Kaola"]["current"] is True
    assert all(r["evidence"] for r in alvin["roles"])


def test_every_quote_returned_occurs_in_its_source(
    client: TestClient, contract: dict[str, Any]
) -> None:
    texts = {s["id"]: s["text"] for s in contract["sources"]["nodes"]}
    assert contract["sources"]["totalCount"] == len(texts) == 4
    for deal in contract["company"]["deals"]["nodes"]:
        for evidence in deal["evidence"]:
            assert evidence["quote"] in texts[evidence["source"]["id"]]
    everything = graphql(
        client,
        """{ companies(first: 100) { nodes { evidence { quote startOffset endOffset source { id } }
               roles { evidence { quote startOffset endOffset source { id } } }
               owners { evidence { quote startOffset endOffset source { id } } }
               metrics { evidence { quote startOffset endOffset source { id } } } } } }""",
    )
    quotes = [
        evidence
        for company in everything["companies"]["nodes"]
        for group in [[company], company["roles"], company["owners"], company["metrics"]]
        for fact in group
        for evidence in fact["evidence"]
    ]
    assert len(quotes) > 50
    for evidence in quotes:
        text = texts[evidence["source"]["id"]]
        assert text[evidence["startOffset"] : evidence["endOffset"]] == evidence["quote"]


def test_contract_query_statement_count_is_pinned(client: TestClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with counting_statements(engine) as statements:
        graphql(client, CONTRACT_QUERY, id=ALIBABA)
    # One statement per loader level the query reaches, whatever the number of rows.
    assert len(statements) == 20, statements


PROVENANCE = """
{ sources(first: 10) { nodes { slug title publisher publishedOn url text
    provenance { field stated quote startOffset endOffset reason } } } }
"""


def test_every_given_source_field_is_either_stated_or_editorial(client: TestClient) -> None:
    for source in graphql(client, PROVENANCE)["sources"]["nodes"]:
        given = {f for f in ("title", "publisher", "publishedOn", "url") if source[f] is not None}
        assert [p["field"] for p in source["provenance"]] == sorted(
            given, key=["title", "publisher", "publishedOn", "url"].index
        )
        for known in source["provenance"]:
            if known["stated"]:
                assert known["reason"] is None
                span = source["text"][known["startOffset"] : known["endOffset"]]
                assert span == known["quote"]
            else:
                assert known["reason"] and known["quote"] is None


def test_a_date_the_text_gives_is_stated_and_a_composed_title_is_editorial(
    client: TestClient,
) -> None:
    sources = {s["slug"]: s for s in graphql(client, PROVENANCE)["sources"]["nodes"]}
    tech_wire = {p["field"]: p for p in sources["001_fc294a4a7f80cbd8"]["provenance"]}
    assert tech_wire["publishedOn"]["stated"] is True
    assert tech_wire["publishedOn"]["quote"] == "date 2019-09-06"
    assert tech_wire["title"]["stated"] is False
    assert "composed by the editor" in tech_wire["title"]["reason"]
