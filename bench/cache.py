"""The bench's cache under `.bench/` (gitignored): synthetic corpora, and SQLite stores loaded from
them, so that a second `make bench` neither writes nor loads the default corpus again.

An entry's name says what its content depends on: the companies, the seed and a digest of the
synthetic corpus's code; a store's also the loader's version and a digest of the schema's
migrations. An entry is made in a new directory beside the others and renamed into place once
whole, with a manifest of its files' digests, so one cut short is never found; one whose files no
longer match their manifest (a store written to since) is removed and made again.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from api.corpus.files import LOADER_VERSION

ROOT = Path(__file__).resolve().parent.parent
CACHE_VARIABLE = "DEALGRAPH_BENCH_CACHE"
MANIFEST = "manifest.json"
NEW_PREFIX = ".new-"
SYNTH_CODE = ("api/corpus/synthetic.py", "api/corpus/synthetic_text.py")
MIGRATIONS = "api/store/migrations/versions"
CHUNK = 1 << 20
# A new entry's directory this old was left by a run that was killed.
ABANDONED_SECONDS = 24 * 3600

Facts = dict[str, Any]


def directory() -> Path:
    return Path(os.environ.get(CACHE_VARIABLE) or ROOT / ".bench")


def _code_digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def corpus_name(companies: int, seed: int) -> str:
    synth = _code_digest(ROOT / name for name in SYNTH_CODE)
    return f"corpus-{companies}-seed{seed}-synth{synth}"


def store_name(companies: int, seed: int) -> str:
    schema = _code_digest((ROOT / MIGRATIONS).glob("*.py"))
    synth = corpus_name(companies, seed).rsplit("-", 1)[1]
    return f"sqlite-{companies}-seed{seed}-{synth}-loader{LOADER_VERSION}-schema{schema}"


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _ignorable(path: Path) -> bool:
    """What SQLite's readers leave beside a store in WAL mode: its shared-memory index, and a
    write-ahead log while it is empty (one with frames would change what the store holds)."""
    return path.name.endswith("-shm") or (path.name.endswith("-wal") and not path.stat().st_size)


def _files(entry: Path) -> dict[str, Path]:
    found = {str(p.relative_to(entry)): p for p in entry.rglob("*") if p.is_file()}
    found.pop(MANIFEST, None)
    return {name: path for name, path in found.items() if not _ignorable(path)}


def intact(entry: Path) -> Facts | None:
    """The facts recorded when the entry was made, if its files are still the ones it was made
    with; else None."""
    try:
        manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        files = _files(entry)
        if set(files) != set(manifest["files"]):
            return None
        if any(_file_digest(path) != manifest["files"][name] for name, path in files.items()):
            return None
    except (OSError, ValueError, KeyError):
        return None
    facts: Facts = manifest["facts"]
    return facts


@contextmanager
def new_entry() -> Iterator[Path]:
    """A new directory in the cache to make an entry in; removed afterwards unless `place`d."""
    directory().mkdir(parents=True, exist_ok=True)
    made = Path(tempfile.mkdtemp(prefix=NEW_PREFIX, dir=directory()))
    try:
        yield made
    finally:
        shutil.rmtree(made, ignore_errors=True)


def place(made: Path, name: str, facts: Facts) -> Path:
    """Seal a new entry with its manifest and put it in place of any entry of that name that is
    no longer intact, and of older ones for the same companies and seed. Where another run placed
    an intact one first, that one stays. Returns where the entry is."""
    files = {name: _file_digest(path) for name, path in _files(made).items()}
    made_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    manifest = {"made": made_at, "facts": facts, "files": files}
    (made / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    entry = directory() / name
    if intact(entry) is not None:
        return entry
    shutil.rmtree(entry, ignore_errors=True)
    _remove_older(name)
    try:
        made.rename(entry)
    except OSError as error:
        if error.errno not in (errno.EEXIST, errno.ENOTEMPTY) or intact(entry) is None:
            raise
    return entry


def _remove_older(name: str) -> None:
    """Entries of the same kind, companies and seed made by other code, which are never found
    again, and new ones abandoned by killed runs."""
    family = "-".join(name.split("-")[:3]) + "-"
    old = [entry for entry in directory().glob(f"{family}*") if entry.name != name]
    abandoned = dt.datetime.now().timestamp() - ABANDONED_SECONDS
    old += [e for e in directory().glob(f"{NEW_PREFIX}*") if e.stat().st_mtime < abandoned]
    for entry in old:
        shutil.rmtree(entry, ignore_errors=True)


def cached(name: str, make: Callable[[Path], Facts]) -> tuple[Path, Facts, bool]:
    """The entry, the facts `make` returned when it made it, and whether it was found made;
    `make` fills a new directory when it is missing or no longer intact."""
    entry = directory() / name
    facts = intact(entry)
    if facts is not None:
        return entry, facts, True
    with new_entry() as made:
        facts = make(made)
        return place(made, name, facts), facts, False


def made_at(entry: Path) -> str:
    """When the entry was made (UTC, ISO 8601)."""
    made: str = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))["made"]
    return made
