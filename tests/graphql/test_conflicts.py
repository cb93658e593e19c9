from __future__ import annotations

from starlette.testclient import TestClient

from api.ids import to_global_id
from tests.conftest import counting_statements, graphql, graphql_errors

KAOLA_ARTICLES = {"000_2b1eff056f60b6be", "001_fc294a4a7f80cbd8"}
ALIBABA = to_global_id("Company", "alibaba")

CONFLICTS = """
query Conflicts($company: ID, $first: Int) {
  conflicts(company: $company, first: $first) { totalCount nodes { field resolved reason
    fact { __typename disputedFields ... on Deal { key announcedOn status }
      ... on Investment { key status }
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
        ("alibaba-yunfeng-netease-cloud-music-2019", "status"),
        ("kaola market_share", "value"),
        ("tmall-global market_share", "value"),
        ("kaola market_rank", "value"),
        ("tmall-global market_rank", "value"),
    ]
    for node in nodes[:5]:
        assert {c["evidence"]["source"]["slug"] for c in node["claims"]} == KAOLA_ARTICLES
    day, status, music, kaola, tmall, kaola_rank, tmall_rank = nodes
    # One article ranks them; the other's shares order them the other way.
    assert kaola_rank["resolved"] and kaola_rank["fact"]["value"] == 1
    assert kaola_rank["reason"] == tmall_rank["reason"]
    assert kaola_rank["reason"].startswith(
        "Kaola is ranked 1 and Tmall Global 2 among China's cross-border e-commerce platforms"
    )
    assert [c["evidence"]["source"]["slug"] for c in kaola_rank["claims"]] == [
        "000_2b1eff056f60b6be"
    ]
    assert day["resolved"] and day["fact"]["announcedOn"] == "2019-09-05"
    assert [(c["text"], c["rank"]) for c in day["claims"]] == [
        ("Friday", "NORMAL"),
        ("Thursday 2019-09-05", "PREFERRED"),
    ]
    assert status["fact"]["status"] == "ANNOUNCED"
    assert status["claims"][0]["rank"] == "DEPRECATED" and status["claims"][0]["rankReason"]
    assert music["resolved"] and music["fact"]["status"] == "AGREED"
    assert [(c["value"], c["rank"]) for c in music["claims"]] == [
        ("announced", "NORMAL"),
        ("agreed", "PREFERRED"),
    ]
    assert not kaola["resolved"] and kaola["fact"]["value"] is None
    assert kaola["fact"]["period"] == "H1 2019"
    assert [c["value"]["amount"] for c in kaola["claims"]] == [27.7, 24.5]
    assert [c["value"]["amount"] for c in tmall["claims"]] == [25.1, 31.7]
    assert kaola["claims"][0]["attributedTo"] == {"slug": "iimedia-research"}


def test_conflicts_filter_by_company(client: TestClient) -> None:
    tmall = to_global_id("Company", "tmall-global")
    data = graphql(client, CONFLICTS, company=tmall)["conflicts"]
    assert data["totalCount"] == 2
    assert {n["fact"]["company"]["slug"] for n in data["nodes"]} == {"tmall-global"}
    assert graphql(client, CONFLICTS, company=ALIBABA)["conflicts"]["totalCount"] == 3
    errors = graphql_errors(client, CONFLICTS, company=to_global_id("Company", "nobody"))
    assert errors[0]["message"] == "no company has the id 'Q29tcGFueTpub2JvZHk'"


def test_conflict_statements_are_bounded_by_depth(client: TestClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    counts = []
    for first in (1, 7):
        with counting_statements(engine) as statements:
            graphql(client, CONFLICTS, first=first)
        counts.append(len(statements))
    # Conflicts and their count; each kind of fact in dispute (deal, investment, metric), with its
    # claims (for `disputedFields`); the conflicts' claims; companies (metrics' and speakers');
    # quotes; sources.
    assert counts[0] <= counts[1] == 12
