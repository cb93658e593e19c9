from __future__ import annotations

from starlette.testclient import TestClient

from tests.rest.conftest import assert_problem, get_ok


def test_conflicts_endpoint_lists_the_seed_disputes(client: TestClient) -> None:
    data = get_ok(client, "/api/conflicts")["data"]
    assert [(c["fact"]["label"], c["field"]) for c in data] == [
        ("alibaba-acquires-kaola", "announced_on"),
        ("alibaba-acquires-kaola", "status"),
        ("alibaba-yunfeng-netease-cloud-music-2019", "status"),
        ("Kaola market_share (H1 2019)", "value"),
        ("Tmall Global market_share (H1 2019)", "value"),
        ("Kaola market_rank (H1 2019)", "value"),
        ("Tmall Global market_rank (H1 2019)", "value"),
    ]
    assert [c["reason"] is not None for c in data] == [False] * 5 + [True] * 2
    shares = [c["value"]["amount"] for c in data[3]["claims"]]
    assert shares == [27.7, 24.5]
    assert [c["evidence"]["source"]["slug"] for c in data[3]["claims"]] == [
        "000_2b1eff056f60b6be",
        "001_fc294a4a7f80cbd8",
    ]
    assert len(get_ok(client, "/api/conflicts?company=tmall-global")["data"]) == 2
    assert_problem(client.get("/api/conflicts?company=nobody"), 404)
