"""Guards for a public GraphQL endpoint: a cache of parsed and validated documents bounded in
bytes, a directive limit, and a node limit computed before execution from the page sizes a query
asks for."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from graphql.type.definition import GraphQLInterfaceType, GraphQLObjectType
from strawberry.extensions import SchemaExtension

# A list that is not asked for a size (a deal's parties, a fact's claims) holds a few items:
# like GitHub's rule, the count follows the page sizes asked for, and counts such a list as one.
LIST_ESTIMATE = 1
# graphql-core's suggestions, appended to validation messages.
_SUGGESTION = re.compile(r" Did you mean .*\?$")
# The fields of a connection that hold its page.
PAGE_FIELDS = frozenset({"edges", "nodes", "hits"})


def directive_limit(maximum: int) -> type[ValidationRule]:
    """A validation rule refusing documents with more than `maximum` directives."""

    class DirectiveLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.seen = 0

        def enter_directive(self, node: DirectiveNode, *_args: Any) -> None:
            self.seen += 1
            if self.seen == maximum + 1:
                self.report_error(GraphQLError(f"more than {maximum} directives", node))

    return DirectiveLimit


class HideSuggestions(SchemaExtension):
    """Removes "Did you mean ...?" from validation errors: with introspection off, suggestions
    would otherwise let a client discover the schema field by field."""

    def on_validate(self) -> Iterator[None]:
        yield
        errors = self.execution_context.pre_execution_errors
        if errors:
            # In place: the result that reports them already holds this list.
            errors[:] = [_unsuggested(error) for error in errors]


def _unsuggested(error: GraphQLError) -> GraphQLError:
    message = _SUGGESTION.sub("", error.message)
    if message == error.message:
        return error
    return GraphQLError(message, error.nodes, error.source, error.positions, error.path)


class GuardError(GraphQLError):
    """A request refused by a guard; its message and `extensions.code` are for the client."""

    def __init__(self, message: str, code: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": code, **extensions})


@dataclass(frozen=True)
class _Checked:
    document: DocumentNode
    errors: list[GraphQLError]


class DocumentCache:
    """Parsed and validated documents by query text, least recently used first out, bounded by the
    total length of the texts it holds. Long documents are checked every time, never kept."""

    def __init__(self, *, max_bytes: int, max_entry_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.hits = self.misses = 0
        self._size = 0
        self._entries: OrderedDict[str, _Checked] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, query: str) -> _Checked | None:
        with self._lock:
            found = self._entries.get(query)
            if found is None:
                self.misses += 1
                return None
            self.hits += 1
            self._entries.move_to_end(query)
            return found

    def put(self, query: str, checked: _Checked) -> None:
        if len(query) > self.max_entry_bytes:
            return
        with self._lock:
            if query in self._entries:
                return
            self._entries[query] = checked
            self._size += len(query)
            while self._size > self.max_bytes:
                evicted, _ = self._entries.popitem(last=False)
                self._size -= len(evicted)

    @property
    def size(self) -> int:
        return self._size


class CachedDocuments(SchemaExtension):
    """Skips parsing and validating a query text this schema has already checked."""

    def __init__(self, cache: DocumentCache) -> None:
        super().__init__()
        self.cache = cache
        self.found: _Checked | None = None

    def on_parse(self) -> Iterator[None]:
        query = self.execution_context.query
        self.found = None if query is None else self.cache.get(query)
        if self.found is not None:
            self.execution_context.graphql_document = self.found.document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self.found is not None:
            context.pre_execution_errors = list(self.found.errors)
        yield
        if self.found is None and context.query and context.graphql_document is not None:
            errors = list(context.pre_execution_errors or [])
            self.cache.put(context.query, _Checked(context.graphql_document, errors))


@dataclass(frozen=True)
class PageSizes:
    default: int
    maximum: int


class NodeLimit(SchemaExtension):
    """Refuses, before execution, a query that could return more than `max_nodes` list items, the
    product of the page sizes along each path (GitHub's rule); reports the count otherwise."""

    def __init__(self, *, max_nodes: int, pages: PageSizes) -> None:
        super().__init__()
        self.max_nodes = max_nodes
        self.pages = pages
        self.nodes: int | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            self.nodes = count_nodes(
                context.schema._schema,
                document,
                operation_name=context.operation_name,
                variables=context.variables or {},
                pages=self.pages,
            )
            if self.nodes > self.max_nodes:
                raise GuardError(
                    f"this query could return {self.nodes:,} items, more than the "
                    f"{self.max_nodes:,} allowed; ask for smaller pages or fewer nested lists",
                    "QUERY_TOO_LARGE",
                    nodes=self.nodes,
                    maxNodes=self.max_nodes,
                )
        yield

    def get_results(self) -> dict[str, Any]:
        if self.nodes is None:
            return {}
        return {"cost": {"nodes": self.nodes, "maxNodes": self.max_nodes}}


def count_nodes(
    schema: GraphQLSchema,
    document: DocumentNode,
    *,
    operation_name: str | None,
    variables: Mapping[str, Any],
    pages: PageSizes,
) -> int:
    """How many list items the operation could return at most."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or _name(o) == operation_name]
    if not chosen:
        return 0
    operation = chosen[0]
    root = schema.get_root_type(operation.operation)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    counter = _Counter(schema, fragments, variables, pages)
    return 0 if root is None else counter.count(operation.selection_set, root, 1, None)


def _name(operation: OperationDefinitionNode) -> str | None:
    return None if operation.name is None else operation.name.value


@dataclass
class _Counter:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    pages: PageSizes

    def count(
        self,
        selections: SelectionSetNode,
        parent: GraphQLNamedType,
        multiplier: int,
        page: int | None,
    ) -> int:
        """Items under `selections` on `parent`, reached `multiplier` times; `page` is the page
        size of the connection `parent` is, if it is one."""
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, multiplier, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = parent if condition is None else self._type(parent, condition.name.value)
                total += self.count(selection.selection_set, on, multiplier, page)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    on = self._type(parent, fragment.type_condition.name.value)
                    total += self.count(fragment.selection_set, on, multiplier, page)
        return total

    def _field(
        self, node: FieldNode, parent: GraphQLNamedType, multiplier: int, page: int | None
    ) -> int:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        definition = parent.fields.get(node.name.value)
        if definition is None or node.selection_set is None:
            return 0
        returned = get_named_type(definition.type)
        if returned.name.endswith("Connection") or returned.name == "SearchResults":
            child_page = self._page_size(node)
            return self.count(node.selection_set, returned, multiplier, child_page)
        if not _is_list(definition.type):
            return self.count(node.selection_set, returned, multiplier, None)
        if node.name.value in PAGE_FIELDS and page is not None:
            size = page
        else:
            size = self._list_size(node)
        items = multiplier * size
        return items + self.count(node.selection_set, returned, items, None)

    def _page_size(self, node: FieldNode) -> int:
        value = self._argument(node, "first")
        if isinstance(value, int) and not isinstance(value, bool):
            return max(0, min(value, self.pages.maximum))
        return self.pages.default

    def _list_size(self, node: FieldNode) -> int:
        ids = self._argument(node, "ids")
        if isinstance(ids, list):
            return len(ids)
        first = self._argument(node, "first")
        if isinstance(first, int) and not isinstance(first, bool):
            return max(0, min(first, self.pages.maximum))
        return LIST_ESTIMATE

    def _argument(self, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            value = argument.value
            if isinstance(value, VariableNode):
                return self.variables.get(value.name.value)
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, ListValueNode):
                return list(value.values)
        return None

    def _type(self, parent: GraphQLNamedType, name: str) -> GraphQLNamedType:
        return self.schema.get_type(name) or parent


def _is_list(kind: GraphQLOutputType) -> bool:
    inner = kind.of_type if isinstance(kind, GraphQLNonNull) else kind
    return isinstance(inner, GraphQLList)
