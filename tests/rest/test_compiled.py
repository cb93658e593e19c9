"""The compiled read path of REST (`api/rest/compiled.py`) answers exactly as the converters do:
the same status and body once parsed, for hand-picked and generated requests, on the seeds and on
a synthetic store, page after page; and it reads a whole list or item with one SQL statement."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.testclient import TestClient

from api.app import create_app
from api.config import Settings
from api.corpus.synthetic import write_corpus
from api.ids import to_global_id
from api.rest import EMBEDDABLE, compiled
from api.store.sqlite_library import sqlite3
from tests.conftest import ENGINE, counting_statements, load_store
from tests.fuzzing import fuzz_settings

Pair = tuple[TestClient, TestClient]
# The deal and investment properties the compiled path builds (claims and a deal's structure
# are Python's).
DEAL = "key,kind,status,announced_on,completed_on,value,parties,disputed,evidence"
INVESTMENT = "key,status,announced_on,value,stake_percent,round,investors,investee,deal_id,evidence"
COMPILED = {
    "a company, whole": "/api/companies/alibaba",
    "a company by global id": f"/api/companies/{to_global_id('Company', 'kaola')}",
    "a page of companies": "/api/companies?limit=7",
    "companies by name": "/api/companies?search=ali",
    "the nested page": "/api/companies?limit=20&include=deals.targets.ceo&include_limit=3"
    f"&fields[deal]={DEAL},targets&fields[person]=name,slug",
    "a company's chief executive, in part": "/api/companies/alibaba?include=ceo"
    "&fields[person]=name&fields[company]=name,ceo",
    "deals, in part": f"/api/deals?limit=10&fields[deal]={DEAL}",
    "deals by value, with parties": "/api/deals?order_by=value_usd&fields[deal]=key,value,acquirers"
    "&include=acquirers",
    "a company's deals": "/api/companies/alibaba/deals?role=acquirer&fields[deal]=key,sellers"
    "&include=sellers.ceo&fields[person]=slug",
    "a deal": "/api/deals/alibaba-acquires-kaola?fields[deal]=key,targets,evidence&include=targets",
    "investments": f"/api/investments?fields[investment]={INVESTMENT},disputed",
    "a company's investments, included": "/api/companies?limit=50&include=investments.investors"
    f"&fields[investment]={INVESTMENT}",
    "a company's investments": "/api/companies/alibaba/investments?include=investee"
    f"&fields[investment]={INVESTMENT}",
}
# Each is left to the converters, which must still answer it (and do, identically).
NOT_COMPILED = {
    "a whole deal (claims)": "/api/deals/alibaba-acquires-kaola",
    "a whole person": "/api/companies/alibaba?include=ceo",
    "whole investments": "/api/companies/alibaba?include=investments",
    "a deal's structure": "/api/deals?fields[deal]=key,tranches",
}


def apps(url: str) -> Pair:
    base = Settings(database_url=url, access_log=False)
    return (
        TestClient(create_app(base.model_copy(update={"rest_compiled": True}))),
        TestClient(create_app(base.model_copy(update={"rest_compiled": False}))),
    )


@pytest.fixture(scope="module")
def seeds(store_url: str) -> Iterator[Pair]:
    compiled_app, converters = apps(store_url)
    with compiled_app, converters:
        yield compiled_app, converters


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    directory: Path = tmp_path_factory.mktemp("synthetic")
    write_corpus(directory / "corpus", companies=200)
    compiled_app, converters = apps(load_store(directory / "store.db", seeds=directory / "corpus"))
    with compiled_app, converters:
        yield compiled_app, converters


def answers(pair: Pair, path: str) -> tuple[tuple[int, Any], tuple[int, Any], list[str]]:
    """Both paths' statuses and bodies, and the statements the compiled one ran."""
    compiled_app, converters = pair
    engine = cast(Starlette, compiled_app.app).state.engine
    with counting_statements(engine) as statements:
        fast = compiled_app.get(path)
    slow = converters.get(path)
    return (fast.status_code, fast.json()), (slow.status_code, slow.json()), statements


def compiled_reads(statements: list[str], *, looked_up: int = 0) -> bool:
    """Whether one statement built the JSON, after `looked_up` reads of objects in the path."""
    # json_object (SQLite) or json_build_object (PostgreSQL): JSON built in the database.
    return len(statements) == 1 + looked_up and "_object(" in statements[-1]


@pytest.mark.parametrize("name", COMPILED)
def test_compiled_requests_answer_as_the_converters_in_one_statement(
    seeds: Pair, name: str
) -> None:
    path = COMPILED[name]
    fast, slow, statements = answers(seeds, path)
    assert fast == slow
    assert fast[0] == 200 and fast[1]["data"], fast
    # A company's deals: the company is looked up first (a 404 if there is none).
    assert compiled_reads(statements, looked_up=path.count("/companies/alibaba/")), statements


@pytest.mark.parametrize("name", NOT_COMPILED)
def test_what_is_not_compiled_is_answered_by_the_converters(seeds: Pair, name: str) -> None:
    fast, slow, statements = answers(seeds, NOT_COMPILED[name])
    assert fast == slow
    assert fast[0] == 200
    assert not compiled_reads(statements)


def test_the_deepest_include_is_compiled_where_the_sqlite_library_can_parse_it(
    seeds: Pair,
) -> None:
    deepest = "include=deals.acquirers.deals.targets&include_limit=3"
    path = f"/api/companies/alibaba?{deepest}&fields[deal]=key,acquirers,targets"
    fast, slow, statements = answers(seeds, path)
    assert fast == slow
    # Older SQLite (Python's own, 3.40 on Debian 12) overflows its parser; Python answers.
    parses = ENGINE == "postgresql" or sqlite3.sqlite_version_info >= (3, 51)
    assert compiled_reads(statements) is parses


def test_nothing_found_is_the_same_404(seeds: Pair) -> None:
    fast, slow, statements = answers(seeds, "/api/companies/no-such-company?fields[company]=name")
    assert fast == slow
    assert fast[0] == 404
    assert len(statements) == 1


def test_every_page_follows_the_same_cursors(synthetic: Pair) -> None:
    for path in ("/api/companies?limit=37", f"/api/deals?limit=45&fields[deal]={DEAL}"):
        pages = 0
        while path:
            fast, slow, statements = answers(synthetic, path)
            assert fast == slow
            assert compiled_reads(statements)
            cursor = fast[1]["next_cursor"]
            path = cursor and f"{path.split('&cursor=')[0]}&cursor={cursor}"
            pages += 1
        assert pages > 3


def test_a_synthetic_store_gets_the_same_nested_page(synthetic: Pair) -> None:
    fast, slow, statements = answers(synthetic, COMPILED["the nested page"].replace("20", "100"))
    assert fast == slow
    assert compiled_reads(statements)
    assert any(company["deals"] for company in fast[1]["data"])


def _fieldset(type_name: str) -> st.SearchStrategy[str | None]:
    kind = EMBEDDABLE[type_name]
    names = [*compiled.PROPERTIES[type_name], *kind.relations]
    chosen = st.lists(st.sampled_from(names), min_size=1, unique=True).map(",".join)
    return st.none() | chosen


PATHS = [
    "/api/companies",
    "/api/companies/alibaba",
    "/api/companies/netease",
    "/api/deals",
    "/api/companies/alibaba/deals",
    "/api/deals/alibaba-acquires-kaola",
    "/api/investments",
    "/api/companies/alibaba/investments",
]
INCLUDES = [
    *("ceo", "deals", "deals.targets", "deals.acquirers.ceo", "targets.ceo", "sellers"),
    *("investments.investee.ceo", "investors", "investee.deals"),
]


TYPES = ("company", "deal", "investment", "person")


@st.composite
def requests(draw: st.DrawFn) -> str:
    path = draw(st.sampled_from(PATHS))
    query: dict[str, Any] = {
        "include": draw(st.none() | st.sampled_from(INCLUDES)),
        "include_limit": draw(st.none() | st.integers(1, 4)),
        **{f"fields[{t.lower()}]": draw(_fieldset(t.title())) for t in TYPES},
    }
    if "/" not in path.removeprefix("/api/") or path.endswith("s"):
        query["limit"] = draw(st.none() | st.integers(1, 30))
    return f"{path}?{urlencode({k: v for k, v in query.items() if v is not None})}"


@fuzz_settings(max_examples=150)
@given(path=requests())
def test_generated_requests_answer_as_the_converters(seeds: Pair, path: str) -> None:
    fast, slow, _ = answers(seeds, path)
    assert fast == slow, path
