from __future__ import annotations

from collections import defaultdict
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from api.ids import to_global_id
from tests.conftest import graphql, query


def _seed_deals(store_url: str) -> list[dict[str, Any]]:
    """Every deal straight from the store, for a brute-force reference."""
    rows = query(
        store_url,
        "SELECT id, key, kind, status, announced_on, value_currency, value_amount FROM deal",
    )
    sources: dict[int, set[str]] = defaultdict(set)
    for deal_id, slug in query(
        store_url,
        "SELECT e.deal_id, s.slug FROM evidence e JOIN source s ON s.id = e.source_id "
        "WHERE e.deal_id IS NOT NULL",
    ):
        sources[deal_id].add(slug)
    return [
        {
            "id": r[0],
            "key": r[1],
            "kind": r[2],
            "status": r[3],
            # SQLite gives a date back as text, PostgreSQL as a date.
            "announced_on": str(r[4] or "0001-01-01"),
            "usd": r[6] if r[5] == "USD" else None,
            "sources": sources[r[0]],
        }
        for r in rows
    ]


FILTERED = """
query Filtered($kind: DealKind, $status: DealStatus, $min: Float, $max: Float, $source: ID,
               $order: FactOrder, $first: Int, $after: String) {
  deals(kind: $kind, status: $status, valueMinUsd: $min, valueMaxUsd: $max, source: $source,
        orderBy: $order, first: $first, after: $after) {
    totalCount nodes { key } pageInfo { hasNextPage endCursor }
    aggregate { count totalValueUsd } }
}
"""
SOURCES = ["000_2b1eff056f60b6be", "001_fc294a4a7f80cbd8", "002_35f2b27074b6541c"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from([None, "ACQUISITION", "PARTNERSHIP", "STAKE_PURCHASE"]),
    status=st.sampled_from([None, "ANNOUNCED", "RUMORED"]),
    low=st.sampled_from([None, 1e8, 2.66e8, 1e9]),
    high=st.sampled_from([None, 2e8, 1e9, 5e9]),
    source=st.sampled_from([None, *SOURCES]),
    field=st.sampled_from(["ANNOUNCED_ON", "VALUE_USD", "KEY"]),
    direction=st.sampled_from(["ASC", "DESC"]),
    first=st.integers(1, 4),
)
def test_filters_and_orders_match_a_brute_force_reference(
    client: TestClient,
    store_url: str,
    kind: str | None,
    status: str | None,
    low: float | None,
    high: float | None,
    source: str | None,
    field: str,
    direction: str,
    first: int,
) -> None:
    expected = [
        d
        for d in _seed_deals(store_url)
        if kind in (None, d["kind"])
        and status in (None, d["status"])
        and (low is None or (d["usd"] is not None and d["usd"] >= low))
        and (high is None or (d["usd"] is not None and d["usd"] <= high))
        and (source is None or source in d["sources"])
    ]
    sort_key = {
        "ANNOUNCED_ON": lambda d: (d["announced_on"], d["id"]),
        "VALUE_USD": lambda d: (-1.0 if d["usd"] is None else d["usd"], d["id"]),
        "KEY": lambda d: (d["key"], d["id"]),
    }[field]
    expected.sort(key=sort_key, reverse=direction == "DESC")
    variables = {
        "kind": kind,
        "status": status,
        "min": low,
        "max": high,
        "source": None if source is None else to_global_id("Source", source),
        "order": {"field": field, "direction": direction},
        "first": first,
    }
    keys, after = [], None
    while True:
        deals = graphql(client, FILTERED, **variables, after=after)["deals"]
        keys += [n["key"] for n in deals["nodes"]]
        if not deals["pageInfo"]["hasNextPage"]:
            break
        after = deals["pageInfo"]["endCursor"]
    assert keys == [d["key"] for d in expected]
    assert deals["totalCount"] == deals["aggregate"]["count"] == len(expected)
    assert deals["aggregate"]["totalValueUsd"] == sum(d["usd"] or 0 for d in expected)


STRUCTURE = """
query Structure($key: String!) {
  deal(key: $key) {
    value { amount }
    tranches { kind value { amount text } unnamedSellers }
    valuation { value { amount currency text } basis }
    terms { kind what onWhom window { fromMonths toMonths after } }
    nonExhaustiveRoles
    sellers { name }
    claims(field: "valuation") { attributedTo { ... on Company { name } } evidence { quote } }
  }
}
"""


def test_the_lazada_deal_has_two_tranches_a_valuation_and_an_option(client: TestClient) -> None:
    lazada = graphql(client, STRUCTURE, key="alibaba-acquires-lazada")["deal"]
    assert [(t["kind"], t["value"]["amount"], t["unnamedSellers"]) for t in lazada["tranches"]] == [
        ("NEW_SHARES", 5e8, None),
        ("EXISTING_SHARES", 5e8, "existing investors"),
    ]
    assert sum(t["value"]["amount"] for t in lazada["tranches"]) == lazada["value"]["amount"]
    assert lazada["valuation"] == {
        "value": {"amount": 1.5e9, "currency": "USD", "text": "$1.5bn"},
        "basis": "UNSPECIFIED",
    }
    (said,) = lazada["claims"]
    assert said["attributedTo"] == {"name": "Rocket Internet"}
    assert said["evidence"]["quote"] == "Rocket Internet said the deal values Lazada at $1.5bn."
    assert lazada["terms"] == [
        {
            "kind": "OPTION",
            "what": "buy out",
            "onWhom": "certain Lazada shareholders",
            "window": {"fromMonths": 12, "toMonths": 18, "after": "COMPLETION"},
        }
    ]
    # "Investors who divested their stakes in Lazada include ...": there may be more sellers.
    assert lazada["nonExhaustiveRoles"] == ["SELLER"]
    assert len(lazada["sellers"]) == 3


def test_the_kaola_deal_states_plans_for_after_it_and_no_structure(client: TestClient) -> None:
    kaola = graphql(client, STRUCTURE, key="alibaba-acquires-kaola")["deal"]
    assert (kaola["tranches"], kaola["valuation"]) == ([], None)
    # "Kaola will continue to operate independently under its current brand. The platform will
    # be integrated into Tmall, ..."
    assert [(t["kind"], t["onWhom"], t["window"]) for t in kaola["terms"]] == [
        ("PLAN", "Kaola", None),
        ("PLAN", "Kaola", None),
    ]
    assert kaola["terms"][1]["what"].startswith("be integrated into Tmall")
    assert kaola["nonExhaustiveRoles"] == []
    scmp = graphql(client, STRUCTURE, key="alibaba-acquires-scmp")["deal"]
    assert (scmp["tranches"], scmp["valuation"], scmp["terms"]) == ([], None, [])
    # "the South China Morning Post (SCMP) and other media assets of SCMP Group"
    assert scmp["nonExhaustiveRoles"] == ["TARGET"]


STATUS = """
query Status($key: String!) {
  deal(key: $key) { kind status claims(field: "status") { value evidence { quote } } }
}
"""


def test_each_status_is_a_stage_of_the_lifecycle_with_its_quote(client: TestClient) -> None:
    snapdeal = graphql(client, STATUS, key="alibaba-snapdeal-talks")["deal"]
    # Talks were held; the acquisition is only speculated about, so the deal has not got further.
    assert (snapdeal["kind"], snapdeal["status"]) == ("ACQUISITION", "IN_TALKS")
    (talks,) = snapdeal["claims"]
    assert talks["evidence"]["quote"] == (
        "He also held talks with the CEO of Indian e-commerce company Snapdeal"
    )
    lazada = graphql(client, STATUS, key="alibaba-acquires-lazada")["deal"]
    assert lazada["status"] == "AGREED"
    assert "has agreed to acquire" in lazada["claims"][0]["evidence"]["quote"]
