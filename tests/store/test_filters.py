"""What deals and investments share: the FactFilter fields, USD values and the keyset orders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlmodel import Session, col, select

from api.store.deals import DealFilter, count_deals, list_deals
from api.store.filters import (
    NEWEST_FIRST,
    NO_VALUE,
    FactFilter,
    OrderBy,
    fact_ordering,
    filtered,
    value_usd,
)
from api.store.models import Deal, Investment
from api.store.paging import NO_DATE, PageRequest
from api.vocab import DealStatus, Direction, SortField
from tests.store.seeds import CBN, KAOLA, LAZADA, MUSIC, NEW_SHARES, SCMP, SNAPDEAL, XINJIANG


def filtered_keys(
    session: Session, model: type[Deal] | type[Investment], **fields: Any
) -> set[str]:
    return {row.key for row in session.scalars(filtered(model, FactFilter(**fields))).all()}


@pytest.mark.parametrize(
    ("fields", "deals", "investments"),
    [
        ({}, {KAOLA, LAZADA, SCMP, CBN, XINJIANG, SNAPDEAL}, {MUSIC, NEW_SHARES}),
        ({"status": DealStatus.RUMORED}, set(), set()),
        ({"status": DealStatus.IN_TALKS}, {SNAPDEAL}, set()),
        ({"status": DealStatus.ANNOUNCED}, {KAOLA}, set()),
        ({"status": DealStatus.AGREED}, {LAZADA, SCMP, CBN, XINJIANG}, {MUSIC, NEW_SHARES}),
        ({"status": DealStatus.COMPLETED}, set(), set()),
        # Date bounds are inclusive; undated facts fall outside any range.
        # The seeds date no investment.
        ({"announced_after": dt.date(2019, 9, 5)}, {KAOLA}, set()),
        ({"announced_before": dt.date(2015, 6, 1)}, {CBN}, set()),
        (
            {"announced_after": dt.date(2015, 6, 1), "announced_before": dt.date(2019, 9, 4)},
            {CBN},
            set(),
        ),
        ({"announced_after": dt.date(2019, 9, 6)}, set(), set()),
        # Value bounds are inclusive, in USD; facts without a USD value fall outside.
        ({"value_min_usd": 266e6}, {KAOLA, LAZADA, SCMP}, {MUSIC, NEW_SHARES}),
        ({"value_max_usd": 266e6}, {SCMP, CBN}, set()),
        ({"value_min_usd": 194e6, "value_max_usd": 500e6}, {SCMP, CBN}, {NEW_SHARES}),
        ({"value_min_usd": 0}, {KAOLA, LAZADA, SCMP, CBN}, {MUSIC, NEW_SHARES}),
        ({"value_min_usd": 2e9 + 1}, set(), set()),
    ],
    ids=repr,
)
def test_each_shared_field_filters_deals_and_investments_alike(
    session: Session, fields: dict[str, Any], deals: set[str], investments: set[str]
) -> None:
    assert filtered_keys(session, Deal, **fields) == deals
    assert filtered_keys(session, Investment, **fields) == investments
    # The deal list applies the same shared filter.
    where = DealFilter(shared=FactFilter(**fields))
    listed = list_deals(session, where=where, page=PageRequest(limit=100)).items
    assert {deal.key for deal in listed} == deals
    assert count_deals(session, where=where) == len(deals)


@pytest.mark.parametrize(
    ("source", "deals", "investments"),
    [
        ("000_2b1eff056f60b6be", {KAOLA}, {MUSIC}),
        ("001_fc294a4a7f80cbd8", {KAOLA}, {MUSIC}),
        ("002_35f2b27074b6541c", {LAZADA, SCMP, CBN}, {NEW_SHARES}),
        ("003_7532c4fe6b1c635d", {XINJIANG, SNAPDEAL}, set()),
    ],
)
def test_evidence_source_filter_selects_the_facts_a_source_quotes(
    session: Session,
    sources: dict[str, int],
    source: str,
    deals: set[str],
    investments: set[str],
) -> None:
    assert filtered_keys(session, Deal, evidence_source_id=sources[source]) == deals
    assert filtered_keys(session, Investment, evidence_source_id=sources[source]) == investments
    assert filtered_keys(session, Deal, evidence_source_id=10_000) == set()


def test_value_usd_is_the_amount_stated_in_usd_or_nothing(session: Session) -> None:
    found: dict[str, Any] = dict(session.execute(select(col(Deal.key), value_usd(Deal))).all())
    assert found == {
        KAOLA: 2e9,
        LAZADA: 1e9,
        SCMP: 266e6,
        CBN: 194e6,
        XINJIANG: None,
        SNAPDEAL: None,
    }


def test_newest_first_is_the_default_order() -> None:
    assert NEWEST_FIRST == OrderBy() == OrderBy(SortField.ANNOUNCED_ON, Direction.DESC)


@pytest.mark.parametrize("model", [Deal, Investment])
@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("field", list(SortField))
def test_an_orderings_key_follows_its_sql_order_strictly(
    session: Session,
    model: type[Deal] | type[Investment],
    field: SortField,
    direction: Direction,
) -> None:
    """Cursors are the Python key of the last row: it must rise (or fall) strictly along the
    order SQL returns, or a walk would skip or repeat rows."""
    ordering = fact_ordering(model, OrderBy(field, direction))
    rows = session.scalars(select(model).order_by(*ordering.order_by())).all()
    positions = [ordering.key(row) for row in rows]
    expected = sorted(positions, reverse=direction is Direction.DESC)
    assert positions == expected
    assert len(set(positions)) == len(positions)
    assert all(isinstance(v, t) for p in positions for v, t in zip(p, ordering.types, strict=True))


def test_missing_dates_and_values_take_the_lowest_positions(session: Session) -> None:
    xinjiang = session.exec(select(Deal).where(Deal.key == XINJIANG)).one()
    by_date = fact_ordering(Deal, NEWEST_FIRST)
    by_value = fact_ordering(Deal, OrderBy(SortField.VALUE_USD, Direction.ASC))
    assert by_date.key(xinjiang) == (NO_DATE, xinjiang.id)
    assert by_value.key(xinjiang) == (NO_VALUE, xinjiang.id)
    assert NO_VALUE < 0 < 194e6
