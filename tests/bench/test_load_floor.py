"""The loading floor (`bench/load_floor.py`) copies every row of a loaded store into a new one of
the same schema, so that what it times is the same work the loader's inserts do."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load_floor import executemany_seconds
from tests.conftest import dump, load_store

pytestmark = pytest.mark.sqlite_only


def test_the_floor_writes_the_same_rows_into_the_same_schema(tmp_path: Path) -> None:
    loaded = load_store(tmp_path / "loaded.db")
    seconds, rows = executemany_seconds(tmp_path / "loaded.db", tmp_path / "copy.db")
    original, copy = dump(loaded), dump(f"sqlite:///{tmp_path / 'copy.db'}")
    original.pop("alembic_version")
    assert copy == original
    # The full-text table's own shadow tables are filled by its inserts.
    tables = [name for name in original if not name.startswith("search_index_")]
    assert rows == sum(len(original[name]) for name in tables)
    assert seconds > 0
