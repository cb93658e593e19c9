"""The compiled read path of REST: a list or item whose objects hold only properties it knows is
read by one SQL statement that builds each object's JSON in the database (`api.store.json_sql`),
and the JSON texts are spliced into the response as they are. The converters of each type answer
everything else, property for property the same (`tests/rest/test_compiled.py` compares both).

The statement wraps the very query the converters' path reads its page or item with, so filters,
order and cursors are the store's own.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Row, Select, literal_column, select
from sqlalchemy.sql.util import ClauseAdapter
from sqlmodel import Session

from api.rest.include import Include, Table, Tree
from api.store.json_sql import JsonSql, json_sql
from api.store.paging import Ordering
from api.vocab import DealKind, DealRole, DealStatus

# The alias of the rows the statement's objects are built from.
ANSWER = "answer"
# The column that holds each object's JSON.
JSON_COLUMN = "answer_json"


class NotCompiled(Exception):
    """Something the compiled path leaves to the converters."""


# A property's SQL, given the builder and the alias of the row it reads from.
PropertySql = Callable[["ObjectSql", str], str]
# An included relation's SQL, given the builder, the row's alias and what to embed in turn.
RelationSql = Callable[["ObjectSql", str, Tree], str]


@dataclass
class ObjectSql:
    """Builds the SQL of one type's JSON objects, as `include` and `fields[...]` shape them."""

    sql: JsonSql
    include: Include
    _aliases: Iterator[int] = field(default_factory=itertools.count)

    def alias(self) -> str:
        return f"r{next(self._aliases)}"

    def object(self, type_name: str, row: str, tree: Tree) -> str:
        pairs = []
        for name in self.include.kept(type_name, tree):
            if name in tree:
                relation = RELATIONS.get(type_name, {}).get(name)
                if relation is None:
                    raise NotCompiled(f"{type_name}.{name} included")
                pairs.append((name, relation(self, row, tree[name])))
                continue
            value = PROPERTIES.get(type_name, {}).get(name)
            if value is None:
                raise NotCompiled(f"{type_name}.{name}")
            pairs.append((name, value(self, row)))
        return self.sql.json_object(pairs)


def _column(template: str) -> PropertySql:
    return lambda _builder, row: template.format(row=row)


def _global_id(type_name: str, key: str) -> PropertySql:
    return lambda builder, row: builder.sql.global_id(type_name, f"{row}.{key}")


def _enum(members: type[StrEnum], name: str) -> PropertySql:
    """A text-enum column (`models.text_enum`, which stores member names) as its member's value."""
    cases = " ".join(f"WHEN '{m.name}' THEN '{m.value}'" for m in members)
    return lambda _builder, row: f"CASE {row}.{name} {cases} END"


def _ref(type_name: str, row: str, sql: JsonSql) -> str:
    """`responses.to_ref`."""
    key = sql.global_id(type_name, f"{row}.slug")
    return sql.json_object([("id", key), ("slug", f"{row}.slug"), ("name", f"{row}.name")])


def _one_of(
    builder: ObjectSql,
    table: str,
    where: Callable[[str], str],
    value: Callable[[JsonSql, str], str],
) -> str:
    """The JSON `value(sql, alias)` of the one row of `table` where `where(alias)` holds."""
    row = builder.alias()
    select_one = f"SELECT {value(builder.sql, row)} FROM {table} {row} WHERE {where(row)}"
    return builder.sql.subquery(select_one)


def _company_ref(sql: JsonSql, row: str) -> str:
    return _ref("Company", row, sql)


def _person_ref(sql: JsonSql, row: str) -> str:
    return _ref("Person", row, sql)


def _source_ref(sql: JsonSql, row: str) -> str:
    """`responses.SourceRef`."""
    key = sql.global_id("Source", f"{row}.slug")
    return sql.json_object([("id", key), ("slug", f"{row}.slug"), ("title", f"{row}.title")])


def _evidence(subject: str) -> PropertySql:
    """`claims.evidence_out`: the quotes naming or stating the row, by source and place in it."""

    def value(builder: ObjectSql, row: str) -> str:
        sql, quote = builder.sql, builder.alias()
        order = f"{quote}.source_id, {quote}.start_offset, {quote}.id"
        source = _one_of(
            builder, "source", lambda source: f"{source}.id = {quote}.source_id", _source_ref
        )
        element = sql.json_object(
            [
                ("quote", f"{quote}.quote"),
                ("start_offset", f"{quote}.start_offset"),
                ("end_offset", f"{quote}.end_offset"),
                ("source", source),
            ]
        )
        rows = (
            f"(SELECT * FROM evidence {quote} WHERE {quote}.{subject} = {row}.id "
            f"ORDER BY {order}) {quote}"
        )
        return sql.array(element, rows, order)

    return value


def _entity(type_name: str, subject: str) -> dict[str, PropertySql]:
    """What companies and people share (`models.EntityColumns`)."""
    return {
        "id": _global_id(type_name, "slug"),
        "slug": _column("{row}.slug"),
        "name": _column("{row}.name"),
        "aliases": lambda builder, row: builder.sql.json_column(f"{row}.aliases"),
        "description": _column("{row}.description"),
        "provenance": lambda builder, row: builder.sql.records(
            f"{row}.provenance", PROVENANCE, builder.alias()
        ),
        "evidence": _evidence(subject),
    }


# `vocab.Provenance`'s fields: the store keeps each without its null ones.
PROVENANCE = ("field", "value", "stated", "source", "quote", "start_offset", "end_offset", "reason")


def _ceo_ref(builder: ObjectSql, row: str) -> str:
    return _one_of(
        builder,
        "person",
        lambda person: f"{person}.id = {builder.sql.ceo_of(f'{row}.id')}",
        _person_ref,
    )


def _money(builder: ObjectSql, row: str) -> str:
    """`models.MoneyColumns.money`."""
    sql = builder.sql
    money = sql.json_object(
        [
            ("amount", f"{row}.value_amount"),
            ("currency", f"{row}.value_currency"),
            ("approximate", sql.boolean(f"{row}.value_approximate")),
            ("text", f"coalesce({row}.value_text, '')"),
        ]
    )
    return sql.nullable(sql.has_money(row), money)


def _parties(builder: ObjectSql, row: str) -> str:
    """`deals.parties_of_deals`: every party, in the order the sources list them."""
    sql, party = builder.sql, builder.alias()
    company = _one_of(
        builder, "company", lambda company: f"{company}.id = {party}.company_id", _company_ref
    )
    element = sql.json_object(
        [
            ("company", company),
            ("role", _enum(DealRole, "role")(builder, party)),
            ("stake_percent", f"{party}.stake_percent"),
        ]
    )
    rows = (
        f"(SELECT * FROM deal_party {party} WHERE {party}.deal_id = {row}.id "
        f"ORDER BY {party}.id) {party}"
    )
    return sql.array(element, rows, f"{party}.id")


def _disputed(builder: ObjectSql, row: str) -> str:
    """`claims.fact_parts`: the fields whose claims disagree, in the order of the claims."""
    claim = builder.alias()
    rows = (
        f"(SELECT DISTINCT {claim}.field FROM claim {claim} WHERE {claim}.deal_id = {row}.id "
        f"AND {claim}.conflict_id IS NOT NULL ORDER BY {claim}.field) {claim}"
    )
    return builder.sql.array(f"{claim}.field", rows, f"{claim}.field")


PROPERTIES: dict[str, dict[str, PropertySql]] = {
    "Company": _entity("Company", "company_id") | {"ceo": _ceo_ref},
    "Person": _entity("Person", "person_id"),
    "Deal": {
        "id": _global_id("Deal", "key"),
        "key": _column("{row}.key"),
        "kind": _enum(DealKind, "kind"),
        "status": _enum(DealStatus, "status"),
        "announced_on": lambda builder, row: builder.sql.partial_date(row, "announced"),
        "completed_on": lambda builder, row: builder.sql.partial_date(row, "completed"),
        "value": _money,
        "parties": _parties,
        "disputed": _disputed,
        "evidence": _evidence("deal_id"),
    },
}


def _included_ceo(builder: ObjectSql, row: str, tree: Tree) -> str:
    person = builder.alias()
    found = f"{person}.id = {builder.sql.ceo_of(f'{row}.id')}"
    value = builder.object("Person", person, tree)
    return builder.sql.subquery(f"SELECT {value} FROM person {person} WHERE {found}")


def _included_deals(builder: ObjectSql, row: str, tree: Tree) -> str:
    """`companies._deals`: a company's deals, newest first, `include_limit` of them."""
    sql, deal = builder.sql, builder.alias()
    order = sql.newest_first(deal)
    where = f"{deal}.id IN {sql.deals_of_company(f'{row}.id', None)}"
    rows = sql.page("deal", deal, where, order, str(builder.include.limit))
    return sql.array(builder.object("Deal", deal, tree), rows, order)


def _included_parties(role: DealRole) -> RelationSql:
    """`deals._parties`: the companies in one role, in the order the sources list them."""

    def value(builder: ObjectSql, row: str, tree: Tree) -> str:
        party, company = builder.alias(), builder.alias()
        rows = (
            f"(SELECT {company}.*, {party}.id AS party_order FROM deal_party {party} "
            f"JOIN company {company} ON {company}.id = {party}.company_id "
            f"WHERE {party}.deal_id = {row}.id AND {party}.role = '{role.name}' "
            f"ORDER BY {party}.id LIMIT {builder.include.limit}) {company}"
        )
        element = builder.object("Company", company, tree)
        return builder.sql.array(element, rows, f"{company}.party_order")

    return value


RELATIONS: dict[str, dict[str, RelationSql]] = {
    "Company": {"ceo": _included_ceo, "deals": _included_deals},
    "Deal": {
        "acquirers": _included_parties(DealRole.ACQUIRER),
        "targets": _included_parties(DealRole.TARGET),
        "sellers": _included_parties(DealRole.SELLER),
    },
}


def compiled_rows(
    session: Session,
    query: Select[Any],
    *,
    type_name: str,
    include: Include | None,
    table: Table,
    ordering: Ordering | None = None,
) -> Sequence[Row[Any]] | None:
    """The rows `query` reads, each with its object's JSON text in `JSON_COLUMN` beside its plain
    columns (for cursors), in `ordering`; None when the converters must answer."""
    sql = json_sql(session.get_bind().dialect.name)
    builder = ObjectSql(sql, include or Include({}, 0, table))
    try:
        value = builder.object(type_name, ANSWER, builder.include.tree)
    except NotCompiled:
        return None
    rows = query.subquery(ANSWER)
    plain = [column for column in rows.c if not isinstance(column.type, JSON)]
    statement = select(*plain, literal_column(sql.as_text(value)).label(JSON_COLUMN))
    statement = statement.select_from(rows)
    if ordering is not None:
        adapter = ClauseAdapter(rows)
        statement = statement.order_by(*(adapter.traverse(c) for c in ordering.order_by()))
    return session.execute(statement).all()


def json_texts(rows: Sequence[Row[Any]]) -> Iterator[bytes]:
    for row in rows:
        text: str = getattr(row, JSON_COLUMN)
        yield text.encode()
