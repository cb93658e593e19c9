"""What the store makes of several claims about one field: whether they agree, and which value
frontends get by default. Values are in their stored JSON form (see `models.Claim.value`)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from api.vocab import ClaimRank, Weekday

WEEKDAYS = tuple(Weekday)

# How both APIs describe a claim's value.
VALUE_FORMS = (
    "The claimed value: a number, string or boolean; money as {amount, currency, approximate, "
    "text}; a metric as {amount, unit, approximate}; a date as {date, weekday}, `date` an ISO-8601 "
    "prefix or null where the source names only a weekday; a deal's tranches, valuation and terms "
    "as lists or objects shaped like those fields, with snake_case keys; roles as a list."
)


def weekday_of(day: dt.date) -> Weekday:
    return WEEKDAYS[day.weekday()]


def resolve_weekday(weekday: Weekday, published: dt.date) -> dt.date:
    """The last such weekday on or before publication: "on Friday" in a news report."""
    return published - dt.timedelta(days=(published.weekday() - WEEKDAYS.index(weekday)) % 7)


def agree(a: Any, b: Any) -> bool:
    """Whether two claimed values can both be true."""
    if isinstance(a, dict) and isinstance(b, dict):
        if "amount" in a and "amount" in b:
            same_unit = a.get("currency", a.get("unit")) == b.get("currency", b.get("unit"))
            return same_unit and math.isclose(a["amount"], b["amount"], rel_tol=1e-9)
        if "date" in a and "date" in b:
            return _dates_agree(a, b)
    if isinstance(a, float | int) and not isinstance(a, bool) and isinstance(b, float | int):
        return math.isclose(a, b, rel_tol=1e-9)
    return bool(a == b)


def _dates_agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    first, second = a["date"], b["date"]
    # "2019" agrees with "2019-09-05": one is only less precise than the other.
    if first and second and not (first.startswith(second) or second.startswith(first)):
        return False
    if a["weekday"] and b["weekday"] and a["weekday"] != b["weekday"]:
        return False
    for named, dated in ((a, b), (b, a)):
        day = dated["date"]
        to_the_day = day is not None and len(day) == len("2019-09-05")
        if (
            named["weekday"]
            and to_the_day
            and weekday_of(dt.date.fromisoformat(day)) != named["weekday"]
        ):
            return False
    return True


def combine(values: Sequence[Any]) -> Any:
    """One value for claims that agree: the most precise date; money approximate if any hedge."""
    first = values[0]
    if isinstance(first, dict) and "amount" in first:
        return first | {"approximate": any(value["approximate"] for value in values)}
    if isinstance(first, dict) and "date" in first:
        return max(values, key=lambda value: len(value["date"] or ""))
    return first


@dataclass(frozen=True)
class Settled:
    value: Any | None
    disputed: bool
    resolved: bool


def settle(claims: Sequence[tuple[Any, ClaimRank]]) -> Settled:
    """The default value is the preferred claims' value; failing that, the value the normal claims
    agree on; otherwise none, because picking one would hide the disagreement."""
    disputed = any(not agree(a, b) for (a, _), (b, _) in combinations(claims, 2))
    preferred = [value for value, rank in claims if rank is ClaimRank.PREFERRED]
    pool = preferred or [value for value, rank in claims if rank is ClaimRank.NORMAL]
    # The pool's claims are among those compared above: they can only disagree if some did.
    if not pool or (disputed and any(not agree(a, b) for a, b in combinations(pool, 2))):
        return Settled(value=None, disputed=disputed, resolved=False)
    return Settled(value=combine(pool), disputed=disputed, resolved=True)


def _number(amount: float) -> str:
    return f"{amount:,.6f}".rstrip("0").rstrip(".")


def describe(value: Any) -> str:
    """A claimed value as a person would write it."""
    if isinstance(value, dict) and "currency" in value:
        return f"{value['text']} ({_number(value['amount'])} {value['currency']})"
    if isinstance(value, dict) and "amount" in value:
        prefix = "about " if value["approximate"] else ""
        return f"{prefix}{_number(value['amount'])} {value['unit']}"
    if isinstance(value, dict) and "date" in value:
        parts = [value["weekday"].capitalize() if value["weekday"] else None, value["date"]]
        return " ".join(part for part in parts if part)
    if isinstance(value, dict):
        return _describe_structure(value)
    if isinstance(value, list):
        return "; ".join(describe(item) for item in value)
    if value is None:
        return "unknown"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _describe_structure(value: dict[str, Any]) -> str:
    """A deal's tranche, valuation or term, in words."""
    if "basis" in value:
        basis = value["basis"]
        said = "" if basis == "unspecified" else f", {basis.replace('_', '-')}"
        return f"valued at {describe(value['value'])}{said}"
    if "what" in value:
        words = [value["kind"], "to", value["what"], value["on_whom"]]
        window = value["window"]
        if window:
            months = f"{window['from_months']} to {window['to_months']} months"
            words.append(f"{months} after {window['after']}")
        return " ".join(word for word in words if word)
    sellers = value["unnamed_sellers"]
    kind = value["kind"].replace("_", " ") + (f" from {sellers}" if sellers else "")
    return f"{kind}: {describe(value['value'])}"
