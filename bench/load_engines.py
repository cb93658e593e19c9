#!/usr/bin/env python3
"""How long `dealgraph load` takes to write a large synthetic corpus on PostgreSQL, as a ratio to
SQLite measured in the same run (each a fresh store, the best of --runs).

Usage: .venv/bin/python bench/load_engines.py [--companies 1000] [--runs 1] [--limit 1.5]

Exits 1 when PostgreSQL takes more than --limit times as long as SQLite: the target is "about as
long, or less". The PostgreSQL server is a throwaway one on 127.0.0.1 (tests/postgres.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from api.corpus.synthetic import write_corpus  # noqa: E402
from tests.postgres import postgres_server  # noqa: E402

DEALGRAPH = Path(sys.executable).with_name("dealgraph")
LOAD_TIMEOUT = 600
# The target is "about as long as SQLite, or less".
LIMIT = 1.5


def load_seconds(store_url: str, corpus: Path, timeout: float | None = LOAD_TIMEOUT) -> float:
    """Wall-clock seconds of one `dealgraph load` into an empty store."""
    started = time.perf_counter()
    subprocess.run(
        [str(DEALGRAPH), "load", "--seeds", str(corpus)],
        env={**os.environ, "DATABASE_URL": store_url},
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    return time.perf_counter() - started


def best(runs: int, new_store: Callable[[int], str], corpus: Path) -> float:
    return min(load_seconds(new_store(run), corpus) for run in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--companies", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--limit", type=float, default=LIMIT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dealgraph-bench-") as directory:
        corpus = Path(directory) / "corpus"
        write_corpus(corpus, companies=args.companies)
        documents = len(list(corpus.glob("*.txt")))
        sqlite = best(args.runs, lambda run: f"sqlite:///{directory}/store-{run}.db", corpus)
        with postgres_server() as server:
            postgres = best(args.runs, lambda run: server.create_database(f"bench_{run}"), corpus)
    ratio = postgres / sqlite
    print(f"corpus: {args.companies} companies in {documents} documents")
    print(f"SQLite:     {sqlite:6.1f} s")
    print(f"PostgreSQL: {postgres:6.1f} s  ({ratio:.2f} x SQLite; limit {args.limit:g} x)")
    return 0 if ratio <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
