"""Fact rows of any kind in full, converted one batch per kind."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlmodel import Session

from api.rest.companies import metrics_out, stakes_out
from api.rest.deals import deals_out
from api.rest.investments import investments_out
from api.rest.people import roles_out
from api.rest.responses import Out
from api.store import models
from api.store.graph import Edge
from api.store.rows import get_by_ids

_FACT_OUT: dict[type[Any], Callable[[Session, Sequence[Any]], Sequence[Out]]] = {
    models.Stake: stakes_out,
    models.Deal: deals_out,
    models.Investment: investments_out,
    models.Role: roles_out,
    models.Metric: metrics_out,
}


_EDGE_MODELS: dict[str, type[Any]] = {
    "stake": models.Stake,
    "deal": models.Deal,
    "investment": models.Investment,
    "role": models.Role,
}


def facts_out(session: Session, rows: Sequence[Any]) -> dict[tuple[type[Any], int], Any]:
    """Fact rows of any kinds in full, by (model, id), converted one batch per kind."""
    found: dict[tuple[type[Any], int], Any] = {}
    for model, convert in _FACT_OUT.items():
        batch = list({row.pk: row for row in rows if isinstance(row, model)}.values())
        if batch:
            converted = convert(session, batch)
            found |= {(model, r.pk): out for r, out in zip(batch, converted, strict=True)}
    return found


def relations_out(session: Session, edges: Sequence[Edge]) -> dict[Edge, Any]:
    """Each stake, deal, investment or role a graph edge follows, in full."""
    rows: list[Any] = []
    for kind, model in _EDGE_MODELS.items():
        ids = sorted({edge.id for edge in edges if edge.kind == kind})
        if ids:
            rows += get_by_ids(session, model=model, ids=ids).values()
    found = facts_out(session, rows)
    return {edge: found[(_EDGE_MODELS[edge.kind], edge.id)] for edge in edges}
