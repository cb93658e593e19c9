"""A throwaway PostgreSQL server on 127.0.0.1 for the test suite: Debian's server binaries
(installed with apt if the machine lacks them), a new cluster in a temporary directory, tuned
for speed over durability, stopped and removed afterwards."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

DEBIAN_SERVERS = Path("/usr/lib/postgresql")
# The server refuses to run as root; as root, it runs as Debian's `postgres` user.
SERVER_USER = "postgres"
START_SECONDS = 60
# Durability is of no use to a test cluster; speed is.
SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=200")


def _binaries() -> Path | None:
    found = sorted(DEBIAN_SERVERS.glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def server_binaries() -> Path:
    """The newest installed server's bin directory, installing Debian's package if none is."""
    found = _binaries()
    if found is None:
        apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], check=True, env=apt, timeout=600)
        install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "postgresql"]
        subprocess.run(install, check=True, env=apt, timeout=900)
        found = _binaries()
    if found is None:
        raise RuntimeError(f"no PostgreSQL server under {DEBIAN_SERVERS} after installing one")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class PostgresServer:
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SERVER_USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new, empty database; its URL."""
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    binaries = server_binaries()
    home = Path(tempfile.mkdtemp(prefix="dealgraph-postgres-"))
    as_server_user: list[str] = []
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVER_USER)
        os.chown(home, account.pw_uid, account.pw_gid)
        as_server_user = ["runuser", "-u", SERVER_USER, "--"]
    data, log = home / "data", home / "server.log"
    port = _free_port()
    options = f"-h 127.0.0.1 -p {port} -k {home} " + " ".join(f"-c {s}" for s in SETTINGS)

    def pg_ctl(*args: str) -> None:
        command = [*as_server_user, str(binaries / "pg_ctl"), "-D", str(data), *args]
        subprocess.run(command, check=True, capture_output=True, timeout=START_SECONDS + 30)

    try:
        initdb = [str(binaries / "initdb"), "-D", str(data), "-U", SERVER_USER, "-A", "trust"]
        subprocess.run(
            [*as_server_user, *initdb, "-E", "UTF8", "--no-sync"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        pg_ctl("-o", options, "-l", str(log), "-w", "-t", str(START_SECONDS), "start")
        try:
            yield PostgresServer(port)
        finally:
            pg_ctl("-m", "immediate", "-w", "-t", str(START_SECONDS), "stop")
    finally:
        shutil.rmtree(home, ignore_errors=True)
