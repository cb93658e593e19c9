"""Keyset pagination over the seed store: every walk visits every row once, in order."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import ColumnElement, Engine
from sqlmodel import Session, col, select

from api.ids import decode_cursor, encode_cursor
from api.store.companies import list_companies
from api.store.deals import DealFilter, deal_ordering, deals_of_companies, list_deals
from api.store.filters import NEWEST_FIRST, OrderBy
from api.store.investments import list_investments
from api.store.models import Company, Deal, DealParty, Investment, Person, Source, Stake
from api.store.paging import (
    Ordering,
    Page,
    PageRequest,
    count,
    counts,
    read_page,
    read_pages_per_parent,
)
from api.store.people import list_people
from api.store.sources import list_sources
from api.vocab import DealKind, Direction, SortField
from tests.conftest import counting_statements
from tests.store.seeds import CBN, KAOLA, LAZADA, SCMP, SNAPDEAL, XINJIANG

ORDERS = [OrderBy(field, direction) for field in SortField for direction in Direction]
Reader = Callable[[PageRequest], Page[Any]]


def walk(read: Reader, limit: int, *, through_cursor: bool = False) -> list[Page[Any]]:
    """Every page of a list, each starting where the last ended; optionally through the
    opaque cursor the APIs hand out, read back against the list's sort types."""
    pages = [read(PageRequest(limit=limit))]
    while pages[-1].has_next:
        assert len(pages) < 100, "the walk does not end"
        end = pages[-1].end
        assert end is not None
        if through_cursor:
            end = decode_cursor(encode_cursor(end), pages[-1].ordering.types)
        pages.append(read(PageRequest(limit=limit, after=end)))
    return pages


def assert_walk_visits(pages: list[Page[Any]], expected: Sequence[int], limit: int) -> None:
    """The pages hold exactly the expected ids, in order, `limit` to a page but the last."""
    assert [row.id for page in pages for row in page.items] == list(expected)
    assert len(pages) == max(1, -(-len(expected) // limit))
    assert all(len(page.items) == limit for page in pages[:-1])
    assert 0 < len(pages[-1].items) <= limit or not expected
    assert not pages[-1].has_next


def sort_key(row: Deal | Investment, field: SortField) -> tuple[Any, int]:
    """The documented order, written out independently of `fact_ordering`: undated rows and
    rows without a USD value sort below every real date or value; ties go by id."""
    assert row.id is not None
    if field is SortField.KEY:
        return (row.key, row.id)
    if field is SortField.VALUE_USD:
        usd = row.value_amount if row.value_currency == "USD" else None
        return (usd is not None, usd or 0.0, row.id)  # type: ignore[return-value]
    return (row.announced_on is not None, row.announced_on or dt.date.min, row.id)  # type: ignore[return-value]


def expected_ids(rows: Sequence[Deal | Investment], order: OrderBy) -> list[int]:
    ranked = sorted(
        rows,
        key=lambda row: sort_key(row, order.field),
        reverse=order.direction is Direction.DESC,
    )
    return [row.pk for row in ranked]


@pytest.mark.parametrize(
    ("order", "keys"),
    [
        (NEWEST_FIRST, [KAOLA, CBN, SNAPDEAL, XINJIANG, SCMP, LAZADA]),
        (
            OrderBy(SortField.ANNOUNCED_ON, Direction.ASC),
            [LAZADA, SCMP, XINJIANG, SNAPDEAL, CBN, KAOLA],
        ),
        (
            OrderBy(SortField.VALUE_USD, Direction.DESC),
            [KAOLA, LAZADA, SCMP, CBN, SNAPDEAL, XINJIANG],
        ),
        (
            OrderBy(SortField.VALUE_USD, Direction.ASC),
            [XINJIANG, SNAPDEAL, CBN, SCMP, LAZADA, KAOLA],
        ),
        (
            OrderBy(SortField.KEY, Direction.ASC),
            sorted([KAOLA, LAZADA, SCMP, CBN, SNAPDEAL, XINJIANG]),
        ),
    ],
)
def test_seed_deals_sort_with_undated_and_unvalued_deals_lowest_and_ties_by_id(
    session: Session, deals: dict[str, int], order: OrderBy, keys: list[str]
) -> None:
    # Lazada, SCMP, Xinjiang and Snapdeal are undated and tie by id; the last two have no value
    # either.
    assert deals[LAZADA] < deals[SCMP] < deals[XINJIANG] < deals[SNAPDEAL]
    page = list_deals(session, where=DealFilter(), order=order, page=PageRequest(limit=10))
    assert [deal.key for deal in page.items] == keys
    assert not page.has_next


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: f"{o.field}-{o.direction}")
@pytest.mark.parametrize("limit", [1, 2, 4, 5, 6, 7])
def test_walking_deal_pages_visits_every_deal_once_in_order(
    session: Session, order: OrderBy, limit: int
) -> None:
    rows = session.exec(select(Deal)).all()
    pages = walk(
        lambda page: list_deals(session, where=DealFilter(), order=order, page=page), limit
    )
    assert_walk_visits(pages, expected_ids(rows, order), limit)


@settings(max_examples=40, deadline=None)
@given(
    model=st.sampled_from([Deal, Investment]),
    order=st.sampled_from(ORDERS),
    limit=st.integers(1, 7),
    through_cursor=st.booleans(),
)
def test_any_walk_of_deals_or_investments_matches_the_sorted_rows(
    seed_engine: Engine,
    model: type[Deal] | type[Investment],
    order: OrderBy,
    limit: int,
    through_cursor: bool,
) -> None:
    with Session(seed_engine) as session:
        rows: Sequence[Any] = session.scalars(select(model)).all()

        def read(page: PageRequest) -> Page[Any]:
            if model is Deal:
                return list_deals(session, where=DealFilter(), order=order, page=page)
            return list_investments(session, order=order, page=page)

        pages = walk(read, limit, through_cursor=through_cursor)
        assert_walk_visits(pages, expected_ids(rows, order), limit)


@pytest.mark.parametrize("limit", [1, 2, 5, 100])
@pytest.mark.parametrize(
    ("model", "read"),
    [
        (Company, lambda s, p: list_companies(s, search=None, page=p)),
        (Person, lambda s, p: list_people(s, search=None, page=p)),
        (Source, lambda s, p: list_sources(s, page=p)),
    ],
    ids=["companies", "people", "sources"],
)
def test_walking_named_lists_visits_every_row_once_in_name_order(
    session: Session,
    model: type[Company] | type[Person] | type[Source],
    read: Callable[[Session, PageRequest], Page[Any]],
    limit: int,
) -> None:
    rows = session.exec(select(model)).all()
    name = "slug" if model is Source else "name"
    expected = [row.pk for row in sorted(rows, key=lambda r: (getattr(r, name), r.pk))]
    assert len(expected) > 1
    pages = walk(lambda page: read(session, page), limit, through_cursor=True)
    assert_walk_visits(pages, expected, limit)


def test_a_position_need_not_be_a_row(session: Session) -> None:
    # Newest first, after "mid-2016": what was announced before then, then the undated deals.
    page = list_deals(
        session,
        where=DealFilter(),
        page=PageRequest(limit=10, after=(dt.date(2016, 6, 1), 0)),
    )
    assert [deal.key for deal in page.items] == [CBN, SNAPDEAL, XINJIANG, SCMP, LAZADA]


def test_limit_zero_reads_no_rows_but_says_whether_there_are_any(session: Session) -> None:
    page = list_deals(session, where=DealFilter(), page=PageRequest(limit=0))
    assert page.items == []
    assert page.has_next
    assert page.end is None

    none = DealFilter(kind=DealKind.MERGER)  # no seed deal is a merger
    empty = list_deals(session, where=none, page=PageRequest(limit=0))
    assert (empty.items, empty.has_next, empty.end) == ([], False, None)
    assert list_deals(session, where=none, page=PageRequest(limit=5)).items == []


def test_read_page_is_one_statement(session: Session, seed_engine: Engine) -> None:
    ordering = deal_ordering()
    with counting_statements(seed_engine) as statements:
        page = read_page(session, select(Deal), ordering, PageRequest(limit=2, after=None))
        read_page(session, select(Deal), ordering, PageRequest(limit=2, after=page.end))
    assert len(statements) == 2


def parties(session: Session) -> dict[int, set[int]]:
    """Deal ids by the company party to them."""
    found: dict[int, set[int]] = defaultdict(set)
    for party in session.exec(select(DealParty)).all():
        found[party.company_id].add(party.deal_id)
    return found


@pytest.mark.parametrize("limit", [0, 1, 2, 3, 10])
def test_each_parent_gets_its_own_page_in_one_statement(
    session: Session, seed_engine: Engine, companies: dict[str, int], limit: int
) -> None:
    all_deals = session.exec(select(Deal)).all()
    deal_ids = parties(session)
    company_ids = sorted(companies.values())
    with counting_statements(seed_engine) as statements:
        pages = deals_of_companies(
            session, company_ids=company_ids, role=None, page=PageRequest(limit=limit)
        )
    assert len(statements) == 1
    assert list(pages) == company_ids
    for company_id, page in pages.items():
        mine = [deal for deal in all_deals if deal.id in deal_ids[company_id]]
        expected = expected_ids(mine, NEWEST_FIRST)
        assert [deal.id for deal in page.items] == expected[:limit]
        assert page.has_next == (len(expected) > limit)
    # Alibaba is party to all six deals; Kaola to one; QuestMobile to none.
    assert pages[companies["alibaba"]].has_next == (limit < 6)
    assert pages[companies["questmobile"]].items == []
    assert not pages[companies["questmobile"]].has_next


@pytest.mark.parametrize("parents", [1, 2, 5, 27])
def test_pages_per_parent_cost_one_statement_whatever_the_number_of_parents(
    session: Session, seed_engine: Engine, companies: dict[str, int], parents: int
) -> None:
    company_ids = sorted(companies.values())[:parents]
    with counting_statements(seed_engine) as statements:
        pages = deals_of_companies(
            session, company_ids=company_ids, role=None, page=PageRequest(limit=2)
        )
    assert len(statements) == 1
    assert set(pages) == set(company_ids)


HOLDER = cast(ColumnElement[int], col(Stake.holder_id))
STAKES_NEWEST_ID_FIRST = Ordering(
    columns=(col(Stake.id),), key=lambda row: (row.id,), types=(int,), descending=True
)


def stake_pages(
    session: Session, holder_ids: Sequence[int], page: PageRequest
) -> dict[int, Page[Stake]]:
    return read_pages_per_parent(
        session,
        model=Stake,
        query=select(Stake),
        parent=HOLDER,
        parent_ids=holder_ids,
        ordering=STAKES_NEWEST_ID_FIRST,
        page=page,
    )


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_walking_one_parents_pages_visits_its_children_once(
    session: Session, companies: dict[str, int], limit: int
) -> None:
    stakes = session.exec(select(Stake)).all()
    for holder_id in companies.values():
        expected = sorted((s.pk for s in stakes if s.holder_id == holder_id), reverse=True)

        def read(page: PageRequest, holder: int = holder_id) -> Page[Any]:
            return stake_pages(session, [holder], page)[holder]

        pages = walk(read, limit)
        assert_walk_visits(pages, expected, limit)
        assert all(isinstance(row, Stake) for page in pages for row in page.items)


def test_a_position_applies_to_every_parent_alike(
    session: Session, companies: dict[str, int]
) -> None:
    alibaba, tencent = companies["alibaba"], companies["tencent"]
    pages = stake_pages(session, [alibaba, tencent], PageRequest(limit=100, after=(10,)))
    assert [s.id for s in pages[alibaba].items] == [9, 3]
    assert [s.holder_id for s in pages[tencent].items] == [tencent] * 4
    assert [s.id for s in pages[tencent].items] == [7, 6, 5, 4]


def test_parents_without_children_and_unknown_parents_get_empty_pages(
    session: Session, companies: dict[str, int]
) -> None:
    pages = stake_pages(session, [companies["kaola"], 10_000], PageRequest(limit=3))
    assert {pid: (p.items, p.has_next) for pid, p in pages.items()} == {
        companies["kaola"]: ([], False),
        10_000: ([], False),
    }
    assert stake_pages(session, [], PageRequest(limit=3)) == {}


def test_counts_per_parent_cover_every_requested_parent_in_one_statement(
    session: Session, seed_engine: Engine, companies: dict[str, int]
) -> None:
    stakes = session.exec(select(Stake)).all()
    holder_ids = [*sorted(companies.values()), 10_000]
    with counting_statements(seed_engine) as statements:
        found = counts(session, select(Stake), HOLDER, holder_ids)
    assert len(statements) == 1
    assert found == {h: sum(s.holder_id == h for s in stakes) for h in holder_ids}
    assert found[companies["alibaba"]] == 7
    assert found[companies["tencent"]] == 4
    assert found[10_000] == 0


def test_count_counts_the_rows_of_a_query(session: Session) -> None:
    assert count(session, select(Stake)) == 20
    assert count(session, select(Deal).where(col(Deal.announced_on).is_(None))) == 4
    assert count(session, select(Deal).where(col(Deal.id) < 0)) == 0
