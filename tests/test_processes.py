"""Several server processes on one store while a loader replaces its corpus: `scripts/load`,
briefly. Every answer comes from one corpus or the other, never a mix, and none fails."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, new_store_url


def test_two_processes_serve_one_store_while_it_is_reloaded(tmp_path: Path) -> None:
    store = new_store_url(tmp_path / "store.db")
    command = [sys.executable, str(ROOT / "scripts" / "load"), "--store", store]
    command += ["--processes", "2", "--clients", "16", "--duration", "12"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert ", 2 processes)" in run.stdout
    assert re.search(r"^errors: +0$", run.stdout, re.MULTILINE)
    assert "(none mixed: True)" in run.stdout
    reloads = re.search(r"^reloads: +(\d+) completed", run.stdout, re.MULTILINE)
    assert reloads is not None and int(reloads.group(1)) >= 1
