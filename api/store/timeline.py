"""A company's history: its deals, investments, appointments and metrics in date order."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from api.dates import Precision
from api.store.companies import metrics_of_companies
from api.store.investments import investments_of_companies
from api.store.models import Deal, DealParty, Investment, Metric, Role
from api.store.paging import NO_DATE, PageRequest
from api.store.people import roles_at_companies
from api.vocab import TimelineKind


@dataclass(frozen=True)
class TimelineEntry:
    kind: TimelineKind
    on: dt.date | None
    precision: Precision | None
    fact: Deal | Investment | Role | Metric


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def timelines_of(session: Session, *, company_ids: Sequence[int]) -> dict[int, list[TimelineEntry]]:
    """Deals, investments, appointments and metrics of each company in date order; undated
    ones last. A metric is dated by the year its period names ("H1 2019"), if any."""
    found: dict[int, list[TimelineEntry]] = {pk: [] for pk in company_ids}
    deals = sa_select(col(DealParty.company_id), Deal).join(
        Deal, col(Deal.id) == col(DealParty.deal_id)
    )
    for company_id, deal in session.execute(
        deals.where(col(DealParty.company_id).in_(company_ids)).distinct()
    ).all():
        found[company_id].append(
            TimelineEntry(
                TimelineKind.DEAL_ANNOUNCED, deal.announced_on, deal.announced_precision, deal
            )
        )
        if deal.completed_on is not None:
            found[company_id].append(
                TimelineEntry(
                    TimelineKind.DEAL_COMPLETED, deal.completed_on, deal.completed_precision, deal
                )
            )
    for company_id, pages in investments_of_companies(
        session, company_ids=company_ids, role=None, page=PageRequest(limit=10_000)
    ).items():
        found[company_id] += [
            TimelineEntry(TimelineKind.INVESTMENT, i.announced_on, i.announced_precision, i)
            for i in pages.items
        ]
    for company_id, roles in roles_at_companies(session, company_ids=company_ids).items():
        found[company_id] += [
            TimelineEntry(TimelineKind.APPOINTMENT, r.started_on, r.started_precision, r)
            for r in roles
        ]
    for company_id, metrics in metrics_of_companies(session, company_ids=company_ids).items():
        for metric in metrics:
            year = _YEAR.search(metric.period or "")
            on = dt.date(int(year.group()), 1, 1) if year else None
            found[company_id].append(
                TimelineEntry(TimelineKind.METRIC, on, Precision.YEAR if on else None, metric)
            )
    for entries in found.values():
        entries.sort(key=lambda e: (e.on is None, e.on or NO_DATE, e.kind.value, e.fact.id or 0))
    return found
