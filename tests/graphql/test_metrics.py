from __future__ import annotations

from starlette.testclient import TestClient

from tests.conftest import graphql

MARKETS = """
query Markets($first: Int, $after: String) {
  marketFigures(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { market name value unit period forecast also { value unit } company { slug }
      claims(field: "value") { attributedTo { __typename ... on Company { slug }
        ... on Person { slug } } evidence { quote source { slug } } } }
  }
}
"""


def test_market_figures_are_listed_by_market_with_their_forecasts_and_two_currencies(
    client: TestClient,
) -> None:
    data = graphql(client, MARKETS)["marketFigures"]
    assert data["totalCount"] == 3
    figures = {(f["market"], f["name"]): f for f in data["nodes"]}
    assert [f["market"] for f in data["nodes"]] == sorted(f["market"] for f in data["nodes"])
    size = figures[("China's cross-border e-commerce market", "market_size")]
    assert (size["value"], size["unit"], size["period"], size["forecast"]) == (
        10e12,
        "CNY",
        "end of 2019",
        True,
    )
    assert size["also"] == {"value": 1.4e12, "unit": "USD"}
    assert size["company"] is None
    (said,) = size["claims"]
    assert said["attributedTo"] == {"__typename": "Company", "slug": "iimedia-research"}
    online = figures[("Southeast Asia's retail sales", "online_share")]
    assert (online["value"], online["unit"], online["forecast"]) == (3, "percent", False)
    consumers = figures[("Southeast Asia", "consumers")]
    assert consumers["claims"][0]["attributedTo"] == {"__typename": "Person", "slug": "max-bittner"}


def test_market_figures_page_with_cursors(client: TestClient) -> None:
    first = graphql(client, MARKETS, first=2)["marketFigures"]
    assert len(first["nodes"]) == 2 and first["pageInfo"]["hasNextPage"]
    rest = graphql(client, MARKETS, first=2, after=first["pageInfo"]["endCursor"])["marketFigures"]
    assert len(rest["nodes"]) == 1 and not rest["pageInfo"]["hasNextPage"]
    markets = [f["market"] for f in first["nodes"] + rest["nodes"]]
    assert markets == sorted(markets)


def test_a_rank_names_its_set_and_what_orders_it(client: TestClient) -> None:
    query = '{ company(slug: "kaola") { metrics { name value among rankedBy } } }'
    metrics = graphql(client, query)["company"]["metrics"]
    rank = next(m for m in metrics if m["name"] == "market_rank")
    assert (rank["value"], rank["among"], rank["rankedBy"]) == (
        1,
        "China's cross-border e-commerce platforms",
        "market_share",
    )
    share = next(m for m in metrics if m["name"] == "market_share")
    assert (share["among"], share["rankedBy"]) == (None, None)
