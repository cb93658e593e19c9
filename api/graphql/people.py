"""People and the roles they hold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.dates import format_partial_date
from api.graphql import companies
from api.graphql.claims import Evidence, Fact, quotes_of
from api.graphql.context import Context
from api.graphql.lazy import LazyCompany
from api.graphql.loaders import Loader
from api.graphql.relay import (
    AFTER,
    FIRST,
    ID_ARG,
    LIST_FIRST,
    SEARCH_ARG,
    SLUG_ARG,
    Connection,
    Node,
    limited,
    name_search,
    node_key,
    page_request,
    root_connection,
)
from api.graphql.sources import Provenance
from api.graphql.vocab import RoleKind
from api.ids import to_global_id
from api.store import models
from api.store.claims import EvidenceSubject
from api.store.people import (
    PERSON_ORDER,
    count_people,
    list_people,
    roles_at_companies,
    roles_of_people,
)
from api.store.rows import get_by_ids, get_by_keys


class PersonById(Loader[int, models.Person]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, models.Person]:
        return get_by_ids(self.session, model=models.Person, ids=keys)


class PersonBySlug(Loader[str, models.Person | None]):
    def fetch(self, keys: Sequence[str]) -> Mapping[str, models.Person | None]:
        found = get_by_keys(self.session, model=models.Person, keys=keys)
        return {key: found.get(key) for key in keys}


class RoleById(Loader[int, models.Role]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, models.Role]:
        return get_by_ids(self.session, model=models.Role, ids=keys)


class RolesByPerson(Loader[int, list[models.Role]]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, list[models.Role]]:
        return roles_of_people(self.session, person_ids=keys)


class RolesAtCompany(Loader[int, list[models.Role]]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, list[models.Role]]:
        return roles_at_companies(self.session, company_ids=keys)


@strawberry.type(description="A person's position at a company.")
class Role(Fact):
    SUBJECT = EvidenceSubject.ROLE
    title: str = strawberry.field(description='Normalised title, e.g. "Chief Executive Officer".')
    kind: RoleKind = strawberry.field(
        description="A position held, or the founding of the company (by a founder or co-founder)."
    )
    current: bool | None = strawberry.field(
        description="Whether the sources present a position as current; null where they do not "
        "say, and for a founding."
    )
    started_on: str | None = strawberry.field(description="Start date, ISO-8601 prefix, if stated.")
    ended_on: str | None = strawberry.field(description="End date, ISO-8601 prefix, if stated.")
    person_pk: strawberry.Private[int]
    company_pk: strawberry.Private[int]

    @strawberry.field(description="Who holds the position.")
    async def person(self, info: Info[Context, None]) -> Person:
        return await Person.by_pk(info, self.person_pk)

    @strawberry.field(description="Where the position is held.")
    async def company(self, info: Info[Context, None]) -> LazyCompany:
        return await companies.Company.by_pk(info, self.company_pk)

    @classmethod
    async def by_pk(cls, info: Info[Context, None], pk: int) -> Role:
        return cls.from_row(await RoleById.of(info).load(pk))

    @classmethod
    def from_row(cls, row: models.Role) -> Role:
        return cls(
            title=row.title,
            kind=row.kind,
            current=row.current,
            started_on=format_partial_date(row.started_on, row.started_precision),
            ended_on=format_partial_date(row.ended_on, row.ended_precision),
            pk=row.pk,
            person_pk=row.person_id,
            company_pk=row.company_id,
        )


@strawberry.type(description="A person named in the sources.")
class Person(Node):
    slug: str = strawberry.field(description="Readable unique key, such as `alvin-liu`.")
    name: str = strawberry.field(description="Canonical name.")
    aliases: list[str] = strawberry.field(description="Other names the person is known by.")
    description: str | None = strawberry.field(description="A one-line description.")
    provenance: list[Provenance] = strawberry.field(
        description="How the name, each alias and the description are known: stated by a quote "
        "of a source, or added by an editor with a reason."
    )
    pk: strawberry.Private[int]

    @strawberry.field(description="Positions the person holds or held, with evidence.")
    async def roles(self, info: Info[Context, None], first: LIST_FIRST = None) -> list[Role]:
        return limited(
            info, first, [Role.from_row(row) for row in await RolesByPerson.of(info).load(self.pk)]
        )

    @strawberry.field(description="Quotes that name the person.")
    async def evidence(self, info: Info[Context, None], first: LIST_FIRST = None) -> list[Evidence]:
        return limited(info, first, await quotes_of(info, EvidenceSubject.PERSON, self.pk))

    @classmethod
    async def by_pk(cls, info: Info[Context, None], pk: int) -> Person:
        return cls.from_row(await PersonById.of(info).load(pk))

    @classmethod
    async def by_key(cls, info: Info[Context, None], slug: str) -> Person | None:
        row = await PersonBySlug.of(info).load(slug)
        return None if row is None else cls.from_row(row)

    @classmethod
    def from_row(cls, row: models.Person) -> Person:
        return cls(
            id=strawberry.ID(to_global_id("Person", row.slug)),
            slug=row.slug,
            name=row.name,
            aliases=list(row.aliases),
            description=row.description,
            provenance=[Provenance.from_value(value) for value in row.provenance],
            pk=row.pk,
        )


@strawberry.type
class PersonQuery:
    @strawberry.field(description="A person by global id or by slug.")
    async def person(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID | None, ID_ARG] = None,
        slug: Annotated[str | None, SLUG_ARG] = None,
    ) -> Person | None:
        return await Person.by_key(info, node_key("Person", id, slug))

    @strawberry.field(description="People by name, alphabetically.")
    def people(
        self,
        info: Info[Context, None],
        search: Annotated[str | None, SEARCH_ARG] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Person]:
        return root_connection(
            info,
            page_request(info, first, after, PERSON_ORDER),
            lambda s, page: list_people(s, search=name_search(search), page=page),
            lambda s: count_people(s, search=search),
            Person.from_row,
        )
