"""A company's history in date order."""

from __future__ import annotations

from pydantic import Field
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from api.dates import format_partial_date
from api.rest.companies import MetricOut, company_in_path
from api.rest.deals import DealOut
from api.rest.endpoints import Endpoint
from api.rest.facts import facts_out
from api.rest.investments import InvestmentOut
from api.rest.params import Params, parse_params, request_session
from api.rest.people import RoleOut
from api.rest.responses import List, Out, list_response
from api.store.timeline import timelines_of
from api.vocab import (
    TimelineKind,
)


class TimelineEntryOut(Out):
    kind: TimelineKind
    date: str | None = Field(description="ISO-8601 prefix; null if undated (listed last).")
    fact: DealOut | InvestmentOut | RoleOut | MetricOut


def timeline_out(session: Session, company_id: int) -> list[TimelineEntryOut]:
    entries = timelines_of(session, company_ids=[company_id])[company_id]
    facts = facts_out(session, [e.fact for e in entries])
    return [
        TimelineEntryOut(
            kind=e.kind,
            date=format_partial_date(e.on, e.precision),
            fact=facts[(type(e.fact), e.fact.pk)],
        )
        for e in entries
    ]


def company_timeline(request: Request) -> Response:
    parse_params(request, Params)
    return list_response(timeline_out(request_session(request), company_in_path(request)), None)


ENDPOINTS = [
    Endpoint(
        "/companies/{ref}/timeline",
        "getCompanyTimeline",
        "Deals, investments, appointments and metrics of a company in date order",
        List[TimelineEntryOut],
        company_timeline,
    ),
]
