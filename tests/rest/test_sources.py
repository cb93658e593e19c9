from __future__ import annotations

from starlette.testclient import TestClient

from api.rest.responses import Item
from api.rest.sources import SourceOut
from tests.rest.conftest import get_ok


def test_a_source_says_how_each_of_its_fields_is_known(client: TestClient) -> None:
    source = get_ok(client, "/api/sources/003_7532c4fe6b1c635d", Item[SourceOut])["data"]
    (title,) = source["provenance"]
    assert title == {
        "field": "title",
        "value": None,
        "stated": True,
        "source": "003_7532c4fe6b1c635d",
        "quote": source["title"],
        "start_offset": 0,
        "end_offset": len(source["title"]),
        "reason": None,
    }
    abacus = get_ok(client, "/api/sources/000_2b1eff056f60b6be")["data"]
    editorial = {p["field"]: p["reason"] for p in abacus["provenance"] if not p["stated"]}
    assert set(editorial) == {"title", "publisher"}
    assert "inferred by the editor" in editorial["publisher"]
