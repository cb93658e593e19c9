"""People and their roles."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field
from sqlmodel import Session

from api.dates import format_partial_date
from api.ids import to_global_id
from api.rest.claims import EvidenceOut, FactOut, evidence_out, fact_parts
from api.rest.endpoints import Endpoint, one, paged
from api.rest.params import CompanyListParams, request_session
from api.rest.responses import ENTITY_PROVENANCE, Item, List, Out, Ref, ids, to_ref
from api.store import models
from api.store.claims import EvidenceSubject
from api.store.people import PERSON_ORDER, list_people, roles_of_people
from api.store.rows import get_by_ids
from api.vocab import Provenance, RoleKind


class RoleOut(FactOut):
    title: str
    kind: RoleKind = Field(description="A position held, or the founding of the company.")
    current: bool | None
    started_on: str | None
    ended_on: str | None
    person: Ref
    company: Ref


class PersonOut(Out):
    id: str
    slug: str
    name: str
    aliases: list[str]
    description: str | None
    provenance: list[Provenance] = Field(description=ENTITY_PROVENANCE)
    roles: list[RoleOut]
    evidence: list[EvidenceOut]


def roles_out(session: Session, rows: Sequence[models.Role]) -> list[RoleOut]:
    people = get_by_ids(session, model=models.Person, ids=sorted({r.person_id for r in rows}))
    companies = get_by_ids(session, model=models.Company, ids=sorted({r.company_id for r in rows}))
    parts = fact_parts(session, EvidenceSubject.ROLE, ids(rows))
    return [
        RoleOut(
            title=r.title,
            kind=r.kind,
            current=r.current,
            started_on=format_partial_date(r.started_on, r.started_precision),
            ended_on=format_partial_date(r.ended_on, r.ended_precision),
            person=to_ref(people[r.person_id], "Person"),
            company=to_ref(companies[r.company_id], "Company"),
            **parts[r.pk],
        )
        for r in rows
    ]


def people_out(session: Session, rows: Sequence[models.Person]) -> list[PersonOut]:
    roles = roles_of_people(session, person_ids=ids(rows))
    every_role = [r for p in rows for r in roles[p.pk]]
    role_out = dict(zip(ids(every_role), roles_out(session, every_role), strict=True))
    evidence = evidence_out(session, EvidenceSubject.PERSON, ids(rows))
    return [
        PersonOut(
            id=to_global_id("Person", p.slug),
            slug=p.slug,
            name=p.name,
            aliases=p.aliases,
            description=p.description,
            provenance=[Provenance.model_validate(value) for value in p.provenance],
            roles=[role_out[r.pk] for r in roles[p.pk]],
            evidence=evidence[p.pk],
        )
        for p in rows
    ]


ENDPOINTS = [
    Endpoint(
        "/people",
        "listPeople",
        "People by name",
        List[PersonOut],
        paged(
            CompanyListParams,
            PERSON_ORDER,
            lambda r, p, page: list_people(request_session(r), search=p.search, page=page),
            people_out,
        ),
        CompanyListParams,
    ),
    Endpoint(
        "/people/{ref}",
        "getPerson",
        "One person, by id or slug",
        Item[PersonOut],
        one(models.Person, "Person", people_out),
    ),
]
