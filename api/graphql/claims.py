"""Evidence, claims and the Fact interface that every deal, investment, stake, role and metric
implements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, ClassVar, NamedTuple, TypeVar

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from api.claims import VALUE_FORMS, describe
from api.graphql.context import Context
from api.graphql.lazy import LazyEntity
from api.graphql.loaders import Loader
from api.graphql.relay import LIST_FIRST, limited
from api.graphql.sources import Source
from api.graphql.vocab import ClaimRank, camel, snake
from api.store import models
from api.store.claims import EvidenceSubject, claims_of, evidence_of
from api.store.rows import get_by_ids

V = TypeVar("V")


class SubjectKey(NamedTuple):
    """A company, person or fact: the column that names it in evidence and claims, and its id."""

    subject: EvidenceSubject
    id: int


def _by_subject(
    keys: Sequence[SubjectKey], fetch: Callable[[EvidenceSubject, list[int]], Mapping[int, V]]
) -> dict[SubjectKey, V]:
    """One statement per kind of subject, whatever the number of subjects."""
    groups: dict[EvidenceSubject, list[int]] = defaultdict(list)
    for key in keys:
        groups[key.subject].append(key.id)
    return {
        SubjectKey(subject, pk): found
        for subject, ids in groups.items()
        for pk, found in fetch(subject, ids).items()
    }


class EvidenceById(Loader[int, models.Evidence]):
    def fetch(self, keys: Sequence[int]) -> Mapping[int, models.Evidence]:
        return get_by_ids(self.session, model=models.Evidence, ids=keys)


class EvidenceOf(Loader[SubjectKey, list[models.Evidence]]):
    def fetch(self, keys: Sequence[SubjectKey]) -> Mapping[SubjectKey, list[models.Evidence]]:
        return _by_subject(
            keys, lambda subject, ids: evidence_of(self.session, subject=subject, ids=ids)
        )


class ClaimsOf(Loader[SubjectKey, list[models.Claim]]):
    def fetch(self, keys: Sequence[SubjectKey]) -> Mapping[SubjectKey, list[models.Claim]]:
        return _by_subject(
            keys, lambda subject, ids: claims_of(self.session, subject=subject, ids=ids)
        )


@strawberry.type(description="A verbatim quote from a source that states a fact.")
class Evidence:
    quote: str = strawberry.field(description="The exact words, as they occur in the source.")
    start_offset: int = strawberry.field(
        description="Index of the quote's first character in the source text (code points)."
    )
    end_offset: int = strawberry.field(description="Index just past the quote's last character.")
    source_pk: strawberry.Private[int]

    @strawberry.field(description="The document the quote is from.")
    async def source(self, info: Info[Context, None]) -> Source:
        return await Source.by_pk(info, self.source_pk)

    @classmethod
    def from_row(cls, row: models.Evidence) -> Evidence:
        return cls(
            quote=row.quote,
            start_offset=row.start_offset,
            end_offset=row.end_offset,
            source_pk=row.source_id,
        )


@strawberry.type(
    description="One source's statement of one field of a fact: the value it gives, the quote "
    "that gives it, who it attributes it to and how much weight it carries."
)
class Claim:
    field: str = strawberry.field(
        description="The field it is about, named as in this schema (`announcedOn`, `value`)."
    )
    value: JSON = strawberry.field(description=VALUE_FORMS)
    text: str = strawberry.field(description="The claimed value as a person would write it.")
    rank: ClaimRank = strawberry.field(description="Preferred, normal or deprecated.")
    rank_reason: str | None = strawberry.field(
        description="Why the claim is preferred or deprecated."
    )
    note: str | None = strawberry.field(
        description="How the value was read from the text, such as a weekday resolved against "
        "the publication date."
    )
    evidence_pk: strawberry.Private[int]
    company_pk: strawberry.Private[int | None]
    person_pk: strawberry.Private[int | None]

    @strawberry.field(description="The quote that states it, and its source.")
    async def evidence(self, info: Info[Context, None]) -> Evidence:
        return Evidence.from_row(await EvidenceById.of(info).load(self.evidence_pk))

    @strawberry.field(
        description='Who the source attributes it to ("according to iiMedia Research"), if anyone.'
    )
    async def attributed_to(self, info: Info[Context, None]) -> LazyEntity | None:
        # Imported here: those modules build on this one's types.
        from api.graphql import companies, people

        if self.company_pk is not None:
            return await companies.Company.by_pk(info, self.company_pk)
        if self.person_pk is not None:
            return await people.Person.by_pk(info, self.person_pk)
        return None

    @classmethod
    def from_row(cls, row: models.Claim) -> Claim:
        return cls(
            field=camel(row.field),
            value=row.value,
            text=describe(row.value),
            rank=row.rank,
            rank_reason=row.rank_reason,
            note=row.note,
            evidence_pk=row.evidence_id,
            company_pk=row.attributed_company_id,
            person_pk=row.attributed_person_id,
        )


EVIDENCE_DESCRIPTION = "Verbatim quotes from sources that state this fact."


async def quotes_of(info: Info[Context, None], subject: EvidenceSubject, pk: int) -> list[Evidence]:
    rows = await EvidenceOf.of(info).load(SubjectKey(subject, pk))
    return [Evidence.from_row(row) for row in rows]


@strawberry.interface(
    description="A statement the sources make: a deal, investment, stake, role or metric. Its "
    "fields give the preferred value; `claims` gives every source's version."
)
class Fact:
    pk: strawberry.Private[int]
    SUBJECT: ClassVar[EvidenceSubject]

    @strawberry.field(description="Every source's claim about the fact's fields, by field.")
    async def claims(
        self,
        info: Info[Context, None],
        field: Annotated[
            str | None, strawberry.argument(description="Only claims about this field.")
        ] = None,
        first: LIST_FIRST = None,
    ) -> list[Claim]:
        rows = await ClaimsOf.of(info).load(SubjectKey(self.SUBJECT, self.pk))
        wanted = None if field is None else snake(field)
        return limited(info, first, [Claim.from_row(r) for r in rows if wanted in (None, r.field)])

    @strawberry.field(
        description="Fields whose claims disagree. A disputed field is null unless a claim is "
        "preferred or the others are deprecated; see `conflicts`."
    )
    async def disputed_fields(self, info: Info[Context, None]) -> list[str]:
        rows = await ClaimsOf.of(info).load(SubjectKey(self.SUBJECT, self.pk))
        return list(dict.fromkeys(camel(r.field) for r in rows if r.conflict_id is not None))

    @strawberry.field(description=EVIDENCE_DESCRIPTION)
    async def evidence(self, info: Info[Context, None], first: LIST_FIRST = None) -> list[Evidence]:
        return limited(info, first, await quotes_of(info, self.SUBJECT, self.pk))
