"""`bench/queries.py` end to end on the seeds, briefly: both servers start on loopback ports,
every case is checked and timed, and the report has a figure for each; on PostgreSQL,
PostGraphile's too, for Q1 and Q2."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench import cache
from bench.in_process import InProcess
from bench.load import Load
from bench.queries import Result, run_seconds, table, too_slow
from tests.conftest import ENGINE

ROOT = Path(__file__).resolve().parents[2]
BENCH = [sys.executable, str(ROOT / "bench/queries.py"), "--rounds", "1", "--seconds", "1"]
BENCH += ["--memory-requests", "100"]


def run_bench(*args: str, report: Path) -> tuple[dict[str, Any], str]:
    command = [*BENCH, *args, "--json", str(report)]
    # The bench's cache of corpora and stores beside the report, not in the project's .bench/.
    env = {**os.environ, cache.CACHE_VARIABLE: str(report.parent / "cache")}
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=300, check=False, env=env
    )
    assert done.returncode == 0, done.stderr
    return json.loads(report.read_text()), done.stdout


@pytest.mark.parametrize("tool", ["python", "wrk"])
def test_the_query_bench_reports_every_case_against_its_floor(
    store_url: str, tmp_path: Path, tool: str
) -> None:
    if tool == "wrk" and shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (make bench installs it)")
    found, printed = run_bench(
        "--store", store_url, "--tool", tool, "--no-peer", report=tmp_path / "report.json"
    )
    assert found["engine"] == ENGINE
    cases = found["cases"]
    rest = ["R1", "R2", "R3", "R5"] if ENGINE == "sqlite" else []
    assert [case["name"] for case in cases] == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", *rest]
    for case in cases:
        assert case["in_process"]["statements"] >= 1
        assert case["in_process"]["app_ms"] > 0 and case["in_process"]["floor_ms"] > 0
        for side in ("app_http", "floor_http"):
            assert case[side]["failed"] == 0
            assert case[side]["requests_per_second"] > 0
        assert case["peer_http"] is None
    assert "Q2" in printed and "floor" in printed
    memory = found["memory"]
    assert memory["more_requests"] >= 100
    assert 0 < memory["after_first_case"] <= memory["after_every_case"] * 2


@pytest.mark.skipif(ENGINE != "postgresql", reason="PostGraphile serves PostgreSQL only")
@pytest.mark.skipif(shutil.which("npm") is None, reason="PostGraphile needs Node.js and npm")
def test_postgraphile_answers_q1_and_q2_beside_the_api(store_url: str, tmp_path: Path) -> None:
    found, printed = run_bench(
        "--store", store_url, "--tool", "python", report=tmp_path / "report.json"
    )
    assert found["peer_problem"] is None
    peer = {case["name"]: case["peer_http"] for case in found["cases"]}
    assert {name for name, load in peer.items() if load is not None} == {"Q1", "Q2"}
    for name in ("Q1", "Q2"):
        assert peer[name]["failed"] == 0 and peer[name]["requests_per_second"] > 0
    assert "peer/s: PostGraphile v4" in printed


def test_without_a_store_the_bench_builds_one_and_measures_its_load(tmp_path: Path) -> None:
    found, printed = run_bench(
        "--engine",
        ENGINE,
        "--companies",
        "60",
        "--tool",
        "python",
        "--no-peer",
        report=tmp_path / "report.json",
    )
    load = found["load"]
    assert found["engine"] == ENGINE
    assert load["seconds"] > 0 and load["peak_rss_mb"] > 0
    assert load["made"] is None
    if ENGINE == "postgresql":
        assert load["rows"] > 1000 and load["sqlite_seconds"] > 0
        assert load["sqlite_seconds"] > load["executemany_seconds"] > 0
        assert "plain executemany" in printed and "on SQLite" in printed
    else:
        assert load["rows"] is None
        assert (tmp_path / "cache" / cache.store_name(60, 0) / "store.db").exists()
    assert "60 synthetic companies on " + ENGINE in printed


def test_a_case_too_slow_for_an_http_run_has_no_api_figures_there() -> None:
    fast, slow = InProcess(100, 1, 10.0, 5.0), InProcess(100, 1, 5000.0, 50.0)
    assert not too_slow(fast, 3) and too_slow(slow, 3)
    assert run_seconds(10.0, 3) == 3 and run_seconds(1000.0, 3) == 8
    floor = Load(20.0, 50.0, 90.0, 0)
    printed = table([Result("R3", "slow", slow, None, floor)])
    assert printed.splitlines()[-1].split()[-4:] == ["—", "20.0", "—", "—"]
