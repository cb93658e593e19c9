"""Load on a loopback server for a few seconds: requests per second and latency percentiles, from
wrk when the machine has it (`make bench` installs Debian's), else from an async Python client,
which spends more of the machine's two cores on itself, so only figures from one tool compare."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass

import httpx2 as httpx

from bench.cases import Case

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    failed: int  # answers other than 200, and requests that got none
    requests: int = 0  # answered in the run


def available_tool() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def load(url: str, case: Case, *, tool: str, seconds: float, connections: int) -> Load:
    if tool == "wrk":
        return _wrk(url, case, seconds=seconds, connections=connections)
    return asyncio.run(_python(url, case, seconds=seconds, connections=connections))


def _wrk(url: str, case: Case, *, seconds: float, connections: int) -> Load:
    script = f'wrk.method = "{case.method}"\nwrk.headers["Content-Type"] = "application/json"\n'
    if case.body is not None:
        script += f"wrk.body = [==[{json.dumps(case.body)}]==]\n"
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as file:
        file.write(script)
        file.flush()
        # wrk counts whole seconds.
        command = [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "60s",
        ]
        command += ["--latency", "-s"]
        done = subprocess.run(
            [*command, file.name, url],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        )
    return _read_wrk(done.stdout)


def _read_wrk(output: str) -> Load:
    def found(pattern: str) -> list[str]:
        match = re.search(pattern, output, re.M)
        return list(match.groups()) if match else []

    def latency(percent: int) -> float:
        number, unit = found(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$") or ["nan", "ms"]
        return float(number) * _UNITS[unit]

    rate = found(r"^Requests/sec:\s+([\d.]+)")
    if not rate:
        raise RuntimeError(f"wrk printed no rate:\n{output}")
    failed = found(r"Non-2xx or 3xx responses: (\d+)")
    failed += found(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
    answered = int((found(r"^\s*(\d+) requests in ") or ["0"])[0])
    return Load(float(rate[0]), latency(50), latency(99), sum(map(int, failed)), answered)


async def _python(url: str, case: Case, *, seconds: float, connections: int) -> Load:
    latencies: list[float] = []
    failed = 0
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        deadline = time.perf_counter() + seconds

        async def loop() -> None:
            nonlocal failed
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                response = await client.request(case.method, url, json=case.body)
                latencies.append((time.perf_counter() - start) * 1e3)
                failed += response.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(loop() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return Load(len(latencies) / elapsed, cuts[49], cuts[98], failed, len(latencies))
