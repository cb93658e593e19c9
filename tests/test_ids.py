from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.ids import InvalidToken, decode_cursor, encode_cursor, from_global_id, to_global_id

names = st.text(st.characters(codec="utf-8", exclude_characters=":"), min_size=1)


@given(type_name=names, key=st.text(st.characters(codec="utf-8"), min_size=1))
def test_global_ids_round_trip_and_are_url_safe(type_name: str, key: str) -> None:
    token = to_global_id(type_name, key)
    assert from_global_id(token) == (type_name, key)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@given(values=st.lists(st.one_of(st.integers(), st.text(), st.none()), min_size=1, max_size=4))
def test_cursors_round_trip(values: list[object]) -> None:
    assert decode_cursor(encode_cursor(values), len(values)) == values


@pytest.mark.parametrize("token", ["", "!!!", "bm9wZQ", to_global_id("", "x")[:-1]])
def test_malformed_ids_are_refused(token: str) -> None:
    with pytest.raises(InvalidToken):
        from_global_id(token)


def test_cursor_of_another_shape_is_refused() -> None:
    with pytest.raises(InvalidToken):
        decode_cursor(encode_cursor(["a", 1]), 3)
