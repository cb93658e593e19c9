from __future__ import annotations

from starlette.testclient import TestClient

from tests.conftest import graphql


def test_timeline_is_in_date_order_with_undated_last(client: TestClient) -> None:
    entries = graphql(
        client,
        '{ company(slug: "lazada") { timeline { kind date fact { __typename } } } }',
    )["company"]["timeline"]
    dated = [e["date"] for e in entries if e["date"]]
    assert dated == sorted(dated) and dated[0] == "2013"
    assert entries[-1]["date"] is None
    assert {"DEAL_ANNOUNCED", "INVESTMENT", "APPOINTMENT", "METRIC"} <= {e["kind"] for e in entries}
