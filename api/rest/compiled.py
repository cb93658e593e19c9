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
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.util import ClauseAdapter
from sqlmodel import Session

from api.rest.include import Include, Table, Tree
from api.store.json_sql import JsonSql, json_sql, too_deep
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


# A row's JSON, given the engine's SQL pieces and the row's alias.
RowJson = Callable[[JsonSql, str], str]


def _ref(type_name: str) -> RowJson:
    """`responses.to_ref`."""

    def value(sql: JsonSql, row: str) -> str:
        key = sql.global_id(type_name, f"{row}.slug")
        return sql.json_object([("id", key), ("slug", f"{row}.slug"), ("name", f"{row}.name")])

    return value


def _one_of(
    builder: ObjectSql,
    table: str,
    where: Callable[[str], str],
    value: RowJson,
) -> str:
    """The JSON `value(sql, alias)` of the one row of `table` where `where(alias)` holds."""
    row = builder.alias()
    select_one = f"SELECT {value(builder.sql, row)} FROM {table} {row} WHERE {where(row)}"
    return builder.sql.subquery(select_one)


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
        _ref("Person"),
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
        builder, "company", lambda company: f"{company}.id = {party}.company_id", _ref("Company")
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


def _disputed(subject: str) -> PropertySql:
    """`claims.fact_parts`: the fields whose claims disagree, in the order of the claims."""

    def value(builder: ObjectSql, row: str) -> str:
        claim = builder.alias()
        rows = (
            f"(SELECT DISTINCT {claim}.field FROM claim {claim} "
            f"WHERE {claim}.{subject} = {row}.id AND {claim}.conflict_id IS NOT NULL "
            f"ORDER BY {claim}.field) {claim}"
        )
        return builder.sql.array(f"{claim}.field", rows, f"{claim}.field")

    return value


def _investors(builder: ObjectSql, row: str, element: RowJson) -> str:
    """`investments.investors_of_investments`: every investor, by name."""
    link, company = builder.alias(), builder.alias()
    order = f"{company}.name, {company}.id"
    rows = (
        f"(SELECT {company}.* FROM investment_investor {link} "
        f"JOIN company {company} ON {company}.id = {link}.company_id "
        f"WHERE {link}.investment_id = {row}.id ORDER BY {order}) {company}"
    )
    return builder.sql.array(element(builder.sql, company), rows, order)


def _deal_id(builder: ObjectSql, row: str) -> str:
    deal = builder.alias()
    key = builder.sql.global_id("Deal", f"{deal}.key")
    return f"(SELECT {key} FROM deal {deal} WHERE {deal}.id = {row}.deal_id)"


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
        "disputed": _disputed("deal_id"),
        "evidence": _evidence("deal_id"),
    },
    "Investment": {
        "id": _global_id("Investment", "key"),
        "key": _column("{row}.key"),
        "status": _enum(DealStatus, "status"),
        "announced_on": lambda builder, row: builder.sql.partial_date(row, "announced"),
        "value": _money,
        "stake_percent": _column("{row}.stake_percent"),
        "round": _column("{row}.round"),
        "investors": lambda builder, row: _investors(builder, row, _ref("Company")),
        "investee": lambda builder, row: _one_of(
            builder, "company", lambda company: f"{company}.id = {row}.investee_id", _ref("Company")
        ),
        "deal_id": _deal_id,
        "disputed": _disputed("investment_id"),
        "evidence": _evidence("investment_id"),
    },
}


def _included_row(
    type_name: str, table: str, where: Callable[[ObjectSql, str, str], str]
) -> RelationSql:
    """An included object: the row of `table` for which `where(builder, row, found)` holds."""

    def value(builder: ObjectSql, row: str, tree: Tree) -> str:
        return _one_of(
            builder,
            table,
            lambda found: where(builder, row, found),
            lambda _sql, found: builder.object(type_name, found, tree),
        )

    return value


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
        limit = str(builder.include.limit)
        rows = builder.sql.companies_in_role(row, role.name, (party, company), limit)
        element = builder.object("Company", company, tree)
        return builder.sql.array(element, rows, f"{company}.party_order")

    return value


def _included_investments(builder: ObjectSql, row: str, tree: Tree) -> str:
    """`companies._investments`: those a company made or received, newest first."""
    sql, investment = builder.sql, builder.alias()
    order = sql.newest_first(investment)
    where = (
        f"({investment}.investee_id = {row}.id OR {investment}.id IN "
        f"(SELECT investment_id FROM investment_investor WHERE company_id = {row}.id))"
    )
    rows = sql.page("investment", investment, where, order, str(builder.include.limit))
    return sql.array(builder.object("Investment", investment, tree), rows, order)


def _included_investors(builder: ObjectSql, row: str, tree: Tree) -> str:
    """`investments._investors`: every investor (`include_limit` does not cut them)."""
    return _investors(builder, row, lambda _sql, company: builder.object("Company", company, tree))


RELATIONS: dict[str, dict[str, RelationSql]] = {
    "Company": {
        "ceo": _included_row(
            "Person", "person", lambda b, row, person: f"{person}.id = {b.sql.ceo_of(f'{row}.id')}"
        ),
        "deals": _included_deals,
        "investments": _included_investments,
    },
    "Investment": {
        "investors": _included_investors,
        "investee": _included_row(
            "Company", "company", lambda _b, row, company: f"{company}.id = {row}.investee_id"
        ),
    },
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
    try:
        return session.execute(statement).all()
    except OperationalError as error:
        if too_deep(error):
            return None
        raise


def json_texts(rows: Sequence[Row[Any]]) -> Iterator[bytes]:
    for row in rows:
        text: str = getattr(row, JSON_COLUMN)
        yield text.encode()
