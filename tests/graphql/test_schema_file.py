from __future__ import annotations

from api.graphql.schema import export_sdl
from tests.conftest import ROOT


def test_schema_graphql_matches_the_code() -> None:
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed == export_sdl(), "schema.graphql is stale: run `make schema`"
