"""The benchmark's floors (`bench/cases.py`, `bench/cases_postgres.py`) give the API's answers, on
the seeds and on a synthetic store, each engine's floors on its own store: a rule changed in the
API and not in its floor fails here, not in a bench run."""

from __future__ import annotations

import orjson
import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.config import Settings
from api.corpus.synthetic import write_corpus
from bench.cases import Picks, graphql_cases, pick, same
from bench.cases_rest import bench_cases
from bench.floor import floor_answer
from tests.conftest import load_store


@pytest.fixture(scope="module")
def synthetic_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    directory = tmp_path_factory.mktemp("synthetic")
    write_corpus(directory / "corpus", companies=200)
    return load_store(directory / "store.db", seeds=directory / "corpus")


@pytest.mark.parametrize("store", ["seeds", "synthetic"])
def test_each_floor_gives_the_api_answer(store: str, store_url: str, synthetic_url: str) -> None:
    url = store_url if store == "seeds" else synthetic_url
    app = create_app(Settings(database_url=url, max_page_size=1000, access_log=False))
    engine = app.state.engine
    with engine.connect() as connection:
        cases = bench_cases(pick(connection), engine.dialect.name)
    with TestClient(app) as client:
        for case in cases:
            answer = client.request(case.method, case.path, json=case.body).json()
            assert "errors" not in answer, (case.name, answer)
            floor = orjson.loads(floor_answer(engine, case))
            assert case.agrees(answer, floor), case.name
            assert answer["data"] != {}, case.name


def test_floats_compare_to_the_digits_sqlite_writes() -> None:
    assert same({"score": [3.8257533839239812]}, {"score": [3.82575338392398]})
    assert not same({"score": [3.8257]}, {"score": [3.8258]})
    assert not same({"a": 1}, {"a": 1, "b": 2})
    assert not same([1, 2], [1])


def test_an_engine_without_floors_is_refused() -> None:
    with pytest.raises(ValueError, match="mysql"):
        graphql_cases(Picks(company="acme", word="acme"), "mysql")
