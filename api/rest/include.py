"""`include` and `fields[type]`: the related objects a list or item embeds, so that a script asks a
nested question in one request (`/api/companies?include=deals.targets.ceo`), in the manner of
JSON:API's `include` and Stripe's `expand[]`; and the properties each type's objects keep, as in
JSON:API's sparse fieldsets (`fields[deal]=key,value,targets`).

Each type names its relations (`Relation`); `api.rest` gathers them with each type's converter
into one table. An included relation puts the full objects under its name, in place of the
references the item may already hold there. Each level costs a fixed number of statements,
however many items it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
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


def _fieldset(type_name: str) -> Any:
    return Field(
        default=None,
        alias=f"fields[{type_name}]",
        description=f"Only these properties of every {type_name} in the answer, comma-separated "
        "(`id` is always kept); an included relation must be among them.",
    )


class IncludeParams(Params):
    include: str | None = Field(default=None, description=INCLUDE)
    include_limit: int | None = Field(
        default=None,
        ge=1,
        description="Items in each included list (default: the page size; at most its maximum).",
    )
    fields_company: str | None = _fieldset("company")
    fields_deal: str | None = _fieldset("deal")
    fields_investment: str | None = _fieldset("investment")
    fields_person: str | None = _fieldset("person")

    def fieldsets(self) -> dict[str, str]:
        """Each type's `fields[...]` as given: type name (`Company`) -> its value."""
        given = {
            "Company": self.fields_company,
            "Deal": self.fields_deal,
            "Investment": self.fields_investment,
            "Person": self.fields_person,
        }
        return {name: value for name, value in given.items() if value is not None}


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
    # The properties kept of each type's objects, where `fields[...]` names them.
    fields: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def kept(self, type_name: str, tree: Tree) -> list[str]:
        """The properties of a `type_name` object that embeds `tree`, in the order the converters
        give them: its model's, then the relations it does not hold references for."""
        keep = self.fields.get(type_name)
        names = [n for n in self.table[type_name].model.model_fields if keep is None or n in keep]
        return names + [n for n in tree if n not in names]


def parse_include(
    params: IncludeParams, *, type_name: str, table: Table, settings: Settings, items: int
) -> Include | None:
    """The relations asked for and the properties kept, checked against `table`, the depth limit
    and the item limit for a list (or item) of `items` objects of `type_name`; None for whole
    objects with nothing embedded."""
    if not params.include and not params.fieldsets():
        return None
    limit = params.include_limit or settings.default_page_size
    if limit > settings.max_page_size:
        raise _refused("include_limit", f"at most {settings.max_page_size}")
    tree: Tree = {}
    for path in params.include.split(",") if params.include else []:
        _add_path(tree, path.strip(), type_name, table)
    fields = {
        name: _parse_fieldset(name, value, table) for name, value in params.fieldsets().items()
    }
    _check_included_are_kept(tree, type_name, table, fields)
    count = _count(tree, type_name, table, items, limit)
    if count > settings.graphql_max_nodes:
        raise _refused(
            "include",
            f"could return {count:,} items, more than the {settings.graphql_max_nodes:,} "
            "allowed; ask for a smaller limit or include_limit, or fewer nested lists",
        )
    return Include(tree, limit, table, fields)


def _parse_fieldset(type_name: str, value: str, table: Table) -> frozenset[str]:
    parameter = f"fields[{type_name.lower()}]"
    kind = table[type_name]
    known = [
        *kind.model.model_fields,
        *(n for n in kind.relations if n not in kind.model.model_fields),
    ]
    names = [name.strip() for name in value.split(",")]
    for name in names:
        if name not in known:
            message = f"a {type_name.lower()} has no {quoted(name)}; it has {', '.join(known)}"
            raise _refused(parameter, message)
    return frozenset([*names, "id"])


def _check_included_are_kept(
    tree: Tree, type_name: str, table: Table, fields: Mapping[str, frozenset[str]]
) -> None:
    for name, inner in tree.items():
        keep = fields.get(type_name)
        if keep is not None and name not in keep:
            parameter = f"fields[{type_name.lower()}]"
            raise _refused(parameter, f"leaves out {quoted(name)}, which `include` asks for")
        _check_included_are_kept(inner, table[type_name].relations[name].target, table, fields)


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
    keep = include.fields.get(type_name)
    kept = None if keep is None else set(keep)
    items = [out.model_dump(mode="json", include=kept) for out in kind.convert(session, rows)]
    for name, inner in include.tree.items():
        relation = kind.relations[name]
        children = relation.children(session, rows, include.limit)
        unique = {child.pk: child for found in children.values() for child in found}
        deeper = Include(inner, include.limit, include.table, include.fields)
        found = embedded(session, list(unique.values()), type_name=relation.target, include=deeper)
        objects = dict(zip(unique, found, strict=True))
        for row, item in zip(rows, items, strict=True):
            own = [objects[child.pk] for child in children[row.pk]]
            item[name] = own if relation.many else (own[0] if own else None)
    return items
