"""SQL that builds JSON in the database (SQLite's JSON1), for the compiled read path
(`api.graphql.compiled`). Each rule here restates one that the store's Python reads follow, named
in its docstring; `tests/graphql/test_compiled.py` checks that both give the same answers.

SQLite drops the JSON subtype of a value that leaves a subquery, so a subquery's JSON is wrapped
in `json()` to nest as JSON rather than as a string.
"""

from __future__ import annotations

from collections.abc import Sequence

from api.store.db import GLOBAL_ID_FUNCTION

# `paging.NO_DATE`: where undated rows sort, below every real date.
NO_DATE = "'0001-01-01'"


def json_object(pairs: Sequence[tuple[str, str]]) -> str:
    """An object of these keys and SQL values. Keys are GraphQL names: letters, digits and _."""
    return "json_object(" + ", ".join(f"'{key}', {value}" for key, value in pairs) + ")"


def subquery(select: str) -> str:
    """The JSON a one-row, one-column select builds, or null if it finds no row."""
    return f"json(({select}))"


def array(element: str, rows: str) -> str:
    """A JSON array of `element` for each row of `rows`, in their order; [] if none."""
    return f"json((SELECT json_group_array({element}) FROM {rows}))"


def page(table: str, alias: str, where: str, order: str, limit: str) -> str:
    """One page of a table's rows, as a table: sorted and cut before any JSON is built."""
    return f"(SELECT * FROM {table} {alias} WHERE {where} ORDER BY {order} LIMIT {limit}) {alias}"


def boolean(value: str) -> str:
    """true or false; null counts as false, as Python's `bool()` has it."""
    return f"json(CASE WHEN {value} THEN 'true' ELSE 'false' END)"


def global_id(type_name: str, key: str) -> str:
    """`ids.to_global_id`, through the function the store's SQLite connections define."""
    return f"{GLOBAL_ID_FUNCTION}('{type_name}', {key})"


def partial_date(row: str, name: str) -> str:
    """`dates.format_partial_date`: the ISO-8601 prefix that the stated precision allows."""
    day, precision = f"{row}.{name}_on", f"{row}.{name}_precision"
    return (
        f"CASE {precision} WHEN 'DAY' THEN {day} WHEN 'MONTH' THEN substr({day}, 1, 7) "
        f"WHEN 'YEAR' THEN substr({day}, 1, 4) END"
    )


def has_money(row: str) -> str:
    """`models.MoneyColumns.money`: a value needs an amount and a currency."""
    return f"{row}.value_amount IS NOT NULL AND {row}.value_currency IS NOT NULL"


def newest_first(row: str) -> str:
    """`deals.deal_ordering()`: newest first, undated last, ties by id."""
    return f"coalesce({row}.announced_on, {NO_DATE}) DESC, {row}.id DESC"


def ceo_of(company_id: str) -> str:
    """`companies.ceos_of_companies`: the person holding a CEO role not stated to have ended,
    the latest stated first."""
    return (
        "(SELECT r.person_id FROM role r "
        f"WHERE r.company_id = {company_id} AND r.is_ceo AND r.current IS NOT 0 "
        "AND (r.current = 1 OR r.ended_on IS NULL) "
        "ORDER BY r.current DESC NULLS LAST, r.id DESC LIMIT 1)"
    )


def deals_of_company(company_id: str, role: str | None) -> str:
    """`deals.deals_of_companies`: the ids of a company's deals, in any role or in one."""
    only = "" if role is None else f" AND role = '{role}'"
    return f"(SELECT deal_id FROM deal_party WHERE company_id = {company_id}{only})"
