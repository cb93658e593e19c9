"""Deals: every filter against a brute-force filter over all rows, totals for charts, and each
deal's parties and sources. The shared filter fields alone are in test_filters.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.store.deals import (
    Aggregate,
    Bucket,
    DealFilter,
    aggregate_deals,
    count_deals,
    count_deals_of_companies,
    deals_of_companies,
    list_deals,
    parties_of_deals,
    sources_of_deals,
)
from api.store.filters import FactFilter
from api.store.models import Deal, DealParty, Evidence
from api.store.paging import PageRequest
from api.vocab import DealKind, DealRole, DealStatus
from tests.conftest import counting_statements
from tests.store.seeds import (
    CBN,
    EVERYTHING,
    KAOLA,
    KAOLA_REPORT,
    LAZADA,
    LAZADA_REPORT,
    SCMP,
    SNAPDEAL,
    TECH_WIRE,
    XINJIANG,
    XINJIANG_REPORT,
)


def deal_filter(
    *,
    kind: DealKind | None = None,
    company_id: int | None = None,
    role: DealRole | None = None,
    **shared: Any,
) -> DealFilter:
    return DealFilter(shared=FactFilter(**shared), kind=kind, company_id=company_id, role=role)


@dataclass(frozen=True)
class Seeds:
    """Every deal, party and quote, to filter by hand."""

    deals: list[Deal]
    parties: list[DealParty]
    quoted: set[tuple[int, int]]  # (deal id, source id)

    def usd(self, deal: Deal) -> float | None:
        return deal.value_amount if deal.value_currency == "USD" else None

    def matches(self, deal: Deal, where: DealFilter) -> bool:
        shared, on, usd = where.shared, deal.announced_on, self.usd(deal)
        party = [
            p
            for p in self.parties
            if p.deal_id == deal.id
            and where.company_id in (None, p.company_id)
            and where.role in (None, p.role)
        ]
        return (
            shared.status in (None, deal.status)
            and where.kind in (None, deal.kind)
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
                or (deal.pk, shared.evidence_source_id) in self.quoted
            )
            and (bool(party) or (where.company_id is None and where.role is None))
        )

    def newest_first(self, deals: list[Deal]) -> list[str]:
        ranked = sorted(deals, key=lambda d: (d.announced_on or dt.date.min, d.pk), reverse=True)
        return [d.key for d in ranked]


@pytest.fixture(scope="module")
def seeds(seed_engine: Engine) -> Seeds:
    with Session(seed_engine) as session:
        return Seeds(
            deals=list(session.exec(select(Deal)).all()),
            parties=list(session.exec(select(DealParty)).all()),
            quoted={
                (e.deal_id, e.source_id)
                for e in session.exec(select(Evidence)).all()
                if e.deal_id is not None
            },
        )


def keys(session: Session, where: DealFilter) -> list[str]:
    page = list_deals(session, where=where, page=EVERYTHING)
    assert not page.has_next
    return [deal.key for deal in page.items]


def test_the_seeds_hold_six_deals_newest_first(session: Session) -> None:
    assert keys(session, DealFilter()) == [KAOLA, CBN, SNAPDEAL, XINJIANG, SCMP, LAZADA]
    assert count_deals(session, where=DealFilter()) == 6


def test_alibaba_acquires_kaola_from_netease_for_about_two_billion_dollars(
    session: Session,
) -> None:
    kaola = list_deals(session, where=DealFilter(), page=PageRequest(limit=1)).items[0]
    assert (kaola.key, kaola.kind, kaola.status) == (
        KAOLA,
        DealKind.ACQUISITION,
        DealStatus.ANNOUNCED,
    )
    # The preferred claim: the tech wire's "Thursday (5 September)", not Friday the 6th.
    assert kaola.announced_on == dt.date(2019, 9, 5)
    assert (kaola.value_amount, kaola.value_currency, kaola.value_approximate) == (2e9, "USD", True)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"kind": DealKind.STAKE_PURCHASE}, [CBN]),
        ({"kind": DealKind.PARTNERSHIP}, [XINJIANG]),
        ({"kind": DealKind.ACQUISITION}, [KAOLA, SNAPDEAL, SCMP, LAZADA]),
        ({"kind": DealKind.MERGER}, []),
        ({"role": DealRole.SELLER}, [KAOLA, SCMP, LAZADA]),
        ({"role": DealRole.PARTNER}, [XINJIANG]),
        ({"role": DealRole.INVESTOR}, []),
        # With a shared field (see test_filters.py for each of those alone).
        ({"kind": DealKind.ACQUISITION, "status": DealStatus.IN_TALKS}, [SNAPDEAL]),
        ({"role": DealRole.SELLER, "value_max_usd": 1e9}, [SCMP, LAZADA]),
    ],
    ids=repr,
)
def test_deal_fields_select_the_expected_deals(
    session: Session, fields: dict[str, Any], expected: list[str]
) -> None:
    where = deal_filter(**fields)
    assert keys(session, where) == expected
    assert count_deals(session, where=where) == len(expected)


@pytest.mark.parametrize(
    ("company", "role", "expected"),
    [
        ("netease", None, [KAOLA]),
        ("netease", DealRole.SELLER, [KAOLA]),
        ("netease", DealRole.ACQUIRER, []),
        ("alibaba", DealRole.ACQUIRER, [KAOLA, CBN, SNAPDEAL, SCMP, LAZADA]),
        ("alibaba", DealRole.TARGET, []),
        ("alibaba", None, [KAOLA, CBN, SNAPDEAL, XINJIANG, SCMP, LAZADA]),
        ("tesco", DealRole.SELLER, [LAZADA]),
        ("south-china-morning-post", DealRole.TARGET, [SCMP]),
        ("questmobile", None, []),
    ],
)
def test_company_and_role_filters_select_the_deals_it_is_party_to(
    session: Session,
    companies: dict[str, int],
    company: str,
    role: DealRole | None,
    expected: list[str],
) -> None:
    assert keys(session, deal_filter(company_id=companies[company], role=role)) == expected


DATES = [dt.date(y, m, d) for y, m, d in [(2014, 1, 1), (2015, 6, 1), (2015, 7, 1), (2015, 12, 1)]]
DATES += [dt.date(2016, 1, 1), dt.date(2019, 9, 5), dt.date(2019, 9, 6), dt.date(2020, 1, 1)]
VALUES = [0.0, 194e6, 194e6 + 1, 266e6, 500e6, 1e9, 2e9, 3e9]


def maybe(values: Any) -> st.SearchStrategy[Any]:
    return st.none() | st.sampled_from(list(values))


@st.composite
def deal_filters(draw: st.DrawFn, company_ids: list[int], source_ids: list[int]) -> DealFilter:
    return deal_filter(
        status=draw(maybe(DealStatus)),
        announced_after=draw(maybe(DATES)),
        announced_before=draw(maybe(DATES)),
        value_min_usd=draw(maybe(VALUES)),
        value_max_usd=draw(maybe(VALUES)),
        evidence_source_id=draw(maybe([*source_ids, 10_000])),
        kind=draw(maybe(DealKind)),
        company_id=draw(maybe([*company_ids, 10_000])),
        role=draw(maybe(DealRole)),
    )


def by_hand(deals: list[Deal], usd: Any) -> Aggregate:
    years: dict[str, list[float]] = defaultdict(list)
    kinds: dict[str, list[float]] = defaultdict(list)
    for deal in deals:
        value = usd(deal) or 0.0
        years[str(deal.announced_on.year) if deal.announced_on else "unknown"].append(value)
        kinds[deal.kind.value].append(value)

    def buckets(groups: dict[str, list[float]]) -> list[Bucket]:
        return [Bucket(k, len(v), sum(v)) for k, v in sorted(groups.items())]

    total = sum(usd(deal) or 0.0 for deal in deals)
    return Aggregate(len(deals), total, buckets(years), buckets(kinds))


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_any_filter_lists_counts_and_totals_what_a_brute_force_filter_selects(
    seed_engine: Engine,
    seeds: Seeds,
    companies: dict[str, int],
    sources: dict[str, int],
    data: st.DataObject,
) -> None:
    where = data.draw(deal_filters(sorted(companies.values()), sorted(sources.values())))
    expected = [d for d in seeds.deals if seeds.matches(d, where)]
    with Session(seed_engine) as session:
        assert keys(session, where) == seeds.newest_first(expected)
        assert count_deals(session, where=where) == len(expected)
        assert aggregate_deals(session, where=where) == by_hand(expected, seeds.usd)


def test_aggregate_of_all_deals_totals_by_year_and_kind_in_one_statement(
    session: Session, seed_engine: Engine
) -> None:
    with counting_statements(seed_engine) as statements:
        totals = aggregate_deals(session, where=DealFilter())
    assert len(statements) == 1
    assert totals == Aggregate(
        count=6,
        total_value_usd=3_460e6,
        by_year=[
            Bucket("2015", 1, 194e6),
            Bucket("2019", 1, 2_000e6),
            Bucket("unknown", 4, 1_266e6),
        ],
        by_kind=[
            Bucket("acquisition", 4, 3_266e6),
            Bucket("partnership", 1, 0.0),
            Bucket("stake_purchase", 1, 194e6),
        ],
    )


def test_aggregate_totals_equal_the_sum_over_the_listed_deals(session: Session) -> None:
    where = deal_filter(status=DealStatus.AGREED, kind=DealKind.ACQUISITION)
    listed = list_deals(session, where=where, page=EVERYTHING).items
    totals = aggregate_deals(session, where=where)
    assert totals.count == len(listed) == 2
    assert totals.total_value_usd == sum(d.value_amount or 0.0 for d in listed) == 1_266e6
    assert sum(b.count for b in totals.by_year) == sum(b.count for b in totals.by_kind) == 2
    assert sum(b.total_value_usd for b in totals.by_year) == totals.total_value_usd


def test_aggregate_of_nothing_is_zero(session: Session) -> None:
    assert aggregate_deals(session, where=deal_filter(kind=DealKind.MERGER)) == Aggregate(
        0, 0.0, [], []
    )


@pytest.mark.parametrize("role", [None, *DealRole])
def test_deals_of_every_company_per_role_match_its_parties(
    session: Session,
    seed_engine: Engine,
    seeds: Seeds,
    companies: dict[str, int],
    role: DealRole | None,
) -> None:
    ids = [*companies.values(), 10_000]
    with counting_statements(seed_engine) as statements:
        pages = deals_of_companies(session, company_ids=ids, role=role, page=EVERYTHING)
        counted = count_deals_of_companies(session, company_ids=ids, role=role)
    assert len(statements) == 2
    assert list(pages) == list(counted) == ids
    for company_id in ids:
        expected = [
            d
            for d in seeds.deals
            if any(
                p.deal_id == d.id and p.company_id == company_id and role in (None, p.role)
                for p in seeds.parties
            )
        ]
        assert [d.key for d in pages[company_id].items] == seeds.newest_first(expected)
        assert not pages[company_id].has_next
        assert counted[company_id] == len(expected)


def test_alibaba_acquires_five_times_and_partners_once(
    session: Session, companies: dict[str, int]
) -> None:
    alibaba = companies["alibaba"]

    def of(role: DealRole | None, limit: int = 10) -> list[str]:
        page = deals_of_companies(
            session, company_ids=[alibaba], role=role, page=PageRequest(limit=limit)
        )
        return [d.key for d in page[alibaba].items]

    assert of(DealRole.ACQUIRER) == [KAOLA, CBN, SNAPDEAL, SCMP, LAZADA]
    assert of(DealRole.PARTNER) == [XINJIANG]
    assert of(None, limit=2) == [KAOLA, CBN]
    counted = count_deals_of_companies(session, company_ids=[alibaba], role=None)
    assert counted == {alibaba: 6}


def test_parties_of_the_kaola_and_lazada_deals(
    session: Session, seed_engine: Engine, deals: dict[str, int]
) -> None:
    kaola, lazada = deals[KAOLA], deals[LAZADA]
    with counting_statements(seed_engine) as statements:
        found = parties_of_deals(session, deal_ids=[kaola, lazada, 10_000])
    assert len(statements) == 1
    summary = {
        pk: [(party.role, company.slug, party.stake_percent) for party, company in rows]
        for pk, rows in found.items()
    }
    assert summary == {
        kaola: [
            (DealRole.ACQUIRER, "alibaba", None),
            (DealRole.TARGET, "kaola", None),
            (DealRole.SELLER, "netease", None),
        ],
        lazada: [
            (DealRole.ACQUIRER, "alibaba", None),
            (DealRole.TARGET, "lazada", None),
            (DealRole.SELLER, "rocket-internet", 9.1),
            (DealRole.SELLER, "tesco", None),
            (DealRole.SELLER, "kinnevik", None),
        ],
        10_000: [],
    }


def test_parties_of_every_deal_are_its_party_rows(session: Session, seeds: Seeds) -> None:
    ids = [d.pk for d in seeds.deals]
    found = parties_of_deals(session, deal_ids=ids)
    assert list(found) == ids
    for deal_id, rows in found.items():
        assert [party.id for party, _ in rows] == sorted(
            p.pk for p in seeds.parties if p.deal_id == deal_id
        )
        assert all(company.id == party.company_id for party, company in rows)


def test_sources_of_deals_are_the_slugs_quoting_each(
    session: Session, seed_engine: Engine, deals: dict[str, int]
) -> None:
    asked = [KAOLA, LAZADA, SCMP, CBN, XINJIANG, SNAPDEAL]
    with counting_statements(seed_engine) as statements:
        found = sources_of_deals(session, deal_ids=[*(deals[k] for k in asked), 10_000])
    assert len(statements) == 1
    assert found == {
        deals[KAOLA]: [KAOLA_REPORT, TECH_WIRE],
        deals[LAZADA]: [LAZADA_REPORT],
        deals[SCMP]: [LAZADA_REPORT],
        deals[CBN]: [LAZADA_REPORT],
        deals[XINJIANG]: [XINJIANG_REPORT],
        deals[SNAPDEAL]: [XINJIANG_REPORT],
        10_000: [],
    }


def test_batched_lookups_of_no_deals_are_empty(session: Session) -> None:
    assert parties_of_deals(session, deal_ids=[]) == {}
    assert sources_of_deals(session, deal_ids=[]) == {}
