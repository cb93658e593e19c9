from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.store.graph import MAX_HOPS, Edge, NodeRef, Path, Step, shortest_paths
from api.store.models import Company, Person
from tests.conftest import counting_statements
from tests.store.graphs import Graph, built, deal, graphs, role, stake


@pytest.fixture(scope="module")
def nodes(seed_engine: Engine) -> dict[str, NodeRef]:
    """Every company and person of the seeds by slug (no slug names both)."""
    with Session(seed_engine) as session:
        people = {p.slug: NodeRef("person", p.id) for p in session.exec(select(Person)) if p.id}
        companies = {
            c.slug: NodeRef("company", c.id) for c in session.exec(select(Company)) if c.id
        }
    assert not people.keys() & companies.keys()
    return people | companies


# Connections on the seed store


def connect(session: Session, start: NodeRef, end: NodeRef, max_hops: int = MAX_HOPS) -> list[Path]:
    return shortest_paths(session, start=start, end=end, max_hops=max_hops, limit=10)


def test_softbank_holds_a_stake_in_snapdeal(
    session: Session, seed_engine: Engine, nodes: dict[str, NodeRef]
) -> None:
    with counting_statements(seed_engine) as statements:
        paths = connect(session, nodes["softbank"], nodes["snapdeal"])
    assert paths == [
        Path(
            nodes["softbank"],
            (Step(nodes["snapdeal"], stake(session, "softbank", "snapdeal")),),
        )
    ]
    assert len(statements) == 1


def test_snapdeal_meets_alibaba_in_a_rumoured_deal(
    session: Session, nodes: dict[str, NodeRef]
) -> None:
    # Two hops via SoftBank also exist, but only the shortest paths are returned.
    assert connect(session, nodes["snapdeal"], nodes["alibaba"]) == [
        Path(
            nodes["snapdeal"],
            (Step(nodes["alibaba"], deal(session, "alibaba-snapdeal-talks")),),
        )
    ]


def test_softbank_reaches_kaola_through_alibaba(
    session: Session, seed_engine: Engine, nodes: dict[str, NodeRef]
) -> None:
    with counting_statements(seed_engine) as statements:
        paths = connect(session, nodes["softbank"], nodes["kaola"])
    assert paths == [
        Path(
            nodes["softbank"],
            (
                Step(nodes["alibaba"], stake(session, "softbank", "alibaba")),
                Step(nodes["kaola"], deal(session, "alibaba-acquires-kaola")),
            ),
        )
    ]
    assert len(statements) <= 2
    assert connect(session, nodes["softbank"], nodes["kaola"], max_hops=1) == []


def test_alvin_liu_reaches_netease_two_ways(
    session: Session, seed_engine: Engine, nodes: dict[str, NodeRef]
) -> None:
    kaola = Step(nodes["kaola"], role(session, "alvin-liu", "kaola"))
    netease = nodes["netease"]
    with counting_statements(seed_engine) as statements:
        paths = connect(session, nodes["alvin-liu"], nodes["netease"])
    assert len(statements) <= 2
    assert paths == sorted(
        [
            Path(
                nodes["alvin-liu"],
                (kaola, Step(netease, deal(session, "alibaba-acquires-kaola"))),
            ),
            Path(
                nodes["alvin-liu"],
                (kaola, Step(netease, stake(session, "netease", "kaola"))),
            ),
        ],
        key=lambda p: p.steps,
    )
    assert [p.end for p in paths] == [netease, netease]
    limited = shortest_paths(session, start=nodes["alvin-liu"], end=netease, max_hops=2, limit=1)
    assert limited == paths[:1]


def test_people_meet_through_a_company(session: Session, nodes: dict[str, NodeRef]) -> None:
    assert connect(session, nodes["jack-ma"], nodes["daniel-zhang"]) == [
        Path(
            nodes["jack-ma"],
            (
                Step(nodes["alibaba"], role(session, "jack-ma", "alibaba")),
                Step(nodes["daniel-zhang"], role(session, "daniel-zhang", "alibaba")),
            ),
        )
    ]


def test_unconnected_and_trivial_paths(
    session: Session, seed_engine: Engine, nodes: dict[str, NodeRef]
) -> None:
    tencent = nodes["tencent"]
    with counting_statements(seed_engine) as statements:
        assert connect(session, nodes["tencent"], nodes["alibaba"]) == []
    assert len(statements) <= MAX_HOPS
    assert connect(session, nodes["tencent"], nodes["tencent"]) == [Path(tencent, ())]


def test_arguments_are_checked(session: Session) -> None:
    a, b = NodeRef("company", 1), NodeRef("person", 1)
    for hops in (0, MAX_HOPS + 1):
        with pytest.raises(ValueError, match="max_hops must be between 1 and 6"):
            shortest_paths(session, start=a, end=b, max_hops=hops, limit=1)
    with pytest.raises(ValueError, match="limit must be at least 1"):
        shortest_paths(session, start=a, end=b, max_hops=1, limit=0)
    with pytest.raises(ValueError, match="company or a person"):
        NodeRef("deal", 1)  # type: ignore[arg-type]


# Random graphs against brute force


def adjacency(graph: Graph) -> dict[NodeRef, set[tuple[NodeRef, Edge]]]:
    links: dict[NodeRef, set[tuple[NodeRef, Edge]]] = defaultdict(set)

    def link(a: NodeRef, b: NodeRef, edge: Edge) -> None:
        if a != b:
            links[a].add((b, edge))
            links[b].add((a, edge))

    def firm(i: int) -> NodeRef:
        return NodeRef("company", i)

    for i, (holder, held) in enumerate(graph.stakes, 1):
        link(firm(holder), firm(held), Edge("stake", i))
    for i, (_, _, _, parties) in enumerate(graph.deals, 1):
        for a, _ in parties:
            for b, _ in parties:
                link(firm(a), firm(b), Edge("deal", i))
    for i, (investee, investors) in enumerate(graph.investments, 1):
        for investor in investors:
            link(firm(investor), firm(investee), Edge("investment", i))
    for i, (person_id, company_id) in enumerate(graph.roles, 1):
        link(NodeRef("person", person_id), firm(company_id), Edge("role", i))
    return links


def reference_paths(
    links: dict[NodeRef, set[tuple[NodeRef, Edge]]], start: NodeRef, end: NodeRef, max_hops: int
) -> list[tuple[Step, ...]]:
    """Every shortest path, sorted by its steps: extend every path to each unseen neighbour."""
    if start == end:
        return [()]
    paths: dict[NodeRef, list[tuple[Step, ...]]] = {start: [()]}
    seen = {start}
    for _ in range(max_hops):
        reached: dict[NodeRef, list[tuple[Step, ...]]] = defaultdict(list)
        for here, ways in paths.items():
            for there, edge in links[here]:
                if there not in seen:
                    reached[there] += [(*way, Step(there, edge)) for way in ways]
        if end in reached:
            return sorted(reached[end])
        seen |= reached.keys()
        paths = reached
    return []


@settings(max_examples=40, deadline=None)
@given(graph=graphs(), max_hops=st.integers(1, MAX_HOPS), limit=st.integers(1, 4))
def test_shortest_paths_match_brute_force(graph: Graph, max_hops: int, limit: int) -> None:
    nodes = [NodeRef("company", i) for i in range(1, len(graph.names) + 1)]
    nodes += [NodeRef("person", i) for i in range(1, graph.people + 1)]
    links = adjacency(graph)
    with built(graph) as engine, Session(engine) as session:
        for start in nodes:
            for end in nodes:
                expected = reference_paths(links, start, end, max_hops)[:limit]
                with counting_statements(engine) as statements:
                    paths = shortest_paths(
                        session, start=start, end=end, max_hops=max_hops, limit=limit
                    )
                assert paths == [Path(start, steps) for steps in expected]
                assert len(statements) <= max_hops
