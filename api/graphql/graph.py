"""Ownership and relationships: control links, subsidiaries and paths between companies and
people."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql import companies, deals, investments, people
from api.graphql.context import ClientError, Context, found, loaders
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
from api.graphql.relay import decode_id
from api.store.graph import MAX_HOPS, ControlEdge, Edge, NodeKind, NodeRef, shortest_paths


async def relation(
    info: Info[Context, None], edge: Edge
) -> LazyStake | LazyDeal | LazyInvestment | LazyRole:
    batch = loaders(info)
    if edge.kind == "stake":
        return companies.Stake.from_row(found(await batch.stake_by_id.load(edge.id)))
    if edge.kind == "deal":
        return deals.Deal.from_row(found(await batch.deal_by_id.load(edge.id)))
    if edge.kind == "investment":
        return investments.Investment.from_row(found(await batch.investment_by_id.load(edge.id)))
    return people.Role.from_row(found(await batch.role_by_id.load(edge.id)))


@strawberry.type(
    description="Control of one company by another, with the stake or completed acquisition "
    "that establishes it."
)
class Control:
    edge: strawberry.Private[ControlEdge]

    @strawberry.field(description="The controlled company.")
    async def company(self, info: Info[Context, None]) -> LazyCompany:
        return await companies.company_by_pk(info, self.edge.company_id)

    @strawberry.field(description="The company in control.")
    async def parent(self, info: Info[Context, None]) -> LazyCompany:
        return await companies.company_by_pk(info, self.edge.parent_id)

    @strawberry.field(description="The owned or controlling stake, or the completed acquisition.")
    async def via(self, info: Info[Context, None]) -> LazyRelation:
        return await relation(info, self.edge.edge)


@strawberry.type(description="A company controlled, directly or through others.")
class Subsidiary:
    depth: int = strawberry.field(description="1 for a direct subsidiary, 2 for one below it...")
    control: Control = strawberry.field(description="Its link to its own parent.")

    @strawberry.field(description="The subsidiary.")
    async def company(self, info: Info[Context, None]) -> LazyCompany:
        return await companies.company_by_pk(info, self.control.edge.company_id)


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


async def entity(info: Info[Context, None], ref: NodeRef) -> LazyCompany | LazyPerson:
    if ref.kind == "company":
        return await companies.company_by_pk(info, ref.id)
    return await people.person_by_pk(info, ref.id)


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
        raise ClientError(f"`{argument}`: nothing has the id {id!r}")
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
