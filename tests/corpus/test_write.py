from __future__ import annotations

import datetime as dt

import pytest

from api.corpus.write import held_between, in_force
from api.store.models import Deal
from api.vocab import DealKind, DealStatus, StakeChange

APRIL = dt.date(2016, 4, 12)


def deal(status: DealStatus) -> Deal:
    return Deal(key="d", kind=DealKind.ACQUISITION, status=status)


@pytest.mark.parametrize(
    ("change", "status", "expected"),
    [
        # What a pending deal would give does not count until it completes.
        (StakeChange.ACQUIRED, DealStatus.AGREED, False),
        (StakeChange.ACQUIRED, DealStatus.COMPLETED, True),
        # What it sells was held when reported; whether it still is, no source says.
        (StakeChange.SOLD, DealStatus.ANNOUNCED, None),
        (StakeChange.SOLD, DealStatus.COMPLETED, False),
        (StakeChange.KEPT, DealStatus.AGREED, True),
        (StakeChange.KEPT, DealStatus.COMPLETED, True),
    ],
)
def test_a_stake_a_deal_changes_is_in_force_by_the_deals_stage(
    change: StakeChange, status: DealStatus, expected: bool | None
) -> None:
    assert in_force(None, change, deal(status)) is expected


@pytest.mark.parametrize("current", [True, False, None])
def test_any_other_stake_is_as_current_as_its_sources_say(current: bool | None) -> None:
    assert in_force(current, None, None) is current


@pytest.mark.parametrize(
    ("change", "status", "completed_on", "expected"),
    [
        (StakeChange.ACQUIRED, DealStatus.COMPLETED, APRIL, (APRIL, None)),
        (StakeChange.SOLD, DealStatus.COMPLETED, APRIL, (None, APRIL)),
        # A kept stake was held before the deal too; nothing dates its start.
        (StakeChange.KEPT, DealStatus.COMPLETED, APRIL, (None, None)),
        # No date to go by: a completion no source dates, or a deal not completed.
        (StakeChange.ACQUIRED, DealStatus.COMPLETED, None, (None, None)),
        (StakeChange.SOLD, DealStatus.AGREED, APRIL, (None, None)),
    ],
)
def test_a_completed_deal_dates_the_stakes_it_gives_and_sells(
    change: StakeChange,
    status: DealStatus,
    completed_on: dt.date | None,
    expected: tuple[dt.date | None, dt.date | None],
) -> None:
    through = Deal(key="d", kind=DealKind.ACQUISITION, status=status, completed_on=completed_on)
    assert held_between(change, through) == expected
    assert held_between(None, None) == (None, None)
