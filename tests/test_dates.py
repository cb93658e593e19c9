from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.dates import Precision, format_partial_date, parse_partial_date


@given(day=st.dates(min_value=dt.date(1, 1, 1)), precision=st.sampled_from(Precision))
def test_partial_dates_round_trip(day: dt.date, precision: Precision) -> None:
    text = format_partial_date(day, precision)
    assert text is not None
    parsed, parsed_precision = parse_partial_date(text)
    assert parsed_precision == precision
    assert format_partial_date(parsed, parsed_precision) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-09-05", (dt.date(2019, 9, 5), Precision.DAY)),
        ("2015-12", (dt.date(2015, 12, 1), Precision.MONTH)),
        ("2016", (dt.date(2016, 1, 1), Precision.YEAR)),
    ],
)
def test_precision_follows_what_is_stated(text: str, expected: tuple[dt.date, Precision]) -> None:
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["2019-02-30", "2019-13", "Friday", "2019-9-5", "2019-09-05-01"])
def test_impossible_or_vague_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_partial_date(text)
