"""What the graph tests share: seed rows by natural key as graph edges, and random graphs (with
a store built from one) to check the graph functions against brute force."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path as FilePath

from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.store.db import make_engine
from api.store.graph import Edge
from api.store.migrate import migrate
from api.store.models import (
    Company,
    Deal,
    DealParty,
    Investment,
    InvestmentInvestor,
    Person,
    Role,
    Stake,
)
from api.vocab import DealKind, DealRole, DealStatus, StakeChange, StakeKind


def company(session: Session, slug: str) -> int:
    found = session.exec(select(Company.id).where(Company.slug == slug)).one()
    assert found is not None
    return found


def person(session: Session, slug: str) -> int:
    found = session.exec(select(Person.id).where(Person.slug == slug)).one()
    assert found is not None
    return found


def stake(session: Session, holder: str, held: str) -> Edge:
    row = session.exec(
        select(Stake).where(
            Stake.holder_id == company(session, holder), Stake.company_id == company(session, held)
        )
    ).one()
    assert row.id is not None
    return Edge("stake", row.id)


def deal(session: Session, key: str) -> Edge:
    found = session.exec(select(Deal.id).where(Deal.key == key)).one()
    assert found is not None
    return Edge("deal", found)


def role(session: Session, who: str, where: str) -> Edge:
    found = session.exec(
        select(Role.id).where(
            Role.person_id == person(session, who), Role.company_id == company(session, where)
        )
    ).one()
    assert found is not None
    return Edge("role", found)


# Random graphs

DATES = [None, dt.date(2019, 1, 1), dt.date(2020, 1, 1)]
# Weighted towards what makes control, so that parents, ties and cycles are common.
STAKE_KINDS = [StakeKind.OWNED, StakeKind.CONTROLLING, *StakeKind]
PARTY_ROLES = [
    DealRole.ACQUIRER,
    DealRole.TARGET,
    DealRole.ACQUIRER,
    DealRole.TARGET,
    DealRole.SELLER,
]


@dataclass(frozen=True)
class StakeSpec:
    kind: StakeKind
    in_force: bool | None
    held_from: dt.date | None
    held_until: dt.date | None
    # Given by a deal still pending, so held on no date yet.
    pending: bool


@dataclass(frozen=True)
class Graph:
    names: list[str]
    people: int
    stakes: dict[tuple[int, int], StakeSpec]
    deals: list[tuple[DealKind, DealStatus, dt.date | None, set[tuple[int, DealRole]]]]
    investments: list[tuple[int, set[int]]]
    roles: list[tuple[int, int]]


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    size, people = draw(st.integers(2, 6)), draw(st.integers(0, 3))
    company = st.integers(1, size)
    return Graph(
        # Repeated names exercise the ordering of subsidiaries by id.
        names=draw(st.lists(st.sampled_from("AB"), min_size=size, max_size=size)),
        people=people,
        stakes=draw(
            st.dictionaries(
                st.tuples(company, company),
                st.builds(
                    StakeSpec,
                    kind=st.sampled_from(STAKE_KINDS),
                    in_force=st.sampled_from([True, False, None]),
                    held_from=st.sampled_from(DATES),
                    held_until=st.sampled_from(DATES),
                    pending=st.booleans(),
                ),
                max_size=10,
            )
        ),
        deals=draw(
            st.lists(
                st.tuples(
                    st.sampled_from([DealKind.ACQUISITION, DealKind.ACQUISITION, DealKind.MERGER]),
                    st.sampled_from(
                        [DealStatus.COMPLETED, DealStatus.COMPLETED, DealStatus.RUMORED]
                    ),
                    st.sampled_from(DATES),
                    st.sets(
                        st.tuples(
                            company,
                            st.sampled_from(PARTY_ROLES),
                        ),
                        min_size=1,
                        max_size=4,
                    ),
                ),
                max_size=5,
            )
        ),
        investments=draw(
            st.lists(st.tuples(company, st.sets(company, min_size=1, max_size=3)), max_size=3)
        ),
        roles=draw(st.lists(st.tuples(st.integers(1, people), company), max_size=4))
        if people
        else [],
    )


def build(engine: Engine, graph: Graph) -> None:
    migrate(engine)
    with Session(engine) as session:
        for i, name in enumerate(graph.names, 1):
            session.add(Company(id=i, slug=f"c{i}", name=name, search_key=name.casefold()))
        for i in range(1, graph.people + 1):
            session.add(Person(id=i, slug=f"p{i}", name=f"P{i}", search_key=f"p{i}"))
        session.flush()
        for i, ((holder, held), spec) in enumerate(graph.stakes.items(), 1):
            session.add(
                Stake(
                    id=i,
                    holder_id=holder,
                    company_id=held,
                    kind=spec.kind,
                    in_force=spec.in_force,
                    held_from=spec.held_from,
                    held_until=spec.held_until,
                    change=StakeChange.ACQUIRED if spec.pending else None,
                )
            )
        for i, (kind, status, completed_on, parties) in enumerate(graph.deals, 1):
            session.add(
                Deal(id=i, key=f"d{i}", kind=kind, status=status, completed_on=completed_on)
            )
            session.flush()
            for company_id, party_role in parties:
                session.add(DealParty(deal_id=i, company_id=company_id, role=party_role))
        for i, (investee, investors) in enumerate(graph.investments, 1):
            session.add(
                Investment(id=i, key=f"i{i}", investee_id=investee, status=DealStatus.ANNOUNCED)
            )
            session.flush()
            for investor in investors:
                session.add(InvestmentInvestor(investment_id=i, company_id=investor))
        for i, (person_id, company_id) in enumerate(graph.roles, 1):
            session.add(
                Role(id=i, person_id=person_id, company_id=company_id, title=f"t{i}", is_ceo=False)
            )
        session.commit()


@contextmanager
def built(graph: Graph) -> Iterator[Engine]:
    """A store of its own holding `graph`, removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{FilePath(tmp) / 'graph.db'}")
        try:
            build(engine, graph)
            yield engine
        finally:
            engine.dispose()
