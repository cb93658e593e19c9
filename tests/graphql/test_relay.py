from __future__ import annotations

from starlette.testclient import TestClient

from api.ids import to_global_id
from tests.conftest import graphql


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
