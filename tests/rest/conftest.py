"""What every REST response promises, checked by the two helpers below.

A successful response is JSON (`application/json`) with status 200.

An error is an RFC 9457 problem document, served as `application/problem+json`, with:

- `type`: a URI naming the kind of problem; `about:blank` when the status says it all, and then
- `title`: the HTTP status phrase (`Not Found`, `Bad Request`, ...);
- `status`: the HTTP status code, the same as the response's;
- `detail`: what went wrong with this request, in words;
- `instance`: the path of the request, without its query string;
- `errors` (only when parameters are at fault): one `{parameter, message}` per bad parameter.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from httpx2 import Response
from pydantic import BaseModel
from starlette.testclient import TestClient

from api.rest.problems import Problem

PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance"}


def get_ok(client: TestClient, path: str, model: type[BaseModel] | None = None) -> Any:
    """GET a path that must answer 200 with JSON (valid for `model`, if given); return the body."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    if model is not None:
        model.model_validate(body)
    return body


def assert_problem(response: Response, status: int) -> dict[str, Any]:
    """Check that a response is a problem document with this status; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    Problem.model_validate(body)
    assert set(body) in (PROBLEM_FIELDS, PROBLEM_FIELDS | {"errors"}), body
    assert body["status"] == status
    if body["type"] == "about:blank":
        assert body["title"] == HTTPStatus(status).phrase
    assert body["detail"]
    assert body["instance"] == response.request.url.path
    if "errors" in body:
        assert body["errors"]
        for error in body["errors"]:
            assert set(error) == {"parameter", "message"}, error
    return body
