from __future__ import annotations

import pytest

from api.corpus.write import in_force
from api.store.models import Deal
from api.vocab import DealKind, DealStatus, StakeChange


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
