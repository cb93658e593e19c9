"""The floors of `bench/cases.py` on PostgreSQL: for each case, one hand-written statement that
builds the API's JSON with json_build_object and json_agg, and returns it as text.

The rules restated are the same as on SQLite (a company's chief executive, newest-first deals,
the ISO prefix of a partial date, a value in USD, search's score); PostgreSQL's own forms differ:
real dates (`to_char`), ordered aggregates, and no limit on nesting, so Q4 needs no CTE.
`tests/bench/test_cases.py` checks each against the API on the seeds and a synthetic store.
"""

from __future__ import annotations

from typing import Any

from api.store.search_postgres import EXACT_NAME_POINTS, NAME_PREFIX_POINTS, POINTS, lexeme

# `deals.deal_ordering`: newest first, undated last.
NEWEST = "coalesce(d.announced_on, DATE '0001-01-01') DESC, d.id DESC"
# `filters.value_usd`: no exchange rates are stored, so a value counts in USD only if stated so.
USD = "CASE WHEN d.value_currency = 'USD' THEN d.value_amount END"


def obj(fields: str) -> str:
    return f"json_build_object({fields})"


def array(element: str, rows: str, order: str) -> str:
    """`element` for each of `rows`, in `order`, as a JSON array; [] if none."""
    return f"coalesce((SELECT json_agg({element} ORDER BY {order}) FROM {rows}), '[]'::json)"


def ceo_join(company: str, person: str) -> str:
    """`companies.ceos_of_companies`: a CEO role not stated to have ended, the latest stated."""
    return (
        f"LEFT JOIN person {person} ON {person}.id = (SELECT r.person_id FROM role r "
        f"WHERE r.company_id = {company}.id AND r.is_ceo AND r.current IS NOT FALSE "
        "AND (r.current OR r.ended_on IS NULL) "
        "ORDER BY r.current DESC NULLS LAST, r.id DESC LIMIT 1)"
    )


def ceo(person: str, fields: str) -> str:
    return f"CASE WHEN {person}.id IS NOT NULL THEN {obj(fields)} END"


def partial_date(row: str, name: str) -> str:
    """`dates.format_partial_date`: the ISO prefix the precision allows."""
    day, precision = f"{row}.{name}_on", f"{row}.{name}_precision"
    formats = {"DAY": "YYYY-MM-DD", "MONTH": "YYYY-MM", "YEAR": "YYYY"}
    whens = " ".join(f"WHEN '{p}' THEN to_char({day}, '{f}')" for p, f in formats.items())
    return f"CASE {precision} {whens} END"


def money(row: str, fields: str = "amount currency text") -> str:
    """`models.MoneyColumns.money`: null without an amount and a currency."""
    columns = {
        "amount": f"{row}.value_amount",
        "currency": f"{row}.value_currency",
        "text": f"coalesce({row}.value_text, '')",
    }
    pairs = ", ".join(f"'{name}', {columns[name]}" for name in fields.split())
    return (
        f"CASE WHEN {row}.value_amount IS NOT NULL AND {row}.value_currency IS NOT NULL "
        f"THEN {obj(pairs)} END"
    )


def deals_of(company: str, limit: str, fields: str) -> str:
    """`deals.deals_of_companies`: a company's deals, any role, newest first, cut to `limit`."""
    page = (
        "(SELECT * FROM deal d WHERE d.id IN "
        f"(SELECT deal_id FROM deal_party WHERE company_id = {company}.id) "
        f"ORDER BY {NEWEST} LIMIT {limit}) d"
    )
    return array(obj(fields), page, NEWEST)


def parties(deal: str, role: str, fields: str, alias: str, joins: str = "") -> str:
    """`deals.parties_of_deals`: the companies in one role, in the order the sources list them."""
    rows = (
        f"deal_party dp JOIN company {alias} ON {alias}.id = dp.company_id {joins} "
        f"WHERE dp.deal_id = {deal}.id AND dp.role = '{role}'"
    )
    return array(obj(fields), rows, "dp.id")


def evidence(deal: str) -> str:
    """`claims.evidence_of`: a fact's quotes, by source and place in it."""
    element = obj("'quote', e.quote, 'source', json_build_object('slug', s.slug)")
    rows = f"evidence e JOIN source s ON s.id = e.source_id WHERE e.deal_id = {deal}.id"
    return array(element, rows, "e.source_id, e.start_offset, e.id")


def nodes(array: str) -> str:
    return f"json_build_object('nodes', {array})"


def data(root: str, value: str, source: str = "") -> str:
    return f"SELECT json_build_object('data', json_build_object('{root}', {value}))::text {source}"


Q1 = data(
    "company",
    obj(
        "'slug', c.slug, 'name', c.name, 'description', c.description, 'aliases', c.aliases, "
        "'ceo', " + ceo("p", "'slug', p.slug, 'name', p.name")
    ),
    f"FROM company c {ceo_join('c', 'p')} WHERE c.slug = :company",
)

_Q2_TARGET = "'slug', t.slug, 'name', t.name, 'ceo', " + ceo("pt", "'name', pt.name")
_Q2_DEAL = (
    f"'key', d.key, 'status', d.status, 'announcedOn', {partial_date('d', 'announced')}, "
    f"'value', {money('d')}, "
    f"'targets', {parties('d', 'TARGET', _Q2_TARGET, 't', ceo_join('t', 'pt'))}, "
    f"'evidence', {evidence('d')}"
)
_Q2_COMPANY = (
    "'slug', c.slug, 'name', c.name, 'ceo', " + ceo("p", "'name', p.name") + ", "
    "'deals', json_build_object('totalCount', "
    "(SELECT count(DISTINCT deal_id) FROM deal_party WHERE company_id = c.id), "
    f"'nodes', {deals_of('c', '10', _Q2_DEAL)})"
)
_BY_NAME = "c.name, c.id"
Q2 = data(
    "companies",
    nodes(
        array(
            obj(_Q2_COMPANY),
            f"(SELECT * FROM company c ORDER BY {_BY_NAME} LIMIT :first) c {ceo_join('c', 'p')}",
            _BY_NAME,
        )
    ),
)

_Q3_DEAL = (
    "'key', d.key, 'kind', d.kind, 'status', d.status, "
    f"'announcedOn', {partial_date('d', 'announced')}, "
    f"'completedOn', {partial_date('d', 'completed')}, 'value', {money('d')}"
)
Q3 = data(
    "deals",
    nodes(array(obj(_Q3_DEAL), f"(SELECT * FROM deal d ORDER BY {NEWEST} LIMIT :first) d", NEWEST)),
)

# Nested as the query is: PostgreSQL's parser takes all five levels in one expression.
_Q4_ACQUIRER = "'name', a.name, 'ceo', " + ceo("p", "'name', p.name")
_Q4_ITS_DEAL = "'key', d.key, 'acquirers', " + parties(
    "d", "ACQUIRER", _Q4_ACQUIRER, "a", ceo_join("a", "p")
)
_Q4_TARGET = "'name', t.name, 'deals', " + nodes(deals_of("t", "5", _Q4_ITS_DEAL))
_Q4_DEAL = "'key', d.key, 'targets', " + parties("d", "TARGET", _Q4_TARGET, "t")
Q4 = data(
    "company",
    obj("'name', c.name, 'deals', " + nodes(deals_of("c", "5", _Q4_DEAL))),
    "FROM company c WHERE c.slug = :company",
)

_Q5_WHERE = f"WHERE d.status = 'COMPLETED' AND {USD} >= :min"
_BY_VALUE = f"coalesce({USD}, -1.0) DESC, d.id DESC"
_A_NAME, _T_NAME = "'name', a.name", "'name', t.name"
_Q5_DEAL = (
    f"'key', d.key, 'announcedOn', {partial_date('d', 'announced')}, "
    f"'value', {money('d', 'amount currency')}, "
    f"'acquirers', {parties('d', 'ACQUIRER', _A_NAME, 'a')}, "
    f"'targets', {parties('d', 'TARGET', _T_NAME, 't')}"
)
Q5 = data(
    "deals",
    f"json_build_object('totalCount', (SELECT count(*) FROM deal d {_Q5_WHERE}), 'nodes', "
    + array(
        obj(_Q5_DEAL),
        f"(SELECT * FROM deal d {_Q5_WHERE} ORDER BY {_BY_VALUE} LIMIT 50) d",
        _BY_VALUE,
    )
    + ")",
)

# `search_postgres.search_rows` for a query of one bare word: points for the best weight class
# the word begins a token in, more if it is a name or begins one, and ts_rank squeezed below 1.
_POINTS = " ".join(
    f"WHEN s.document @@ CAST(:word_{weight} AS tsquery) THEN {worth}"
    for weight, worth in POINTS.items()
)
_SCORE = (
    f"{EXACT_NAME_POINTS} * (s.document @@ CAST(:name AS tsquery))::int "
    f"+ {NAME_PREFIX_POINTS} * (s.document @@ CAST(:name_prefix AS tsquery))::int "
    f"+ CASE {_POINTS} ELSE 0 END "
    "+ CAST(ts_rank(s.document, CAST(:match AS tsquery), 32) AS double precision)"
)
_NODE = (
    "CASE s.kind WHEN 'company' THEN json_build_object('slug', c.slug, 'name', c.name) "
    "WHEN 'person' THEN json_build_object('slug', p.slug, 'name', p.name) "
    "WHEN 'deal' THEN json_build_object('key', d.key) "
    "ELSE json_build_object('slug', so.slug) END"
)
Q6 = data(
    "search",
    "json_build_object('hits', "
    + array(
        "json_build_object('kind', upper(h.kind), 'score', h.score, 'node', h.node)",
        f"(SELECT s.kind, s.row_id, {_SCORE} AS score, {_NODE} AS node "
        "FROM search_index s "
        "LEFT JOIN company c ON s.kind = 'company' AND c.id = s.row_id "
        "LEFT JOIN person p ON s.kind = 'person' AND p.id = s.row_id "
        "LEFT JOIN deal d ON s.kind = 'deal' AND d.id = s.row_id "
        "LEFT JOIN source so ON s.kind = 'source' AND so.id = s.row_id "
        "WHERE s.document @@ CAST(:match AS tsquery) "
        "ORDER BY score DESC, s.kind, s.row_id LIMIT 20) h",
        "h.score DESC, h.kind, h.row_id",
    )
    + ")",
)

FLOORS = {"Q1": Q1, "Q2": Q2, "Q3": Q3, "Q4": Q4, "Q5": Q5, "Q6": Q6}


def search_params(word: str) -> dict[str, Any]:
    """The tsqueries Q6's floor takes for `word`, a lowercase word of letters and digits (a
    slug's first part), as the API's query parser reads it: one bare word, matched as a prefix."""
    if not (word.isalnum() and word.isascii() and word == word.lower()):
        raise ValueError(f"Q6's floor is written for one plain lowercase word, not {word!r}")
    prefix = lexeme(word) + ":*"
    words = {f"word_{weight}": f"{prefix}{weight}" for weight in POINTS}
    name, name_prefix = lexeme(word) + ":A", prefix + "A"
    return words | {
        "name": name,
        "name_prefix": name_prefix,
        "match": f"({prefix}BCD) | {name_prefix}",
    }
