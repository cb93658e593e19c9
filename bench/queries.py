#!/usr/bin/env python3
"""The API against the floor (`bench/cases.py`): each fixed request answered by the app and by one
hand-written SQL statement in a bare Starlette endpoint, checked equal, then timed in the same run,
in process and over loopback HTTP. Figures are ratios to the floor, since the machine's load moves
both alike.

Usage: .venv/bin/python bench/queries.py [--engine sqlite|postgresql] [--profile default]
    [--store URL] [--no-cache] [--json FILE]

Without --store it measures the profile's synthetic corpus (`bench/stores.py`). On SQLite the
store comes from the bench's cache in .bench/, loaded there by the first run, whose load's time
and peak memory it reports (`make bench-load` times the load again, against a plain executemany).
With --engine postgresql it loads the corpus into a database of a throwaway server on 127.0.0.1
(`tests/postgres.py`) that stops when the bench ends, also on error, and into SQLite to compare
the two loads. On PostgreSQL, PostGraphile v4 (`bench/postgraphile_peer.py`) answers Q1 and Q2
beside the API.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx2 as httpx  # noqa: E402

from api.corpus.synthetic import PROFILES  # noqa: E402
from api.store.db import make_engine  # noqa: E402
from bench import postgraphile_peer  # noqa: E402
from bench.cases import Case, Picks, pick  # noqa: E402
from bench.cases_rest import bench_cases  # noqa: E402
from bench.floor import floor_answer  # noqa: E402
from bench.in_process import InProcess, in_process  # noqa: E402
from bench.load import Load, available_tool, load  # noqa: E402
from bench.load_engines import LIMIT  # noqa: E402
from bench.serving import SERVER, rss_mib, serving  # noqa: E402
from bench.stores import Loading, postgres_store, sqlite_store  # noqa: E402
from tests.serving import free_port  # noqa: E402

DEALGRAPH = Path(sys.executable).with_name("dealgraph")
CONNECTIONS = 8
DRAIN_TIMEOUT = 300.0
# The longest HTTP run of the API for one case (see `run_seconds`); a case that needs longer has
# no HTTP figures for the API.
LONGEST_RUN = 10.0
# The share of the memory run's requests its first run is timed for (`more_requests`).
FIRST_SHARE = 0.7


@dataclass(frozen=True)
class Result:
    name: str
    what: str
    in_process: InProcess
    app_http: Load | None  # None where its run would last too long (`too_slow`)
    floor_http: Load
    peer_http: Load | None = None

    @property
    def throughput_share(self) -> float | None:
        if self.app_http is None:
            return None
        return self.app_http.requests_per_second / self.floor_http.requests_per_second


@dataclass(frozen=True)
class Memory:
    """The API process's resident memory over the HTTP runs, in MiB."""

    after_first_case: float
    after_every_case: float
    after_more: float
    more_requests: int  # Q1 requests between the last two

    def __str__(self) -> str:
        return (
            f"API process RSS: {self.after_first_case:.0f} MiB after Q1's run, "
            f"{self.after_every_case:.0f} MiB after every case's, {self.after_more:.0f} MiB after "
            f"{self.more_requests:,} more Q1 requests"
        )


def run_seconds(ms: float, seconds: float) -> float:
    """How long an HTTP run of requests taking `ms` in process lasts: `seconds`, or longer where
    each connection needs longer to get two answers, with the server's workers shared."""
    return max(seconds, 2 * ms * CONNECTIONS / int(SERVER["WORKERS"]) / 1e3)


def too_slow(timed: InProcess, seconds: float) -> bool:
    """Whether the API's HTTP run would last over LONGEST_RUN (and the server then take as long
    again to answer the requests left in flight)."""
    return run_seconds(timed.app_ms, seconds) > LONGEST_RUN


def over_http(
    url: str,
    cases: Sequence[Case],
    timed: dict[str, InProcess],
    *,
    tool: str,
    seconds: float,
    memory_requests: int,
) -> tuple[dict[str, tuple[Load | None, Load]], Memory]:
    """Each case's load on the API (but where `too_slow`) and on the floor, over HTTP."""
    app_port, floor_port = free_port(), free_port()
    app = [str(DEALGRAPH), "serve", "--port", str(app_port)]
    floor = [sys.executable, "-m", "uvicorn", "bench.floor:app_from_environment", "--factory"]
    floor += ["--port", str(floor_port), "--log-level", "warning", "--no-access-log"]
    found: dict[str, tuple[Load | None, Load]] = {}
    rss: list[float] = []
    with (
        serving(app, url, app_port, "/healthz") as api,
        serving(floor, url, floor_port, f"/floor/{cases[0].name}") as bare,
    ):
        for case in cases:
            app_ms, floor_ms = timed[case.name].app_ms, timed[case.name].floor_ms
            app_load = None
            if not too_slow(timed[case.name], seconds):
                app_seconds = run_seconds(app_ms, seconds)
                app_load = drained_load(f"{api.url}{case.path}", case, tool, app_seconds)
            floor_seconds = run_seconds(floor_ms, seconds)
            floor_load = drained_load(f"{bare.url}/floor/{case.name}", case, tool, floor_seconds)
            found[case.name] = (app_load, floor_load)
            rss.append(rss_mib(api.pid))
        first = cases[0]
        q1_load = found[first.name][0] or found[first.name][1]
        more = more_requests(f"{api.url}{first.path}", first, tool, q1_load, memory_requests)
        memory = Memory(rss[0], rss[-1], rss_mib(api.pid), more)
    return found, memory


def more_requests(url: str, case: Case, tool: str, measured: Load, count: int) -> int:
    """At least `count` more of `case`, in runs timed by the rate last measured; how many. The
    first run makes most of them, so that the next, at its rate, overshoots little."""
    made, rate, share = 0, measured.requests_per_second, FIRST_SHARE
    while made < count:
        seconds = share * (count - made) / max(rate, 1.0)
        again = drained_load(url, case, tool, max(1.0, seconds))
        made, rate, share = made + again.requests, again.requests_per_second, 1.0
    return made


def over_http_peer(
    url: str, picks: Picks, cases: Sequence[Case], tool: str, seconds: float
) -> tuple[dict[str, Load], str | None]:
    """PostGraphile's requests per second beside the cases it has a request for, once its
    answers are seen to be about the same companies as the floor's; or why there are none."""
    problem = postgraphile_peer.install()
    if problem is not None:
        return {}, problem
    engine = make_engine(url, read_only=True, connections=1)
    floors = {case.name: json.loads(floor_answer(engine, case)) for case in cases}
    engine.dispose()
    requests = postgraphile_peer.peer_cases(picks)
    port = free_port()
    found: dict[str, Load] = {}
    try:
        with serving(postgraphile_peer.command(url, port), url, port, "/graphql", 405) as served:
            peer = served.url
            for name, request in requests.items():
                started = time.perf_counter()
                answer = httpx.post(f"{peer}/graphql", json=request.body, timeout=DRAIN_TIMEOUT)
                ms = (time.perf_counter() - started) * 1e3
                problem = postgraphile_peer.mismatch(answer.json(), floors[name])
                if problem is not None:
                    return found, problem
                run = run_seconds(ms, seconds)
                found[name] = drained_load(f"{peer}/graphql", request, tool, run)
    except (SystemExit, httpx.HTTPError, ValueError, KeyError) as failed:
        return found, f"PostGraphile failed: {str(failed)[-500:]}"
    return found, None


def drained_load(url: str, case: Case, tool: str, seconds: float) -> Load:
    """Load for `seconds`, then wait until the server has answered what the load generator left
    in flight (one more request waits behind them), so the next run starts on an idle server."""
    measured = load(url, case, tool=tool, seconds=seconds, connections=CONNECTIONS)
    httpx.request(case.method, url, json=case.body, timeout=DRAIN_TIMEOUT).raise_for_status()
    return measured


def table(results: Sequence[Result]) -> str:
    peers = any(r.peer_http is not None for r in results)
    head = (
        f"{'case':4} {'what':54} {'KB':>6} {'SQL':>3} {'app ms':>8} {'floor ms':>8} {'x':>6}"
        f" {'app/s':>7} {'floor/s':>7} {'share':>6} {'app p50/p99 ms':>15}"
    ) + (f" {'peer/s':>7}" if peers else "")
    lines = [head, "-" * len(head)]
    for r in results:
        timed, app, share = r.in_process, r.app_http, r.throughput_share
        rate = "—" if app is None else f"{app.requests_per_second:.1f}"
        http = "—" if app is None else f"{app.p50_ms:.1f}/{app.p99_ms:.1f}"
        shared = "—" if share is None else f"{share:.2f}"
        peer = "" if r.peer_http is None else f"{r.peer_http.requests_per_second:7.1f}"
        lines.append(
            f"{r.name:4} {r.what:54} {timed.response_bytes / 1000:6.1f} {timed.statements:3d}"
            f" {timed.app_ms:8.2f} {timed.floor_ms:8.2f} {timed.slowdown:6.1f}"
            f" {rate:>7} {r.floor_http.requests_per_second:7.1f}"
            f" {shared:>6} {http:>15}" + (f" {peer:>7}" if peers else "")
        )
    return "\n".join(lines)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--profile", choices=list(PROFILES), default="default")
    parser.add_argument("--companies", type=int, help="a synthetic store of this many, instead")
    parser.add_argument("--store", help="an existing store's DATABASE_URL, instead of a new one")
    parser.add_argument("--rounds", type=int, default=20, help="in-process requests per case")
    parser.add_argument("--seconds", type=float, default=3, help="HTTP load per case and side")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--cache",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="take the corpus and the SQLite store from .bench/, made there when missing",
    )
    parser.add_argument(
        "--memory-requests",
        type=int,
        default=10_000,
        help="Q1 requests after the cases, to see whether the API's memory grows with them",
    )
    parser.add_argument("--tool", choices=["wrk", "python"], default=available_tool())
    parser.add_argument(
        "--peer",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="on PostgreSQL, measure PostGraphile beside the API (Q1, Q2)",
    )
    return parser.parse_args()


@dataclass(frozen=True)
class Report:
    engine: str
    loaded: Loading | None  # None for a store that was given
    results: list[Result]
    memory: Memory
    # Why PostGraphile has no figures, or not all of them.
    peer_problem: str | None
    # Seconds each part of the run took, by name, in order.
    stages: dict[str, float]

    def took(self) -> str:
        parts = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in self.stages.items())
        return f"bench run: {sum(self.stages.values()):.0f} s ({parts})"


def measure(args: argparse.Namespace, stack: ExitStack) -> Report:
    """The store (built unless given), then every case in process and over HTTP."""
    directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dealgraph-bench-")))
    stages: dict[str, float] = {}
    started = time.perf_counter()

    def stage(name: str) -> None:
        nonlocal started
        stages[name] = time.perf_counter() - started
        started += stages[name]

    loaded: Loading | None = None
    url = args.store
    if url is None:
        companies = args.companies or PROFILES[args.profile]
        if args.engine == "postgresql":
            url, loaded = postgres_store(companies, directory, stack, cached=args.cache)
        else:
            url, loaded = sqlite_store(companies, directory, cached=args.cache)
        stage("store")
    engine = make_engine(url, read_only=True)
    with engine.connect() as connection:
        picks = pick(connection)
    dialect = engine.dialect.name
    engine.dispose()
    cases = bench_cases(picks, dialect)
    timed = asyncio.run(in_process(url, cases, args.rounds))
    stage("in process")
    loads, memory = over_http(
        url,
        cases,
        timed,
        tool=args.tool,
        seconds=args.seconds,
        memory_requests=args.memory_requests,
    )
    stage("over HTTP with the memory run")
    peer: dict[str, Load] = {}
    problem: str | None = None
    if dialect == "postgresql" and args.peer:
        peer, problem = over_http_peer(url, picks, cases, args.tool, args.seconds)
        stage("PostGraphile")
    results = [
        Result(c.name, c.what, timed[c.name], *loads[c.name], peer.get(c.name)) for c in cases
    ]
    return Report(dialect, loaded, results, memory, problem, stages)


def main() -> int:
    args = arguments()
    # A stop by signal unwinds like an error: the servers and temporary files go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with ExitStack() as stack:
        report = measure(args, stack)
    dialect, loaded, results = report.engine, report.loaded, report.results
    profile = f"{PROFILES[args.profile]:,} synthetic companies (the {args.profile} profile)"
    store = args.store or (f"{args.companies:,} synthetic companies" if args.companies else profile)
    print(f"store: {store} on {dialect}; load generator: {args.tool}")
    if loaded is not None:
        print(loaded)
    print(table(results))
    slow = [r.name for r in results if r.app_http is None]
    if slow:
        print(
            f"app/s —: {', '.join(slow)} take so long that {CONNECTIONS} connections on "
            f"{SERVER['WORKERS']} workers would need over {LONGEST_RUN:g} s to get two answers each"
        )
    print(report.memory)
    if dialect == "postgresql" and args.peer:
        if report.peer_problem is None:
            print(textwrap.fill(f"peer/s: {postgraphile_peer.NOTE}", 100))
        else:
            print(f"peer/s: {report.peer_problem}")
    print(report.took())
    if args.json:
        load = None if loaded is None else asdict(loaded)
        cases = [asdict(r) for r in results]
        summary = {"load": load, "tool": args.tool, "engine": dialect, "cases": cases}
        summary["peer_problem"] = report.peer_problem
        summary["memory"] = asdict(report.memory)
        summary["stages"] = report.stages
        args.json.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    failures = [
        f"{r.name}: {load.failed} {side} requests failed"
        for r in results
        for side, load in (("API", r.app_http), ("floor", r.floor_http), ("peer", r.peer_http))
        if load is not None and load.failed
    ]
    if loaded is not None and loaded.over_limit:
        failures.append(f"the load took over {LIMIT:g} times as long on PostgreSQL as on SQLite")
    print("\n".join(failures), file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
