"""The bench's cache (`bench/cache.py`): an entry is made once and found again while its files are
the ones it was made with; one changed, written to or cut short is made again."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import cache
from bench.stores import sqlite_store

NAME = "sqlite-60-seed0-synthabc-loader1-schemadef"


@pytest.fixture(autouse=True)
def cache_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    return tmp_path / "cache"


class Maker:
    """Makes an entry of one store file, counting how often it is asked to."""

    def __init__(self) -> None:
        self.made = 0

    def __call__(self, entry: Path) -> cache.Facts:
        self.made += 1
        (entry / "store.db").write_bytes(b"rows" * 1000)
        return {"seconds": 1.5}


def test_an_entry_is_made_once_and_found_again() -> None:
    make = Maker()
    entry, facts, found = cache.cached(NAME, make)
    assert (facts, found, make.made) == ({"seconds": 1.5}, False, 1)
    again, facts, found = cache.cached(NAME, make)
    assert (again, facts, found, make.made) == (entry, {"seconds": 1.5}, True, 1)
    assert cache.made_at(entry).startswith("20")


def test_a_changed_file_makes_the_entry_again() -> None:
    make = Maker()
    entry, _, _ = cache.cached(NAME, make)
    (entry / "store.db").write_bytes(b"other rows")
    _, _, found = cache.cached(NAME, make)
    assert (found, make.made) == (False, 2)
    assert (entry / "store.db").read_bytes() == b"rows" * 1000


def test_sqlite_readers_files_are_ignored_but_a_log_with_frames_is_a_change() -> None:
    make = Maker()
    entry, _, _ = cache.cached(NAME, make)
    (entry / "store.db-shm").write_bytes(b"index")
    (entry / "store.db-wal").write_bytes(b"")
    assert cache.intact(entry) is not None
    (entry / "store.db-wal").write_bytes(b"a frame")
    assert cache.intact(entry) is None
    (entry / "added").write_bytes(b"")
    (entry / "store.db-wal").unlink()
    assert cache.intact(entry) is None


def test_an_entry_without_its_manifest_or_cut_short_is_not_used(cache_directory: Path) -> None:
    (cache_directory / NAME).mkdir(parents=True)
    (cache_directory / NAME / "store.db").write_bytes(b"half")
    make = Maker()
    _, _, found = cache.cached(NAME, make)
    assert (found, make.made) == (False, 1)

    def fails(entry: Path) -> cache.Facts:
        (entry / "store.db").write_bytes(b"half")
        raise RuntimeError("the load failed")

    with pytest.raises(RuntimeError):
        cache.cached("sqlite-70-seed0-synthabc-loader1-schemadef", fails)
    assert sorted(p.name for p in cache_directory.iterdir()) == [NAME]


def test_a_new_entry_replaces_those_of_older_code(cache_directory: Path) -> None:
    cache.cached("sqlite-60-seed0-synthold-loader1-schemadef", Maker())
    cache.cached("sqlite-61-seed0-synthold-loader1-schemadef", Maker())
    cache.cached(NAME, Maker())
    names = sorted(p.name for p in cache_directory.iterdir())
    assert names == [NAME, "sqlite-61-seed0-synthold-loader1-schemadef"]


def test_names_follow_the_companies_and_the_seed() -> None:
    assert cache.corpus_name(1000, 0) != cache.corpus_name(1000, 1)
    assert cache.store_name(1000, 0) != cache.store_name(10000, 0)
    assert cache.store_name(1000, 0).startswith("sqlite-1000-seed0-synth")


def test_the_bench_loads_a_store_once_and_reports_that_load_after(tmp_path: Path) -> None:
    url, loaded = sqlite_store(60, tmp_path, cached=True)
    assert loaded.made is None and loaded.seconds > 0
    again, cached = sqlite_store(60, tmp_path, cached=True)
    assert again == url and (cached.seconds, cached.peak_rss_mb) == (
        loaded.seconds,
        loaded.peak_rss_mb,
    )
    assert cached.made is not None and "when the cached store was made" in str(cached)
