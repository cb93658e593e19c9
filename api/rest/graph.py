"""Ownership and connections between companies and people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import Field
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from api.ids import quoted
from api.rest.companies import StakeOut, company_in_path
from api.rest.deals import DealOut
from api.rest.endpoints import Endpoint
from api.rest.facts import relations_out
from api.rest.investments import InvestmentOut
from api.rest.params import Params, lookup, parse_params, request_session
from api.rest.people import RoleOut
from api.rest.problems import ProblemDetail, ProblemError
from api.rest.responses import Item, List, Out, Ref, item_response, list_response, to_ref
from api.store import models
from api.store.control import MAX_DEPTH, ControlEdge, subsidiaries_of, ultimate_parents_of
from api.store.graph import MAX_HOPS, NodeRef, Path, shortest_paths
from api.store.rows import get_by_ids
from api.vocab import CONTROL_ON_A_DATE

Relation = StakeOut | DealOut | InvestmentOut | RoleOut


class ControlOut(Out):
    company: Ref = Field(description="The controlled company.")
    parent: Ref = Field(description="The company in control.")
    via: StakeOut | DealOut = Field(
        description="The owned or controlling stake, or the completed acquisition."
    )


class OwnershipOut(Out):
    as_of: dt.date | None = Field(
        description="The day control is shown for; null for now. " + CONTROL_ON_A_DATE
    )
    parent: Ref | None = Field(description="Null if none, or if the sources leave it ambiguous.")
    ultimate_parent: Ref | None = Field(description="The top of the chain of control.")
    chain: list[ControlOut] = Field(description="Each link up to the ultimate parent.")
    subsidiaries: list[SubsidiaryOut] = Field(description="Companies it controls, by depth.")


class SubsidiaryOut(Out):
    depth: int
    company: Ref
    control: ControlOut = Field(description="Its link to its own parent.")


class NodeOut(Ref):
    type: str = Field(description="company or person.")


class StepOut(Out):
    node: NodeOut = Field(description="The company or person reached.")
    via: Relation = Field(description="The stake, deal, investment or role followed.")


class PathOut(Out):
    hops: int
    start: NodeOut
    steps: list[StepOut]


class OwnershipParams(Params):
    depth: int = Field(
        default=1, ge=1, le=MAX_DEPTH, description="How many levels of subsidiaries."
    )
    as_of: dt.date | None = Field(
        default=None, description="Control on this day (like 2016-04-12) rather than now."
    )


class ConnectionParams(Params):
    REFERENCES = frozenset({"from", "to"})

    from_: str = Field(alias="from", description="A company or person (id or slug).")
    to: str = Field(description="A company or person (id or slug).")
    max_hops: int = Field(default=3, ge=1, le=MAX_HOPS, description="Longest path.")
    limit: int = Field(default=10, ge=1, le=100, description="At most this many paths.")


def ownership_out(
    session: Session, company_id: int, depth: int, as_of: dt.date | None
) -> OwnershipOut:
    chain = ultimate_parents_of(session, company_ids=[company_id], as_of=as_of)[company_id]
    subsidiaries = subsidiaries_of(session, company_ids=[company_id], depth=depth, as_of=as_of)[
        company_id
    ]
    controls = chain + [s.edge for s in subsidiaries]
    relations = relations_out(session, [c.edge for c in controls])
    company_ids = {c.company_id for c in controls} | {c.parent_id for c in controls}
    companies = get_by_ids(session, model=models.Company, ids=sorted(company_ids))

    def control(edge: ControlEdge) -> ControlOut:
        return ControlOut(
            company=to_ref(companies[edge.company_id], "Company"),
            parent=to_ref(companies[edge.parent_id], "Company"),
            via=relations[edge.edge],
        )

    links = [control(edge) for edge in chain]
    return OwnershipOut(
        as_of=as_of,
        parent=links[0].parent if links else None,
        ultimate_parent=links[-1].parent if links else None,
        chain=links,
        subsidiaries=[
            SubsidiaryOut(
                depth=s.depth,
                company=to_ref(companies[s.company_id], "Company"),
                control=control(s.edge),
            )
            for s in subsidiaries
        ],
    )


def paths_out(session: Session, paths: Sequence[Path]) -> list[PathOut]:
    nodes = {path.start for path in paths} | {step.node for path in paths for step in path.steps}
    companies = get_by_ids(
        session, model=models.Company, ids=sorted(n.id for n in nodes if n.kind == "company")
    )
    people = get_by_ids(
        session, model=models.Person, ids=sorted(n.id for n in nodes if n.kind == "person")
    )
    relations = relations_out(session, [step.edge for path in paths for step in path.steps])

    def node(ref: NodeRef) -> NodeOut:
        row = companies[ref.id] if ref.kind == "company" else people[ref.id]
        type_name = "Company" if ref.kind == "company" else "Person"
        return NodeOut(type=ref.kind, **to_ref(row, type_name).model_dump())

    return [
        PathOut(
            hops=path.hops,
            start=node(path.start),
            steps=[StepOut(node=node(step.node), via=relations[step.edge]) for step in path.steps],
        )
        for path in paths
    ]


def entity(request: Request, ref: str, parameter: str) -> NodeRef:
    """A company or person by global id or slug (companies first for a bare slug)."""
    try:
        company = lookup(request, models.Company, "Company", ref)
        return NodeRef("company", company.pk)
    except ProblemError:
        pass
    try:
        person = lookup(request, models.Person, "Person", ref)
        return NodeRef("person", person.pk)
    except ProblemError:
        pass
    detail = ProblemDetail(parameter=parameter, message="no company or person has this id or slug")
    raise ProblemError(404, f"no company or person with id or slug {quoted(ref)}", [detail])


def company_ownership(request: Request) -> Response:
    params = parse_params(request, OwnershipParams)
    session = request_session(request)
    return item_response(
        ownership_out(session, company_in_path(request), params.depth, params.as_of)
    )


def connections(request: Request) -> Response:
    params = parse_params(request, ConnectionParams)
    start, end = entity(request, params.from_, "from"), entity(request, params.to, "to")
    session = request_session(request)
    paths = shortest_paths(
        session, start=start, end=end, max_hops=params.max_hops, limit=params.limit
    )
    return list_response(paths_out(session, paths), None)


ENDPOINTS = [
    Endpoint(
        "/companies/{ref}/ownership",
        "getCompanyOwnership",
        "Parent, chain of control up to the ultimate parent, and subsidiaries",
        Item[OwnershipOut],
        company_ownership,
        OwnershipParams,
    ),
    Endpoint(
        "/connections",
        "listConnections",
        "Shortest paths between two companies or people through stakes, deals, "
        "investments and roles",
        List[PathOut],
        connections,
        ConnectionParams,
    ),
]
