"""The benchmark's fixed requests, each with its floor: one hand-written SQL statement that builds
the same JSON the API answers (SQLite's JSON1 here; PostgreSQL's in `bench/cases_postgres.py`), so
that the API's cost is read as a ratio to what the database itself needs.

The floors restate the API's rules in SQL (a company's chief executive, newest-first deals, the
ISO prefix of a partial date, a value in USD), so `tests/bench/test_cases.py` checks each floor
against the API on the seeds and on a synthetic store: a rule changed in one place and not the
other fails there, not in a benchmark run. Selections leave out `id` fields: SQLite has no base64.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from api.ids import to_global_id
from api.store.search_sqlite import WEIGHTS, match_expression
from bench import cases_postgres

JSON = dict[str, Any]


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    path: str
    floor: str
    params: Mapping[str, Any] = field(default_factory=dict)
    body: JSON | None = None  # a GraphQL request; None for a GET
    # How the API's answer is checked against the floor's, if not as the same data.
    check: Callable[[JSON, JSON], bool] | None = None

    @property
    def method(self) -> str:
        return "GET" if self.body is None else "POST"

    def agrees(self, answer: JSON, floor: JSON) -> bool:
        if self.check is not None:
            return self.check(answer, floor)
        return same({"data": answer["data"]}, floor)


@dataclass(frozen=True)
class Picks:
    """What the cases ask about, chosen from the store so that every answer has content."""

    company: str  # the slug of the company that is party to the most deals
    word: str  # a word of its name, to search for


def pick(connection: Connection) -> Picks:
    slug = connection.execute(
        text(
            "SELECT c.slug FROM company c JOIN deal_party p ON p.company_id = c.id "
            "GROUP BY c.id, c.slug ORDER BY count(*) DESC, c.slug LIMIT 1"
        )
    ).scalar_one()
    return Picks(company=slug, word=slug.split("-")[0])


# Each piece of SQL below restates one rule of `api.store`; the names say which.


def ceo_join(company: str, person: str) -> str:
    """`companies.ceos_of_companies`: a CEO role not stated to have ended, the latest stated. A
    join rather than a subquery in the select list: SQLite's parser allows little nesting."""
    return (
        f"LEFT JOIN person {person} ON {person}.id = (SELECT r.person_id FROM role r "
        f"WHERE r.company_id = {company}.id AND r.is_ceo AND r.current IS NOT 0 "
        "AND (r.current = 1 OR r.ended_on IS NULL) "
        "ORDER BY r.current DESC NULLS LAST, r.id DESC LIMIT 1)"
    )


def ceo(person: str, fields: str) -> str:
    """The chief executive `ceo_join` found, or null."""
    return f"json(CASE WHEN {person}.id IS NULL THEN NULL ELSE json_object({fields}) END)"


def partial_date(table: str, name: str) -> str:
    """`dates.format_partial_date`: the ISO prefix the precision allows."""
    day, precision = f"{table}.{name}_on", f"{table}.{name}_precision"
    return (
        f"CASE {precision} WHEN 'DAY' THEN {day} WHEN 'MONTH' THEN substr({day}, 1, 7) "
        f"WHEN 'YEAR' THEN substr({day}, 1, 4) END"
    )


def money(table: str, fields: str = "amount currency text") -> str:
    """`models.MoneyColumns.money`: null without an amount and a currency."""
    columns = {
        "amount": f"{table}.value_amount",
        "currency": f"{table}.value_currency",
        "text": f"coalesce({table}.value_text, '')",
    }
    pairs = ", ".join(f"'{name}', {columns[name]}" for name in fields.split())
    return (
        f"json(CASE WHEN {table}.value_amount IS NULL OR {table}.value_currency IS NULL "
        f"THEN NULL ELSE json_object({pairs}) END)"
    )


def array(select: str) -> str:
    """The rows of `select` (one JSON value each, in its order) as a JSON array, [] if none."""
    return f"json((SELECT json_group_array(json(j)) FROM ({select})))"


def page(table: str, alias: str, order: str, limit: str, where: str = "") -> str:
    """The rows of one page, as a table to build JSON from: sorted and cut before any JSON is
    built, or SQLite would build it for every row it sorts. The JSON's select repeats `order`."""
    return f"(SELECT * FROM {table} {alias} {where} ORDER BY {order} LIMIT {limit}) {alias}"


# `deals.deal_ordering`: newest first, undated last.
NEWEST = "coalesce(d.announced_on, '0001-01-01') DESC, d.id DESC"


def deals_of(company: str, limit: str, fields: str) -> str:
    """`deals.deals_of_companies`: a company's deals, any role, newest first (undated last)."""
    where = f"WHERE d.id IN (SELECT deal_id FROM deal_party WHERE company_id = {company}.id)"
    deals = page("deal", "d", NEWEST, limit, where)
    return array(f"SELECT json_object({fields}) AS j FROM {deals} ORDER BY {NEWEST}")


def parties(deal: str, role: str, fields: str, alias: str, joins: str = "") -> str:
    """`deals.parties_of_deals`: the companies in one role, in the order the sources list them."""
    return array(
        f"SELECT json_object({fields}) AS j FROM deal_party dp "
        f"JOIN company {alias} ON {alias}.id = dp.company_id {joins} "
        f"WHERE dp.deal_id = {deal}.id AND dp.role = '{role}' ORDER BY dp.id"
    )


def evidence(deal: str) -> str:
    """`claims.evidence_of`: a fact's quotes, by source and place in it."""
    return array(
        "SELECT json_object('quote', e.quote, 'source', json_object('slug', s.slug)) AS j "
        f"FROM evidence e JOIN source s ON s.id = e.source_id WHERE e.deal_id = {deal}.id "
        "ORDER BY e.source_id, e.start_offset, e.id"
    )


def data(root: str, value: str, source: str = "") -> str:
    return f"SELECT json_object('data', json_object('{root}', {value})) {source}"


def same(answer: Any, floor: Any) -> bool:
    """Equal JSON, except that SQLite writes floats to 15 significant digits, not 17."""
    if isinstance(answer, float) and isinstance(floor, float | int):
        return math.isclose(answer, floor, rel_tol=1e-13)
    if isinstance(answer, dict) and isinstance(floor, dict):
        return answer.keys() == floor.keys() and all(same(answer[k], floor[k]) for k in answer)
    if isinstance(answer, list) and isinstance(floor, list):
        return len(answer) == len(floor) and all(map(same, answer, floor))
    return bool(answer == floor)


def graphql(query: str, **variables: Any) -> JSON:
    return {"query": " ".join(query.split()), "variables": variables}


Q1 = graphql(
    """query Q1($id: ID!) { company(id: $id) {
        slug name description aliases ceo { slug name } } }""",
)
Q1_FLOOR = data(
    "company",
    "json_object('slug', c.slug, 'name', c.name, 'description', c.description, "
    "'aliases', json(c.aliases), 'ceo', " + ceo("p", "'slug', p.slug, 'name', p.name") + ")",
    f"FROM company c {ceo_join('c', 'p')} WHERE c.slug = :company",
)

Q2 = graphql(
    """query Q2($first: Int!) { companies(first: $first) { nodes { slug name ceo { name }
        deals(first: 10) { totalCount nodes { key status announcedOn value { amount currency text }
            targets { slug name ceo { name } } evidence { quote source { slug } } } } } } }""",
    first=100,
)
_Q2_TARGET = "'slug', t.slug, 'name', t.name, 'ceo', " + ceo("pt", "'name', pt.name")
_Q2_DEAL = (
    f"'key', d.key, 'status', d.status, 'announcedOn', {partial_date('d', 'announced')}, "
    f"'value', {money('d')}, 'targets', {parties('d', 'TARGET', _Q2_TARGET, 't', ceo_join('t', 'pt'))}, "
    f"'evidence', {evidence('d')}"
)
_Q2_COMPANY = (
    "'slug', c.slug, 'name', c.name, 'ceo', " + ceo("p", "'name', p.name") + ", "
    "'deals', json_object('totalCount', "
    "(SELECT count(DISTINCT deal_id) FROM deal_party WHERE company_id = c.id), "
    f"'nodes', {deals_of('c', '10', _Q2_DEAL)})"
)
_BY_NAME = "c.name, c.id"
Q2_FLOOR = data(
    "companies",
    "json_object('nodes', "
    + array(
        f"SELECT json_object({_Q2_COMPANY}) AS j "
        f"FROM {page('company', 'c', _BY_NAME, ':first')} {ceo_join('c', 'p')} ORDER BY {_BY_NAME}"
    )
    + ")",
)

Q3 = graphql(
    """query Q3($first: Int!) { deals(first: $first) { nodes {
        key kind status announcedOn completedOn value { amount currency text } } } }""",
    first=1000,
)
_Q3_DEAL = (
    "'key', d.key, 'kind', d.kind, 'status', d.status, "
    f"'announcedOn', {partial_date('d', 'announced')}, "
    f"'completedOn', {partial_date('d', 'completed')}, "
    f"'value', {money('d')}"
)
Q3_FLOOR = data(
    "deals",
    "json_object('nodes', "
    + array(
        f"SELECT json_object({_Q3_DEAL}) AS j FROM {page('deal', 'd', NEWEST, ':first')} "
        f"ORDER BY {NEWEST}"
    )
    + ")",
)

Q4 = graphql(
    """query Q4($id: ID!) { company(id: $id) { name deals(first: 5) { nodes { key
        targets { name deals(first: 5) { nodes { key acquirers { name ceo { name } } } } } } } } }""",
)
# Five levels in one expression are more than SQLite's parser allows, so the deepest two (each
# target's deals, with their acquirers) are a CTE over just the targets in question.
_Q4_ACQUIRER = "'name', a.name, 'ceo', " + ceo("p", "'name', p.name")
_Q4_ITS_DEAL = "'key', d.key, 'acquirers', " + parties(
    "d", "ACQUIRER", _Q4_ACQUIRER, "a", ceo_join("a", "p")
)
_Q4_TARGET = (
    "'name', t.name, 'deals', json_object('nodes', "
    + array("SELECT j FROM their_deals WHERE parent = t.id ORDER BY n")
    + ")"
)
_Q4_DEAL = "'key', d.key, 'targets', " + parties("d", "TARGET", _Q4_TARGET, "t")
Q4_FLOOR = f"""
WITH root AS (SELECT id, name FROM company WHERE slug = :company),
first_deals AS (
    SELECT d.id, d.key, row_number() OVER (ORDER BY {NEWEST}) AS n FROM deal d
    WHERE d.id IN (SELECT deal_id FROM deal_party WHERE company_id = (SELECT id FROM root))
    ORDER BY {NEWEST} LIMIT 5),
their_deals AS (
    SELECT parent, j, n FROM (
        SELECT x.company_id AS parent, json_object({_Q4_ITS_DEAL}) AS j,
            row_number() OVER (PARTITION BY x.company_id ORDER BY {NEWEST}) AS n
        FROM (SELECT DISTINCT deal_id, company_id FROM deal_party WHERE company_id IN (
            SELECT company_id FROM deal_party
            WHERE role = 'TARGET' AND deal_id IN (SELECT id FROM first_deals))) x
        JOIN deal d ON d.id = x.deal_id)
    WHERE n <= 5)
""" + data(
    "company",
    "json_object('name', root.name, 'deals', json_object('nodes', "
    + array(f"SELECT json_object({_Q4_DEAL}) AS j FROM first_deals d ORDER BY n")
    + "))",
    "FROM root",
)

Q5 = graphql(
    """query Q5($min: Float!) { deals(status: COMPLETED, valueMinUsd: $min,
        orderBy: { field: VALUE_USD, direction: DESC }, first: 50) { totalCount nodes {
            key announcedOn value { amount currency } acquirers { name } targets { name } } } }""",
    min=100_000_000,
)
# `filters.value_usd`: no exchange rates are stored, so a value counts in USD only if stated so.
_USD = "CASE WHEN d.value_currency = 'USD' THEN d.value_amount END"
_Q5_WHERE = f"WHERE d.status = 'COMPLETED' AND {_USD} >= :min"
_BY_VALUE = f"coalesce({_USD}, -1.0) DESC, d.id DESC"
_A_NAME, _T_NAME = "'name', a.name", "'name', t.name"
_Q5_DEAL = (
    f"'key', d.key, 'announcedOn', {partial_date('d', 'announced')}, "
    f"'value', {money('d', 'amount currency')}, "
    f"'acquirers', {parties('d', 'ACQUIRER', _A_NAME, 'a')}, "
    f"'targets', {parties('d', 'TARGET', _T_NAME, 't')}"
)
Q5_FLOOR = data(
    "deals",
    f"json_object('totalCount', (SELECT count(*) FROM deal d {_Q5_WHERE}), 'nodes', "
    + array(
        f"SELECT json_object({_Q5_DEAL}) AS j "
        f"FROM {page('deal', 'd', _BY_VALUE, '50', _Q5_WHERE)} ORDER BY {_BY_VALUE}"
    )
    + ")",
)


Q6 = graphql(
    """query Q6($q: String!) { search(query: $q, first: 20) { hits { kind score node {
        ... on Company { slug name } ... on Person { slug name } ... on Deal { key }
        ... on Source { slug } } } } }""",
)
# `search_sqlite.search_rows`: bm25 with the columns' weights, best first, ties by kind and row.
_BM25 = f"bm25(search_index, 0, 0, {', '.join(map(str, WEIGHTS.values()))})"
_NODE = (
    "json(CASE s.kind WHEN 'company' THEN json_object('slug', c.slug, 'name', c.name) "
    "WHEN 'person' THEN json_object('slug', p.slug, 'name', p.name) "
    "WHEN 'deal' THEN json_object('key', d.key) ELSE json_object('slug', so.slug) END)"
)
Q6_FLOOR = data(
    "search",
    "json_object('hits', "
    + array(
        f"SELECT json_object('kind', upper(s.kind), 'score', -{_BM25}, 'node', {_NODE}) AS j "
        "FROM search_index s "
        "LEFT JOIN company c ON s.kind = 'company' AND c.id = s.row_id "
        "LEFT JOIN person p ON s.kind = 'person' AND p.id = s.row_id "
        "LEFT JOIN deal d ON s.kind = 'deal' AND d.id = s.row_id "
        "LEFT JOIN source so ON s.kind = 'source' AND so.id = s.row_id "
        f"WHERE search_index MATCH :match ORDER BY {_BM25}, s.kind, s.row_id LIMIT 20"
    )
    + ")",
)


SQLITE_FLOORS = {"Q1": Q1_FLOOR, "Q2": Q2_FLOOR, "Q3": Q3_FLOOR}
SQLITE_FLOORS |= {"Q4": Q4_FLOOR, "Q5": Q5_FLOOR, "Q6": Q6_FLOOR}


def graphql_cases(picks: Picks, dialect: str) -> list[Case]:
    """The cases, with the floors written for the store's engine (`sqlite` or `postgresql`)."""
    if dialect == "postgresql":
        floors, search = cases_postgres.FLOORS, cases_postgres.search_params(picks.word)
    elif dialect == "sqlite":
        floors, search = SQLITE_FLOORS, {"match": match_expression(picks.word)}
    else:
        raise ValueError(f"the bench has floors for sqlite and postgresql, not {dialect!r}")
    company = {"company": picks.company}
    company_id = to_global_id("Company", picks.company)

    def case(name: str, what: str, body: JSON, **params: Any) -> Case:
        body = {**body, "variables": {**body["variables"], **params}}
        floor_params = {**body["variables"], **company, **search}
        return Case(name, what, "/graphql", floors[name], floor_params, body)

    return [
        case("Q1", "company by id, with its CEO", Q1, id=company_id),
        case("Q2", "100 companies, their deals, targets, CEOs, quotes", Q2),
        case("Q3", "1,000 deals, 8 scalar fields each", Q3),
        case("Q4", "company, deals, targets, their deals, acquirers, CEO", Q4, id=company_id),
        case("Q5", "completed deals over US$100m by value, 50 of them", Q5),
        case("Q6", "search: 20 best hits", Q6, q=picks.word),
    ]
