"""What every resolver gets: the request's store session, the settings and its loaders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session
from strawberry.types import Info

from api.config import Settings
from api.graphql.loaders import Loaders


class ClientError(Exception):
    """A problem with the request itself; its message is shown to the client."""


@dataclass
class Context:
    session: Session
    settings: Settings
    loaders: Loaders


def loaders(info: Info[Context, None]) -> Loaders:
    return info.context.loaders


RowT = TypeVar("RowT")


def found(row: RowT | None) -> RowT:
    """A row the store's foreign keys guarantee exists."""
    assert row is not None
    return row
