"""Turning a GraphQL selection into SQL that builds its JSON: the machinery of the compiled read
path, whatever the types (`api.graphql.compiled` says which fields it knows and how)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Undefined,
    value_from_ast,
)

from api.graphql.context import ClientError
from api.graphql.guards import PageSizes
from api.graphql.relay import size_within
from api.store.json_sql import JsonSql


class NotCompiled(Exception):
    """Something the compiled path leaves to the resolvers."""


# A field's SQL: given the compiler, the field's nodes, the alias of the row it reads from, and
# its arguments.
FieldSql = Callable[["Compiler", Sequence[FieldNode], str, dict[str, Any]], str]


@dataclass
class Compiler:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: dict[str, Any]
    pages: PageSizes
    # What it knows: for each GraphQL type, the SQL of each field.
    types: dict[str, dict[str, FieldSql]]
    # The pieces of SQL for the store's engine.
    sql: JsonSql
    params: dict[str, Any] = field(default_factory=dict)
    _aliases: Iterator[int] = field(default_factory=itertools.count)

    def alias(self) -> str:
        return f"t{next(self._aliases)}"

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def object(self, type_name: str, nodes: Sequence[FieldNode], row: str) -> str:
        """The JSON object of the fields selected on `type_name`, read from the row `row`."""
        fields = self.types.get(type_name)
        if fields is None:
            raise NotCompiled(type_name)
        pairs = []
        for key, same_key in self.selected(type_name, nodes).items():
            name = same_key[0].name.value
            if name == "__typename":
                pairs.append((key, self.sql.text(type_name)))
                continue
            compile_field = fields.get(name)
            if compile_field is None:
                raise NotCompiled(f"{type_name}.{name}")
            arguments = self.arguments(type_name, same_key[0])
            pairs.append((key, compile_field(self, same_key, row, arguments)))
        return self.sql.json_object(pairs)

    def arguments(self, type_name: str, node: FieldNode) -> dict[str, Any]:
        parent = self.schema.get_type(type_name)
        assert isinstance(parent, GraphQLObjectType)
        definitions = parent.fields[node.name.value].args
        values = {}
        for argument in node.arguments or ():
            value = value_from_ast(
                argument.value, definitions[argument.name.value].type, self.variables
            )
            if value is Undefined:
                raise NotCompiled(f"argument {argument.name.value}")
            values[argument.name.value] = value
        return values

    def list_limit(self, first: int | None) -> int:
        """`relay.limited`: `first` items of a plain list, within the server's page size."""
        return self._size(first, default=self.pages.maximum)

    def page_limit(self, first: int | None) -> int:
        """`relay.page_size`: `first` items of a connection's page."""
        return self._size(first, default=self.pages.default)

    def _size(self, first: int | None, *, default: int) -> int:
        # A `first` out of range is the resolvers' to refuse.
        try:
            return size_within(first, default=default, maximum=self.pages.maximum)
        except ClientError:
            raise NotCompiled("first out of range") from None

    def selected(self, type_name: str, nodes: Sequence[FieldNode]) -> dict[str, list[FieldNode]]:
        selected: dict[str, list[FieldNode]] = {}
        for node in nodes:
            if node.selection_set is not None:
                self._collect(type_name, node.selection_set, selected)
        return selected

    def _collect(
        self, type_name: str, selections: SelectionSetNode, into: dict[str, list[FieldNode]]
    ) -> None:
        for selection in selections.selections:
            if selection.directives:
                raise NotCompiled("directives")
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                into.setdefault(key, []).append(selection)
                continue
            condition: NamedTypeNode | None
            if isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                condition, inner = fragment.type_condition, fragment.selection_set
            else:
                assert isinstance(selection, InlineFragmentNode)
                condition, inner = selection.type_condition, selection.selection_set
            if condition is not None and condition.name.value != type_name:
                raise NotCompiled("a fragment on another type")
            self._collect(type_name, inner, into)


def column(value: str | Callable[[JsonSql, str], str]) -> FieldSql:
    """A field read straight from the row: a template with `{row}` for the row's alias, or a
    function of the engine's SQL pieces and the alias."""
    if isinstance(value, str):
        return lambda _compiler, _nodes, row, _arguments: value.format(row=row)
    return lambda compiler, _nodes, row, _arguments: value(compiler.sql, row)


def connection(
    compiler: Compiler,
    nodes: Sequence[FieldNode],
    node_type: str,
    table: str,
    where: Callable[[str], str],
    order: Callable[[str], str],
    limit: int,
) -> str:
    """A Relay connection of `table`'s rows for which `where(alias)` holds, in `order(alias)`;
    only `nodes` and `totalCount` are compiled (cursors are made in Python)."""
    connection_type = f"{node_type}Connection"
    pairs = []
    for key, same_key in compiler.selected(connection_type, nodes).items():
        name, row = same_key[0].name.value, compiler.alias()
        matching = where(row)
        if name == "totalCount":
            pairs.append((key, f"(SELECT count(*) FROM {table} {row} WHERE {matching})"))
        elif name == "nodes":
            rows = compiler.sql.page(table, row, matching, order(row), compiler.bind(limit))
            element = compiler.object(node_type, same_key, row)
            pairs.append((key, compiler.sql.array(element, rows, order(row))))
        elif name == "__typename":
            pairs.append((key, compiler.sql.text(connection_type)))
        else:
            raise NotCompiled(f"{connection_type}.{name}")
    return compiler.sql.json_object(pairs)


def root_statements(
    compiler: Compiler, operation: OperationDefinitionNode
) -> list[tuple[str, str]]:
    """Each root field's response key and the one statement that reads its JSON."""
    root = FieldNode(name=NameNode(value="query"), selection_set=operation.selection_set)
    pairs: list[tuple[str, str]] = []
    for key, same_key in compiler.selected("Query", [root]).items():
        name = same_key[0].name.value
        compile_field = compiler.types["Query"].get(name)
        if compile_field is None:
            raise NotCompiled(f"Query.{name}")
        arguments = compiler.arguments("Query", same_key[0])
        pairs.append((key, compiler.sql.result(compile_field(compiler, same_key, "", arguments))))
    return pairs
