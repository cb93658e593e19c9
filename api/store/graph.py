"""The relationship graph: how any two companies or people are connected through stakes, deals,
investments and roles. Every function costs a number of statements bounded by the hops asked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Literal

from sqlalchemy import join, literal, union
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api.store.models import DealParty, Investment, InvestmentInvestor, Role, Stake

MAX_HOPS = 6

NodeKind = Literal["company", "person"]
EdgeKind = Literal["stake", "deal", "investment", "role"]
NODE_KINDS: tuple[NodeKind, ...] = ("company", "person")


@dataclass(frozen=True, order=True)
class NodeRef:
    kind: NodeKind
    id: int

    def __post_init__(self) -> None:
        if self.kind not in NODE_KINDS:
            raise ValueError(f"a node is a company or a person, not {self.kind!r}")


@dataclass(frozen=True, order=True)
class Edge:
    """The row that links two nodes: a stake, deal, investment or role, by id."""

    kind: EdgeKind
    id: int


@dataclass(frozen=True, order=True)
class Step:
    node: NodeRef
    edge: Edge


@dataclass(frozen=True)
class Path:
    start: NodeRef
    steps: tuple[Step, ...]

    @property
    def hops(self) -> int:
        return len(self.steps)

    @property
    def end(self) -> NodeRef:
        return self.steps[-1].node if self.steps else self.start


def check_range(name: str, value: int, top: int) -> None:
    if not 1 <= value <= top:
        raise ValueError(f"{name} must be between 1 and {top}, got {value}")


def _neighbours(session: Session, frontier: set[NodeRef]) -> list[tuple[NodeRef, Edge, NodeRef]]:
    """Every edge from a node of `frontier` to another node, in one statement."""
    ids: dict[NodeKind, list[int]] = {
        kind: sorted(node.id for node in frontier if node.kind == kind) for kind in NODE_KINDS
    }
    party, other = aliased(DealParty), aliased(DealParty)
    tables: list[tuple[EdgeKind, Any, tuple[NodeKind, Any], tuple[NodeKind, Any], Any]] = [
        # The edge, its id, its two ends and the rows that hold them.
        ("stake", Stake.id, ("company", Stake.holder_id), ("company", Stake.company_id), Stake),
        (
            "deal",
            party.deal_id,
            ("company", party.company_id),
            ("company", other.company_id),
            join(party, other, col(party.deal_id) == col(other.deal_id)),
        ),
        (
            "investment",
            Investment.id,
            ("company", InvestmentInvestor.company_id),
            ("company", Investment.investee_id),
            join(
                Investment,
                InvestmentInvestor,
                col(InvestmentInvestor.investment_id) == Investment.id,
            ),
        ),
        ("role", Role.id, ("person", Role.person_id), ("company", Role.company_id), Role),
    ]
    links: list[Any] = []
    for kind, edge_id, one, two, rows in tables:
        # A deal joins its parties to each other, so one direction already gives both.
        for (from_kind, from_id), (to_kind, to_id) in (
            [(one, two)] if kind == "deal" else [(one, two), (two, one)]
        ):
            if ids[from_kind]:
                links.append(
                    sa_select(
                        literal(kind).label("edge_kind"),
                        col(edge_id).label("edge_id"),
                        literal(from_kind).label("from_kind"),
                        col(from_id).label("from_id"),
                        literal(to_kind).label("to_kind"),
                        col(to_id).label("to_id"),
                    )
                    .select_from(rows)
                    .where(col(from_id).in_(ids[from_kind]))
                )
    # UNION, not UNION ALL: a company with several roles in one deal is linked by it once.
    found = session.execute(union(*links)).all()
    return [
        (
            NodeRef(row.from_kind, row.from_id),
            Edge(row.edge_kind, row.edge_id),
            NodeRef(row.to_kind, row.to_id),
        )
        for row in found
    ]


@dataclass
class _Search:
    """One direction of the breadth-first search: the nodes at each distance from its origin."""

    origin: NodeRef
    levels: list[set[NodeRef]] = field(init=False)
    seen: set[NodeRef] = field(init=False)
    # Each reached node's steps back towards the origin, to nodes one level nearer it.
    back: dict[NodeRef, list[Step]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.levels, self.seen = [{self.origin}], {self.origin}

    def expand(self, session: Session) -> None:
        reached: dict[NodeRef, list[Step]] = defaultdict(list)
        for node, edge, other in _neighbours(session, self.levels[-1]):
            if other not in self.seen:
                reached[other].append(Step(node, edge))
        self.back |= reached
        self.seen |= reached.keys()
        self.levels.append(set(reached))


def shortest_paths(
    session: Session, *, start: NodeRef, end: NodeRef, max_hops: int, limit: int
) -> list[Path]:
    """Every shortest path of at most `max_hops` edges (the first `limit`, by their steps)."""
    check_range("max_hops", max_hops, MAX_HOPS)
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    if start == end:
        return [Path(start, ())]
    # Search from both ends, one level per statement, widening the smaller frontier. Before a
    # search meets, no node is within reach of both, so the first meeting is at the newest level
    # of each, and every shortest path crosses it there.
    forward, backward = _Search(start), _Search(end)
    for _ in range(max_hops):
        search = forward if len(forward.levels[-1]) <= len(backward.levels[-1]) else backward
        search.expand(session)
        if not search.levels[-1]:
            return []
        meeting = forward.levels[-1] & backward.levels[-1]
        if meeting:
            onward = _onward_steps(forward, backward, meeting)
            return [Path(start, steps) for steps in islice(_walk(start, end, onward), limit)]
    return []


def _onward_steps(
    forward: _Search, backward: _Search, meeting: set[NodeRef]
) -> dict[NodeRef, list[Step]]:
    """For each node of a shortest path, the steps to the next node of one, sorted."""
    ahead: dict[NodeRef, list[Step]] = defaultdict(list)
    level = meeting
    while level:
        nearer: set[NodeRef] = set()
        for node in level:
            for step in forward.back.get(node, []):
                ahead[step.node].append(Step(node, step.edge))
                nearer.add(step.node)
        level = nearer
    return {node: sorted(steps) for node, steps in (backward.back | ahead).items()}


def _walk(
    node: NodeRef, end: NodeRef, onward: dict[NodeRef, list[Step]]
) -> Iterator[tuple[Step, ...]]:
    if node == end:
        yield ()
        return
    for step in onward.get(node, []):
        for rest in _walk(step.node, end, onward):
            yield (step, *rest)
