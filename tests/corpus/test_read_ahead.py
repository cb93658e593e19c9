"""Reading a large corpus's files in a worker process (`parse.READ_AHEAD_DOCUMENTS`) finds the
same problems, in the same order, and loads the same store as reading them here; the load puts
back every index it sets aside."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.corpus import parse
from api.corpus.load import load_corpus
from api.corpus.parse import CorpusError
from api.corpus.validate import read_corpus
from api.store.db import make_engine
from api.store.migrate import migrate
from tests.conftest import ENGINE, SEEDS, dump, load_store, new_store_url, query

KAOLA_000 = "000_2b1eff056f60b6be"
KAOLA_001 = "001_fc294a4a7f80cbd8"


def _problems(corpus: Path) -> list[str]:
    with pytest.raises(CorpusError) as raised:
        read_corpus(corpus)
    return raised.value.problems


def test_a_worker_finds_the_same_problems_in_the_same_order(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (seeds_copy / f"{KAOLA_000}.facts.json").write_text('{"source": {}, "x": 1, "x": 2}')
    (seeds_copy / f"{KAOLA_001}.facts.json").write_text('{"source": {"title": "x"')
    (seeds_copy / f"{KAOLA_001}.txt").write_bytes(b"\xff\xfe")
    here = _problems(seeds_copy)
    monkeypatch.setattr(parse, "READ_AHEAD_DOCUMENTS", 1)
    monkeypatch.setattr(parse, "READ_AHEAD_CHUNK", 1)
    assert _problems(seeds_copy) == here
    assert len(here) > 3


def test_a_worker_loads_the_same_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = dump(load_store(tmp_path / "here.db"))
    monkeypatch.setattr(parse, "READ_AHEAD_DOCUMENTS", 1)
    monkeypatch.setattr(parse, "READ_AHEAD_CHUNK", 2)
    assert dump(load_store(tmp_path / "worker.db")) == here


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's indexes are set aside while loading")
def test_a_load_keeps_every_index(tmp_path: Path) -> None:
    url = new_store_url(tmp_path / "store.db")
    engine = make_engine(url)
    migrate(engine)
    indexes = "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    migrated = query(url, indexes)
    load_corpus(engine, SEEDS)
    engine.dispose()
    assert query(url, indexes) == migrated
    assert len(migrated) > 20
