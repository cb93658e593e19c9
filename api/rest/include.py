"""`include`: the related objects a list or item embeds, so that a script asks a nested question in
one request (`/api/companies?include=deals.targets.ceo`), in the manner of JSON:API's `include`
and Stripe's `expand[]`.

Each type names its relations (`Relation`); `api.rest` gathers them with each type's converter
into one table. An included relation puts the full objects under its name, in place of the
references the item may already hold there. Each level costs a fixed number of statements,
however many items it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import Field
from sqlmodel import Session

from api.config import Settings
from api.ids import quoted
from api.rest.params import Params
from api.rest.problems import ProblemDetail, ProblemError
from api.rest.responses import Out

# Stripe's limit: deeper questions are better asked of GraphQL.
MAX_DEPTH = 4
INCLUDE = (
    "Related objects to embed, as comma-separated dotted paths, such as `deals.targets.ceo`. "
    "A company has `ceo`, `deals` (newest first) and `investments` (newest first); a deal has "
    "`acquirers`, `targets` and `sellers`; an investment has `investors` and `investee`. Each "
    "puts the full objects under its name, in place of the references there. At most "
    f"{MAX_DEPTH} levels; the items the answer could hold count against the same limit as a "
    "GraphQL query's."
)

JSON = dict[str, Any]
# A row's children in one relation, for many parents at once: parent id -> rows.
Children = Callable[[Session, Sequence[Any], int], Mapping[int, Sequence[Any]]]
Convert = Callable[[Session, Sequence[Any]], Sequence[Out]]
# What to embed: each relation's name, and what to embed in its objects in turn.
Tree = dict[str, "Tree"]


class IncludeParams(Params):
    include: str | None = Field(default=None, description=INCLUDE)
    include_limit: int | None = Field(
        default=None,
        ge=1,
        description="Items in each included list (default: the page size; at most its maximum).",
    )


@dataclass(frozen=True)
class Relation:
    target: str
    many: bool
    children: Children


@dataclass(frozen=True)
class Embeddable:
    model: type[Out]
    convert: Convert
    relations: Mapping[str, Relation]


Table = Mapping[str, Embeddable]


@dataclass(frozen=True)
class Include:
    tree: Tree
    limit: int
    table: Table


def parse_include(
    params: IncludeParams, *, type_name: str, table: Table, settings: Settings, items: int
) -> Include | None:
    """The relations asked for, checked against `table`, the depth limit and the item limit for
    a list (or item) of `items` objects of `type_name`."""
    if not params.include:
        return None
    limit = params.include_limit or settings.default_page_size
    if limit > settings.max_page_size:
        raise _refused("include_limit", f"at most {settings.max_page_size}")
    tree: Tree = {}
    for path in params.include.split(","):
        _add_path(tree, path.strip(), type_name, table)
    count = _count(tree, type_name, table, items, limit)
    if count > settings.graphql_max_nodes:
        raise _refused(
            "include",
            f"could return {count:,} items, more than the {settings.graphql_max_nodes:,} "
            "allowed; ask for a smaller limit or include_limit, or fewer nested lists",
        )
    return Include(tree, limit, table)


def _add_path(tree: Tree, path: str, type_name: str, table: Table) -> None:
    names = path.split(".")
    if len(names) > MAX_DEPTH:
        raise _refused("include", f"{quoted(path)} is deeper than {MAX_DEPTH} levels")
    for name in names:
        relations = table[type_name].relations
        if name not in relations:
            known = ", ".join(sorted(relations)) or "none"
            message = f"{quoted(path)}: a {type_name.lower()} has no {quoted(name)}"
            raise _refused("include", f"{message}; it has {known}")
        tree = tree.setdefault(name, {})
        type_name = relations[name].target


def _count(tree: Tree, type_name: str, table: Table, items: int, limit: int) -> int:
    """How many objects the answer could hold: each list multiplies by its limit."""
    total = items
    for name, inner in tree.items():
        relation = table[type_name].relations[name]
        per_item = limit if relation.many else 1
        total += _count(inner, relation.target, table, items * per_item, limit)
    return total


def _refused(parameter: str, message: str) -> ProblemError:
    detail = ProblemDetail(parameter=parameter, message=message)
    return ProblemError(400, f"{parameter}: {message}", [detail])


def embedded(
    session: Session, rows: Sequence[Any], *, type_name: str, include: Include
) -> list[JSON]:
    """`rows` as JSON objects, each with the relations of `include` embedded."""
    kind = include.table[type_name]
    items = [out.model_dump(mode="json") for out in kind.convert(session, rows)]
    for name, inner in include.tree.items():
        relation = kind.relations[name]
        children = relation.children(session, rows, include.limit)
        unique = {child.pk: child for found in children.values() for child in found}
        deeper = Include(inner, include.limit, include.table)
        found = embedded(session, list(unique.values()), type_name=relation.target, include=deeper)
        objects = dict(zip(unique, found, strict=True))
        for row, item in zip(rows, items, strict=True):
            own = [objects[child.pk] for child in children[row.pk]]
            item[name] = own if relation.many else (own[0] if own else None)
    return items
