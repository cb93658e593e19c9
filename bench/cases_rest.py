"""The REST equivalents of the GraphQL cases, with their SQLite floors: R1 a company, R3 a page of
1,000 companies, each the whole object REST answers (provenance, chief executive, quotes), R5
Q5's filtered, sorted deals with their parties' names, and R2 the nested page in one request (`include=deals.targets.ceo`, with `fields[...]` asking for what
GraphQL's Q2 asks).

R2's floor is Q2's: REST's objects still differ a little (a quote names its source by id, slug and
title; a list has no total), so the bench checks that both name the same companies, deals,
targets and chief executives.
"""

from __future__ import annotations

from typing import Any

from api.store.json_sql import JsonSql
from bench.cases import (
    JSON,
    Case,
    Picks,
    array,
    ceo_join,
    graphql_cases,
    page,
    partial_date,
    parties,
)

_BY_NAME = "c.name, c.id"


# `ids.to_global_id`, by the function the store's SQLite connections define.
_global_id = JsonSql().global_id


def _ref(type_name: str, row: str) -> str:
    """`responses.to_ref`."""
    return (
        f"json_object('id', {_global_id(type_name, f'{row}.slug')}, 'slug', {row}.slug, "
        f"'name', {row}.name)"
    )


def _evidence(column: str, row: str) -> str:
    """`claims.evidence_out`: the quotes naming an entity, by source and place, with the source."""
    source = (
        f"json_object('id', {_global_id('Source', 's.slug')}, 'slug', s.slug, 'title', s.title)"
    )
    return array(
        "SELECT json_object('quote', e.quote, 'start_offset', e.start_offset, "
        f"'end_offset', e.end_offset, 'source', {source}) AS j "
        f"FROM evidence e JOIN source s ON s.id = e.source_id WHERE e.{column} = {row}.id "
        "ORDER BY e.source_id, e.start_offset, e.id"
    )


# `vocab.Provenance`: the store keeps it without its null fields.
_PROVENANCE = (
    "field",
    "value",
    "stated",
    "source",
    "quote",
    "start_offset",
    "end_offset",
    "reason",
)


def _provenance(row: str) -> str:
    pairs = ", ".join(f"'{name}', v.value -> '$.{name}'" for name in _PROVENANCE)
    return (
        f"json((SELECT json_group_array(json_object({pairs})) FROM json_each({row}.provenance) v))"
    )


# `companies.companies_out`, for the company `c` and its chief executive `p` (`ceo_join`).
_COMPANY = (
    f"json_object('id', {_global_id('Company', 'c.slug')}, 'slug', c.slug, 'name', c.name, "
    "'aliases', json(c.aliases), 'description', c.description, "
    f"'provenance', {_provenance('c')}, "
    f"'ceo', json(CASE WHEN p.id IS NULL THEN NULL ELSE {_ref('Person', 'p')} END), "
    f"'evidence', {_evidence('company_id', 'c')})"
)
R1_FLOOR = (
    f"SELECT json_object('data', {_COMPANY}) FROM company c {ceo_join('c', 'p')} "
    "WHERE c.slug = :company"
)
# The page's `next_cursor` is left out: the API's is made in Python.
R3_FLOOR = (
    "SELECT json_object('data', "
    + array(
        f"SELECT {_COMPANY} AS j FROM {page('company', 'c', _BY_NAME, '1000')} "
        f"{ceo_join('c', 'p')} ORDER BY {_BY_NAME}"
    )
    + ")"
)


# `deals.deals_out` as `fields[deal]` and `fields[company]` cut it, for Q5's deals.
_USD = "CASE WHEN d.value_currency = 'USD' THEN d.value_amount END"
_BY_VALUE = f"coalesce({_USD}, -1.0) DESC, d.id DESC"
_PARTY = f"'id', {_global_id('Company', 'c.slug')}, 'name', c.name"
_VALUE = (
    "json(CASE WHEN d.value_amount IS NULL OR d.value_currency IS NULL THEN NULL ELSE "
    "json_object('amount', d.value_amount, 'currency', d.value_currency, 'approximate', "
    "json(CASE WHEN d.value_approximate THEN 'true' ELSE 'false' END), "
    "'text', coalesce(d.value_text, '')) END)"
)
_DEAL = (
    f"json_object('id', {_global_id('Deal', 'd.key')}, 'key', d.key, "
    f"'announced_on', {partial_date('d', 'announced')}, 'value', {_VALUE}, "
    f"'acquirers', {parties('d', 'ACQUIRER', _PARTY, 'c')}, "
    f"'targets', {parties('d', 'TARGET', _PARTY, 'c')})"
)
R5_FLOOR = (
    "SELECT json_object('data', "
    + array(
        f"SELECT {_DEAL} AS j FROM "
        + page("deal", "d", _BY_VALUE, "50", f"WHERE d.status = 'COMPLETED' AND {_USD} >= :min")
        + f" ORDER BY {_BY_VALUE}"
    )
    + ")"
)


def bench_cases(picks: Picks, dialect: str) -> list[Case]:
    """Every case for the store's engine: GraphQL's, then, on SQLite, REST's."""
    graphql = graphql_cases(picks, dialect)
    if dialect != "sqlite":
        return graphql
    (q2,) = [case for case in graphql if case.name == "Q2"]
    return [*graphql, *rest_cases(picks, q2)]


def rest_cases(picks: Picks, q2: Case) -> list[Case]:
    """R1 to R3 and R5; R2 is timed against GraphQL's Q2 floor."""
    company = f"/api/companies/{picks.company}"
    nested = (
        "/api/companies?limit=100&include=ceo,deals.targets.ceo&include_limit=10"
        "&fields[company]=slug,name,ceo,deals&fields[person]=name"
        "&fields[deal]=key,status,announced_on,value,targets,evidence"
    )
    return [
        Case("R1", "REST: company by slug, whole", company, R1_FLOOR, {"company": picks.company}),
        Case(
            "R2",
            "REST: Q2 in one request (include, fields)",
            nested,
            q2.floor,
            q2.params,
            check=lambda answer, floor: nested_names(answer) == nested_names(floor),
        ),
        Case("R3", "REST: 1,000 companies, whole", "/api/companies?limit=1000", R3_FLOOR),
        Case(
            "R5",
            "REST: Q5 (include, fields)",
            "/api/deals?status=completed&value_min_usd=100000000&order_by=value_usd&limit=50"
            "&include=acquirers,targets&fields[company]=name"
            "&fields[deal]=key,announced_on,value,acquirers,targets",
            R5_FLOOR,
            {"min": 100_000_000},
        ),
    ]


def nested_names(answer: JSON) -> list[Any]:
    """What R2 and Q2 both say: each company, its deals, their targets and chief executives."""
    data = answer["data"]
    companies = data["companies"]["nodes"] if "companies" in data else data
    return [
        (
            company["slug"],
            [
                (deal["key"], [(t["slug"], (t["ceo"] or {}).get("name")) for t in deal["targets"]])
                for deal in (
                    company["deals"]["nodes"]
                    if isinstance(company["deals"], dict)
                    else company["deals"]
                )
            ],
        )
        for company in companies
    ]
