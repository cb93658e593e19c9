"""People: found by name, and the roles they hold, batched by person or by company."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.store.models import Person, Role
from api.store.paging import PageRequest
from api.store.people import count_people, list_people, roles_at_companies, roles_of_people
from tests.conftest import counting_statements


def test_list_people_in_name_order(session: Session) -> None:
    page = list_people(session, search=None, page=PageRequest(limit=3))
    assert [p.name for p in page.items] == ["Alvin Liu", "Cao Lei", "Daniel Zhang"]
    assert page.has_next
    rest = list_people(session, search=None, page=PageRequest(limit=10, after=page.end))
    assert [p.name for p in rest.items] == [
        "Jack Ma",
        "Max Bittner",
        "Michael Evans",
        "William Ding",
        "Xi Jinping",
    ]
    assert not rest.has_next


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("zhang yong", ["Daniel Zhang"]),
        ("MA", ["Jack Ma", "Max Bittner"]),  # "Ma Yun", "Maximilian"
        ("lei", ["Cao Lei", "William Ding"]),  # "Ding Lei"
        ("alvin", ["Alvin Liu"]),
        ("nobody", []),
    ],
)
def test_list_people_searches_names_and_aliases(
    session: Session, search: str, found: list[str]
) -> None:
    page = list_people(session, search=search, page=PageRequest(limit=10))
    assert [p.name for p in page.items] == found
    assert count_people(session, search=search) == len(found)


def test_every_seed_person_is_counted(session: Session) -> None:
    assert count_people(session, search=None) == len(session.exec(select(Person)).all()) == 8


@pytest.mark.parametrize(
    ("batched", "key", "ids_of"),
    [
        (roles_of_people, "person_id", "people"),
        (roles_at_companies, "company_id", "companies"),
    ],
    ids=["of_people", "at_companies"],
)
def test_roles_are_grouped_per_requested_id_in_one_statement(
    session: Session,
    seed_engine: Engine,
    request: pytest.FixtureRequest,
    batched: Callable[..., dict[int, list[Any]]],
    key: str,
    ids_of: str,
) -> None:
    roles = sorted(session.exec(select(Role)).all(), key=lambda r: r.pk)
    ids = [*request.getfixturevalue(ids_of).values(), 10_000]
    argument = "person_ids" if key == "person_id" else "company_ids"
    with counting_statements(seed_engine) as statements:
        found = batched(session, **{argument: ids})
    assert len(statements) == 1
    assert list(found) == ids
    assert {pk: [r.id for r in rows] for pk, rows in found.items()} == {
        pk: [r.id for r in roles if getattr(r, key) == pk] for pk in ids
    }
    assert found[10_000] == []


def test_alvin_liu_runs_kaola_and_manages_tmall_imports(
    session: Session, people: dict[str, int], companies: dict[str, int]
) -> None:
    slugs = {pk: slug for slug, pk in companies.items()}
    roles = roles_of_people(session, person_ids=[people["alvin-liu"]])[people["alvin-liu"]]
    assert [(slugs[r.company_id], r.title, r.is_ceo) for r in roles] == [
        ("tmall", "Import and Export General Manager", False),
        ("kaola", "Chief Executive Officer", True),
    ]


def test_alibabas_people_are_its_chief_executive_founder_and_president(
    session: Session, people: dict[str, int], companies: dict[str, int]
) -> None:
    names = {pk: slug for slug, pk in people.items()}
    alibaba, xi = companies["alibaba"], companies["xinjiang-regional-government"]
    found = roles_at_companies(session, company_ids=[alibaba, xi])
    assert [(names[r.person_id], r.title) for r in found[alibaba]] == [
        ("daniel-zhang", "Chief Executive Officer"),
        ("jack-ma", "Founder"),
        ("michael-evans", "President"),
    ]
    assert found[xi] == []


def test_roles_of_no_one_is_empty(session: Session) -> None:
    assert roles_of_people(session, person_ids=[]) == {}
    assert roles_at_companies(session, company_ids=[]) == {}
