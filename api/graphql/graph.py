"""Ownership and relationships: control links, subsidiaries and paths between companies and
people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Annotated, NamedTuple

import strawberry
from strawberry.types import Info

from api.graphql import companies, deals, investments, people
from api.graphql.context import ClientError, Context
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
from api.store import graph as store_graph
from api.store.graph import (
    MAX_DEPTH,
    MAX_HOPS,
    ControlEdge,
    Edge,
    NodeKind,
    NodeRef,
    parents_of,
    shortest_paths,
    ultimate_parents_of,
)
from api.store.graph import subsidiaries_of as subsidiaries_of_companies


class ParentOfCompany(Loader[int, ControlEdge | None]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, ControlEdge | None]:
        return parents_of(self.session, company_ids=keys)


class ControlChainOfCompany(Loader[int, list[ControlEdge]]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, list[ControlEdge]]:
        return ultimate_parents_of(self.session, company_ids=keys)


class SubsidiariesKey(NamedTuple):
    company_id: int
    depth: int


class SubsidiariesOfCompany(Loader[SubsidiariesKey, list[store_graph.Subsidiary]]):
    def fetch(
        self, keys: Sequence[SubsidiariesKey]
    ) -> Mapping[SubsidiariesKey, list[store_graph.Subsidiary]]:
        by_depth: dict[int, list[int]] = defaultdict(list)
        for key in keys:
            by_depth[key.depth].append(key.company_id)
        return {
            SubsidiariesKey(company_id, depth): found
            for depth, ids in by_depth.items()
            for company_id, found in subsidiaries_of_companies(
                self.session, company_ids=ids, depth=depth
            ).items()
        }


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
    info: Info[Context, None], company_pk: int, depth: int
) -> list[Subsidiary]:
    if not 1 <= depth <= MAX_DEPTH:
        raise ClientError(f"`depth` must be between 1 and {MAX_DEPTH}, got {depth}")
    found = await SubsidiariesOfCompany.of(info).load(SubsidiariesKey(company_pk, depth))
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
