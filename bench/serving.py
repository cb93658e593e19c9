"""Servers for the bench's HTTP runs: started with the store's URL, awaited until they answer,
stopped afterwards whatever happened; and a process's resident memory."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 30.0
# Q3 asks for 1,000 items in one page; under load, requests wait for a worker rather than being
# refused, since this measures throughput, not admission.
SERVER = {"MAX_PAGE_SIZE": "1000", "ACCESS_LOG": "false", "WORKERS": "2", "QUEUE_TIMEOUT": "60"}


@dataclass(frozen=True)
class Served:
    url: str  # the base URL
    pid: int


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


@contextmanager
def serving(
    command: list[str], url: str, port: int, ready: str, ready_status: int = 200
) -> Iterator[Served]:
    """A server, once `ready` answers `ready_status`; it is stopped afterwards, whatever
    happened."""
    env = {**os.environ, **SERVER, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    base = f"http://127.0.0.1:{port}"
    # A file, not a pipe: a pipe nobody reads would stall the server once its log fills it.
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not answers(base + ready, ready_status):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise SystemExit(f"{command[0]} did not start:\n{log.read().decode()}")
                time.sleep(0.1)
            yield Served(base, server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)


def answers(url: str, status: int = 200) -> bool:
    try:
        return httpx.get(url, timeout=5).status_code == status
    except httpx.HTTPError:
        return False
