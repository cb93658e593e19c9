"""Opaque tokens: global ids (`Type:natural-key`) and page cursors, both url-safe base64.

A cursor marks a position in a sorted list: the sort values of the last item seen. It is read
back only against the types that list sorts by, so a cursor from another list, a forged one or
one with out-of-range numbers is refused here, at the edge, before any query is built.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
from typing import Any

# What a list can sort by, and a position in it: one value per sort column.
KeyValue = str | int | float | dt.date
Keyset = tuple[KeyValue, ...]
KeyTypes = tuple[type[KeyValue], ...]

# Far longer than any cursor the API hands out; longer tokens are refused unread.
MAX_CURSOR_LENGTH = 1000
_INT64 = 2**63


# How much of a client's input an error message quotes.
QUOTED_LENGTH = 60


class InvalidToken(ValueError):
    pass


def quoted(text: str) -> str:
    """Client input as an error message quotes it: in quotes, and cut short if it is long."""
    if len(text) <= QUOTED_LENGTH:
        return repr(text)
    return repr(text[:QUOTED_LENGTH]) + f"... ({len(text):,} characters)"


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(token: str) -> str:
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidToken(f"{quoted(token)} is not a valid token") from None


def to_global_id(type_name: str, key: str) -> str:
    return _encode(f"{type_name}:{key}")


def from_global_id(token: str) -> tuple[str, str]:
    """The type name and natural key behind a global id."""
    type_name, sep, key = _decode(token).partition(":")
    if not sep or not type_name or not key:
        raise InvalidToken(f"{quoted(token)} is not a valid id")
    return type_name, key


def encode_cursor(keyset: Keyset) -> str:
    values = [value.isoformat() if isinstance(value, dt.date) else value for value in keyset]
    return _encode(json.dumps(values, separators=(",", ":")))


def decode_cursor(token: str, types: KeyTypes) -> Keyset:
    """The position a cursor marks, each value of the type the list sorts by."""
    invalid = InvalidToken(f"{quoted(token)} is not a valid cursor")
    if len(token) > MAX_CURSOR_LENGTH:
        raise invalid
    try:
        values = json.loads(_decode(token), parse_constant=_refuse_constant)
    except (InvalidToken, ValueError, RecursionError):
        raise invalid from None
    if not isinstance(values, list) or len(values) != len(types):
        raise invalid
    try:
        return tuple(_typed(value, kind) for value, kind in zip(values, types, strict=True))
    except (ValueError, OverflowError):
        raise invalid from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _typed(value: object, kind: type[KeyValue]) -> KeyValue:
    if kind is str and isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise ValueError("a boolean is not a sort value")
    if kind is int and isinstance(value, int) and -_INT64 <= value < _INT64:
        return value
    if kind is float and isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    if kind is dt.date and isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise ValueError(f"{value!r} is not a {kind.__name__}")
