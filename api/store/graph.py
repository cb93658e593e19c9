"""The ownership and relationship graph: who controls whom, and how any two companies or people are
connected. Every function costs a number of statements bounded by the depth or hops asked."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Literal

from sqlalchemy import Date, case, join, literal, null, type_coerce, union, union_all
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api.store.models import Company, Deal, DealParty, Investment, InvestmentInvestor, Role, Stake
from api.vocab import DealKind, DealRole, DealStatus, StakeKind

MAX_DEPTH = 10
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


@dataclass(frozen=True)
class ControlEdge:
    """`parent_id` controls `company_id`, backed by `edge`: a stake or a completed acquisition."""

    company_id: int
    parent_id: int
    edge: Edge


@dataclass(frozen=True)
class Subsidiary:
    company_id: int
    depth: int
    # Links the subsidiary to its own parent, which is the asked company only at depth 1.
    edge: ControlEdge


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


def _check_range(name: str, value: int, top: int) -> None:
    if not 1 <= value <= top:
        raise ValueError(f"{name} must be between 1 and {top}, got {value}")


# Control


def _control_candidates() -> Any:
    """Every edge that may make `parent_id` the parent of `company_id`, with its rank."""
    acquirer, target = aliased(DealParty), aliased(DealParty)
    acquisitions: Any = (
        sa_select(
            col(target.company_id).label("company_id"),
            col(acquirer.company_id).label("parent_id"),
            literal("deal").label("kind"),
            col(Deal.id).label("edge_id"),
            literal(0).label("tier"),
            col(Deal.completed_on).label("completed_on"),
        )
        .join_from(Deal, target, col(target.deal_id) == Deal.id)
        .join(acquirer, col(acquirer.deal_id) == Deal.id)
        .where(
            col(Deal.kind) == DealKind.ACQUISITION,
            col(Deal.status) == DealStatus.COMPLETED,
            col(target.role) == DealRole.TARGET,
            col(acquirer.role) == DealRole.ACQUIRER,
            col(acquirer.company_id) != col(target.company_id),
        )
    )
    stakes = sa_select(
        col(Stake.company_id).label("company_id"),
        col(Stake.holder_id).label("parent_id"),
        literal("stake").label("kind"),
        col(Stake.id).label("edge_id"),
        case((col(Stake.in_force).is_(True), 1), else_=2).label("tier"),
        type_coerce(null(), Date).label("completed_on"),
    ).where(
        col(Stake.kind).in_([StakeKind.OWNED, StakeKind.CONTROLLING]),
        col(Stake.in_force).is_not(False),
        col(Stake.holder_id) != col(Stake.company_id),
    )
    return union_all(acquisitions, stakes).cte("control")


def _rank(row: Any) -> tuple[int, bool, int]:
    completed_on: dt.date | None = row.completed_on
    return row.tier, completed_on is None, -completed_on.toordinal() if completed_on else 0


def _choose(rows: Sequence[Any]) -> dict[int, ControlEdge | None]:
    # The parent rule: a completed acquisition ranks first, the latest completed_on first (undated
    # ones after dated ones); then an owned or controlling stake in force (see
    # `api.corpus.write.in_force`: a stake a pending deal would give does not count yet); then one
    # whose currency is unknown. Stakes no longer in force never count. When the best rank holds more
    # than one distinct holder, control is ambiguous and the parent is None: we never pick one.
    by_company: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_company[row.company_id].append(row)
    chosen: dict[int, ControlEdge | None] = {}
    for company_id, candidates in by_company.items():
        best = min(map(_rank, candidates))
        top = [row for row in candidates if _rank(row) == best]
        if len({row.parent_id for row in top}) > 1:
            chosen[company_id] = None
            continue
        row = min(top, key=lambda r: r.edge_id)
        chosen[company_id] = ControlEdge(company_id, row.parent_id, Edge(row.kind, row.edge_id))
    return chosen


def parents_of(session: Session, *, company_ids: Sequence[int]) -> dict[int, ControlEdge | None]:
    if not company_ids:
        return {}
    control = _control_candidates()
    rows = session.execute(sa_select(control).where(control.c.company_id.in_(company_ids))).all()
    parents: dict[int, ControlEdge | None] = dict.fromkeys(company_ids, None)
    return parents | _choose(rows)


def ultimate_parents_of(
    session: Session, *, company_ids: Sequence[int], max_depth: int = MAX_DEPTH
) -> dict[int, list[ControlEdge]]:
    """Each company's chain of parents, its own parent first; a chain stops before a repeat."""
    _check_range("max_depth", max_depth, MAX_DEPTH)
    chains: dict[int, list[ControlEdge]] = {cid: [] for cid in company_ids}
    seen = {cid: {cid} for cid in chains}
    top = {cid: cid for cid in chains}
    parents: dict[int, ControlEdge | None] = {}
    climbing = set(chains)
    for _ in range(max_depth):
        wanted = {top[cid] for cid in climbing} - parents.keys()
        if wanted:
            parents |= parents_of(session, company_ids=sorted(wanted))
        for cid in list(climbing):
            edge = parents[top[cid]]
            if edge is None or edge.parent_id in seen[cid]:
                climbing.discard(cid)
                continue
            chains[cid].append(edge)
            seen[cid].add(edge.parent_id)
            top[cid] = edge.parent_id
        if not climbing:
            break
    return chains


def _children_of(
    session: Session, parent_ids: set[int]
) -> tuple[dict[int, list[ControlEdge]], dict[int, str]]:
    """The companies whose parent is one of `parent_ids`, by parent, and their names."""
    control = _control_candidates()
    linked = sa_select(control.c.company_id).where(control.c.parent_id.in_(sorted(parent_ids)))
    statement = (
        sa_select(control, col(Company.name))
        .join(Company, col(Company.id) == control.c.company_id)
        .where(control.c.company_id.in_(linked))
    )
    rows = session.execute(statement).all()
    children: dict[int, list[ControlEdge]] = defaultdict(list)
    for edge in _choose(rows).values():
        if edge is not None and edge.parent_id in parent_ids:
            children[edge.parent_id].append(edge)
    return children, {row.company_id: row.name for row in rows}


def subsidiaries_of(
    session: Session, *, company_ids: Sequence[int], depth: int
) -> dict[int, list[Subsidiary]]:
    """Companies whose chain of parents reaches each company within `depth` levels."""
    _check_range("depth", depth, MAX_DEPTH)
    found: dict[int, list[Subsidiary]] = {cid: [] for cid in company_ids}
    seen = {cid: {cid} for cid in found}
    level = {cid: {cid} for cid in found}
    names: dict[int, str] = {}
    for d in range(1, depth + 1):
        frontier = {company_id for ids in level.values() for company_id in ids}
        if not frontier:
            break
        children, level_names = _children_of(session, frontier)
        names |= level_names
        for cid in found:
            reached = {
                edge.company_id: edge
                for parent in level[cid]
                for edge in children[parent]
                if edge.company_id not in seen[cid]
            }
            found[cid].extend(Subsidiary(sub, d, edge) for sub, edge in reached.items())
            seen[cid] |= reached.keys()
            level[cid] = set(reached)
    for subsidiaries in found.values():
        subsidiaries.sort(key=lambda s: (s.depth, names[s.company_id], s.company_id))
    return found


# Connections


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
    _check_range("max_hops", max_hops, MAX_HOPS)
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
