"""PostGraphile v4 as a peer on PostgreSQL: the same database served by a GraphQL API generated
from its tables (npm, pinned in `bench/postgraphile/package-lock.json`), asked for what Q1 and Q2
ask, in the words of its own schema.

Its schema follows the tables, so the queries do not ask for exactly the same thing; see NOTE.
It runs as one Node.js process with no mutations (`-M`), on a loopback port.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from bench.cases import JSON, Case, Picks, graphql

PACKAGE = Path(__file__).resolve().parent / "postgraphile"
BINARY = PACKAGE / "node_modules" / ".bin" / "postgraphile"
STAMP = PACKAGE / "node_modules" / ".installed"
INSTALL_TIMEOUT = 300

NOTE = (
    "PostGraphile v4 (one Node.js process) asks for the same entities and fields, but in its "
    "schema's terms: a company's deals are its deal_party rows (ordered by deal id, not newest "
    "first; totalCount counts rows, not distinct deals), the chief executive is every CEO role "
    "with its end for the client to choose from, a date is the full date and its precision, and "
    "a value is three nullable columns."
)


def _ceo(fields: str) -> str:
    """Every CEO role of a company, newest first, with what shows whether it has ended."""
    return (
        "ceo: rolesByCompanyId(condition: {isCeo: true}, orderBy: [ID_DESC]) { nodes { "
        f"current endedOn personByPersonId {{ {fields} }} }} }}"
    )


_CEO = _ceo("name")
Q1 = graphql(
    f"""query Q1($slug: String!) {{ allCompanies(condition: {{slug: $slug}}) {{ nodes {{
        slug name description aliases {_ceo("slug name")} }} }} }}"""
)
Q2 = graphql(
    f"""query Q2($first: Int!) {{ allCompanies(first: $first, orderBy: [NAME_ASC, ID_ASC]) {{
        nodes {{ slug name {_CEO}
        deals: dealPartiesByCompanyId(first: 10, orderBy: [DEAL_ID_DESC]) {{ totalCount nodes {{
            dealByDealId {{ key status announcedOn announcedPrecision
                valueAmount valueCurrency valueText
                targets: dealPartiesByDealId(condition: {{role: "TARGET"}}, orderBy: [ID_ASC]) {{
                    nodes {{ companyByCompanyId {{ slug name {_CEO} }} }} }}
                evidence: evidencesByDealId(orderBy: [SOURCE_ID_ASC, START_OFFSET_ASC]) {{
                    nodes {{ quote sourceBySourceId {{ slug }} }} }} }} }} }} }} }} }}""",
    first=100,
)


def install() -> str | None:
    """Installs the pinned package once; why PostGraphile cannot run here, or None."""
    if STAMP.exists():
        return None
    command = ["npm", "ci", "--prefix", str(PACKAGE), "--no-audit", "--no-fund"]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    except FileNotFoundError:
        return "npm is not installed"
    except subprocess.TimeoutExpired:
        return f"npm ci took over {INSTALL_TIMEOUT} s"
    except subprocess.CalledProcessError as failed:
        return f"npm ci failed: {failed.stderr.strip()[-500:]}"
    STAMP.touch()
    return None


def command(database_url: str, port: int) -> list[str]:
    url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    return [
        str(BINARY),
        *("--connection", url, "--schema", "public", "--host", "127.0.0.1", "--port", str(port)),
        *("--disable-default-mutations", "--dynamic-json", "--no-ignore-rbac"),
        *("--disable-graphiql", "--disable-query-log"),
    ]


def peer_cases(picks: Picks) -> dict[str, Case]:
    """The peer's requests, by the name of the case they stand beside."""
    q1 = {**Q1, "variables": {"slug": picks.company}}
    return {
        "Q1": Case("Q1", "PostGraphile", "/graphql", "", body=q1),
        "Q2": Case("Q2", "PostGraphile", "/graphql", "", body=Q2),
    }


def mismatch(peer: JSON, api: JSON) -> str | None:
    """Why the peer's answer is not about the same companies as the API's, or None: the same
    companies in the same order, each with as many deals or more (it counts party rows)."""
    if "errors" in peer:
        return f"PostGraphile answered with errors: {str(peer['errors'])[:300]}"
    theirs = peer["data"]["allCompanies"]["nodes"]
    root = next(iter(api["data"].values()))
    ours = root.get("nodes", [root])  # Q2 asks for companies, Q1 for one
    if [c["slug"] for c in theirs] != [c["slug"] for c in ours]:
        return "PostGraphile's companies are not the API's"
    counts: list[tuple[Any, Any]] = [
        (t["deals"]["totalCount"], o["deals"]["totalCount"])
        for t, o in zip(theirs, ours, strict=True)
        if "deals" in o
    ]
    if any(t < o for t, o in counts):
        return "PostGraphile finds fewer deals than the API"
    return None
