"""Conflicts: fields of facts whose sources disagree, with every claim."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.graphql.claims import Claim, Fact, camel
from api.graphql.context import Context, found, loaders
from api.graphql.facts import as_fact
from api.graphql.filters import company_pk
from api.graphql.relay import AFTER, FIRST, Connection, root_connection
from api.store import models
from api.store.claims import count_conflicts, list_conflicts


@strawberry.type(description="A field of a fact whose sources disagree, with every claim.")
class Conflict:
    field: str = strawberry.field(description="The disputed field, named as in this schema.")
    resolved: bool = strawberry.field(
        description="Whether the fact still has a value: a claim is preferred, or all but one "
        "value are deprecated."
    )
    pk: strawberry.Private[int]
    row: strawberry.Private[models.Conflict]

    @strawberry.field(description="The fact in dispute.")
    async def fact(self, info: Info[Context, None]) -> Fact:
        batch = loaders(info)
        subjects: tuple[tuple[int | None, Any], ...] = (
            (self.row.deal_id, batch.deal_by_id),
            (self.row.investment_id, batch.investment_by_id),
            (self.row.stake_id, batch.stake_by_id),
            (self.row.role_id, batch.role_by_id),
            (self.row.metric_id, batch.metric_by_id),
        )
        pk, loader = next(subject for subject in subjects if subject[0] is not None)
        return as_fact(found(await loader.load(pk)))

    @strawberry.field(description="Every claim about the field, the competing values included.")
    async def claims(self, info: Info[Context, None]) -> list[Claim]:
        rows = await loaders(info).claims_by_conflict.load(self.pk)
        return [Claim.from_row(row) for row in rows or []]

    @classmethod
    def from_row(cls, row: models.Conflict) -> Conflict:
        assert row.id is not None
        return cls(field=camel(row.field), resolved=row.resolved, pk=row.id, row=row)


@strawberry.type
class ConflictQuery:
    @strawberry.field(
        description="Facts whose sources disagree, each field with its competing claims: the "
        "first thing to check before trusting a number."
    )
    def conflicts(
        self,
        info: Info[Context, None],
        company: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only conflicts about this company's facts (global id): its deals, "
                "investments, stakes, roles and metrics."
            ),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Conflict]:
        company_id = company_pk(info, company)
        return root_connection(
            info,
            first,
            after,
            lambda s, limit: list_conflicts(s, company_id=company_id, limit=limit, after=after),
            lambda s: count_conflicts(s, company_id=company_id),
            Conflict.from_row,
        )
