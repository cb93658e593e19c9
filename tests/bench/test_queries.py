"""`bench/queries.py` end to end on the seeds, briefly: both servers start on loopback ports,
every case is checked and timed, and the report has a figure for each."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.sqlite_only


@pytest.mark.parametrize("tool", ["python", "wrk"])
def test_the_query_bench_reports_every_case_against_its_floor(
    store_url: str, tmp_path: Path, tool: str
) -> None:
    if tool == "wrk" and shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (make bench installs it)")
    report = tmp_path / "report.json"
    command = [sys.executable, str(ROOT / "bench/queries.py"), "--store", store_url]
    command += ["--rounds", "2", "--seconds", "1", "--tool", tool, "--json", str(report)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    cases = json.loads(report.read_text())["cases"]
    assert [case["name"] for case in cases] == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]
    for case in cases:
        assert case["in_process"]["statements"] >= 1
        assert case["in_process"]["app_ms"] > 0 and case["in_process"]["floor_ms"] > 0
        for side in ("app_http", "floor_http"):
            assert case[side]["failed"] == 0
            assert case[side]["requests_per_second"] > 0
    assert "Q2" in done.stdout and "floor" in done.stdout


def test_without_a_store_the_bench_builds_one_and_measures_its_load(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    command = [sys.executable, str(ROOT / "bench/queries.py"), "--companies", "60"]
    command += ["--rounds", "1", "--seconds", "1", "--tool", "python", "--json", str(report)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    load = json.loads(report.read_text())["load"]
    assert load["rows"] > 1000
    assert load["seconds"] > load["executemany_seconds"] > 0
    assert load["peak_rss_mb"] > 0
    assert "plain executemany" in done.stdout
