"""Ownership and relationships: control links, subsidiaries and paths between companies and
people."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, NamedTuple, TypeVar

import strawberry
from strawberry.types import Info

from api.graphql import companies, deals, investments, people
from api.graphql.context import ClientError, Context
from api.graphql.filters import day
from api.graphql.lazy import (
    LazyCompany,
    LazyDeal,
    LazyEntity,
    LazyInvestment,
    LazyPerson,
    LazyRelation,
    LazyRole,
    LazyStake,
)
from api.graphql.loaders import Loader
from api.graphql.relay import decode_id
from api.ids import quoted
from api.store import control as store_control
from api.store.control import MAX_DEPTH, ControlEdge, parents_of, ultimate_parents_of
from api.store.graph import MAX_HOPS, Edge, NodeKind, NodeRef, shortest_paths
from api.vocab import CONTROL_ON_A_DATE

AsOf = Annotated[
    str | None,
    strawberry.argument(
        description="A date like 2016-04-12: control on that day rather than now. "
        + CONTROL_ON_A_DATE
    ),
]


class ControlKey(NamedTuple):
    company_id: int
    # None for now.
    as_of: dt.date | None


class SubsidiariesKey(NamedTuple):
    company_id: int
    depth: int
    as_of: dt.date | None


def control_key(company_pk: int, as_of: str | None) -> ControlKey:
    """The loader key for a company's control now, or on the day `as_of` names."""
    return ControlKey(company_pk, day(as_of, "asOf"))


K = TypeVar("K", ControlKey, SubsidiariesKey)
V = TypeVar("V")


def _grouped(keys: Sequence[K], fetch: Callable[[list[int], K], Mapping[int, V]]) -> dict[K, V]:
    """Fetch keys that differ only in their company once per group, by the rest of the key."""
    groups: dict[K, list[int]] = defaultdict(list)
    for key in keys:
        groups[key._replace(company_id=0)].append(key.company_id)
    return {
        group._replace(company_id=company_id): found
        for group, ids in groups.items()
        for company_id, found in fetch(ids, group).items()
    }


class ParentOfCompany(Loader[ControlKey, ControlEdge | None]):
    def fetch(self, keys: Sequence[ControlKey]) -> Mapping[ControlKey, ControlEdge | None]:
        return _grouped(
            keys, lambda ids, key: parents_of(self.session, company_ids=ids, as_of=key.as_of)
        )


class ControlChainOfCompany(Loader[ControlKey, list[ControlEdge]]):
    def fetch(self, keys: Sequence[ControlKey]) -> Mapping[ControlKey, list[ControlEdge]]:
        return _grouped(
            keys,
            lambda ids, key: ultimate_parents_of(self.session, company_ids=ids, as_of=key.as_of),
        )


class SubsidiariesOfCompany(Loader[SubsidiariesKey, list[store_control.Subsidiary]]):
    def fetch(
        self, keys: Sequence[SubsidiariesKey]
    ) -> Mapping[SubsidiariesKey, list[store_control.Subsidiary]]:
        return _grouped(
            keys,
            lambda ids, key: store_control.subsidiaries_of(
                self.session, company_ids=ids, depth=key.depth, as_of=key.as_of
            ),
        )


async def relation(
    info: Info[Context, None], edge: Edge
) -> LazyStake | LazyDeal | LazyInvestment | LazyRole:
    """The stake, deal, investment or role that links two nodes of the graph."""
    if edge.kind == "stake":
        return await companies.Stake.by_pk(info, edge.id)
    if edge.kind == "deal":
        return await deals.Deal.by_pk(info, edge.id)
    if edge.kind == "investment":
        return await investments.Investment.by_pk(info, edge.id)
    return await people.Role.by_pk(info, edge.id)


@strawberry.type(
    description="Control of one company by another, with the stake or completed acquisition "
    "that establishes it."
)
class Control:
    edge: strawberry.Private[ControlEdge]

    @strawberry.field(description="The controlled company.")
    async def company(self, info: Info[Context, None]) -> LazyCompany:
        return await companies.Company.by_pk(info, self.edge.company_id)

    @strawberry.field(description="The company in control.")
    async def parent(self, info: Info[Context, None]) -> LazyCompany:
        return await companies.Company.by_pk(info, self.edge.parent_id)

    @strawberry.field(description="The owned or controlling stake, or the completed acquisition.")
    async def via(self, info: Info[Context, None]) -> LazyRelation:
        return await relation(info, self.edge.edge)


@strawberry.type(description="A company controlled, directly or through others.")
class Subsidiary:
    depth: int = strawberry.field(description="1 for a direct subsidiary, 2 for one below it...")
    control: Control = strawberry.field(description="Its link to its own parent.")

    @strawberry.field(description="The subsidiary.")
    async def company(self, info: Info[Context, None]) -> LazyCompany:
        return await companies.Company.by_pk(info, self.control.edge.company_id)


@strawberry.type(description="One step of a path: the fact followed and where it leads.")
class PathStep:
    node_ref: strawberry.Private[NodeRef]
    edge: strawberry.Private[Edge]

    @strawberry.field(description="The company or person reached.")
    async def node(self, info: Info[Context, None]) -> LazyEntity:
        return await entity(info, self.node_ref)

    @strawberry.field(description="The stake, deal, investment or role followed.")
    async def via(self, info: Info[Context, None]) -> LazyRelation:
        return await relation(info, self.edge)


@strawberry.type(description="A shortest chain of facts linking two companies or people.")
class RelationPath:
    hops: int = strawberry.field(description="How many facts the path follows.")
    steps: list[PathStep] = strawberry.field(description="The facts followed, in order.")


async def subsidiaries_of(
    info: Info[Context, None], company_pk: int, depth: int, as_of: str | None
) -> list[Subsidiary]:
    if not 1 <= depth <= MAX_DEPTH:
        raise ClientError(f"`depth` must be between 1 and {MAX_DEPTH}, got {depth}")
    key = SubsidiariesKey(company_pk, depth, day(as_of, "asOf"))
    found = await SubsidiariesOfCompany.of(info).load(key)
    return [Subsidiary(depth=s.depth, control=Control(edge=s.edge)) for s in found]


async def entity(info: Info[Context, None], ref: NodeRef) -> LazyCompany | LazyPerson:
    if ref.kind == "company":
        return await companies.Company.by_pk(info, ref.id)
    return await people.Person.by_pk(info, ref.id)


async def node_ref(info: Info[Context, None], id: strawberry.ID, argument: str) -> NodeRef:
    type_name, key = decode_id(id)
    node: companies.Company | people.Person | None
    if type_name == "Company":
        node = await companies.Company.by_key(info, key)
    elif type_name == "Person":
        node = await people.Person.by_key(info, key)
    else:
        raise ClientError(f"`{argument}` must be the id of a company or a person")
    if node is None:
        raise ClientError(f"`{argument}`: nothing has the id {quoted(id)}")
    kind: NodeKind = "company" if type_name == "Company" else "person"
    return NodeRef(kind, node.pk)


@strawberry.type
class GraphQuery:
    @strawberry.field(
        description="The shortest paths between two companies or people through stakes, deals, "
        "investments and roles."
    )
    async def connections(
        self,
        info: Info[Context, None],
        from_: Annotated[
            strawberry.ID,
            strawberry.argument(name="from", description="Global id of a company or person."),
        ],
        to: Annotated[
            strawberry.ID, strawberry.argument(description="Global id of a company or person.")
        ],
        max_hops: Annotated[
            int,
            strawberry.argument(description=f"Longest path to look for, 1 to {MAX_HOPS}."),
        ] = 3,
        first: Annotated[int, strawberry.argument(description="At most this many paths.")] = 10,
    ) -> list[RelationPath]:
        start, end = await node_ref(info, from_, "from"), await node_ref(info, to, "to")
        try:
            paths = shortest_paths(
                info.context.session,
                start=start,
                end=end,
                max_hops=max_hops,
                limit=min(first, info.context.settings.max_page_size),
            )
        except ValueError as error:
            raise ClientError(str(error)) from None
        return [
            RelationPath(
                hops=path.hops,
                steps=[PathStep(node_ref=step.node, edge=step.edge) for step in path.steps],
            )
            for path in paths
        ]
