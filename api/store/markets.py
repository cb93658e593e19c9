"""Figures about markets and regions rather than one company."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from api.store.models import Metric
from api.store.paging import Page, PageRequest, by_name, count, read_page

MARKET_ORDER = by_name(Metric, col(Metric.market))


def _market_metrics() -> Any:
    return select(Metric).where(col(Metric.market).is_not(None))


def list_market_metrics(session: Session, *, page: PageRequest) -> Page[Metric]:
    return read_page(session, _market_metrics(), MARKET_ORDER, page)


def count_market_metrics(session: Session) -> int:
    return count(session, _market_metrics())
