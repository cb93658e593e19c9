"""Evidence and claims per subject, and the conflicts where claims disagree."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.store.claims import (
    FACT_SUBJECTS,
    EvidenceSubject,
    claims_of,
    claims_of_conflicts,
    count_conflicts,
    evidence_of,
    list_conflicts,
)
from api.store.models import (
    Claim,
    Company,
    Conflict,
    Deal,
    DealParty,
    Evidence,
    Investment,
    InvestmentInvestor,
    Metric,
    Person,
    Role,
    Source,
    Stake,
)
from api.store.paging import PageRequest
from api.vocab import ClaimRank
from tests.conftest import counting_statements
from tests.store.seeds import EVERYTHING, KAOLA, MUSIC

SUBJECT_MODELS: dict[EvidenceSubject, Any] = {
    EvidenceSubject.COMPANY: Company,
    EvidenceSubject.PERSON: Person,
    EvidenceSubject.ROLE: Role,
    EvidenceSubject.DEAL: Deal,
    EvidenceSubject.INVESTMENT: Investment,
    EvidenceSubject.STAKE: Stake,
    EvidenceSubject.METRIC: Metric,
}


def subject_ids(session: Session, subject: EvidenceSubject) -> list[int]:
    """Every id of the subject's table, plus one that no row has."""
    return [*session.exec(select(SUBJECT_MODELS[subject].id)).all(), 10_000]


@pytest.mark.parametrize("subject", list(EvidenceSubject))
def test_evidence_is_grouped_per_subject_in_source_order_in_one_statement(
    session: Session, seed_engine: Engine, subject: EvidenceSubject
) -> None:
    evidence = session.exec(select(Evidence)).all()
    ids = subject_ids(session, subject)
    with counting_statements(seed_engine) as statements:
        found = evidence_of(session, subject=subject, ids=ids)
    assert len(statements) == 1
    assert list(found) == ids
    for pk, rows in found.items():
        assert {e.id for e in rows} == {e.id for e in evidence if getattr(e, subject.value) == pk}
        positions = [(e.source_id, e.start_offset) for e in rows]
        assert positions == sorted(positions)
    # Every company, person and fact of the seeds is quoted somewhere.
    assert [pk for pk, rows in found.items() if not rows] == [10_000]


def test_every_quote_is_the_text_of_its_source_at_its_offsets(session: Session) -> None:
    texts = {s.id: s.text for s in session.exec(select(Source)).all()}
    evidence = session.exec(select(Evidence)).all()
    assert len(evidence) == 163
    for e in evidence:
        assert texts[e.source_id][e.start_offset : e.end_offset] == e.quote


def test_the_kaola_deal_is_quoted_by_both_kaola_articles(
    session: Session, deals: dict[str, int], sources: dict[str, int]
) -> None:
    kaola = deals[KAOLA]
    rows = evidence_of(session, subject=EvidenceSubject.DEAL, ids=[kaola])[kaola]
    assert {e.source_id for e in rows} == {
        sources["000_2b1eff056f60b6be"],
        sources["001_fc294a4a7f80cbd8"],
    }
    assert any("On Thursday (5 September)" in e.quote for e in rows)


def test_alvin_liu_is_named_in_both_kaola_articles(
    session: Session, people: dict[str, int]
) -> None:
    alvin = people["alvin-liu"]
    rows = evidence_of(session, subject=EvidenceSubject.PERSON, ids=[alvin])[alvin]
    assert len(rows) == 2
    assert all("Alvin Liu" in e.quote for e in rows)
    assert rows[1].quote.endswith("has been appointed as the new CEO of Kaola.")


@pytest.mark.parametrize("subject", FACT_SUBJECTS)
def test_claims_are_grouped_per_fact_by_field_in_one_statement(
    session: Session, seed_engine: Engine, subject: EvidenceSubject
) -> None:
    claims = session.exec(select(Claim)).all()
    evidence = {e.id: e for e in session.exec(select(Evidence)).all()}
    ids = subject_ids(session, subject)
    with counting_statements(seed_engine) as statements:
        found = claims_of(session, subject=subject, ids=ids)
    assert len(statements) == 1
    assert list(found) == ids
    for pk, rows in found.items():
        mine = [c for c in claims if getattr(c, subject.value) == pk]
        assert [c.id for c in rows] == [c.id for c in sorted(mine, key=lambda c: (c.field, c.id))]
        # Each claim quotes evidence about the very same fact.
        assert all(getattr(evidence[c.evidence_id], subject.value) == pk for c in rows)


def test_the_kaola_deals_claims_disagree_on_the_day_and_the_status(
    session: Session, deals: dict[str, int]
) -> None:
    kaola = deals[KAOLA]
    rows = claims_of(session, subject=EvidenceSubject.DEAL, ids=[kaola])[kaola]
    assert [(c.field, c.value, c.rank) for c in rows] == [
        ("announced_on", {"date": None, "weekday": "friday"}, ClaimRank.NORMAL),
        ("announced_on", {"date": "2019-09-05", "weekday": "thursday"}, ClaimRank.PREFERRED),
        ("status", "completed", ClaimRank.DEPRECATED),
        ("status", "announced", ClaimRank.NORMAL),
        ("terms", rows[4].value, ClaimRank.NORMAL),
        ("value", rows[5].value, ClaimRank.NORMAL),
        ("value", rows[6].value, ClaimRank.NORMAL),
    ]
    assert {c.value["amount"] for c in rows[5:]} == {2e9}
    # Only 001 states the plans, so they are not in dispute.
    assert [c.conflict_id is not None for c in rows] == [True] * 4 + [False] * 3


def test_the_seeds_hold_exactly_seven_conflicts(
    session: Session,
    seed_engine: Engine,
    deals: dict[str, int],
    investments: dict[str, int],
    companies: dict[str, int],
) -> None:
    with counting_statements(seed_engine) as statements:
        page = list_conflicts(session, company_id=None, page=EVERYTHING)
        total = count_conflicts(session, company_id=None)
    assert len(statements) == 2
    assert total == len(page.items) == 7
    assert not page.has_next
    metrics = {m.id: m for m in session.exec(select(Metric)).all()}
    slugs = {pk: slug for slug, pk in companies.items()}

    def about(c: Conflict) -> tuple[Any, ...]:
        if c.deal_id is not None:
            return ("deal", c.deal_id, c.field, c.resolved)
        if c.investment_id is not None:
            return ("investment", c.investment_id, c.field, c.resolved)
        assert c.metric_id is not None
        metric = metrics[c.metric_id]
        return (slugs[metric.company_id], metric.name, metric.period, c.field, c.resolved)

    assert [about(c) for c in page.items] == [
        # The preferred date and the deprecated status leave a value standing.
        ("deal", deals[KAOLA], "announced_on", True),
        ("deal", deals[KAOLA], "status", True),
        # "will invest" and "agreed to invest": the later, preferred, claim stands.
        ("investment", investments[MUSIC], "status", True),
        # Two market shares for H1 2019, each stated differently by the two articles.
        ("kaola", "market_share", "H1 2019", "value", False),
        ("tmall-global", "market_share", "H1 2019", "value", False),
        # Their ranks, which 001's shares order the other way: the ranks themselves stand.
        ("kaola", "market_rank", "H1 2019", "value", True),
        ("tmall-global", "market_rank", "H1 2019", "value", True),
    ]


def test_walking_conflicts_one_at_a_time_visits_each_once(session: Session) -> None:
    seen: list[int] = []
    page = list_conflicts(session, company_id=None, page=PageRequest(limit=1))
    while True:
        seen += [c.pk for c in page.items]
        if not page.has_next:
            break
        page = list_conflicts(session, company_id=None, page=PageRequest(limit=1, after=page.end))
    assert seen == sorted(c.pk for c in session.exec(select(Conflict)).all())


def concerned(session: Session, conflict: Conflict) -> set[int]:
    """The companies whose fact a conflict is about, found by hand."""
    if conflict.deal_id is not None:
        parties = session.exec(select(DealParty)).all()
        return {p.company_id for p in parties if p.deal_id == conflict.deal_id}
    if conflict.investment_id is not None:
        investment = session.get(Investment, conflict.investment_id)
        assert investment is not None
        links = session.exec(select(InvestmentInvestor)).all()
        investors = {i.company_id for i in links if i.investment_id == investment.id}
        return investors | {investment.investee_id}
    if conflict.stake_id is not None:
        stake = session.get(Stake, conflict.stake_id)
        assert stake is not None
        return {stake.holder_id, stake.company_id}
    if conflict.role_id is not None:
        role = session.get(Role, conflict.role_id)
        assert role is not None
        return {role.company_id}
    metric = session.get(Metric, conflict.metric_id)
    assert metric is not None
    return {metric.company_id}


def test_conflicts_of_a_company_are_those_about_its_facts(
    session: Session, companies: dict[str, int]
) -> None:
    every = {c.pk: concerned(session, c) for c in session.exec(select(Conflict)).all()}
    for company_id in [*companies.values(), 10_000]:
        expected = sorted(pk for pk, concerns in every.items() if company_id in concerns)
        page = list_conflicts(session, company_id=company_id, page=EVERYTHING)
        assert [c.id for c in page.items] == expected
        assert count_conflicts(session, company_id=company_id) == len(expected)


@pytest.mark.parametrize(
    ("company", "fields"),
    [
        ("kaola", ["announced_on", "status", "value", "value"]),
        ("alibaba", ["announced_on", "status", "status"]),
        ("netease-cloud-music", ["status"]),
        ("netease", ["announced_on", "status"]),
        ("tmall-global", ["value", "value"]),
        ("lazada", []),
    ],
)
def test_conflicts_concern_the_parties_of_the_disputed_facts(
    session: Session, companies: dict[str, int], company: str, fields: list[str]
) -> None:
    page = list_conflicts(session, company_id=companies[company], page=EVERYTHING)
    assert [c.field for c in page.items] == fields
    assert count_conflicts(session, company_id=companies[company]) == len(fields)


def test_claims_of_conflicts_are_the_disagreeing_claims(session: Session) -> None:
    conflicts = list_conflicts(session, company_id=None, page=EVERYTHING).items
    ids = [c.pk for c in conflicts]
    found = claims_of_conflicts(session, conflict_ids=[*ids, 10_000])
    assert list(found) == [*ids, 10_000]
    assert [len(found[pk]) for pk in ids] == [2, 2, 2, 2, 2, 1, 1]
    assert found[10_000] == []
    day, status, music, kaola_share, tmall_share, kaola_rank, tmall_rank = (found[pk] for pk in ids)
    assert [c.value["amount"] for c in kaola_rank + tmall_rank] == [1, 2]
    assert "001_fc294a4a7f80cbd8 gives them market_share 24.5 and 31.7" in (
        conflicts[5].reason or ""
    )
    assert [c.value["date"] for c in day] == [None, "2019-09-05"]
    assert [c.value for c in status] == ["completed", "announced"]
    assert [c.value for c in music] == ["announced", "agreed"]
    # iiMedia Research and the tech wire give different H1 2019 shares.
    assert [c.value["amount"] for c in kaola_share] == [27.7, 24.5]
    assert [c.value["amount"] for c in tmall_share] == [25.1, 31.7]
    for conflict in conflicts:
        claims = found[conflict.pk]
        assert all(c.field == conflict.field for c in claims)
        assert {(c.deal_id, c.investment_id, c.metric_id) for c in claims} == {
            (conflict.deal_id, conflict.investment_id, conflict.metric_id)
        }
