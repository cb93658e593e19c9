"""What every resolver gets: the request's store session, the settings and its loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlmodel import Session
from strawberry.dataloader import DataLoader

from api.config import Settings


class ClientError(Exception):
    """A problem with the request itself; its message is shown to the client."""

    extensions: ClassVar[dict[str, str]] = {"code": "BAD_USER_INPUT"}


@dataclass
class Context:
    session: Session
    settings: Settings
    # This request's loaders, by class (see `api.graphql.loaders.Loader.of`).
    loaders: dict[type[DataLoader[Any, Any]], DataLoader[Any, Any]] = field(default_factory=dict)
