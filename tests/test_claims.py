from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from api.claims import agree, describe, resolve_weekday, settle, weekday_of
from api.vocab import ClaimRank, Weekday

NORMAL, PREFERRED, DEPRECATED = ClaimRank.NORMAL, ClaimRank.PREFERRED, ClaimRank.DEPRECATED


def day(text: str | None, weekday: str | None = None) -> dict[str, Any]:
    return {"date": text, "weekday": weekday}


def money(amount: float, approximate: bool = False) -> dict[str, Any]:
    return {"amount": amount, "currency": "USD", "approximate": approximate, "text": "$"}


@given(st.sampled_from(Weekday), st.dates(min_value=dt.date(1900, 1, 8)))
def test_a_weekday_resolves_to_the_last_such_day_on_or_before_publication(
    weekday: Weekday, published: dt.date
) -> None:
    resolved = resolve_weekday(weekday, published)
    assert weekday_of(resolved) is weekday
    assert published - dt.timedelta(days=6) <= resolved <= published


def test_on_friday_in_a_friday_paper_is_that_day_and_thursday_the_day_before() -> None:
    published = dt.date(2019, 9, 6)
    assert resolve_weekday(Weekday.FRIDAY, published) == published
    assert resolve_weekday(Weekday.THURSDAY, published) == dt.date(2019, 9, 5)


values = st.one_of(
    st.builds(money, st.sampled_from([1e6, 2e9, 7e8]), st.booleans()),
    st.builds(
        day,
        st.sampled_from([None, "2019", "2019-09", "2019-09-05", "2019-09-06", "2016"]),
        st.sampled_from([None, "thursday", "friday"]),
    ),
    st.sampled_from([True, False, None, 8.8, 9.1, "announced", "completed"]),
)


@given(values, values)
def test_agreement_is_symmetric(a: Any, b: Any) -> None:
    assert agree(a, b) == agree(b, a)


def test_what_agrees() -> None:
    assert agree(money(2e9, True), money(2e9))  # "about $2bn" and "$2bn"
    assert not agree(money(2e9), money(1e9))
    assert agree(day("2019"), day("2019-09-05"))  # only less precise
    assert not agree(day("2019-09"), day("2019-10-01"))
    assert not agree(day(None, "friday"), day("2019-09-05", "thursday"))
    assert not agree(day(None, "friday"), day("2019-09-05"))  # 5 September 2019 was a Thursday
    assert agree(day(None, "thursday"), day("2019-09-05"))
    assert agree(8.8, 8.8000000001) and not agree(8.8, 9.1)
    assert agree(True, True) and not agree(True, False) and not agree(True, None)


def test_the_preferred_claim_gives_the_value_and_the_dispute_stays_visible() -> None:
    settled = settle([(day(None, "friday"), NORMAL), (day("2019-09-05", "thursday"), PREFERRED)])
    assert settled == settled.__class__(
        value=day("2019-09-05", "thursday"), disputed=True, resolved=True
    )


def test_normal_claims_that_disagree_leave_no_value() -> None:
    settled = settle([(27.7, NORMAL), (24.5, NORMAL)])
    assert (settled.value, settled.disputed, settled.resolved) == (None, True, False)


def test_deprecated_claims_are_set_aside_but_still_dispute() -> None:
    settled = settle([("completed", DEPRECATED), ("announced", NORMAL)])
    assert (settled.value, settled.disputed, settled.resolved) == ("announced", True, True)


def test_agreeing_claims_combine_into_the_most_informative_value() -> None:
    assert settle([(money(2e9, True), NORMAL), (money(2e9), NORMAL)]).value == money(2e9, True)
    assert settle([(day("2019"), NORMAL), (day("2019-09-05"), NORMAL)]).value == day("2019-09-05")
    assert not settle([(day("2019"), NORMAL), (day("2019-09-05"), NORMAL)]).disputed


def test_values_read_as_people_write_them() -> None:
    assert describe(money(2e9, True) | {"text": "about US$2 billion"}) == (
        "about US$2 billion (2,000,000,000 USD)"
    )
    assert describe({"amount": 132e6, "unit": "users", "approximate": True}) == (
        "about 132,000,000 users"
    )
    assert describe(day(None, "friday")) == "Friday"
    assert describe(day("2019-09-05", "thursday")) == "Thursday 2019-09-05"
    assert describe(True) == "true"


def test_a_deals_structure_reads_as_people_write_it() -> None:
    half = money(5e8, False) | {"text": "$500m"}
    tranches = [
        {"kind": "new_shares", "value": half, "unnamed_sellers": None},
        {"kind": "existing_shares", "value": None, "unnamed_sellers": "existing investors"},
    ]
    assert describe(tranches) == (
        "new shares: $500m (500,000,000 USD); existing shares from existing investors: unknown"
    )
    assert describe({"value": half, "basis": "post_money"}) == (
        "valued at $500m (500,000,000 USD), post-money"
    )
    window = {"from_months": 12, "to_months": 18, "after": "completion"}
    option = {"kind": "option", "what": "buy out", "on_whom": "certain holders", "window": window}
    assert (
        describe([option]) == "option to buy out certain holders 12 to 18 months after completion"
    )
    assert describe(["seller", "target"]) == "seller; target"
