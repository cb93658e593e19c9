"""Query parameters and path references, parsed and checked at the edge into typed values."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session
from starlette.requests import Request

from api.config import Settings
from api.ids import InvalidToken, decode_cursor, from_global_id, quoted
from api.rest.problems import ProblemDetail, ProblemError
from api.store import models
from api.store.paging import Ordering, PageRequest
from api.store.rows import MAX_NAME_SEARCH, get_by_keys


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Parameters that name an object by id or key: naming nothing is a 404.
    REFERENCES: ClassVar[frozenset[str]] = frozenset()


class PageParams(Params):
    limit: int | None = Field(
        default=None, ge=1, description="Items per page (at most the server's maximum)."
    )
    cursor: str | None = Field(default=None, description="`next_cursor` of the previous page.")


P = TypeVar("P", bound=Params)


class CompanyListParams(PageParams):
    search: str | None = Field(
        default=None,
        max_length=MAX_NAME_SEARCH,
        description="Name or alias contains this, any case.",
    )


def parse_params(request: Request, model: type[P]) -> P:
    raw: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name in raw:
            raise ProblemError(
                400,
                f"parameter {quoted(name)} is given more than once",
                [ProblemDetail(parameter=name, message="given more than once")],
            )
        raw[name] = value
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        details = [
            ProblemDetail(
                parameter=".".join(str(p) for p in issue["loc"]) or "(query)",
                message="unknown parameter" if issue["type"] == "extra_forbidden" else issue["msg"],
            )
            for issue in error.errors()
        ]
        summary = "; ".join(f"{d.parameter}: {d.message}" for d in details)
        raise ProblemError(400, f"invalid query parameters: {summary}", details) from None


def page_limit(request: Request, params: PageParams) -> int:
    settings: Settings = request.app.state.settings
    if params.limit is None:
        return settings.default_page_size
    if params.limit > settings.max_page_size:
        raise ProblemError(
            400,
            f"limit must be at most {settings.max_page_size}",
            [ProblemDetail(parameter="limit", message=f"at most {settings.max_page_size}")],
        )
    return params.limit


def page_request(request: Request, params: PageParams, ordering: Ordering) -> PageRequest:
    """`limit` and `cursor` checked against the server's limits and the list's order."""
    limit = page_limit(request, params)
    if params.cursor is None:
        return PageRequest(limit)
    try:
        return PageRequest(limit, decode_cursor(params.cursor, ordering.types))
    except InvalidToken as error:
        detail = ProblemDetail(parameter="cursor", message="not a valid cursor")
        raise ProblemError(400, str(error), [detail]) from None


RowT = TypeVar("RowT", models.Company, models.Person, models.Deal, models.Investment, models.Source)


def natural_key(type_name: str, ref: str) -> str:
    """The readable key (slug) that `ref` names: a global id of this type, or the key itself."""
    try:
        found_type, found_key = from_global_id(ref)
    except InvalidToken:
        return ref
    return found_key if found_type == type_name else ref


def not_found(type_name: str, ref: str) -> ProblemError:
    return ProblemError(404, f"no {type_name.lower()} with id or key {quoted(ref)}")


def lookup(request: Request, model: type[RowT], type_name: str, ref: str) -> RowT:
    """A row by global id, or else by its readable key (slug)."""
    key = natural_key(type_name, ref)
    row = get_by_keys(request_session(request), model=model, keys=[key]).get(key)
    if row is None:
        raise not_found(type_name, ref)
    return row


def request_session(request: Request) -> Session:
    session: Session = request.state.session
    return session
