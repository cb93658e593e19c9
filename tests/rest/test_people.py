from __future__ import annotations

from starlette.testclient import TestClient

from api.rest.people import PersonOut
from api.rest.responses import Item, List
from tests.rest.conftest import get_ok


def test_people_are_listed_by_name_with_their_roles(client: TestClient) -> None:
    people = get_ok(client, "/api/people", List[PersonOut])["data"]
    assert [p["name"] for p in people] == sorted(p["name"] for p in people)
    alvin = next(p for p in people if p["slug"] == "alvin-liu")
    assert {(r["company"]["name"], r["title"]) for r in alvin["roles"]} >= {
        ("Kaola", "Chief Executive Officer")
    }


def test_an_editorial_alias_is_marked_with_its_reason(client: TestClient) -> None:
    william = get_ok(client, "/api/people/william-ding", Item[PersonOut])["data"]
    assert william["aliases"] == ["Ding Lei"]
    alias = next(p for p in william["provenance"] if p["field"] == "aliases")
    assert alias == {
        "field": "aliases",
        "value": "Ding Lei",
        "stated": False,
        "source": None,
        "quote": None,
        "start_offset": None,
        "end_offset": None,
        "reason": alias["reason"],
    }
    assert "no source gives it" in alias["reason"]
