"""Who controls whom: each company's parent, its chain of parents and its subsidiaries, now or on
a date. Every function costs a number of statements bounded by the depth asked."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, and_, case, literal, null, or_, type_coerce, union_all
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api.store.graph import Edge, check_range
from api.store.models import Company, Deal, DealParty, Stake
from api.vocab import DealKind, DealRole, DealStatus, StakeChange, StakeKind

MAX_DEPTH = 10


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


def _stake_tier(as_of: dt.date | None) -> Any:
    """1 for a stake held now (or on `as_of`), 2 for one of unknown standing, 3 for one not held.

    On a date, a stake counts by the completion dates that gave or sold it; one a pending deal
    would give is held on no date yet; any other stake's standing on a past date is unknown."""
    if as_of is None:
        return case(
            (col(Stake.in_force).is_(True), 1), (col(Stake.in_force).is_(False), 3), else_=2
        )
    return case(
        (col(Stake.held_from) > as_of, 3),
        (col(Stake.held_until) <= as_of, 3),
        (or_(col(Stake.held_from).is_not(None), col(Stake.held_until).is_not(None)), 1),
        (and_(col(Stake.change) == StakeChange.ACQUIRED, col(Stake.in_force).is_(False)), 3),
        else_=2,
    )


def _control_candidates(as_of: dt.date | None) -> Any:
    """Every edge that may make `parent_id` the parent of `company_id` (now, or on `as_of`),
    with its rank."""
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
    if as_of is not None:
        acquisitions = acquisitions.where(
            or_(col(Deal.completed_on).is_(None), col(Deal.completed_on) <= as_of)
        )
    tier = _stake_tier(as_of)
    stakes = sa_select(
        col(Stake.company_id).label("company_id"),
        col(Stake.holder_id).label("parent_id"),
        literal("stake").label("kind"),
        col(Stake.id).label("edge_id"),
        tier.label("tier"),
        type_coerce(null(), Date).label("completed_on"),
    ).where(
        col(Stake.kind).in_([StakeKind.OWNED, StakeKind.CONTROLLING]),
        tier != 3,
        col(Stake.holder_id) != col(Stake.company_id),
    )
    return union_all(acquisitions, stakes).cte("control")


def _rank(row: Any) -> tuple[int, bool, int]:
    completed_on: dt.date | None = row.completed_on
    return row.tier, completed_on is None, -completed_on.toordinal() if completed_on else 0


def _choose(rows: Sequence[Any]) -> dict[int, ControlEdge | None]:
    # The parent rule: a completed acquisition ranks first (on a date, only one completed by then),
    # the latest completed_on first (undated ones after dated ones); then an owned or controlling
    # stake held (`_stake_tier`: a stake a pending deal would give does not count yet); then one
    # whose standing is unknown. Stakes not held never count. When the best rank holds more than
    # one distinct holder, control is ambiguous and the parent is None: we never pick one.
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


def parents_of(
    session: Session, *, company_ids: Sequence[int], as_of: dt.date | None = None
) -> dict[int, ControlEdge | None]:
    """Each company's parent now, or on `as_of`."""
    if not company_ids:
        return {}
    control = _control_candidates(as_of)
    rows = session.execute(sa_select(control).where(control.c.company_id.in_(company_ids))).all()
    parents: dict[int, ControlEdge | None] = dict.fromkeys(company_ids, None)
    return parents | _choose(rows)


def ultimate_parents_of(
    session: Session,
    *,
    company_ids: Sequence[int],
    max_depth: int = MAX_DEPTH,
    as_of: dt.date | None = None,
) -> dict[int, list[ControlEdge]]:
    """Each company's chain of parents, its own parent first; a chain stops before a repeat."""
    check_range("max_depth", max_depth, MAX_DEPTH)
    chains: dict[int, list[ControlEdge]] = {cid: [] for cid in company_ids}
    seen = {cid: {cid} for cid in chains}
    top = {cid: cid for cid in chains}
    parents: dict[int, ControlEdge | None] = {}
    climbing = set(chains)
    for _ in range(max_depth):
        wanted = {top[cid] for cid in climbing} - parents.keys()
        if wanted:
            parents |= parents_of(session, company_ids=sorted(wanted), as_of=as_of)
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
    session: Session, parent_ids: set[int], as_of: dt.date | None
) -> tuple[dict[int, list[ControlEdge]], dict[int, str]]:
    """The companies whose parent is one of `parent_ids`, by parent, and their names."""
    control = _control_candidates(as_of)
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
    session: Session, *, company_ids: Sequence[int], depth: int, as_of: dt.date | None = None
) -> dict[int, list[Subsidiary]]:
    """Companies whose chain of parents reaches each company within `depth` levels."""
    check_range("depth", depth, MAX_DEPTH)
    found: dict[int, list[Subsidiary]] = {cid: [] for cid in company_ids}
    seen = {cid: {cid} for cid in found}
    level = {cid: {cid} for cid in found}
    names: dict[int, str] = {}
    for d in range(1, depth + 1):
        frontier = {company_id for ids in level.values() for company_id in ids}
        if not frontier:
            break
        children, level_names = _children_of(session, frontier, as_of)
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
