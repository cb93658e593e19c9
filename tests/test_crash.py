"""A loader killed with SIGKILL inside its write transaction leaves the store exactly as it was,
and the next load works.

The loader under test is the real `dealgraph load` process. It is killed once it is provably in
the middle of writing: it holds the write lock (another connection's `BEGIN IMMEDIATE` is refused
at once with SQLITE_BUSY) and uncommitted pages have reached the WAL file (the modified corpus
carries a document large enough that the transaction outgrows SQLite's page cache). The write
lock alone would not do: the loader also takes it, briefly and without writing, to create
missing tables before it reads the corpus, and to count rows after it has committed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from api.corpus.load import load_corpus
from api.store.db import make_engine
from api.store.sqlite_library import sqlite3
from tests.conftest import load_store

# The kill is timed by SQLite's lock and write-ahead log.
pytestmark = pytest.mark.sqlite_only

DEALGRAPH = Path(sys.executable).with_name("dealgraph")
MARK = " [crash]"
# Characters appended to one document: several times SQLite's default 2 MB page cache.
FILLER_CHARS = 3_000_000
ATTEMPTS = 5
WAL_HEADER, FRAME_HEADER = 32, 24
# Seconds for all the attempts together, and for the load that follows a successful one
# (with building the reference store, the test stays under 30 s even on a busy machine).
BUDGET = 15.0
RELOAD_TIMEOUT = 10.0


@dataclass(frozen=True)
class Attempt:
    """How one attempt ended: whether the loader was killed mid-write, and how it stood."""

    killed_mid_write: bool
    returncode: int
    # The WAL file's size just after: committed frames, and the killed load's uncommitted ones.
    wal_bytes: int


def test_a_loader_killed_mid_transaction_leaves_the_store_as_it_was(
    tmp_path: Path, seeds_copy: Path
) -> None:
    modified = _modify(seeds_copy)
    # What a load of `modified` that ran to the end leaves (what a kill that came too late sees).
    reference = tmp_path / "reference.db"
    engine = make_engine(load_store(reference))
    load_corpus(engine, modified)
    engine.dispose()
    after = _dump(reference)

    deadline = time.monotonic() + BUDGET
    missed: list[str] = []
    for number in range(1, ATTEMPTS + 1):
        store = tmp_path / f"attempt-{number}.db"
        load_store(store)
        before = _dump(store)
        assert before != after
        attempt = _kill_mid_write(store, modified, deadline)
        _assert_sound(store)
        left = _dump(store)
        if attempt.killed_mid_write and left != after:
            assert left == before, "the killed load left some of its changes behind"
            _assert_a_new_load_works(store, modified, after)
            return
        # The loader finished, or committed before the kill landed: nothing to learn.
        assert left == after, f"attempt {number}: the store is neither as before nor as after"
        missed.append(f"attempt {number}: exit {attempt.returncode}, WAL {attempt.wal_bytes} B")
        if time.monotonic() > deadline:
            break
    pytest.fail(
        "never killed the loader inside its write transaction "
        f"({len(missed)} attempts, {BUDGET:g} s): " + "; ".join(missed)
    )


def _modify(copy: Path) -> Path:
    """`copy` with every source title marked, and one document long enough to spill."""
    for facts_file in sorted(copy.glob("*.facts.json")):
        facts = json.loads(facts_file.read_text(encoding="utf-8"))
        facts["source"]["title"] += MARK
        facts_file.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    document = sorted(copy.glob("*.txt"))[0]
    lines, size, number = [], 0, 0
    while size < FILLER_CHARS:
        number += 1
        line = f"\n\nFiller paragraph {number}, written only to make this document long."
        lines.append(line)
        size += len(line)
    with document.open("a", encoding="utf-8") as text:
        text.write("".join(lines))
    return copy


def _kill_mid_write(store: Path, corpus: Path, deadline: float) -> Attempt:
    """Start `dealgraph load --seeds corpus` and SIGKILL it once it is writing. The probing
    connection is closed first, so that no connection survives the kill: the next one to open the
    store recovers it from the files alone."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{store}"}
    probe = sqlite3.connect(store, isolation_level=None, timeout=0)
    killed = False
    try:
        probe.execute("PRAGMA busy_timeout = 0")
        (page_size,) = probe.execute("PRAGMA page_size").fetchone()
        # Writing: the WAL holds its header and at least one whole frame more than before.
        writing = max(_wal_bytes(store), WAL_HEADER) + FRAME_HEADER + page_size
        process = subprocess.Popen(
            [str(DEALGRAPH), "load", "--seeds", str(corpus)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            while process.poll() is None and time.monotonic() < deadline:
                if _wal_bytes(store) >= writing and _holds_write_lock(probe):
                    probe.close()
                    process.kill()
                    killed = True
                    break
                time.sleep(0.001)
        finally:
            process.kill()
            output = process.communicate(timeout=10)[0].decode(errors="replace")
    finally:
        probe.close()
    if process.returncode not in (0, -9):
        pytest.fail(f"the loader failed by itself (exit {process.returncode}):\n{output}")
    if not killed and process.returncode == -9:
        pytest.fail(f"the loader did not finish within the time budget:\n{output}")
    return Attempt(killed and process.returncode == -9, process.returncode, _wal_bytes(store))


def _holds_write_lock(probe: sqlite3.Connection) -> bool:
    """Whether another connection holds the write lock (never waits, never keeps it)."""
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode == sqlite3.SQLITE_BUSY:
            return True
        raise
    probe.execute("ROLLBACK")
    return False


def _wal_bytes(store: Path) -> int:
    try:
        return Path(f"{store}-wal").stat().st_size
    except FileNotFoundError:
        return 0


def _dump(store: Path) -> list[tuple[Any, ...]]:
    """The store's schema and every row (opening it recovers from a crashed writer)."""
    with closing(sqlite3.connect(store)) as connection:
        schema = connection.execute(
            "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        tables = [name for kind, name, _ in schema if kind == "table"]
        rows = [
            (table, *row)
            for table in tables
            if not table.startswith("sqlite_")
            for row in connection.execute(f'SELECT * FROM "{table}"')
        ]
        return schema + sorted(rows, key=repr)


def _assert_sound(store: Path) -> None:
    with closing(sqlite3.connect(store)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def _assert_a_new_load_works(store: Path, corpus: Path, after: list[str]) -> None:
    """No lock or half-written WAL is left behind: loading again runs to the end."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{store}"}
    result = subprocess.run(
        [str(DEALGRAPH), "load", "--seeds", str(corpus)],
        env=env,
        capture_output=True,
        text=True,
        timeout=RELOAD_TIMEOUT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("loaded"), result.stdout
    _assert_sound(store)
    assert _dump(store) == after
