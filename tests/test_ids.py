from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.ids import (
    MAX_CURSOR_LENGTH,
    InvalidToken,
    decode_cursor,
    encode_cursor,
    from_global_id,
    to_global_id,
)

names = st.text(st.characters(codec="utf-8", exclude_characters=":"), min_size=1)


def token(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@given(type_name=names, key=st.text(st.characters(codec="utf-8"), min_size=1))
def test_global_ids_round_trip_and_are_url_safe(type_name: str, key: str) -> None:
    token = to_global_id(type_name, key)
    assert from_global_id(token) == (type_name, key)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@given(
    name=st.text(max_size=200),
    day=st.dates(),
    value=st.floats(allow_nan=False, allow_infinity=False),
    pk=st.integers(min_value=-(2**63), max_value=2**63 - 1),
)
def test_cursors_round_trip_with_their_types(
    name: str, day: dt.date, value: float, pk: int
) -> None:
    keyset = (name, day, value, pk)
    assert decode_cursor(encode_cursor(keyset), (str, dt.date, float, int)) == keyset


def test_an_integer_is_a_float_position_too() -> None:
    assert decode_cursor(encode_cursor((3, 1)), (float, int)) == (3.0, 1)


@pytest.mark.parametrize("token", ["", "!!!", "bm9wZQ", to_global_id("", "x")[:-1]])
def test_malformed_ids_are_refused(token: str) -> None:
    with pytest.raises(InvalidToken):
        from_global_id(token)


@pytest.mark.parametrize(
    ("cursor", "types"),
    [
        (encode_cursor(("a", 1)), (str, int, int)),  # another list's shape
        (encode_cursor(("a", 1)), (int, int)),  # another list's types
        (encode_cursor((True, 1)), (int, int)),  # a boolean is not a number
        (encode_cursor(("2019-02-30", 1)), (dt.date, int)),  # no such day
        (token("[Infinity, 1]"), (float, int)),
        (token("[NaN, 1]"), (float, int)),
        (token(f"[{2**100}, 1]"), (int, int)),  # beyond what the store can compare
        (token("[1e400, 1]"), (float, int)),
        (token(f"[{10**400}, 1]"), (float, int)),
        (token("[" * 3000 + "]" * 3000), (int,)),  # nesting deep enough to exhaust recursion
        (token('{"a": 1}'), (int,)),
        (token("not json"), (int,)),
        ("!!!", (int,)),
        ("A" * (MAX_CURSOR_LENGTH + 1), (str,)),
    ],
)
def test_cursors_that_do_not_fit_the_list_are_refused(cursor: str, types: tuple[type, ...]) -> None:
    with pytest.raises(InvalidToken, match="is not a valid cursor"):
        decode_cursor(cursor, types)


def test_refusals_quote_only_the_start_of_a_long_cursor() -> None:
    long = token(json.dumps(["x" * 700]))
    with pytest.raises(InvalidToken) as refused:
        decode_cursor(long, (int,))
    assert len(str(refused.value)) < 200
