from __future__ import annotations

from starlette.testclient import TestClient

from api.rest.companies import MetricOut
from api.rest.responses import List
from tests.rest.conftest import get_ok


def test_market_figures_have_no_company(client: TestClient) -> None:
    figures = get_ok(client, "/api/markets", List[MetricOut])["data"]
    assert len(figures) == 3
    assert all(f["company"] is None and f["market"] for f in figures)
    size = next(f for f in figures if f["name"] == "market_size")
    assert (size["also"], size["forecast"]) == ({"value": 1.4e12, "unit": "USD"}, True)
    page = get_ok(client, "/api/markets?limit=1")
    assert len(page["data"]) == 1 and page["next_cursor"]


def test_company_metrics_name_their_company_and_no_market(client: TestClient) -> None:
    metrics = get_ok(client, "/api/companies/lazada/metrics", List[MetricOut])["data"]
    assert metrics and all(
        m["company"]["slug"] == "lazada" and m["market"] is None for m in metrics
    )


def test_a_rank_names_its_set_and_what_orders_it(client: TestClient) -> None:
    metrics = get_ok(client, "/api/companies/tmall-global/metrics", List[MetricOut])["data"]
    rank = next(m for m in metrics if m["name"] == "market_rank")
    assert (rank["value"], rank["among"], rank["ranked_by"]) == (
        2,
        "China's cross-border e-commerce platforms",
        "market_share",
    )
