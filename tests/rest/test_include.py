from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from api.config import Settings
from api.rest.include import MAX_DEPTH
from tests.conftest import counting_statements
from tests.rest.conftest import assert_problem, get_ok

NESTED = "/api/companies?limit={limit}&include_limit=5&include=deals.targets.ceo"


def _without(item: dict[str, Any], *names: str) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key not in names}


def test_the_nested_page_is_what_the_separate_calls_answer(client: TestClient) -> None:
    companies = get_ok(client, NESTED.format(limit=20))["data"]
    plain = get_ok(client, "/api/companies?limit=20")["data"]
    assert [_without(c, "deals") for c in companies] == plain
    seen_targets = 0
    for company in companies:
        deals = get_ok(client, f"/api/companies/{company['id']}/deals?limit=5")["data"]
        assert [_without(d, "targets") for d in company["deals"]] == deals
        for deal in company["deals"]:
            targets = [p["company"]["id"] for p in deal["parties"] if p["role"] == "target"]
            assert [t["id"] for t in deal["targets"]] == targets
            for target in deal["targets"]:
                seen_targets += 1
                alone = get_ok(client, f"/api/companies/{target['id']}")["data"]
                assert _without(target, "ceo") == _without(alone, "ceo")
                ceo = alone["ceo"] and get_ok(client, f"/api/people/{alone['ceo']['id']}")["data"]
                assert target["ceo"] == ceo
    assert seen_targets >= 5


def test_an_included_object_replaces_the_reference_it_extends(client: TestClient) -> None:
    alibaba = get_ok(client, "/api/companies/alibaba?include=ceo")["data"]
    reference = get_ok(client, "/api/companies/alibaba")["data"]["ceo"]
    assert alibaba["ceo"]["roles"], "the full person, with roles"
    assert {k: alibaba["ceo"][k] for k in reference} == reference
    investment = get_ok(client, "/api/investments?limit=1&include=investors,investee")["data"][0]
    assert {"aliases", "evidence"} <= investment["investee"].keys()
    assert all("provenance" in investor for investor in investment["investors"])


def test_lists_of_a_company_and_single_items_take_include(client: TestClient) -> None:
    deals = get_ok(client, "/api/companies/alibaba/deals?include=targets,acquirers")["data"]
    assert deals and all({"targets", "acquirers"} <= d.keys() for d in deals)
    kaola = get_ok(client, "/api/deals/alibaba-acquires-kaola?include=sellers.ceo")["data"]
    assert [s["slug"] for s in kaola["sellers"]] == ["netease"]
    held = get_ok(client, "/api/companies/alibaba/investments?include=investee")["data"]
    assert held and all("aliases" in i["investee"] for i in held)


def test_include_limit_caps_each_included_list(client: TestClient) -> None:
    alibaba = get_ok(client, "/api/companies/alibaba?include=deals&include_limit=2")["data"]
    assert len(alibaba["deals"]) == 2


def test_each_level_costs_the_same_statements_whatever_its_size(client: TestClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    counts = []
    for limit in (2, 20):
        with counting_statements(engine) as statements:
            get_ok(client, NESTED.format(limit=limit))
        counts.append(len(statements))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            "/api/companies/alibaba?include=deals.targetz",
            "'deals.targetz': a deal has no 'targetz'; it has acquirers, sellers, targets",
        ),
        (
            "/api/deals?include=acquirers.deals.acquirers.deals.targets",
            f"'acquirers.deals.acquirers.deals.targets' is deeper than {MAX_DEPTH} levels",
        ),
        ("/api/companies?include=deals&include_limit=101", "at most 100"),
        (
            "/api/companies?limit=100&include_limit=100&include=deals.targets",
            "could return 1,010,100 items, more than the 100,000 allowed",
        ),
        ("/api/companies/alibaba?include=ceo.roles", "a person has no 'roles'; it has none"),
        (
            "/api/companies/alibaba?fields[company]=name,nme",
            "fields[company]: a company has no 'nme'; it has id, slug, name, aliases, "
            "description, provenance, ceo, evidence, deals, investments",
        ),
        (
            "/api/deals?include=targets.ceo&fields[deal]=key",
            "fields[deal]: leaves out 'targets', which `include` asks for",
        ),
        (
            "/api/companies?include=deals.targets&fields[company]=name",
            "fields[company]: leaves out 'deals'",
        ),
    ],
)
def test_a_bad_include_is_refused_before_anything_is_read(
    client: TestClient, path: str, message: str
) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with counting_statements(engine) as statements:
        problem = assert_problem(client.get(path), 400)
    assert message in problem["detail"]
    assert problem["errors"][0]["parameter"] in {"include", "include_limit"} | {
        f"fields[{name}]" for name in ("company", "deal")
    }
    assert statements == []


def test_fields_keep_only_the_properties_named_and_the_id(client: TestClient) -> None:
    path = (
        "/api/companies?limit=3&include=deals.targets&fields[company]=name,deals"
        "&fields[deal]=key,targets"
    )
    companies = get_ok(client, path)["data"]
    assert [list(c) for c in companies] == [["id", "name", "deals"]] * 3
    deals = [deal for company in companies for deal in company["deals"]]
    assert deals and all(list(deal) == ["id", "key", "targets"] for deal in deals)
    whole = get_ok(client, "/api/companies?limit=3")["data"]
    assert [(c["id"], c["name"]) for c in companies] == [(c["id"], c["name"]) for c in whole]


def test_csv_summary_and_other_lists_do_not_take_include(client: TestClient) -> None:
    for path in ("/api/deals.csv", "/api/deals/summary", "/api/sources"):
        problem = assert_problem(client.get(f"{path}?include=targets"), 400)
        assert problem["errors"] == [{"parameter": "include", "message": "unknown parameter"}]


def test_the_item_limit_is_graphqls(client: TestClient) -> None:
    settings: Settings = client.app.state.settings  # type: ignore[attr-defined]
    assert (
        f"{settings.graphql_max_nodes:,} allowed"
        in client.get(
            "/api/companies?limit=100&include_limit=100&include=deals.targets.ceo"
        ).json()["detail"]
    )
