from __future__ import annotations

from starlette.testclient import TestClient

from tests.conftest import graphql, graphql_errors


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
