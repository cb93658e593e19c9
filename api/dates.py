"""Dates as sources state them: a day, a month or only a year."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


def parse_partial_date(text: str) -> tuple[dt.date, Precision]:
    """`2019-09-05`, `2015-12` or `2016` to the first day of that period and its precision."""
    if not re.fullmatch(PARTIAL_DATE_PATTERN, text):
        raise ValueError(f"{text!r} is not an ISO-8601 date, year-month or year")
    parts = text.split("-")
    numbers = [int(part) for part in parts] + [1] * (3 - len(parts))
    try:
        day = dt.date(numbers[0], numbers[1], numbers[2])
    except ValueError as error:
        raise ValueError(f"{text!r} is not a real date: {error}") from None
    return day, (Precision.YEAR, Precision.MONTH, Precision.DAY)[len(parts) - 1]


def format_partial_date(day: dt.date | None, precision: Precision | None) -> str | None:
    """The ISO-8601 prefix that states exactly what the source stated."""
    if day is None or precision is None:
        return None
    text = day.isoformat()
    return {Precision.YEAR: text[:4], Precision.MONTH: text[:7], Precision.DAY: text}[precision]
