"""Conflicts: fields of facts whose sources disagree, with every claim."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.claims import Claim, Fact
from api.graphql.context import Context
from api.graphql.facts import fact_of
from api.graphql.filters import company_pk
from api.graphql.loaders import Loader
from api.graphql.relay import (
    AFTER,
    FIRST,
    LIST_FIRST,
    Connection,
    limited,
    page_request,
    root_connection,
)
from api.graphql.vocab import camel
from api.store import models
from api.store.claims import CONFLICT_ORDER, claims_of_conflicts, count_conflicts, list_conflicts


class ClaimsOfConflict(Loader[int, list[models.Claim]]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, list[models.Claim]]:
        return claims_of_conflicts(self.session, conflict_ids=keys)


@strawberry.type(description="A field of a fact whose sources disagree, with every claim.")
class Conflict:
    field: str = strawberry.field(description="The disputed field, named as in this schema.")
    resolved: bool = strawberry.field(
        description="Whether the fact still has a value: a claim is preferred, all but one "
        "value are deprecated, or only other facts contradict it."
    )
    reason: str | None = strawberry.field(
        description="Why, where the claims' values alone do not show it: a rank that another "
        "source's figures for the same period order the other way."
    )
    pk: strawberry.Private[int]
    row: strawberry.Private[models.Conflict]

    @strawberry.field(description="The fact in dispute.")
    async def fact(self, info: Info[Context, None]) -> Fact:
        return await fact_of(info, self.row)

    @strawberry.field(description="Every claim about the field, the competing values included.")
    async def claims(self, info: Info[Context, None], first: LIST_FIRST = None) -> list[Claim]:
        return limited(
            info,
            first,
            [Claim.from_row(row) for row in await ClaimsOfConflict.of(info).load(self.pk)],
        )

    @classmethod
    def from_row(cls, row: models.Conflict) -> Conflict:
        return cls(
            field=camel(row.field), resolved=row.resolved, reason=row.reason, pk=row.pk, row=row
        )


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
            page_request(info, first, after, CONFLICT_ORDER),
            lambda s, page: list_conflicts(s, company_id=company_id, page=page),
            lambda s: count_conflicts(s, company_id=company_id),
            Conflict.from_row,
        )
