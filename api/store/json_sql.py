"""SQL that builds JSON in the database, for the compiled read path (`api.graphql.compiled`): the
same pieces for SQLite's JSON1 and for PostgreSQL. Each rule here restates one that the store's
Python reads follow, named in its docstring; `tests/graphql/test_compiled.py` checks that both
give the same answers.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import OperationalError

from api.store.db import GLOBAL_ID_FUNCTION
from api.store.filters import NO_VALUE
from api.vocab import Direction, SortField


class JsonSql:
    """SQLite's JSON1. SQLite drops the JSON subtype of a value that leaves a subquery, so a
    subquery's JSON is wrapped in `json()` to nest as JSON rather than as a string."""

    # `paging.NO_DATE`: where undated rows sort, below every real date.
    NO_DATE = "'0001-01-01'"
    OBJECT = "json_object"

    def json_object(self, pairs: Sequence[tuple[str, str]]) -> str:
        """An object of these keys and values; keys are GraphQL names (letters, digits, _)."""
        return f"{self.OBJECT}(" + ", ".join(f"'{key}', {value}" for key, value in pairs) + ")"

    def subquery(self, select: str) -> str:
        """The JSON a one-row, one-column select builds, or null if it finds no row."""
        return f"json(({select}))"

    def array(self, element: str, rows: str, order: str) -> str:
        """A JSON array of `element` for each row of `rows` in `order`, [] if none. SQLite keeps
        the order of `rows`, which `page` sorts: its aggregates take no ORDER BY."""
        return f"json((SELECT json_group_array({element}) FROM {rows}))"

    def nullable(self, condition: str, value: str) -> str:
        """`value` (JSON) where `condition` holds, else null."""
        return f"json(CASE WHEN {condition} THEN {value} END)"

    def boolean(self, value: str) -> str:
        """true or false; null counts as false, as Python's `bool()` has it."""
        return f"json(CASE WHEN {value} THEN 'true' ELSE 'false' END)"

    def nullable_boolean(self, value: str) -> str:
        return (
            f"json(CASE WHEN {value} IS NULL THEN 'null' WHEN {value} THEN 'true' ELSE 'false' END)"
        )

    def json_column(self, value: str) -> str:
        return f"json({value})"

    def global_id(self, type_name: str, key: str) -> str:
        """`ids.to_global_id`, by the function the store's SQLite connections define."""
        return f"{GLOBAL_ID_FUNCTION}('{type_name}', {key})"

    def partial_date(self, row: str, name: str) -> str:
        """`dates.format_partial_date`: the ISO-8601 prefix the stated precision allows."""
        day, precision = f"{row}.{name}_on", f"{row}.{name}_precision"
        return (
            f"CASE {precision} WHEN 'DAY' THEN {day} WHEN 'MONTH' THEN substr({day}, 1, 7) "
            f"WHEN 'YEAR' THEN substr({day}, 1, 4) END"
        )

    def as_text(self, value: str) -> str:
        """JSON as text, to splice into a response."""
        return value

    def result(self, value: str) -> str:
        """A root field's statement: its JSON as text."""
        return f"SELECT {self.as_text(value)}"

    def records(self, column: str, keys: Sequence[str], alias: str) -> str:
        """A JSON column holding an array of objects, each with exactly `keys` (null for those it
        lacks), in the array's order."""
        pairs = [(key, f"{alias}.value -> '$.{key}'") for key in keys]
        element = self.json_object(pairs)
        return f"json((SELECT json_group_array({element}) FROM json_each({column}) {alias}))"

    # The rest is the same SQL on both engines.

    def text(self, literal: str) -> str:
        """A string constant; `literal` is a GraphQL name."""
        return f"CAST('{literal}' AS TEXT)"

    def page(self, table: str, alias: str, where: str, order: str, limit: str) -> str:
        """One page of a table's rows, as a table: sorted and cut before any JSON is built."""
        return (
            f"(SELECT * FROM {table} {alias} WHERE {where} ORDER BY {order} LIMIT {limit}) {alias}"
        )

    def has_money(self, row: str) -> str:
        """`models.MoneyColumns.money`: a value needs an amount and a currency."""
        return f"{row}.value_amount IS NOT NULL AND {row}.value_currency IS NOT NULL"

    def newest_first(self, row: str) -> str:
        """`deals.deal_ordering()` and `investments.investment_ordering()`: newest first, undated
        last, ties by id."""
        return self.fact_order(row, SortField.ANNOUNCED_ON, Direction.DESC)

    def fact_order(self, row: str, field: SortField, direction: Direction) -> str:
        """`filters.fact_ordering`: one field, then id, all one way; facts without the field
        sort lowest."""
        by = {
            SortField.ANNOUNCED_ON: f"coalesce({row}.announced_on, {self.NO_DATE})",
            SortField.VALUE_USD: f"coalesce({self.value_usd(row)}, {NO_VALUE})",
            SortField.KEY: f"{row}.key",
        }[field]
        way = "DESC" if direction is Direction.DESC else "ASC"
        return f"{by} {way}, {row}.id {way}"

    def value_usd(self, row: str) -> str:
        """`filters.value_usd`: no exchange rates are stored, so only a value stated in USD."""
        return f"CASE WHEN {row}.value_currency = 'USD' THEN {row}.value_amount END"

    def ceo_of(self, company_id: str) -> str:
        """`companies.ceos_of_companies`: the person holding a CEO role not stated to have
        ended, the latest stated first."""
        return (
            "(SELECT r.person_id FROM role r "
            f"WHERE r.company_id = {company_id} AND r.is_ceo AND r.current IS NOT FALSE "
            "AND (r.current IS TRUE OR r.ended_on IS NULL) "
            "ORDER BY r.current DESC NULLS LAST, r.id DESC LIMIT 1)"
        )

    def companies_in_role(self, deal: str, role: str, aliases: tuple[str, str], limit: str) -> str:
        """`deals.parties_of_deals`: the companies in one role of the deal row `deal`, in the
        order the sources list them (`party_order`), as a table named by the second alias."""
        party, company = aliases
        return (
            f"(SELECT {company}.*, {party}.id AS party_order FROM deal_party {party} "
            f"JOIN company {company} ON {company}.id = {party}.company_id "
            f"WHERE {party}.deal_id = {deal}.id AND {party}.role = '{role}' "
            f"ORDER BY {party}.id LIMIT {limit}) {company}"
        )

    def deals_of_company(self, company_id: str, role: str | None) -> str:
        """`deals.deals_of_companies`: the ids of a company's deals, in any role or in one."""
        only = "" if role is None else f" AND role = '{role}'"
        return f"(SELECT deal_id FROM deal_party WHERE company_id = {company_id}{only})"


class PostgresJsonSql(JsonSql):
    NO_DATE = "DATE '0001-01-01'"
    OBJECT = "json_build_object"

    def subquery(self, select: str) -> str:
        return f"({select})"

    def array(self, element: str, rows: str, order: str) -> str:
        return f"coalesce((SELECT json_agg({element} ORDER BY {order}) FROM {rows}), '[]'::json)"

    def nullable(self, condition: str, value: str) -> str:
        return f"CASE WHEN {condition} THEN {value} END"

    def boolean(self, value: str) -> str:
        return f"coalesce({value}, false)"

    def nullable_boolean(self, value: str) -> str:
        return value

    def json_column(self, value: str) -> str:
        return value

    def global_id(self, type_name: str, key: str) -> str:
        # url-safe base64 without padding; PostgreSQL breaks base64 into lines of 76.
        encoded = f"encode(convert_to('{type_name}:' || {key}, 'UTF8'), 'base64')"
        return f"rtrim(translate({encoded}, '+/' || chr(10), '-_'), '=')"

    def partial_date(self, row: str, name: str) -> str:
        day, precision = f"{row}.{name}_on", f"{row}.{name}_precision"
        return (
            f"CASE {precision} WHEN 'DAY' THEN to_char({day}, 'YYYY-MM-DD') "
            f"WHEN 'MONTH' THEN to_char({day}, 'YYYY-MM') "
            f"WHEN 'YEAR' THEN to_char({day}, 'YYYY') END"
        )

    def as_text(self, value: str) -> str:
        # As text, which orjson parses faster than the driver would.
        return f"({value})::text"

    def records(self, column: str, keys: Sequence[str], alias: str) -> str:
        element = self.json_object([(key, f"{alias}.value -> '{key}'") for key in keys])
        return (
            f"coalesce((SELECT json_agg({element} ORDER BY {alias}.position) "
            f"FROM jsonb_array_elements({column}) WITH ORDINALITY {alias}(value, position)), "
            "'[]'::json)"
        )


def too_deep(error: OperationalError) -> bool:
    """Whether SQLite could not parse a statement for its nesting: versions before 3.51 (such as
    Python's own on Debian 12) overflow their parser's stack on deeply nested JSON."""
    return "parser stack overflow" in str(error)


def json_sql(dialect: str) -> JsonSql:
    """The pieces for the store's engine."""
    return PostgresJsonSql() if dialect == "postgresql" else JsonSql()
