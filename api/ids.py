"""Opaque tokens: global ids (`Type:natural-key`) and pagination cursors, both url-safe base64."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any


class InvalidToken(ValueError):
    pass


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(token: str) -> str:
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidToken(f"{token!r} is not a valid token") from None


def to_global_id(type_name: str, key: str) -> str:
    return _encode(f"{type_name}:{key}")


def from_global_id(token: str) -> tuple[str, str]:
    """The type name and natural key behind a global id."""
    type_name, sep, key = _decode(token).partition(":")
    if not sep or not type_name or not key:
        raise InvalidToken(f"{token!r} is not a valid id")
    return type_name, key


def encode_cursor(values: list[Any]) -> str:
    return _encode(json.dumps(values, separators=(",", ":")))


def decode_cursor(token: str, arity: int) -> list[Any]:
    try:
        values = json.loads(_decode(token))
    except (InvalidToken, json.JSONDecodeError):
        raise InvalidToken(f"{token!r} is not a valid cursor") from None
    if not isinstance(values, list) or len(values) != arity:
        raise InvalidToken(f"{token!r} is not a valid cursor")
    return values
