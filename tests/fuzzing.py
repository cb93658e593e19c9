"""What the fuzz tests share: how many examples they try, and real references into the seed corpus.

Random text almost never names a company or a deal, so generated inputs also draw from the ids,
slugs, keys and cursors that the seed corpus really has: those reach the resolvers and handlers
behind a successful lookup, not only the "not found" branch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient


def fuzz_settings(max_examples: int) -> settings:
    """Bounded and reproducible: the same examples on every run, and nothing kept between runs."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        # Time is bounded by the number of examples; one slow request is not a failure.
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


# Every object with a global id, by type, and a cursor of each list. The seed corpus is small: a
# page of 100 holds each list whole.
REFERENCES_QUERY = """
{
  Company: companies(first: 100) { nodes { id slug } pageInfo { endCursor } }
  Person: people(first: 100) { nodes { id slug } pageInfo { endCursor } }
  Deal: deals(first: 100) { nodes { id key } pageInfo { endCursor } }
  Investment: investments(first: 100) { nodes { id key } pageInfo { endCursor } }
  Source: sources(first: 100) { nodes { id slug } pageInfo { endCursor } }
  conflicts(first: 1) { pageInfo { endCursor } }
  firstCompany: companies(first: 1) { pageInfo { endCursor } }
  firstDeal: deals(first: 1) { pageInfo { endCursor } }
  search(query: "alibaba", first: 1) { pageInfo { endCursor } }
}
"""
TYPES = ("Company", "Person", "Deal", "Investment", "Source")


@dataclass(frozen=True)
class References:
    """Real references into the store, each list in a fixed order so that examples repeat."""

    # The global ids, and the slugs or keys, of each type's objects.
    ids: dict[str, tuple[str, ...]]
    keys: dict[str, tuple[str, ...]]
    cursors: tuple[str, ...]

    @classmethod
    def of(cls, client: TestClient) -> References:
        response = client.post("/graphql", json={"query": REFERENCES_QUERY})
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        nodes = {type_name: data[type_name]["nodes"] for type_name in TYPES}
        assert all(nodes.values()), nodes
        cursors = [found["pageInfo"]["endCursor"] for found in data.values()]
        return cls(
            ids={name: tuple(node["id"] for node in found) for name, found in nodes.items()},
            keys={
                name: tuple(node.get("slug") or node["key"] for node in found)
                for name, found in nodes.items()
            },
            cursors=tuple(cursor for cursor in cursors if cursor),
        )

    def of_type(self, *type_names: str) -> st.SearchStrategy[str]:
        """A real global id, slug or key of an object of one of these types."""
        refs = [ref for name in type_names for ref in self.ids[name] + self.keys[name]]
        return st.sampled_from(refs)

    def global_ids(self) -> st.SearchStrategy[str]:
        """A global id: most often a real one, of any type."""
        real = [ref for name in TYPES for ref in self.ids[name]]
        return st.one_of(st.sampled_from(real), st.text(max_size=20))

    def all_keys(self) -> tuple[str, ...]:
        return tuple(key for name in TYPES for key in self.keys[name])
