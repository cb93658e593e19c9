"""Investments: every filter against a brute-force filter, per-company lists by role, and each
investment's investors and deal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.store.filters import FactFilter
from api.store.investments import (
    InvestmentFilter,
    count_investments,
    count_investments_of_companies,
    investments_of_companies,
    investments_of_deals,
    investors_of_investments,
    list_investments,
)
from api.store.models import Evidence, Investment, InvestmentInvestor
from api.store.paging import PageRequest
from api.vocab import DealStatus, InvestmentRole
from tests.conftest import counting_statements
from tests.store.seeds import EVERYTHING, MUSIC, NEW_SHARES


def investment_filter(
    *, company_id: int | None = None, role: InvestmentRole | None = None, **shared: Any
) -> InvestmentFilter:
    return InvestmentFilter(shared=FactFilter(**shared), company_id=company_id, role=role)


@dataclass(frozen=True)
class Seeds:
    investments: list[Investment]
    investors: set[tuple[int, int]]  # (investment id, company id)
    quoted: set[tuple[int, int]]  # (investment id, source id)

    def links(self, investment: Investment, role: InvestmentRole | None) -> set[int]:
        """The companies linked to an investment in a role (either role for None)."""
        investors = {c for i, c in self.investors if i == investment.id}
        if role is InvestmentRole.INVESTOR:
            return investors
        if role is InvestmentRole.INVESTEE:
            return {investment.investee_id}
        return investors | {investment.investee_id}

    def matches(self, investment: Investment, where: InvestmentFilter) -> bool:
        shared, on = where.shared, investment.announced_on
        usd = investment.value_amount if investment.value_currency == "USD" else None
        return (
            shared.status in (None, investment.status)
            and (
                shared.announced_after is None or (on is not None and on >= shared.announced_after)
            )
            and (
                shared.announced_before is None
                or (on is not None and on <= shared.announced_before)
            )
            and (shared.value_min_usd is None or (usd is not None and usd >= shared.value_min_usd))
            and (shared.value_max_usd is None or (usd is not None and usd <= shared.value_max_usd))
            and (
                shared.evidence_source_id is None
                or (investment.pk, shared.evidence_source_id) in self.quoted
            )
            and (where.company_id is None or where.company_id in self.links(investment, where.role))
        )

    def newest_first(self, investments: list[Investment]) -> list[str]:
        ranked = sorted(
            investments, key=lambda i: (i.announced_on or dt.date.min, i.pk), reverse=True
        )
        return [i.key for i in ranked]


@pytest.fixture(scope="module")
def seeds(seed_engine: Engine) -> Seeds:
    with Session(seed_engine) as session:
        return Seeds(
            investments=list(session.exec(select(Investment)).all()),
            investors={
                (link.investment_id, link.company_id)
                for link in session.exec(select(InvestmentInvestor)).all()
            },
            quoted={
                (e.investment_id, e.source_id)
                for e in session.exec(select(Evidence)).all()
                if e.investment_id is not None
            },
        )


def keys(session: Session, where: InvestmentFilter) -> list[str]:
    page = list_investments(session, where=where, page=EVERYTHING)
    assert not page.has_next
    return [i.key for i in page.items]


def test_the_seeds_hold_two_investments_newest_first(session: Session) -> None:
    assert keys(session, InvestmentFilter()) == [NEW_SHARES, MUSIC]
    assert count_investments(session) == 2
    assert [i.key for i in list_investments(session, page=PageRequest(limit=5)).items] == [
        NEW_SHARES,
        MUSIC,
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": DealStatus.AGREED}, [NEW_SHARES, MUSIC]),
        ({"status": DealStatus.ANNOUNCED}, []),
        ({"status": DealStatus.COMPLETED}, []),
        # Both are undated, so they fall outside any range.
        ({"announced_after": dt.date(2016, 1, 1)}, []),
        ({"announced_before": dt.date(2015, 12, 31)}, []),
        ({"value_min_usd": 600e6}, [MUSIC]),
        ({"value_max_usd": 500e6}, [NEW_SHARES]),
        ({"value_min_usd": 500e6, "value_max_usd": 700e6}, [NEW_SHARES, MUSIC]),
    ],
    ids=repr,
)
def test_each_shared_filter_field_selects_the_expected_investments(
    session: Session, fields: dict[str, Any], expected: list[str]
) -> None:
    where = investment_filter(**fields)
    assert keys(session, where) == expected
    assert count_investments(session, where=where) == len(expected)


@pytest.mark.parametrize(
    ("company", "role", "expected"),
    [
        ("alibaba", None, [NEW_SHARES, MUSIC]),
        ("alibaba", InvestmentRole.INVESTOR, [NEW_SHARES, MUSIC]),
        ("alibaba", InvestmentRole.INVESTEE, []),
        ("yunfeng-capital", None, [MUSIC]),
        ("netease-cloud-music", InvestmentRole.INVESTEE, [MUSIC]),
        ("netease-cloud-music", InvestmentRole.INVESTOR, []),
        ("lazada", None, [NEW_SHARES]),
        ("netease", None, []),
    ],
)
def test_company_and_role_filters_select_its_investments(
    session: Session,
    companies: dict[str, int],
    company: str,
    role: InvestmentRole | None,
    expected: list[str],
) -> None:
    where = investment_filter(company_id=companies[company], role=role)
    assert keys(session, where) == expected
    assert count_investments(session, where=where) == len(expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("000_2b1eff056f60b6be", [MUSIC]),
        ("001_fc294a4a7f80cbd8", [MUSIC]),
        ("002_35f2b27074b6541c", [NEW_SHARES]),
        ("003_7532c4fe6b1c635d", []),
    ],
)
def test_evidence_source_filter_selects_the_investments_a_source_quotes(
    session: Session, sources: dict[str, int], source: str, expected: list[str]
) -> None:
    assert keys(session, investment_filter(evidence_source_id=sources[source])) == expected


def maybe(values: Any) -> st.SearchStrategy[Any]:
    return st.none() | st.sampled_from(list(values))


DATES = [dt.date(2015, 12, 31), dt.date(2016, 1, 1), dt.date(2016, 1, 2), dt.date(2019, 9, 5)]
VALUES = [0.0, 499e6, 500e6, 700e6, 701e6]


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_filter_lists_and_counts_what_a_brute_force_filter_selects(
    seed_engine: Engine,
    seeds: Seeds,
    companies: dict[str, int],
    sources: dict[str, int],
    data: st.DataObject,
) -> None:
    where = investment_filter(
        status=data.draw(maybe(DealStatus)),
        announced_after=data.draw(maybe(DATES)),
        announced_before=data.draw(maybe(DATES)),
        value_min_usd=data.draw(maybe(VALUES)),
        value_max_usd=data.draw(maybe(VALUES)),
        evidence_source_id=data.draw(maybe([*sources.values(), 10_000])),
        company_id=data.draw(maybe([*companies.values(), 10_000])),
        role=data.draw(maybe(InvestmentRole)),
    )
    expected = [i for i in seeds.investments if seeds.matches(i, where)]
    with Session(seed_engine) as session:
        assert keys(session, where) == seeds.newest_first(expected)
        assert count_investments(session, where=where) == len(expected)


@pytest.mark.parametrize("role", [None, *InvestmentRole])
def test_investments_of_every_company_per_role_match_its_links(
    session: Session,
    seed_engine: Engine,
    seeds: Seeds,
    companies: dict[str, int],
    role: InvestmentRole | None,
) -> None:
    ids = [*companies.values(), 10_000]
    with counting_statements(seed_engine) as statements:
        pages = investments_of_companies(session, company_ids=ids, role=role, page=EVERYTHING)
        counted = count_investments_of_companies(session, company_ids=ids, role=role)
    assert len(statements) == 2
    assert list(pages) == list(counted) == ids
    for company_id in ids:
        expected = [i for i in seeds.investments if company_id in seeds.links(i, role)]
        assert [i.key for i in pages[company_id].items] == seeds.newest_first(expected)
        assert not pages[company_id].has_next
        assert counted[company_id] == len(expected)


def test_alibabas_investments_page_newest_first(
    session: Session, companies: dict[str, int]
) -> None:
    alibaba = companies["alibaba"]
    first = investments_of_companies(
        session, company_ids=[alibaba], role=None, page=PageRequest(limit=1)
    )[alibaba]
    assert ([i.key for i in first.items], first.has_next) == ([NEW_SHARES], True)
    rest = investments_of_companies(
        session, company_ids=[alibaba], role=None, page=PageRequest(limit=1, after=first.end)
    )[alibaba]
    assert ([i.key for i in rest.items], rest.has_next) == ([MUSIC], False)


def test_alibaba_and_yunfeng_invest_in_netease_cloud_music(
    session: Session, seed_engine: Engine, investments: dict[str, int]
) -> None:
    music, lazada = investments[MUSIC], investments[NEW_SHARES]
    with counting_statements(seed_engine) as statements:
        found = investors_of_investments(session, investment_ids=[music, lazada, 10_000])
    assert len(statements) == 1
    assert {pk: [c.name for c in rows] for pk, rows in found.items()} == {
        music: ["Alibaba Group", "Yunfeng Capital"],
        lazada: ["Alibaba Group"],
        10_000: [],
    }


def test_the_lazada_deal_includes_the_new_shares_investment(
    session: Session, seed_engine: Engine, deals: dict[str, int], investments: dict[str, int]
) -> None:
    asked = [deals["alibaba-acquires-lazada"], deals["alibaba-acquires-kaola"], 10_000]
    with counting_statements(seed_engine) as statements:
        found = investments_of_deals(session, deal_ids=asked)
    assert len(statements) == 1
    assert {pk: [i.id for i in rows] for pk, rows in found.items()} == {
        asked[0]: [investments[NEW_SHARES]],
        asked[1]: [],
        10_000: [],
    }


def test_batched_lookups_of_nothing_are_empty(session: Session) -> None:
    assert investors_of_investments(session, investment_ids=[]) == {}
    assert investments_of_deals(session, deal_ids=[]) == {}
    assert investments_of_companies(session, company_ids=[], role=None, page=EVERYTHING) == {}
