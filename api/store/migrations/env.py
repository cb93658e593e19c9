"""How Alembic runs a migration: on the connection `api.store.migrate` hands it, against the
models' metadata."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import JSON
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from api.store import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from api.store.search import TABLE as SEARCH_INDEX


def _ours(name: str | None, type_: str, _parent_names: Any) -> bool:
    # The search index is derived data the loader rebuilds at each load (FTS5 adds shadow tables
    # of its own), not schema that migrations own.
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_INDEX))


def _render(type_: str, obj: Any, context: AutogenContext) -> str | Literal[False]:
    # SQLModel's text type is a plain VARCHAR: written so, migrations need no SQLModel import.
    if type_ == "type" and isinstance(obj, AutoString):
        return "sa.String()"
    # `models.JSON_VALUE`, written as it is declared.
    if type_ == "type" and isinstance(obj, JSON) and obj._variant_mapping:
        context.imports.add("from sqlalchemy.dialects import postgresql")
        return 'sa.JSON().with_variant(postgresql.JSONB(), "postgresql")'
    return False


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        include_name=_ours,
        render_item=_render,
        # SQLite alters a table by copying it; batch mode writes migrations that way.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
