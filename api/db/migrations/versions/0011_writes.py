"""Writes: how a statement is attributed, the request behind each audit row, idempotency keys.

`statement.attribution` says whether the source names the speaker at the statement
(`explicit`) or only its context does (`implied`); a statement without a speaker has none.
Existing statements with a speaker were all named at the quote: they become `explicit`.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 09:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "statement",
        sa.Column(
            "attribution",
            sa.Enum(
                "explicit", "implied", name="attribution", native_enum=False,
                create_constraint=True, length=32,
            ),
            nullable=True,
        ),
    )
    op.execute("ALTER TABLE statement DISABLE TRIGGER statement_touch")
    op.execute("UPDATE statement SET attribution = 'explicit' WHERE speaker_id IS NOT NULL")
    op.execute("ALTER TABLE statement ENABLE TRIGGER statement_touch")
    op.create_check_constraint(
        "ck_statement_attribution_with_speaker",
        "statement",
        "(speaker_id IS NULL) = (attribution IS NULL)",
    )

    op.add_column("audit_log", sa.Column("request_id", sa.String(length=64), nullable=True))
    op.drop_index("ix_audit_log_entity_id", table_name="audit_log")
    op.create_index("ix_audit_log_history", "audit_log", ["entity_id", "entity", "id"])

    op.create_table(
        "idempotency_key",
        sa.Column("api_key_id", sa.String(length=120), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("headers", sa.dialects.postgresql.JSONB(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"], ["api_key.id"], name="fk_idempotency_key_api_key_id_api_key",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("api_key_id", "key", name="pk_idempotency_key"),
    )
    op.create_index("ix_idempotency_key_created_at", "idempotency_key", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_idempotency_key_created_at", table_name="idempotency_key")
    op.drop_table("idempotency_key")
    op.drop_index("ix_audit_log_history", table_name="audit_log")
    op.create_index("ix_audit_log_entity_id", "audit_log", ["entity_id"])
    op.drop_column("audit_log", "request_id")
    op.drop_constraint("ck_statement_attribution_with_speaker", "statement", type_="check")
    op.drop_column("statement", "attribution")
