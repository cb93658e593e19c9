from __future__ import annotations

from starlette.testclient import TestClient

from api.ids import to_global_id
from api.rest.investments import InvestmentOut
from api.rest.people import PersonOut
from api.rest.responses import Item, List
from api.rest.sources import SourceOut
from tests.rest.conftest import get_ok


def test_investments_people_and_sources(client: TestClient) -> None:
    investments = get_ok(client, "/api/investments", List[InvestmentOut])["data"]
    lazada = [i for i in investments if i["investee"]["slug"] == "lazada"]
    assert lazada and all(
        i["deal_id"] == to_global_id("Deal", "alibaba-acquires-lazada") for i in lazada
    )
    one = get_ok(client, f"/api/investments/{investments[0]['id']}", Item[InvestmentOut])
    assert one["data"] == investments[0]
    people = get_ok(client, "/api/people?search=zhang", List[PersonOut])["data"]
    assert [p["name"] for p in people] == ["Daniel Zhang"]
    assert get_ok(client, "/api/people/daniel-zhang", Item[PersonOut])["data"] == people[0]
    source = get_ok(client, "/api/sources/001_fc294a4a7f80cbd8", Item[SourceOut])["data"]
    assert source["published_on"] == "2019-09-06"
