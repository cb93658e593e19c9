from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_no_module_over_400_lines_and_no_function_over_60() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "sizes"), str(ROOT / "api")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout
    assert "over the limit" not in run.stdout
