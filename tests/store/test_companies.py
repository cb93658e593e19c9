"""Companies: found by name, and their chief executives, stakes and metrics, batched by id."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.store.companies import (
    ceos_of_companies,
    count_companies,
    get_company,
    list_companies,
    metrics_of_companies,
    stakes_held_by,
    stakes_in,
)
from api.store.db import make_engine
from api.store.models import Company, Metric, Role, Stake
from api.store.paging import PageRequest
from api.vocab import StakeChange, StakeKind
from tests.conftest import SEEDS, counting_statements, load_store


def test_get_company_by_slug(session: Session) -> None:
    lazada = get_company(session, slug="lazada")
    assert lazada is not None
    assert (lazada.name, lazada.aliases) == ("Lazada Group", ["Lazada"])
    assert get_company(session, slug="no-such-company") is None
    assert get_company(session, slug="Kaola") is None


def test_list_companies_searches_names_and_aliases_in_name_order(session: Session) -> None:
    page = list_companies(session, search="netease", page=PageRequest(limit=10))
    assert [c.slug for c in page.items] == ["netease", "netease-cloud-music"]
    assert not page.has_next
    assert count_companies(session, search="netease") == 2


def test_list_companies_pages_through_a_search(session: Session) -> None:
    first = list_companies(session, search="tencent", page=PageRequest(limit=1))
    assert [c.name for c in first.items] == ["Tencent"]
    assert not first.has_next
    net = list_companies(session, search="net", page=PageRequest(limit=2))
    assert [c.name for c in net.items] == ["NetEase", "NetEase Cloud Music"]
    assert net.has_next
    rest = list_companies(session, search="net", page=PageRequest(limit=2, after=net.end))
    assert [c.name for c in rest.items] == ["Rocket Internet"]
    assert not rest.has_next


@pytest.mark.parametrize("search", [None, "", "a", "group", "ltd", "zzz"])
def test_company_counts_agree_with_the_list(session: Session, search: str | None) -> None:
    listed = list_companies(session, search=search, page=PageRequest(limit=1000)).items
    assert count_companies(session, search=search) == len(listed)


def test_every_seed_company_is_counted(session: Session) -> None:
    assert count_companies(session, search=None) == len(session.exec(select(Company)).all()) == 27


def test_ceos_of_companies_names_the_current_chief_executive(
    session: Session, seed_engine: Engine, companies: dict[str, int]
) -> None:
    asked = ["kaola", "alibaba", "netease", "lazada", "tmall", "yunfeng-capital"]
    with counting_statements(seed_engine) as statements:
        found = ceos_of_companies(session, company_ids=[companies[slug] for slug in asked])
    assert len(statements) == 1
    slugs = {pk: slug for slug, pk in companies.items()}
    assert {slugs[pk]: (ceo.slug if ceo else None) for pk, ceo in found.items()} == {
        "kaola": "alvin-liu",
        "alibaba": "daniel-zhang",
        "netease": "william-ding",
        "lazada": "max-bittner",
        # Alvin Liu manages Tmall's imports, which does not make him its chief executive.
        "tmall": None,
        "yunfeng-capital": None,
    }


def test_every_requested_company_has_a_ceo_entry(
    session: Session, companies: dict[str, int]
) -> None:
    ids = [*companies.values(), 10_000]
    found = ceos_of_companies(session, company_ids=ids)
    assert list(found) == ids
    assert sum(ceo is not None for ceo in found.values()) == 4
    assert found[10_000] is None
    assert ceos_of_companies(session, company_ids=[]) == {}


Batched = Callable[..., dict[int, list[Any]]]


def grouped(rows: Sequence[Any], key: str, ids: Sequence[int]) -> dict[int, list[int]]:
    return {pk: [row.id for row in rows if getattr(row, key) == pk] for pk in ids}


@pytest.mark.parametrize(
    ("batched", "key"),
    [(stakes_held_by, "holder_id"), (stakes_in, "company_id")],
    ids=["held_by", "in"],
)
def test_stakes_are_grouped_per_requested_company_in_one_statement(
    session: Session,
    seed_engine: Engine,
    companies: dict[str, int],
    batched: Batched,
    key: str,
) -> None:
    stakes = sorted(session.exec(select(Stake)).all(), key=lambda s: s.pk)
    ids = [*companies.values(), 10_000]
    with counting_statements(seed_engine) as statements:
        found = batched(session, company_ids=ids)
    assert len(statements) == 1
    assert list(found) == ids
    assert {pk: [s.id for s in rows] for pk, rows in found.items()} == grouped(stakes, key, ids)


def test_alibaba_holds_stakes_in_its_businesses(
    session: Session, companies: dict[str, int]
) -> None:
    slugs = {pk: slug for slug, pk in companies.items()}
    held = stakes_held_by(session, company_ids=[companies["alibaba"]])[companies["alibaba"]]
    assert [(slugs[s.company_id], s.kind, s.change, s.in_force) for s in held] == [
        ("tmall", StakeKind.OWNED, None, True),
        ("south-china-morning-post", StakeKind.OWNED, None, True),
        # Stakes an agreed investment or deal will give: they do not count until it completes.
        ("netease-cloud-music", StakeKind.MINORITY, StakeChange.ACQUIRED, False),
        ("tmall-global", StakeKind.OWNED, None, True),
        ("lazada", StakeKind.CONTROLLING, StakeChange.ACQUIRED, False),
        ("china-business-news", StakeKind.UNDISCLOSED, StakeChange.ACQUIRED, False),
        ("taobao", StakeKind.OWNED, None, True),
    ]


def test_lazadas_shareholders_and_rocket_internets_remaining_interest(
    session: Session, companies: dict[str, int]
) -> None:
    slugs = {pk: slug for slug, pk in companies.items()}
    lazada, kaola = companies["lazada"], companies["kaola"]
    found = stakes_in(session, company_ids=[lazada, kaola, companies["questmobile"]])
    assert [(slugs[s.holder_id], s.percent, s.change) for s in found[lazada]] == [
        ("alibaba", None, StakeChange.ACQUIRED),
        # "selling a 9.1% stake in Lazada and keeping an 8.8% interest"
        ("rocket-internet", 8.8, StakeChange.KEPT),
        ("tesco", None, StakeChange.SOLD),
        ("kinnevik", None, StakeChange.SOLD),
    ]
    assert [s.in_force for s in found[lazada]] == [False, True, None, None]
    assert [slugs[s.holder_id] for s in found[kaola]] == ["netease"]
    assert found[companies["questmobile"]] == []


def test_metrics_are_grouped_per_company_by_name_in_one_statement(
    session: Session, seed_engine: Engine, companies: dict[str, int]
) -> None:
    metrics = sorted(session.exec(select(Metric)).all(), key=lambda m: (m.name, m.pk))
    ids = [*companies.values(), 10_000]
    with counting_statements(seed_engine) as statements:
        found = metrics_of_companies(session, company_ids=ids)
    assert len(statements) == 1
    assert list(found) == ids
    assert {pk: [m.id for m in rows] for pk, rows in found.items()} == grouped(
        metrics, "company_id", ids
    )


def test_kaolas_disputed_market_share_has_no_value(
    session: Session, companies: dict[str, int]
) -> None:
    kaola, lazada = companies["kaola"], companies["lazada"]
    found = metrics_of_companies(session, company_ids=[kaola, lazada])
    assert [(m.name, m.period, m.value) for m in found[kaola]] == [
        ("market_rank", "H1 2019", 1.0),
        # iiMedia says 27.7%, the tech wire 24.5%: the store keeps no value while they dispute it.
        ("market_share", "H1 2019", None),
    ]
    assert [(m.name, m.period) for m in found[lazada]] == [
        ("net_operating_loss", "2014"),
        ("net_operating_loss", "2013"),
        ("net_revenue", "2014"),
    ]


@pytest.fixture(scope="module")
def ended_ceo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The seeds, except that both Kaola articles state Alvin Liu's CEO role ended in 2020 and
    say nothing of whether it is current."""
    root = tmp_path_factory.mktemp("ended-ceo")
    seeds = Path(shutil.copytree(SEEDS, root / "seeds"))
    for facts_file in seeds.glob("*.facts.json"):
        facts = json.loads(facts_file.read_text())
        for role in facts["roles"]:
            if (role["company"], role["title"]) == ("Kaola", "Chief Executive Officer"):
                role.update(current=None, ended_on="2020")
        facts_file.write_text(json.dumps(facts, ensure_ascii=False, indent=1))
    engine = make_engine(load_store(root / "store.db", seeds), read_only=True)
    yield engine
    engine.dispose()


def test_a_ceo_role_stated_to_have_ended_names_no_current_ceo(ended_ceo_store: Engine) -> None:
    with Session(ended_ceo_store) as session:
        kaola = session.exec(select(Company).where(Company.slug == "kaola")).one()
        (role,) = session.exec(select(Role).where(Role.company_id == kaola.pk)).all()
        assert (role.current, role.ended_on) == (None, dt.date(2020, 1, 1))
        assert ceos_of_companies(session, company_ids=[kaola.pk]) == {kaola.pk: None}
