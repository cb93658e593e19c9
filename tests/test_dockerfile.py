"""No container engine runs here, so the Dockerfile is checked by hadolint and by reading it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

DOCKERFILE = ROOT / "Dockerfile"


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    result = subprocess.run(
        [hadolint, "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_is_multi_stage_non_root_seeded_and_health_checked() -> None:
    lines = [line.strip() for line in DOCKERFILE.read_text().splitlines()]
    # The browser pages, the Python build, the runtime.
    assert sum(line.startswith("FROM ") for line in lines) == 3
    assert any(line.startswith("USER 10001") for line in lines)
    assert any("dealgraph load --seeds seeds" in line for line in lines)
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert lines[-1] == 'CMD ["dealgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]'
