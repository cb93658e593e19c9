"""Rows by id, by natural key and by name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.store.models import Company, Deal, Investment, Person, Role, Source
from api.store.rows import get_by_ids, get_by_keys, group, name_search
from tests.conftest import counting_statements


def test_get_by_ids_returns_exactly_the_asked_rows_keyed_by_id(
    session: Session, seed_engine: Engine, companies: dict[str, int]
) -> None:
    alibaba, kaola = companies["alibaba"], companies["kaola"]
    with counting_statements(seed_engine) as statements:
        found = get_by_ids(session, model=Company, ids=[kaola, 10_000, alibaba, kaola])
    assert len(statements) == 1
    assert {pk: row.slug for pk, row in found.items()} == {alibaba: "alibaba", kaola: "kaola"}


def test_get_by_ids_of_nothing_is_empty(session: Session) -> None:
    assert get_by_ids(session, model=Deal, ids=[]) == {}
    assert get_by_ids(session, model=Deal, ids=[-1, 0, 10_000]) == {}


def test_get_by_ids_works_for_every_kind_of_row(
    session: Session, deals: dict[str, int], people: dict[str, int]
) -> None:
    kaola_deal = deals["alibaba-acquires-kaola"]
    assert get_by_ids(session, model=Deal, ids=[kaola_deal])[kaola_deal].value_amount == 2e9
    alvin = people["alvin-liu"]
    assert get_by_ids(session, model=Person, ids=[alvin])[alvin].name == "Alvin Liu"
    roles = get_by_ids(session, model=Role, ids=[1, 2])
    assert {role.title for role in roles.values()} == {
        "Import and Export General Manager",
        "Chief Executive Officer",
    }


def test_get_by_keys_reads_slugs_of_named_rows(session: Session) -> None:
    found = get_by_keys(session, model=Company, keys=["kaola", "no-such-company", "netease"])
    assert {slug: row.name for slug, row in found.items()} == {
        "kaola": "Kaola",
        "netease": "NetEase",
    }
    people = get_by_keys(session, model=Person, keys=["alvin-liu"])
    assert people["alvin-liu"].name == "Alvin Liu"
    sources = get_by_keys(session, model=Source, keys=["001_fc294a4a7f80cbd8"])
    assert sources["001_fc294a4a7f80cbd8"].published_on is not None


def test_get_by_keys_reads_keys_of_deals_and_investments(session: Session) -> None:
    deals = get_by_keys(session, model=Deal, keys=["alibaba-acquires-kaola", "alibaba-acquires-x"])
    assert list(deals) == ["alibaba-acquires-kaola"]
    assert deals["alibaba-acquires-kaola"].value_text == "about US$2 billion"
    investments = get_by_keys(session, model=Investment, keys=["alibaba-lazada-new-shares"])
    assert investments["alibaba-lazada-new-shares"].value_amount == 500e6


def test_get_by_keys_does_not_match_slugs_loosely(session: Session) -> None:
    assert get_by_keys(session, model=Company, keys=["Kaola", "kaol", "kaola ", "%"]) == {}
    assert get_by_keys(session, model=Company, keys=[]) == {}


def test_group_gives_every_requested_id_a_list(
    session: Session, seed_engine: Engine, people: dict[str, int]
) -> None:
    alvin, xi = people["alvin-liu"], people["xi-jinping"]
    statement = select(Role).where(col(Role.person_id).in_([alvin, xi])).order_by(col(Role.id))
    with counting_statements(seed_engine) as statements:
        found = group(session, statement, "person_id", [alvin, xi, 10_000])
    assert len(statements) == 1
    assert {pk: [r.title for r in rows] for pk, rows in found.items()} == {
        alvin: ["Import and Export General Manager", "Chief Executive Officer"],
        xi: [],
        10_000: [],
    }


def names(session: Session, model: type[Company] | type[Person], search: str | None) -> set[str]:
    return {row.name for row in session.scalars(name_search(model, search)).all()}


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("alibaba", {"Alibaba Group"}),
        ("ALIBABA GROUP HOLDING LTD", {"Alibaba Group"}),  # an alias, in capitals
        ("baba", {"Alibaba Group"}),
        ("wesing", {"Quanmin K Ge"}),  # the alias only
        ("NetEase", {"NetEase", "NetEase Cloud Music"}),
        ("ab kinnevik", {"Investment AB Kinnevik"}),
        ("e-commerce", {"China E-commerce Research Center"}),
        ("YICAI", {"China Business News"}),  # an editorial alias
        ("no such company", set()),
    ],
)
def test_name_search_matches_names_and_aliases_ignoring_case(
    session: Session, search: str, found: set[str]
) -> None:
    assert names(session, Company, search) == found


def test_name_search_finds_people_by_alias(session: Session) -> None:
    assert names(session, Person, "ma yun") == {"Jack Ma"}
    assert names(session, Person, "LEI") == {"Cao Lei", "William Ding"}  # "Ding Lei"
    assert names(session, Person, "zhang y") == {"Daniel Zhang"}


@pytest.mark.parametrize(
    "search",
    ["%", "_", "\\", "a%a", "e_commerce", "tmall_", "%tencent", "\\%", "netease\\", "__"],
)
def test_name_search_treats_wildcards_and_backslash_literally(
    session: Session, search: str
) -> None:
    # No seed name or alias holds %, _ or \: taken as wildcards, each of these would match.
    assert names(session, Company, search) == set()
    assert names(session, Person, search) == set()


def test_an_empty_search_is_no_search(session: Session) -> None:
    every = {row.name for row in session.exec(select(Company)).all()}
    assert len(every) == 27
    assert names(session, Company, None) == every
    assert names(session, Company, "") == every


def brute_force(rows: Sequence[Any], search: str) -> set[str]:
    needle = search.casefold()
    return {
        row.name
        for row in rows
        if any(needle in text.casefold() for text in [row.name, *row.aliases])
    }


NAMES_AND_ALIASES = sorted(
    {
        "Alibaba Group Holding Ltd",
        "NetEase, Inc.",
        "China E-commerce Research Centre",
        "Kaola.com",
        "Tencent Holdings",
        "J. Michael Evans",
        "Zhang Yong",
        "Quanmin K Ge",
        "iiMedia Research",
    }
)


@st.composite
def searches(draw: st.DrawFn) -> str:
    """Pieces of real names and aliases, mangled with case changes and wildcard characters."""
    text = draw(st.sampled_from(NAMES_AND_ALIASES))
    start = draw(st.integers(0, len(text) - 1))
    piece = text[start : draw(st.integers(start + 1, len(text)))]
    if draw(st.booleans()):
        piece = piece.swapcase()
    noise = draw(st.text(alphabet="%_\\ .-,aeK", max_size=2))
    at = draw(st.integers(0, len(piece)))
    return piece[:at] + noise + piece[at:]


@settings(max_examples=50, deadline=None)
@given(search=searches(), model=st.sampled_from([Company, Person]))
def test_name_search_agrees_with_a_casefolded_substring_test(
    seed_engine: Engine, search: str, model: type[Company] | type[Person]
) -> None:
    with Session(seed_engine) as session:
        rows: Sequence[Any] = session.scalars(select(model)).all()
        assert names(session, model, search) == brute_force(rows, search)


@pytest.mark.parametrize("search", ["group\nalibaba", "kaola\nkaola", "netease\nnetease inc"])
def test_a_search_never_spans_two_names(session: Session, search: str) -> None:
    assert names(session, Company, search) == set()
