from __future__ import annotations

from starlette.testclient import TestClient

from api.ids import to_global_id
from tests.conftest import counting_statements, graphql

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


def test_company_by_slug_equals_company_by_id(client: TestClient) -> None:
    query = "query($id: ID, $slug: String) { company(id: $id, slug: $slug) { id name } }"
    by_slug = graphql(client, query, slug="netease")
    assert by_slug == graphql(client, query, id=to_global_id("Company", "netease"))
    assert graphql(client, query, slug="unknown")["company"] is None
