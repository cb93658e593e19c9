"""The GraphQL-over-HTTP spec's server audits (the `graphql-http` npm package, the spec's reference
implementation) against the real `dealgraph serve` on a loopback port: every audit must pass.

The audits run under Node.js from `tests/audit/`; install them with `npm ci --prefix tests/audit`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.serving import serving

AUDIT_DIR = Path(__file__).resolve().parent / "audit"
AUDIT_SCRIPT = AUDIT_DIR / "audit.mjs"
INSTALL = "npm ci --prefix tests/audit"
# The whole run, a few dozen requests on loopback, takes a few seconds.
AUDIT_TIMEOUT = 120.0


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            f"Node.js is needed to run the GraphQL-over-HTTP audits: install it, then {INSTALL}"
        )
    if not (AUDIT_DIR / "node_modules" / "graphql-http").is_dir():
        pytest.fail(f"the GraphQL-over-HTTP audits are not installed: run `{INSTALL}`")
    return node


def _run_audits(node: str, endpoint: str) -> list[dict[str, Any]]:
    try:
        run = subprocess.run(
            [node, str(AUDIT_SCRIPT), endpoint],
            cwd=AUDIT_DIR,
            capture_output=True,
            text=True,
            timeout=AUDIT_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as late:
        pytest.fail(f"the audits did not finish in {AUDIT_TIMEOUT:.0f}s:\n{late.stdout!r}")
    try:
        results = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    except json.JSONDecodeError:
        results = []
    # audit.mjs exits 1 when audits fail; anything else (or no results) means it did not run.
    if run.returncode not in (0, 1) or not results:
        pytest.fail(
            f"audit.mjs failed (exit {run.returncode}):\n{run.stdout}\n{run.stderr}".rstrip()
        )
    return results


def _describe(result: dict[str, Any]) -> str:
    line = f"{result['status']} {result['id']} {result['name']}: {result.get('reason')}"
    response = result.get("response")
    if response:
        line += (
            f"\n    got {response['status']} {response['contentType']}: {response['body'][:300]}"
        )
    return line


def test_graphql_over_http_server_audits(store_url: str) -> None:
    node = _node()
    # Four audits query `__type` with variables: they need introspection, which is on by default.
    with serving(store_url, GRAPHQL_INTROSPECTION="true") as url:
        results = _run_audits(node, f"{url}/graphql")

    ids = [result["id"] for result in results]
    assert len(ids) == len(set(ids)), f"audit ids repeat: {ids}"
    failing = [result for result in results if result["status"] != "ok"]
    assert not failing, f"{len(failing)} of {len(results)} GraphQL-over-HTTP audits failed:\n" + (
        "\n".join(_describe(result) for result in failing)
    )
