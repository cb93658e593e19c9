"""The store a bench run measures, and what loading it took. On SQLite, the store of the synthetic
corpus from the bench's cache (`bench/cache.py`), loaded by `dealgraph load` when the cache has
none. On PostgreSQL, the corpus loaded into a throwaway server and, to compare the two loads, into
a new SQLite store, whose rows a plain executemany then writes again (`bench/load_floor.py`).
"""

from __future__ import annotations

import resource
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from api.corpus.synthetic import write_corpus
from bench import cache
from bench.load_engines import LIMIT, load_seconds
from bench.load_floor import executemany_seconds
from tests.postgres import postgres_server

SEED = 0


@dataclass(frozen=True)
class Loading:
    """`dealgraph load` of the corpus into an empty store, and what it is compared with."""

    seconds: float
    peak_rss_mb: float
    # When the cached store whose load these figures are was made, if it was not made now.
    made: str | None = None
    # On PostgreSQL: the same corpus loaded into SQLite, and its rows by plain executemany.
    sqlite_seconds: float | None = None
    rows: int | None = None
    executemany_seconds: float | None = None

    @property
    def over_limit(self) -> bool:
        """Whether PostgreSQL's load took more than LIMIT times SQLite's."""
        return self.sqlite_seconds is not None and self.seconds > LIMIT * self.sqlite_seconds

    def __str__(self) -> str:
        loaded = f"load: {self.seconds:.1f} s, peak RSS {self.peak_rss_mb:,.0f} MB"
        if self.made is not None:
            loaded += f" (when the cached store was made, {self.made}; make bench-load loads again)"
        if self.sqlite_seconds is None or self.rows is None or self.executemany_seconds is None:
            return loaded
        sqlite, floor = self.sqlite_seconds, self.executemany_seconds
        return (
            f"{loaded}; on SQLite {sqlite:.1f} s (PostgreSQL x{self.seconds / sqlite:.2f}, "
            f"limit {LIMIT:g}); plain executemany of SQLite's {self.rows:,} rows: "
            f"{floor:.1f} s (SQLite's load x{sqlite / floor:.1f})"
        )


def corpus(companies: int, scratch: Path, *, cached: bool) -> Path:
    """The synthetic corpus: from the cache, or written into `scratch`."""
    if not cached:
        write_corpus(scratch / "corpus", companies=companies, seed=SEED)
        return scratch / "corpus"

    def make(entry: Path) -> cache.Facts:
        return {"documents": write_corpus(entry / "corpus", companies=companies, seed=SEED)}

    entry, _, _ = cache.cached(cache.corpus_name(companies, SEED), make)
    return entry / "corpus"


def timed_load(url: str, documents: Path) -> tuple[float, float]:
    """Seconds of `dealgraph load` into an empty store, and the peak RSS (MB) of this process's
    children so far: the load is the largest of them."""
    seconds = load_seconds(url, documents, timeout=None)
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def sqlite_store(companies: int, scratch: Path, *, cached: bool) -> tuple[str, Loading]:
    """The store of the synthetic corpus, from the cache unless `cached` is false."""
    if not cached:
        documents = corpus(companies, scratch, cached=False)
        url = f"sqlite:///{scratch / 'store.db'}"
        return url, Loading(*timed_load(url, documents))

    def make(entry: Path) -> cache.Facts:
        documents = corpus(companies, scratch, cached=True)
        seconds, peak = timed_load(f"sqlite:///{entry / 'store.db'}", documents)
        return {"seconds": seconds, "peak_rss_mb": peak}

    entry, facts, found = cache.cached(cache.store_name(companies, SEED), make)
    made = cache.made_at(entry) if found else None
    return f"sqlite:///{entry / 'store.db'}", Loading(facts["seconds"], facts["peak_rss_mb"], made)


def postgres_store(
    companies: int, scratch: Path, stack: ExitStack, *, cached: bool
) -> tuple[str, Loading]:
    """A database of a throwaway server that `stack` stops, loaded with the synthetic corpus;
    the same corpus's load into SQLite, and its executemany floor, beside it."""
    documents = corpus(companies, scratch, cached=cached)
    url = stack.enter_context(postgres_server()).create_database("bench")
    seconds, peak = timed_load(url, documents)
    store = scratch / "compared.db"
    sqlite, _ = timed_load(f"sqlite:///{store}", documents)
    floor, rows = executemany_seconds(store, scratch / "floor.db")
    return url, Loading(seconds, peak, None, sqlite, rows, floor)
