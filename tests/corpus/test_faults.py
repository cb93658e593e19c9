"""Operational faults of `dealgraph load`: each is a `what: why` line under the usual header,
exit code 1, and the store exactly as it was. Every fault is a real one: real symbolic links,
permissions, a real page limit in SQLite and a real second connection holding the lock."""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from api.cli import main
from api.corpus.store_faults import store_name
from api.corpus.write_lock import LOCK_KEY
from api.store.db import make_engine
from api.store.migrate import migrate
from api.store.sqlite_library import sqlite3
from tests.conftest import ENGINE, SEEDS, dump, load_store, query
from tests.corpus.test_load import KAOLA_000, KAOLA_001, edit_facts


def not_loaded(seeds: Path, *problems: str) -> str:
    """What `dealgraph load` prints on stderr when it refuses."""
    lines = [f"dealgraph load: {seeds} was not loaded; the store is unchanged."]
    return "\n".join([*lines, *(f"  {problem}" for problem in problems)]) + "\n"


def retitle(seeds: Path) -> None:
    """Change the corpus, so that loading it must write."""
    edit_facts(seeds, KAOLA_000, lambda d: d["source"].update(title="A new title"))


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = load_store(tmp_path / "store.db")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def name_of(url: str) -> str:
    """The store as the loader names it in messages."""
    engine = make_engine(url)
    try:
        return store_name(engine)
    finally:
        engine.dispose()


def nobody() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root, and there is no user `nobody` to drop privileges to")


@contextmanager
def unprivileged() -> Iterator[None]:
    """Permissions do not stop root: as root, run the block as `nobody`, for real."""
    if os.geteuid() != 0:
        yield
        return
    user = nobody()
    os.setegid(user.pw_gid)
    os.seteuid(user.pw_uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def workspace(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A corpus (`seeds`, changed from the seeds) and a loaded store (`store/store.db`) that the
    user of `unprivileged` owns: pytest's own temporary directories are closed to others."""
    owner = nobody() if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="dealgraph-faults-"))
    shutil.copytree(SEEDS, root / "seeds")
    retitle(root / "seeds")
    (root / "store").mkdir()
    monkeypatch.setenv("DATABASE_URL", load_store(root / "store" / "store.db"))
    if owner is not None:
        for path in [root, *root.rglob("*")]:
            os.chown(path, owner.pw_uid, owner.pw_gid, follow_symlinks=False)
    yield root
    for path in [root, *root.rglob("*")]:
        path.chmod(0o700)
    shutil.rmtree(root)


def loop_to_itself(seeds: Path) -> tuple[Path, list[str]]:
    (seeds / "loop.txt").symlink_to("loop.txt")
    return seeds, ["loop.txt: cannot be read: symbolic link loop"]


def loop_of_two_files(seeds: Path) -> tuple[Path, list[str]]:
    (seeds / f"{KAOLA_001}.txt").unlink()
    (seeds / f"{KAOLA_001}.txt").symlink_to("other.txt")
    (seeds / "other.txt").symlink_to(f"{KAOLA_001}.txt")
    return seeds, [
        f"{KAOLA_001}.txt: cannot be read: symbolic link loop",
        "other.txt: cannot be read: symbolic link loop",
    ]


def loop_of_two_directories(seeds: Path) -> tuple[Path, list[str]]:
    (seeds.parent / "one").symlink_to("two", target_is_directory=True)
    (seeds.parent / "two").symlink_to("one", target_is_directory=True)
    corpus = seeds.parent / "one"
    return corpus, [f"{corpus}: cannot be read: symbolic link loop"]


@pytest.mark.parametrize("make_loop", [loop_to_itself, loop_of_two_files, loop_of_two_directories])
def test_a_symbolic_link_loop_is_named(
    store: str,
    seeds_copy: Path,
    capsys: pytest.CaptureFixture[str],
    make_loop: Callable[[Path], tuple[Path, list[str]]],
) -> None:
    before = dump(store)
    corpus, problems = make_loop(seeds_copy)
    assert main(["load", "--seeds", str(corpus)]) == 1
    assert capsys.readouterr().err == not_loaded(corpus, *problems)
    assert dump(store) == before


@pytest.mark.parametrize(
    "name", ["x.txt", "x.facts.json", f"{KAOLA_001}.facts.json", "entities.json"]
)
def test_a_directory_named_like_a_corpus_file_is_named(
    store: str, seeds_copy: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    before = dump(store)
    (seeds_copy / name).unlink(missing_ok=True)
    (seeds_copy / name).mkdir()
    assert main(["load", "--seeds", str(seeds_copy)]) == 1
    assert capsys.readouterr().err == not_loaded(seeds_copy, f"{name}: a directory, not a file")
    assert dump(store) == before


def test_an_unreadable_file_is_named(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeds, url = workspace / "seeds", os.environ["DATABASE_URL"]
    before = dump(url)
    (seeds / f"{KAOLA_001}.facts.json").chmod(0o000)
    with unprivileged():
        assert main(["load", "--seeds", str(seeds)]) == 1
    problem = f"{KAOLA_001}.facts.json: cannot be read: permission denied"
    assert capsys.readouterr().err == not_loaded(seeds, problem)
    assert dump(url) == before


@pytest.mark.sqlite_only
def test_a_missing_store_directory_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "absent" / "store.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    assert main(["load", "--seeds", str(SEEDS)]) == 1
    problem = (
        f"{path}: the store's directory {path.parent} does not exist; create it, or set "
        "DATABASE_URL to a store in an existing directory"
    )
    assert capsys.readouterr().err == not_loaded(SEEDS, problem)
    assert not path.parent.exists()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("read_only", ["file", "directory"])
def test_a_read_only_store_is_named(
    workspace: Path, capsys: pytest.CaptureFixture[str], read_only: str
) -> None:
    seeds, url = workspace / "seeds", os.environ["DATABASE_URL"]
    store = workspace / "store" / "store.db"
    before = dump(url)
    (store if read_only == "file" else store.parent).chmod(0o555)
    with unprivileged():
        assert main(["load", "--seeds", str(seeds)]) == 1
    problem = {
        "file": f"{store}: read-only; make it writable (chmod u+w {store}) or set DATABASE_URL "
        "to a writable store",
        "directory": f"{store}: the store's directory {store.parent} is read-only, and SQLite "
        "must create files there; make it writable or set DATABASE_URL to another "
        "directory",
    }[read_only]
    assert capsys.readouterr().err == not_loaded(seeds, problem)
    assert dump(url) == before


@contextmanager
def full_disk() -> Iterator[None]:
    """No new SQLite connection may grow its database, so SQLite reports the disk full as it
    would for a real full disk. The loader itself sets no such limit."""

    def no_more_pages(driver_connection: Any, _record: Any) -> None:
        driver_connection.execute("PRAGMA max_page_count = 1")

    event.listen(Pool, "connect", no_more_pages)
    try:
        yield
    finally:
        event.remove(Pool, "connect", no_more_pages)


@pytest.mark.sqlite_only
def test_a_full_disk_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "store.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    before = dump(f"sqlite:///{path}")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    with full_disk():
        assert main(["load", "--seeds", str(SEEDS)]) == 1
    problem = f"{path}: the disk is full (database or disk is full); free some space and load again"
    assert capsys.readouterr().err == not_loaded(SEEDS, problem)
    assert dump(f"sqlite:///{path}") == before


@contextmanager
def write_lock_held(url: str) -> Iterator[Callable[[], None]]:
    """Another loader: a second connection holding the store's write lock (SQLite's write
    transaction, PostgreSQL's advisory lock). Yields how to let go of it, from any thread."""
    other: sqlite3.Connection | psycopg.Connection[Any]
    if ENGINE == "sqlite":
        path = url.removeprefix("sqlite:///")
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
    else:
        other = psycopg.connect(url)
        other.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
    try:
        yield other.rollback
    finally:
        other.rollback()
        other.close()


def waiting(store: str, seconds: str) -> str:
    return (
        f"dealgraph load: waiting for another loader to finish with {name_of(store)} "
        f"(up to {seconds} s)...\n"
    )


def test_a_held_write_lock_is_waited_for_then_refused(
    store: str, seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(store)
    retitle(seeds_copy)
    with write_lock_held(store):
        assert main(["load", "--seeds", str(seeds_copy), "--wait", "0.2"]) == 1
    problem = (
        f"{name_of(store)}: another loader still holds the store's write lock after 0.2 s; load "
        "again once it has finished, or wait longer with --wait"
    )
    assert capsys.readouterr().err == waiting(store, "0.2") + not_loaded(seeds_copy, problem)
    assert dump(store) == before


def test_a_load_proceeds_once_the_other_loader_finishes(
    store: str, seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    retitle(seeds_copy)
    with write_lock_held(store) as release:
        # Long after the loader found the lock taken, which takes it milliseconds.
        finish = threading.Timer(0.5, release)
        finish.start()
        try:
            assert main(["load", "--seeds", str(seeds_copy), "--wait", "30"]) == 0
        finally:
            finish.join()
    output = capsys.readouterr()
    assert output.err == waiting(store, "30")
    assert output.out.startswith(f"loaded {seeds_copy}: 4 source")
    title = query(store, "SELECT title FROM source WHERE slug = :slug", slug=KAOLA_000)
    assert title == [("A new title",)]


@pytest.mark.parametrize(
    ("name", "given", "doubled", "problem"),
    [
        (
            f"{KAOLA_000}.facts.json",
            '"status": "completed",',
            '"status": "completed", "status": "rumored",',
            "deals[0].status: key 'status' is given 2 times; give it once",
        ),
        (
            "entities.json",
            '"name": "Kaola",',
            '"name": "Kaola", "name": "Kaola",',
            "companies[1].name: key 'name' is given 2 times; give it once",
        ),
    ],
    ids=["facts file", "registry"],
)
def test_a_duplicated_key_is_refused(
    store: str,
    seeds_copy: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    given: str,
    doubled: str,
    problem: str,
) -> None:
    before = dump(store)
    path = seeds_copy / name
    text = path.read_text(encoding="utf-8")
    assert text.count(given) == 1
    path.write_text(text.replace(given, doubled), encoding="utf-8")
    assert main(["load", "--seeds", str(seeds_copy)]) == 1
    assert capsys.readouterr().err == not_loaded(seeds_copy, f"{name}: {problem}")
    assert dump(store) == before
