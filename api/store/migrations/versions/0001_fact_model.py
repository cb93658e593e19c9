"""the store as the fact model left it

Revision ID: 0001
Revises:
Create Date: 2026-12-03 08:20:48.403433
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column(
            "aliases", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("search_key", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column(
            "provenance", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_company_slug"), ["slug"], unique=True)

    op.create_table(
        "deal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value_amount", sa.Float(), nullable=True),
        sa.Column("value_currency", sa.String(), nullable=True),
        sa.Column("value_approximate", sa.Boolean(), nullable=True),
        sa.Column("value_text", sa.String(), nullable=True),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "ACQUISITION",
                "MERGER",
                "STAKE_PURCHASE",
                "PARTNERSHIP",
                name="dealkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "RUMORED",
                "IN_TALKS",
                "ANNOUNCED",
                "AGREED",
                "COMPLETED",
                "CANCELLED",
                name="dealstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("announced_on", sa.Date(), nullable=True),
        sa.Column(
            "announced_precision",
            sa.Enum("DAY", "MONTH", "YEAR", name="precision", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column(
            "completed_precision",
            sa.Enum("DAY", "MONTH", "YEAR", name="precision", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column(
            "tranches", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "valuation", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.Column(
            "terms", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "non_exhaustive_roles",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deal_announced_on"), ["announced_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_deal_key"), ["key"], unique=True)

    op.create_table(
        "meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column(
            "aliases", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("search_key", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column(
            "provenance", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_slug"), ["slug"], unique=True)

    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("publisher", sa.String(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column(
            "published_precision",
            sa.Enum("DAY", "MONTH", "YEAR", name="precision", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column(
            "provenance", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_slug"), ["slug"], unique=True)

    op.create_table(
        "deal_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "ACQUIRER",
                "TARGET",
                "SELLER",
                "INVESTOR",
                "PARTNER",
                name="dealrole",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("stake_percent", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
        ),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("deal_id", "company_id", "role"),
    )
    with op.batch_alter_table("deal_party", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deal_party_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deal_party_deal_id"), ["deal_id"], unique=False)

    op.create_table(
        "investment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value_amount", sa.Float(), nullable=True),
        sa.Column("value_currency", sa.String(), nullable=True),
        sa.Column("value_approximate", sa.Boolean(), nullable=True),
        sa.Column("value_text", sa.String(), nullable=True),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("investee_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "RUMORED",
                "IN_TALKS",
                "ANNOUNCED",
                "AGREED",
                "COMPLETED",
                "CANCELLED",
                name="dealstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("announced_on", sa.Date(), nullable=True),
        sa.Column(
            "announced_precision",
            sa.Enum("DAY", "MONTH", "YEAR", name="precision", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("stake_percent", sa.Float(), nullable=True),
        sa.Column("round", sa.String(), nullable=True),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deal.id"],
        ),
        sa.ForeignKeyConstraint(
            ["investee_id"],
            ["company.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("investment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_investment_investee_id"), ["investee_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_investment_key"), ["key"], unique=True)

    op.create_table(
        "metric",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("market", sa.String(), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("period", sa.String(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("approximate", sa.Boolean(), nullable=False),
        sa.Column("forecast", sa.Boolean(), nullable=False),
        sa.Column("also", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("among", sa.String(), nullable=True),
        sa.Column("ranked_by", sa.String(), nullable=True),
        sa.CheckConstraint(
            "CASE WHEN company_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN market IS NOT NULL THEN 1 ELSE 0 END = 1",
            name="metric_has_one_subject",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_metric_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_metric_market"), ["market"], unique=False)

    op.create_table(
        "role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "POSITION", "FOUNDER", "CO_FOUNDER", name="rolekind", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("is_ceo", sa.Boolean(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column(
            "started_precision",
            sa.Enum("DAY", "MONTH", "YEAR", name="precision", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column(
            "ended_precision",
            sa.Enum("DAY", "MONTH", "YEAR", name="precision", native_enum=False, length=32),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "company_id", "title"),
    )
    with op.batch_alter_table("role", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_role_person_id"), ["person_id"], unique=False)

    op.create_table(
        "investment_investor",
        sa.Column("investment_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
        ),
        sa.ForeignKeyConstraint(
            ["investment_id"],
            ["investment.id"],
        ),
        sa.PrimaryKeyConstraint("investment_id", "company_id"),
    )
    with op.batch_alter_table("investment_investor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_investment_investor_company_id"), ["company_id"], unique=False
        )

    op.create_table(
        "stake",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "OWNED",
                "CONTROLLING",
                "MAJOR",
                "MINORITY",
                "BACKER",
                "UNDISCLOSED",
                name="stakekind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("percent", sa.Float(), nullable=True),
        sa.Column(
            "percent_range", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.Column("current", sa.Boolean(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column(
            "as_of_precision",
            sa.Enum("DAY", "MONTH", "YEAR", name="precision", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column("investment_id", sa.Integer(), nullable=True),
        sa.Column(
            "change",
            sa.Enum("ACQUIRED", "SOLD", "KEPT", name="stakechange", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("in_force", sa.Boolean(), nullable=True),
        sa.Column("held_from", sa.Date(), nullable=True),
        sa.Column("held_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
        ),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deal.id"],
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["company.id"],
        ),
        sa.ForeignKeyConstraint(
            ["investment_id"],
            ["investment.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("holder_id", "company_id"),
    )
    with op.batch_alter_table("stake", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stake_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stake_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stake_holder_id"), ["holder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stake_investment_id"), ["investment_id"], unique=False)

    op.create_table(
        "conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column("investment_id", sa.Integer(), nullable=True),
        sa.Column("stake_id", sa.Integer(), nullable=True),
        sa.Column("metric_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.CheckConstraint(
            "CASE WHEN role_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN deal_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN investment_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN stake_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN metric_id IS NOT NULL THEN 1 ELSE 0 END = 1",
            name="conflict_has_one_subject",
        ),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deal.id"],
        ),
        sa.ForeignKeyConstraint(
            ["investment_id"],
            ["investment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metric.id"],
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["role.id"],
        ),
        sa.ForeignKeyConstraint(
            ["stake_id"],
            ["stake.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conflict_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_conflict_investment_id"), ["investment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_conflict_metric_id"), ["metric_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conflict_role_id"), ["role_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conflict_stake_id"), ["stake_id"], unique=False)

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column("investment_id", sa.Integer(), nullable=True),
        sa.Column("stake_id", sa.Integer(), nullable=True),
        sa.Column("metric_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.String(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "CASE WHEN company_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN person_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN role_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN deal_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN investment_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN stake_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN metric_id IS NOT NULL THEN 1 ELSE 0 END = 1",
            name="evidence_has_one_subject",
        ),
        sa.CheckConstraint("start_offset >= 0 AND end_offset > start_offset", name="evidence_span"),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
        ),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deal.id"],
        ),
        sa.ForeignKeyConstraint(
            ["investment_id"],
            ["investment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metric.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["role.id"],
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
        ),
        sa.ForeignKeyConstraint(
            ["stake_id"],
            ["stake.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_evidence_investment_id"), ["investment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_evidence_metric_id"), ["metric_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_role_id"), ["role_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_stake_id"), ["stake_id"], unique=False)

    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column("investment_id", sa.Integer(), nullable=True),
        sa.Column("stake_id", sa.Integer(), nullable=True),
        sa.Column("metric_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column(
            "value", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "rank",
            sa.Enum(
                "PREFERRED", "NORMAL", "DEPRECATED", name="claimrank", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("rank_reason", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("attributed_company_id", sa.Integer(), nullable=True),
        sa.Column("attributed_person_id", sa.Integer(), nullable=True),
        sa.Column("conflict_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "CASE WHEN role_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN deal_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN investment_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN stake_id IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN metric_id IS NOT NULL THEN 1 ELSE 0 END = 1",
            name="claim_has_one_subject",
        ),
        sa.ForeignKeyConstraint(
            ["attributed_company_id"],
            ["company.id"],
        ),
        sa.ForeignKeyConstraint(
            ["attributed_person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["conflict_id"],
            ["conflict.id"],
        ),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deal.id"],
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
        ),
        sa.ForeignKeyConstraint(
            ["investment_id"],
            ["investment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metric.id"],
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["role.id"],
        ),
        sa.ForeignKeyConstraint(
            ["stake_id"],
            ["stake.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_conflict_id"), ["conflict_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_evidence_id"), ["evidence_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_investment_id"), ["investment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_metric_id"), ["metric_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_role_id"), ["role_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_stake_id"), ["stake_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_stake_id"))
        batch_op.drop_index(batch_op.f("ix_claim_role_id"))
        batch_op.drop_index(batch_op.f("ix_claim_metric_id"))
        batch_op.drop_index(batch_op.f("ix_claim_investment_id"))
        batch_op.drop_index(batch_op.f("ix_claim_evidence_id"))
        batch_op.drop_index(batch_op.f("ix_claim_deal_id"))
        batch_op.drop_index(batch_op.f("ix_claim_conflict_id"))

    op.drop_table("claim")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_stake_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_source_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_role_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_person_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_metric_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_investment_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_deal_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_company_id"))

    op.drop_table("evidence")
    with op.batch_alter_table("conflict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflict_stake_id"))
        batch_op.drop_index(batch_op.f("ix_conflict_role_id"))
        batch_op.drop_index(batch_op.f("ix_conflict_metric_id"))
        batch_op.drop_index(batch_op.f("ix_conflict_investment_id"))
        batch_op.drop_index(batch_op.f("ix_conflict_deal_id"))

    op.drop_table("conflict")
    with op.batch_alter_table("stake", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stake_investment_id"))
        batch_op.drop_index(batch_op.f("ix_stake_holder_id"))
        batch_op.drop_index(batch_op.f("ix_stake_deal_id"))
        batch_op.drop_index(batch_op.f("ix_stake_company_id"))

    op.drop_table("stake")
    with op.batch_alter_table("investment_investor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investment_investor_company_id"))

    op.drop_table("investment_investor")
    with op.batch_alter_table("role", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_person_id"))
        batch_op.drop_index(batch_op.f("ix_role_company_id"))

    op.drop_table("role")
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_metric_market"))
        batch_op.drop_index(batch_op.f("ix_metric_company_id"))

    op.drop_table("metric")
    with op.batch_alter_table("investment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investment_key"))
        batch_op.drop_index(batch_op.f("ix_investment_investee_id"))

    op.drop_table("investment")
    with op.batch_alter_table("deal_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deal_party_deal_id"))
        batch_op.drop_index(batch_op.f("ix_deal_party_company_id"))

    op.drop_table("deal_party")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_slug"))

    op.drop_table("source")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_slug"))

    op.drop_table("person")
    op.drop_table("meta")
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deal_key"))
        batch_op.drop_index(batch_op.f("ix_deal_announced_on"))

    op.drop_table("deal")
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_slug"))

    op.drop_table("company")
