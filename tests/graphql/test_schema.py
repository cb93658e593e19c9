from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from api.app import create_app
from api.config import Settings
from api.ids import to_global_id
from tests.conftest import counting_statements, graphql, graphql_errors

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
    assert {"2019-09-05", "2016", "2015-12", "2015-06"} <= dates


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


def test_contract_query_statement_count_is_pinned(client: TestClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with counting_statements(engine) as statements:
        graphql(client, CONTRACT_QUERY, id=ALIBABA)
    # One statement per loader level the query reaches, whatever the number of rows.
    assert len(statements) == 20, statements


def test_pages_walk_every_company_once(client: TestClient) -> None:
    query = """query Page($after: String) { companies(first: 5, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { slug name } } } }"""
    seen: list[str] = []
    names: list[str] = []
    after = None
    while True:
        page = graphql(client, query, after=after)["companies"]
        seen += [edge["node"]["slug"] for edge in page["edges"]]
        names += [edge["node"]["name"] for edge in page["edges"]]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"] == 27
    assert names == sorted(names)


def test_node_and_nodes_resolve_every_type(client: TestClient) -> None:
    ids = [
        to_global_id("Company", "kaola"),
        to_global_id("Person", "alvin-liu"),
        to_global_id("Deal", "alibaba-acquires-kaola"),
        to_global_id("Source", "001_fc294a4a7f80cbd8"),
        to_global_id("Company", "no-such-company"),
    ]
    data = graphql(
        client,
        "query($ids: [ID!]!, $id: ID!) { node(id: $id) { id __typename } "
        "nodes(ids: $ids) { __typename id } }",
        ids=ids,
        id=ids[2],
    )
    assert data["node"] == {"id": ids[2], "__typename": "Deal"}
    assert [n and n["__typename"] for n in data["nodes"]] == [
        "Company",
        "Person",
        "Deal",
        "Source",
        None,
    ]


def test_company_by_slug_equals_company_by_id(client: TestClient) -> None:
    query = "query($id: ID, $slug: String) { company(id: $id, slug: $slug) { id name } }"
    by_slug = graphql(client, query, slug="netease")
    assert by_slug == graphql(client, query, id=to_global_id("Company", "netease"))
    assert graphql(client, query, slug="unknown")["company"] is None


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        ("query($id: ID!) { company(id: $id) { name } }", {"id": "!!"}, "not a valid"),
        (
            "query($id: ID!) { company(id: $id) { name } }",
            {"id": to_global_id("Deal", "alibaba-acquires-kaola")},
            "is the id of a Deal, not of a Company",
        ),
        ("{ company { name } }", {}, "exactly one of `id` and `slug`"),
        ("{ companies(first: 101) { totalCount } }", {}, "`first` must be between 0 and 100"),
        ('{ companies(after: "bm9wZQ") { totalCount } }', {}, "not a valid cursor"),
        (
            '{ company(slug: "alibaba") { deals(after: "bm9wZQ") { totalCount } } }',
            {},
            "not a valid cursor",
        ),
        ('{ deals(announcedAfter: "Friday") { totalCount } }', {}, "must be a date"),
        ("{ companies { nodes { nope } } }", {}, "Cannot query field 'nope'"),
    ],
)
def test_bad_requests_get_precise_errors(
    client: TestClient, query: str, variables: dict[str, Any], message: str
) -> None:
    errors = graphql_errors(client, query, **variables)
    assert message in errors[0]["message"]


def test_limits_refuse_deep_and_aliased_queries(client: TestClient) -> None:
    deep = (
        "{ companies { nodes { "
        + "deals { nodes { targets { " * 5
        + "name"
        + " } } }" * 5
        + " } } }"
    )
    assert "exceeds maximum operation depth" in graphql_errors(client, deep)[0]["message"]
    aliased = "{ " + " ".join(f"a{i}: sources {{ totalCount }}" for i in range(40)) + " }"
    assert "aliases" in graphql_errors(client, aliased)[0]["message"]


def test_unexpected_failures_are_masked(tmp_path: Path, store_url: str) -> None:
    broken = tmp_path / "broken.db"
    with (
        sqlite3.connect(store_url.removeprefix("sqlite:///")) as source,
        sqlite3.connect(broken) as copy,
    ):
        source.backup(copy)
        copy.execute("DROP TABLE metric")
    with TestClient(create_app(Settings(database_url=f"sqlite:///{broken}"))) as client:
        response = client.post(
            "/graphql", json={"query": '{ company(slug: "kaola") { name metrics { name } } }'}
        )
    body = response.json()
    assert body["errors"][0]["message"] == "Internal error."
    assert "no such table" not in response.text
    assert "SELECT" not in response.text
    assert body["data"] is None or body["data"]["company"] is None


def test_every_type_field_and_argument_is_described(client: TestClient) -> None:
    data = graphql(
        client,
        """{ __schema { types { name kind description
              fields { name description args { name description } }
              enumValues { name } inputFields { name description } } } }""",
    )
    missing = []
    for t in data["__schema"]["types"]:
        if t["name"].startswith("__") or t["kind"] == "SCALAR":
            continue
        if not t["description"]:
            missing.append(t["name"])
        for f in t["fields"] or []:
            if not f["description"]:
                missing.append(f"{t['name']}.{f['name']}")
            missing += [
                f"{t['name']}.{f['name']}({a['name']})" for a in f["args"] if not a["description"]
            ]
    assert missing == []


def test_graphiql_is_served_to_browsers(client: TestClient) -> None:
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


CONFLICTS = """
query Conflicts($company: ID, $first: Int) {
  conflicts(company: $company, first: $first) { totalCount nodes { field resolved
    fact { __typename disputedFields ... on Deal { key announcedOn status }
      ... on Metric { name period value company { slug } } }
    claims { value text rank rankReason note attributedTo { ... on Company { slug } }
      evidence { quote source { slug } } } } }
}
"""


def test_conflicts_list_the_seed_disputes_with_both_sources(client: TestClient) -> None:
    nodes = graphql(client, CONFLICTS)["conflicts"]["nodes"]
    summary = [
        (n["fact"].get("key") or f"{n['fact']['company']['slug']} {n['fact']['name']}", n["field"])
        for n in nodes
    ]
    assert summary == [
        ("alibaba-acquires-kaola", "announcedOn"),
        ("alibaba-acquires-kaola", "status"),
        ("kaola market_share", "value"),
        ("tmall-global market_share", "value"),
    ]
    for node in nodes:
        assert {c["evidence"]["source"]["slug"] for c in node["claims"]} == KAOLA_ARTICLES
    day, status, kaola, tmall = nodes
    assert day["resolved"] and day["fact"]["announcedOn"] == "2019-09-05"
    assert [(c["text"], c["rank"]) for c in day["claims"]] == [
        ("Friday", "NORMAL"),
        ("Thursday 2019-09-05", "PREFERRED"),
    ]
    assert status["fact"]["status"] == "ANNOUNCED"
    assert status["claims"][0]["rank"] == "DEPRECATED" and status["claims"][0]["rankReason"]
    assert not kaola["resolved"] and kaola["fact"]["value"] is None
    assert kaola["fact"]["period"] == "H1 2019"
    assert [c["value"]["amount"] for c in kaola["claims"]] == [27.7, 24.5]
    assert [c["value"]["amount"] for c in tmall["claims"]] == [25.1, 31.7]
    assert kaola["claims"][0]["attributedTo"] == {"slug": "iimedia-research"}


def test_conflicts_filter_by_company(client: TestClient) -> None:
    tmall = to_global_id("Company", "tmall-global")
    data = graphql(client, CONFLICTS, company=tmall)["conflicts"]
    assert data["totalCount"] == 1
    assert data["nodes"][0]["fact"]["company"] == {"slug": "tmall-global"}
    assert graphql(client, CONFLICTS, company=ALIBABA)["conflicts"]["totalCount"] == 2
    errors = graphql_errors(client, CONFLICTS, company=to_global_id("Company", "nobody"))
    assert errors[0]["message"] == "no company has the id 'Q29tcGFueTpub2JvZHk'"


def test_claims_of_a_fact_by_field(client: TestClient) -> None:
    data = graphql(
        client,
        """{ deal(key: "alibaba-acquires-kaola") { value { amount approximate }
              disputedFields claims(field: "value") { value text evidence { source { slug } } } } }""",
    )["deal"]
    assert data["value"] == {"amount": 2e9, "approximate": True}
    assert data["disputedFields"] == ["announcedOn", "status"]
    assert sorted(c["text"] for c in data["claims"]) == [
        "about US$2 billion (2,000,000,000 USD)",
        "approximately $2bn (2,000,000,000 USD)",
    ]


def test_conflict_statements_are_bounded_by_depth(client: TestClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    counts = []
    for first in (1, 4):
        with counting_statements(engine) as statements:
            graphql(client, CONFLICTS, first=first)
        counts.append(len(statements))
    # Conflicts and their count; each kind of fact in dispute, with its claims (for
    # `disputedFields`); the conflicts' claims; companies (metrics' and speakers'); quotes; sources.
    assert counts[0] <= counts[1] == 10


def _seed_deals(store_url: str) -> list[dict[str, Any]]:
    """Every deal straight from the store, for a brute-force reference."""
    with sqlite3.connect(store_url.removeprefix("sqlite:///")) as db:
        rows = db.execute(
            "SELECT d.id, d.key, d.kind, d.status, d.announced_on, d.value_currency, "
            "d.value_amount, group_concat(DISTINCT s.slug) FROM deal d "
            "JOIN evidence e ON e.deal_id = d.id JOIN source s ON s.id = e.source_id GROUP BY d.id"
        ).fetchall()
    return [
        {
            "id": r[0],
            "key": r[1],
            "kind": r[2],
            "status": r[3],
            "announced_on": r[4] or "0001-01-01",
            "usd": r[6] if r[5] == "USD" else None,
            "sources": set(r[7].split(",")),
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


def test_ownership_and_connections_through_graphql(client: TestClient) -> None:
    data = graphql(
        client,
        """query($from: ID!, $to: ID!) {
             company(slug: "abacus") { parent { slug } ultimateParent { slug }
               controlChain { company { slug } parent { slug }
                 via { ... on Stake { evidence { quote } } } } }
             alibaba: company(slug: "alibaba") { parent { slug }
               subsidiaries(depth: 2) { depth company { slug } } }
             connections(from: $from, to: $to, maxHops: 2) { hops
               steps { node { ... on Company { slug } } via { __typename } } } }""",
        **{"from": to_global_id("Company", "softbank"), "to": to_global_id("Company", "kaola")},
    )
    abacus = data["company"]
    assert (abacus["parent"], abacus["ultimateParent"]) == (
        {"slug": "south-china-morning-post"},
        {"slug": "alibaba"},
    )
    assert [(c["company"]["slug"], c["parent"]["slug"]) for c in abacus["controlChain"]] == [
        ("abacus", "south-china-morning-post"),
        ("south-china-morning-post", "alibaba"),
    ]
    assert all(c["via"]["evidence"] for c in abacus["controlChain"])
    assert data["alibaba"]["parent"] is None
    subsidiaries = {(s["depth"], s["company"]["slug"]) for s in data["alibaba"]["subsidiaries"]}
    assert (1, "south-china-morning-post") in subsidiaries and (2, "abacus") in subsidiaries
    assert data["connections"] == [
        {
            "hops": 2,
            "steps": [
                {"node": {"slug": "alibaba"}, "via": {"__typename": "Stake"}},
                {"node": {"slug": "kaola"}, "via": {"__typename": "Deal"}},
            ],
        }
    ]


def test_search_finds_aliases_and_phrases_with_highlights(client: TestClient) -> None:
    query = """query($q: String!) { search(query: $q, first: 3) {
                 hits { kind snippet { text highlights { start end } }
                   node { ... on Company { slug } ... on Source { slug } } } } }"""
    hits = graphql(client, query, q="SCMP")["search"]["hits"]
    assert hits[0]["node"] == {"slug": "south-china-morning-post"}
    hits = graphql(client, query, q='"largest cross-border ecommerce platform"')["search"]["hits"]
    assert hits[0]["kind"] == "SOURCE" and hits[0]["node"] == {"slug": "000_2b1eff056f60b6be"}
    snippet = hits[0]["snippet"]
    marked = [snippet["text"][h["start"] : h["end"]] for h in snippet["highlights"]]
    assert marked == ["largest cross-border ecommerce platform"]
    errors = graphql_errors(client, query, q="   ")
    assert errors[0]["message"] == "the search query is empty"


def test_timeline_is_in_date_order_with_undated_last(client: TestClient) -> None:
    entries = graphql(
        client,
        '{ company(slug: "lazada") { timeline { kind date fact { __typename } } } }',
    )["company"]["timeline"]
    dated = [e["date"] for e in entries if e["date"]]
    assert dated == sorted(dated) and dated[0] == "2013"
    assert entries[-1]["date"] is None
    assert {"DEAL_ANNOUNCED", "INVESTMENT", "APPOINTMENT", "METRIC"} <= {e["kind"] for e in entries}


GRAPH_NESTED = """
query GraphNested($first: Int!) {
  companies(first: $first) { nodes { slug parent { slug } ultimateParent { slug }
    controlChain { via { __typename } } subsidiaries(depth: 2) { company { slug } }
    metrics { value disputedFields claims { text attributedTo { __typename } } }
    timeline { date fact { __typename } } } }
}
"""


def test_new_nested_fields_cost_statements_bounded_by_depth(client: TestClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    counts = []
    for first in (3, 10, 27):
        with counting_statements(engine) as statements:
            graphql(client, GRAPH_NESTED, first=first)
        counts.append(len(statements))
    # One statement per loader level, plus one per level of the ownership chains walked.
    assert max(counts) <= 15, counts
