from __future__ import annotations

import csv
import io

from starlette.testclient import TestClient

from api.ids import to_global_id
from api.rest.deals import DealOut
from api.rest.responses import Item, List
from tests.conftest import counting_statements
from tests.rest.conftest import get_ok

KAOLA_DEAL = to_global_id("Deal", "alibaba-acquires-kaola")


def test_deal_filters(client: TestClient) -> None:
    in_talks = get_ok(client, "/api/deals?status=in_talks", List[DealOut])["data"]
    assert [d["key"] for d in in_talks] == ["alibaba-snapdeal-talks"]
    assert get_ok(client, "/api/deals?status=rumored")["data"] == []
    in_2015 = get_ok(client, "/api/deals?announced_after=2015-01-01&announced_before=2015-12-31")[
        "data"
    ]
    assert [d["announced_on"] for d in in_2015] == ["2015-06"]
    stake_buys = get_ok(client, "/api/deals?kind=stake_purchase&company=alibaba&role=acquirer")[
        "data"
    ]
    assert [d["key"] for d in stake_buys] == ["alibaba-china-business-news-stake"]


def test_deal_item_carries_parties_value_and_evidence(client: TestClient) -> None:
    deal = get_ok(client, f"/api/deals/{KAOLA_DEAL}", Item[DealOut])["data"]
    assert deal["value"]["amount"] == 2_000_000_000
    roles = {(p["company"]["slug"], p["role"]) for p in deal["parties"]}
    assert roles == {("alibaba", "acquirer"), ("kaola", "target"), ("netease", "seller")}
    texts = {s["id"]: s["text"] for s in get_ok(client, "/api/sources")["data"]}
    for evidence in deal["evidence"]:
        text = texts[evidence["source"]["id"]]
        assert text[evidence["start_offset"] : evidence["end_offset"]] == evidence["quote"]
    assert get_ok(client, "/api/deals/alibaba-acquires-kaola")["data"] == deal


def test_a_page_costs_the_same_statements_whatever_its_size(client: TestClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    counts = []
    for limit in (2, 6):
        with counting_statements(engine) as statements:
            assert len(get_ok(client, f"/api/deals?limit={limit}")["data"]) == limit
        counts.append(len(statements))
    # deals, parties, claims, evidence, sources, attributed companies and people
    assert counts[0] == counts[1] == 7


def test_deal_filters_csv_and_summary(client: TestClient) -> None:
    ordered = get_ok(client, "/api/deals?order_by=value_usd&direction=desc&value_min_usd=2e8")
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
    summary = get_ok(client, "/api/deals/summary?kind=acquisition")["data"]
    assert (summary["count"], summary["total_value_usd"]) == (4, 3.266e9)


def test_a_deal_gives_its_structure_and_the_claims_behind_it(client: TestClient) -> None:
    lazada = get_ok(client, "/api/deals/alibaba-acquires-lazada", Item[DealOut])["data"]
    assert [t["kind"] for t in lazada["tranches"]] == ["new_shares", "existing_shares"]
    assert lazada["valuation"]["basis"] == "unspecified"
    assert lazada["terms"][0]["window"] == {
        "from_months": 12,
        "to_months": 18,
        "after": "completion",
    }
    assert lazada["non_exhaustive_roles"] == ["seller"]
    claims = {c["field"]: c for c in lazada["claims"]}
    assert claims["tranches"]["value"] == lazada["tranches"]
    assert claims["valuation"]["attributed_to"]["name"] == "Rocket Internet"
    assert claims["terms"]["text"] == (
        "option to buy out certain Lazada shareholders 12 to 18 months after completion"
    )
