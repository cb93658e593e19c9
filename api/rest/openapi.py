"""The OpenAPI 3.1 document, generated from the endpoint table and the response models."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic.json_schema import models_json_schema

from api.rest.endpoints import Endpoint
from api.rest.problems import Problem


def openapi_document(endpoints: Sequence[Endpoint], prefix: str) -> dict[str, Any]:
    ref_template = "#/components/schemas/{model}"
    inputs = [(e.response, "serialization") for e in endpoints] + [(Problem, "serialization")]
    inputs += [(e.params, "validation") for e in endpoints]
    refs, definitions = models_json_schema(list(dict.fromkeys(inputs)), ref_template=ref_template)  # type: ignore[arg-type]
    schemas: dict[str, Any] = definitions.get("$defs", {})

    def problem(description: str) -> dict[str, Any]:
        return {
            "description": description,
            "content": {"application/problem+json": {"schema": refs[(Problem, "serialization")]}},
        }

    paths: dict[str, Any] = {}
    for e in endpoints:
        query_schema = schemas[refs[(e.params, "validation")]["$ref"].rsplit("/", 1)[1]]
        parameters = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "description": "Global id, or the readable key (slug)",
                "schema": {"type": "string"},
            }
            for name in e.path_params
        ] + [
            {
                "name": field.alias or name,
                "in": "query",
                "required": field.is_required(),
                "description": field.description or "",
                "schema": query_schema["properties"][field.alias or name],
            }
            for name, field in e.params.model_fields.items()
        ]
        responses = {
            "200": {
                "description": "OK",
                "content": {"application/json": {"schema": refs[(e.response, "serialization")]}},
            },
            "400": problem("A query parameter is unknown, repeated or invalid."),
        }
        if e.path_params:
            responses["404"] = problem("Nothing has that id or key.")
        paths[prefix + e.path] = {
            "get": {
                "summary": e.summary,
                "operationId": e.operation_id,
                "parameters": parameters,
                "responses": responses,
            }
        }
    paths["/healthz"] = {
        "get": {
            "summary": "Whether the service can read its store",
            "operationId": "healthz",
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"status": {"type": "string"}},
                            }
                        }
                    },
                },
                "503": problem("The store cannot be read."),
            },
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "dealgraph",
            "version": "0.1.0",
            "description": "Corporate M&A facts, each with verbatim evidence from its source.",
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }
