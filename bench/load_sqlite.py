#!/usr/bin/env python3
"""How long `dealgraph load` takes to write the profile's synthetic corpus into a new SQLite store,
and its peak memory, against a plain executemany of the same rows (`bench/load_floor.py`).

Usage: .venv/bin/python bench/load_sqlite.py [--profile default | --companies N]

The corpus comes from the bench's cache in .bench/ (written there when missing). The store it
loads is the one `bench/queries.py` measures: it is kept in the cache when the cache has none.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from api.corpus.synthetic import PROFILES  # noqa: E402
from bench import cache  # noqa: E402
from bench.load_floor import executemany_seconds  # noqa: E402
from bench.stores import SEED, corpus, timed_load  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--profile", choices=list(PROFILES), default="default")
    size.add_argument("--companies", type=int, help="a corpus of this many companies, instead")
    args = parser.parse_args()
    companies = args.companies or PROFILES[args.profile]
    with (
        tempfile.TemporaryDirectory(prefix="dealgraph-bench-") as scratch,
        cache.new_entry() as made,
    ):
        documents = corpus(companies, Path(scratch), cached=True)
        seconds, peak = timed_load(f"sqlite:///{made / 'store.db'}", documents)
        floor, rows = executemany_seconds(made / "store.db", Path(scratch) / "floor.db")
        facts = {"seconds": seconds, "peak_rss_mb": peak}
        cache.place(made, cache.store_name(companies, SEED), facts)
    print(f"corpus: {companies:,} synthetic companies on SQLite")
    print(
        f"load: {seconds:.1f} s, peak RSS {peak:,.0f} MB; plain executemany of the same "
        f"{rows:,} rows: {floor:.1f} s (x{seconds / floor:.1f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
