"""Unions of types from several modules; the modules refer to them through `api.graphql.lazy`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.graphql.companies import Company, Stake
from api.graphql.deals import Deal
from api.graphql.investments import Investment
from api.graphql.people import Person, Role

Entity = Annotated[
    Company | Person, strawberry.union("Entity", description="A company or a person.")
]
Relation = Annotated[
    Stake | Deal | Investment | Role,
    strawberry.union(
        "Relation", description="A fact that links two companies, or a person and a company."
    ),
]
