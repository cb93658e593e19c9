"""A real `dealgraph serve` under uvicorn on a loopback port, for tests that go over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx2 as httpx
import pytest

DEALGRAPH = Path(sys.executable).with_name("dealgraph")
START_TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(store_url: str, **environment: str) -> Iterator[str]:
    """The server's base URL while it runs; it is stopped afterwards, whatever happened."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": store_url, **environment}
    # A file, not a pipe: a pipe nobody reads would stall the server once its log fills it.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [str(DEALGRAPH), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_healthy(url, process, log)
            yield url
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            httpx.get(f"{url}/healthz", timeout=1).raise_for_status()
            return
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.seek(0)
                pytest.fail(f"server did not start:\n{log.read().decode()}")
            time.sleep(0.1)
