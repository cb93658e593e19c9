"""Named DataLoaders. Each batches one relation: every `.load(key)` that a request's resolvers
make in one tick becomes one statement, however many parents ask. A loader exists once per
request (`CompanyById.of(info)`), so nothing is cached across requests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Self, TypeVar

from sqlmodel import Session
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from api.graphql.context import Context
from api.store.paging import PageRequest

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")


class Loader(DataLoader[K, V]):
    """A relation's loader; subclasses say how to fetch many keys at once."""

    def __init__(self, session: Session) -> None:
        super().__init__(load_fn=self._load)
        self.session = session

    @classmethod
    def of(cls, info: Info[Context, Any]) -> Self:
        """This request's instance."""
        loaders = info.context.loaders
        loader = loaders.get(cls)
        if not isinstance(loader, cls):
            loader = loaders[cls] = cls(info.context.session)
        return loader

    async def _load(self, keys: list[K]) -> list[V]:
        found = self.fetch(keys)
        return [found[key] for key in keys]

    def fetch(self, keys: Sequence[K]) -> Mapping[K, V]:
        """The value of every key."""
        raise NotImplementedError


@dataclass(frozen=True)
class PageKey(Generic[R]):
    """One page of a parent's children, those in a role (or all, for None)."""

    parent_id: int
    role: R | None
    page: PageRequest


@dataclass(frozen=True)
class CountKey(Generic[R]):
    """How many children a parent has in a role (or in all, for None)."""

    parent_id: int
    role: R | None


def pages_by_role(
    keys: Sequence[PageKey[R]],
    fetch: Callable[[list[int], R | None, PageRequest], Mapping[int, V]],
) -> dict[PageKey[R], V]:
    """One statement per distinct role and page asked for, whatever the number of parents."""
    groups: dict[tuple[R | None, PageRequest], list[int]] = defaultdict(list)
    for key in keys:
        groups[key.role, key.page].append(key.parent_id)
    return {
        PageKey(parent_id, role, page): found
        for (role, page), parent_ids in groups.items()
        for parent_id, found in fetch(parent_ids, role, page).items()
    }


def counts_by_role(
    keys: Sequence[CountKey[R]], fetch: Callable[[list[int], R | None], Mapping[int, int]]
) -> dict[CountKey[R], int]:
    groups: dict[R | None, list[int]] = defaultdict(list)
    for key in keys:
        groups[key.role].append(key.parent_id)
    return {
        CountKey(parent_id, role): found
        for role, parent_ids in groups.items()
        for parent_id, found in fetch(parent_ids, role).items()
    }
