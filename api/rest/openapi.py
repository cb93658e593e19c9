"""The OpenAPI 3.1 document, generated from the endpoint table and the response models."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from api.rest.endpoints import Endpoint
from api.rest.include import Table
from api.rest.problems import Problem

JSON = dict[str, Any]
REF_TEMPLATE = "#/components/schemas/{model}"
INFO = {
    "title": "dealgraph",
    "version": "0.1.0",
    "description": "Corporate M&A facts, each with verbatim evidence from its source.",
}


@dataclass(frozen=True)
class _Schemas:
    """Every model's JSON schema, and how each is referred to."""

    refs: dict[tuple[Any, JsonSchemaMode], JSON]
    components: JSON

    def ref(self, model: type[BaseModel], mode: JsonSchemaMode = "serialization") -> JSON:
        return self.refs[(model, mode)]

    def definition(self, model: type[BaseModel]) -> JSON:
        definition: JSON = self.components[self.ref(model, "validation")["$ref"].rsplit("/", 1)[1]]
        return definition

    def problem(self, description: str) -> JSON:
        schema = self.ref(Problem)
        return {
            "description": description,
            "content": {"application/problem+json": {"schema": schema}},
        }


def openapi_document(
    endpoints: Sequence[Endpoint], embeddable: Table, *, prefix: str, max_page_size: int
) -> JSON:
    schemas = _schemas(endpoints)
    _add_relations(schemas.components, embeddable)
    paths = {
        prefix + e.path: {"get": _operation(e, schemas, max_page_size, _taken(e, endpoints))}
        for e in endpoints
    }
    paths["/healthz"] = {"get": _healthz(schemas)}
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "paths": paths,
        "components": {"schemas": schemas.components},
    }


def _schemas(endpoints: Sequence[Endpoint]) -> _Schemas:
    inputs: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        (e.response, "serialization") for e in endpoints if e.response is not None
    ]
    inputs.append((Problem, "serialization"))
    inputs += [(e.params, "validation") for e in endpoints]
    refs, definitions = models_json_schema(list(dict.fromkeys(inputs)), ref_template=REF_TEMPLATE)
    return _Schemas(refs=dict(refs), components=definitions.get("$defs", {}))


def _add_relations(components: JSON, table: Table) -> None:
    """What `include` can embed, as optional properties of the objects that take it: a new
    property, or the full objects beside the references a property already holds. Only `id` is
    sure to be there: `fields[...]` may leave out any other property."""
    for embeddable in table.values():
        schema = components[embeddable.model.__name__]
        schema["required"] = ["id"]
        properties = schema["properties"]
        for name, relation in embeddable.relations.items():
            target = {"$ref": REF_TEMPLATE.format(model=table[relation.target].model.__name__)}
            full = {"type": "array", "items": target} if relation.many else target
            if name not in properties:
                properties[name] = {"description": f"Only with `include={name}`.", **full}
                continue
            known = dict(properties[name])
            description = known.pop("description", "")
            properties[name] = {
                "description": f"{description} With `include={name}`, the full "
                f"object{'s' if relation.many else ''} in place of the reference.".strip(),
                "anyOf": [known, full],
            }


def _taken(endpoint: Endpoint, endpoints: Sequence[Endpoint]) -> list[str]:
    """The words a path's last parameter cannot be, because a fixed path beside it takes them
    (`/deals/summary` beside `/deals/{ref}`)."""
    head, _, last = endpoint.path.rpartition("/")
    if not last.startswith("{"):
        return []
    return [
        word
        for other in endpoints
        for parent, _, word in [other.path.rpartition("/")]
        if parent == head and not word.startswith("{")
    ]


def _operation(endpoint: Endpoint, schemas: _Schemas, max_page_size: int, taken: list[str]) -> JSON:
    responses = {
        "200": {"description": "OK", "content": _content(endpoint, schemas)},
        "400": schemas.problem("A query parameter is unknown, repeated or invalid."),
    }
    if endpoint.path_params or endpoint.params.REFERENCES:
        responses["404"] = schemas.problem("Nothing has that id or key.")
    return {
        "summary": endpoint.summary,
        "operationId": endpoint.operation_id,
        "parameters": _parameters(endpoint, schemas, max_page_size, taken),
        "responses": responses,
    }


def _content(endpoint: Endpoint, schemas: _Schemas) -> JSON:
    csv = {"text/csv": {"schema": {"type": "string"}}}
    if endpoint.response is None:
        return csv
    json = {"application/json": {"schema": schemas.ref(endpoint.response)}}
    return json | csv if endpoint.csv_on_request else json


def _parameters(
    endpoint: Endpoint, schemas: _Schemas, max_page_size: int, taken: list[str]
) -> list[JSON]:
    in_path = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": "Global id, or the readable key (slug)",
            "schema": {"type": "string"} | ({"not": {"enum": taken}} if taken else {}),
        }
        for name in endpoint.path_params
    ]
    query_schema = schemas.definition(endpoint.params)
    in_query = [
        {
            "name": field.alias or name,
            "in": "query",
            "required": field.is_required(),
            "description": field.description or "",
            "schema": query_schema["properties"][field.alias or name],
        }
        for name, field in endpoint.params.model_fields.items()
    ]
    for parameter in in_query:
        if parameter["name"] == "limit":
            parameter["schema"] = _capped(parameter["schema"], max_page_size)
    return in_path + in_query


def _capped(schema: JSON, maximum: int) -> JSON:
    """A page size's schema with the server's maximum, which its model cannot know."""
    if "anyOf" in schema:
        return {**schema, "anyOf": [_capped(option, maximum) for option in schema["anyOf"]]}
    return {**schema, "maximum": maximum} if schema.get("type") == "integer" else schema


def _healthz(schemas: _Schemas) -> JSON:
    status = {"type": "object", "properties": {"status": {"type": "string"}}}
    return {
        "summary": "Whether the service can read its store",
        "operationId": "healthz",
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": status}}},
            "503": schemas.problem("The store cannot be read."),
        },
    }
