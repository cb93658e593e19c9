"""A company's history: deals, investments, appointments and metrics in date order."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.dates import Precision
from api.store.models import Deal, DealParty, Investment, InvestmentInvestor, Metric, Role
from api.store.timeline import timelines_of
from api.vocab import TimelineKind as Kind
from tests.conftest import counting_statements


def test_kaolas_timeline_runs_from_its_market_share_to_its_sale_then_its_undated_ceo(
    session: Session, companies: dict[str, int], deals: dict[str, int]
) -> None:
    kaola = companies["kaola"]
    entries = timelines_of(session, company_ids=[kaola])[kaola]
    assert [(e.kind, e.on, e.precision) for e in entries] == [
        # "H1 2019" dates the market metrics by their year.
        (Kind.METRIC, dt.date(2019, 1, 1), Precision.YEAR),
        (Kind.METRIC, dt.date(2019, 1, 1), Precision.YEAR),
        (Kind.DEAL_ANNOUNCED, dt.date(2019, 9, 5), Precision.DAY),
        (Kind.APPOINTMENT, None, None),
    ]
    assert isinstance(entries[0].fact, Metric) and entries[0].fact.name == "market_share"
    assert isinstance(entries[1].fact, Metric) and entries[1].fact.name == "market_rank"
    assert (
        isinstance(entries[2].fact, Deal) and entries[2].fact.id == deals["alibaba-acquires-kaola"]
    )
    assert isinstance(entries[3].fact, Role) and entries[3].fact.title == "Chief Executive Officer"


def test_lazadas_timeline_puts_undated_entries_last(
    session: Session, companies: dict[str, int], deals: dict[str, int], investments: dict[str, int]
) -> None:
    lazada = companies["lazada"]
    entries = timelines_of(session, company_ids=[lazada])[lazada]
    facts = {m.id: (m.name, m.period) for m in session.exec(select(Metric)).all()}
    described = [
        (e.kind, e.on, facts[e.fact.id] if isinstance(e.fact, Metric) else e.fact.id)
        for e in entries
    ]
    assert described == [
        (Kind.METRIC, dt.date(2013, 1, 1), ("net_operating_loss", "2013")),
        (Kind.METRIC, dt.date(2014, 1, 1), ("net_revenue", "2014")),
        (Kind.METRIC, dt.date(2014, 1, 1), ("net_operating_loss", "2014")),
        (Kind.APPOINTMENT, None, entries[3].fact.id),
        (Kind.DEAL_ANNOUNCED, None, deals["alibaba-acquires-lazada"]),
        (Kind.INVESTMENT, None, investments["alibaba-lazada-new-shares"]),
    ]


def expected_entries(session: Session, company_id: int) -> set[tuple[Any, ...]]:
    """A company's entries found by hand: (kind, date, fact type, fact id)."""
    found: set[tuple[Any, ...]] = set()
    parties = session.exec(select(DealParty).where(DealParty.company_id == company_id)).all()
    for deal_id in {p.deal_id for p in parties}:
        deal = session.get(Deal, deal_id)
        assert deal is not None
        found.add((Kind.DEAL_ANNOUNCED, deal.announced_on, "Deal", deal.id))
        if deal.completed_on is not None:
            found.add((Kind.DEAL_COMPLETED, deal.completed_on, "Deal", deal.id))
    invested = {
        link.investment_id
        for link in session.exec(select(InvestmentInvestor)).all()
        if link.company_id == company_id
    }
    for investment in session.exec(select(Investment)).all():
        if investment.id in invested or investment.investee_id == company_id:
            found.add((Kind.INVESTMENT, investment.announced_on, "Investment", investment.id))
    for role in session.exec(select(Role).where(Role.company_id == company_id)).all():
        found.add((Kind.APPOINTMENT, role.started_on, "Role", role.id))
    for metric in session.exec(select(Metric).where(Metric.company_id == company_id)).all():
        years = [word for word in (metric.period or "").split() if word.isdigit()]
        on = dt.date(int(years[0]), 1, 1) if years else None
        found.add((Kind.METRIC, on, "Metric", metric.id))
    return found


def test_every_timeline_holds_each_of_its_companys_facts_once_in_date_order(
    session: Session, seed_engine: Engine, companies: dict[str, int]
) -> None:
    ids = [*companies.values(), 10_000]
    with counting_statements(seed_engine) as statements:
        found = timelines_of(session, company_ids=ids)
    assert len(statements) == 4  # deals, investments, roles, metrics: whatever the companies
    assert list(found) == ids
    assert found[10_000] == []
    for company_id, entries in found.items():
        listed = [(e.kind, e.on, type(e.fact).__name__, e.fact.id) for e in entries]
        assert len(listed) == len(set(listed))
        assert set(listed) == expected_entries(session, company_id)
        dated = [e.on for e in entries if e.on is not None]
        assert dated == sorted(dated)
        assert [e.on is None for e in entries] == sorted(e.on is None for e in entries)


@pytest.mark.parametrize("parents", [1, 3, 27])
def test_timelines_cost_four_statements_whatever_the_number_of_companies(
    session: Session, seed_engine: Engine, companies: dict[str, int], parents: int
) -> None:
    with counting_statements(seed_engine) as statements:
        timelines_of(session, company_ids=sorted(companies.values())[:parents])
    assert len(statements) == 4


def test_alibabas_timeline_has_each_deal_and_investment_once(
    session: Session, companies: dict[str, int]
) -> None:
    alibaba = companies["alibaba"]
    entries = timelines_of(session, company_ids=[alibaba])[alibaba]
    kinds = [e.kind for e in entries]
    assert kinds.count(Kind.DEAL_ANNOUNCED) == 6
    assert kinds.count(Kind.INVESTMENT) == 2
    assert kinds.count(Kind.APPOINTMENT) == 3
    assert kinds.count(Kind.METRIC) == 4
    assert [(e.kind, e.on) for e in entries[:3]] == [
        (Kind.DEAL_ANNOUNCED, dt.date(2015, 6, 1)),
        (Kind.DEAL_ANNOUNCED, dt.date(2019, 9, 5)),
        (Kind.APPOINTMENT, None),
    ]
    # Undated, last, by kind: three appointments, four deals, two investments and four metrics
    # (a share price "at 3:50 PM EST on Thursday" names no year).
    assert [e.kind for e in entries if e.on is None] == [
        *[Kind.APPOINTMENT] * 3,
        *[Kind.DEAL_ANNOUNCED] * 4,
        *[Kind.INVESTMENT] * 2,
        *[Kind.METRIC] * 4,
    ]
    assert all(e.on is None for e in entries[-13:])


def test_a_timeline_of_no_company_is_empty(session: Session) -> None:
    assert timelines_of(session, company_ids=[]) == {}
