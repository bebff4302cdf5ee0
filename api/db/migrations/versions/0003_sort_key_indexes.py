"""Indexes on the list sorts' keys, so that every page (first or deep) is an index range scan.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 10:00:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: name -> (table, key expressions); NULL dates sort last in both directions.
INDEXES = {
    "ix_statement_reading_order": ("statement", "source_id, span_start, id"),
    "ix_statement_said_on_latest": ("statement", "coalesce(said_on, '9999-12-30'::date), id"),
    "ix_statement_said_on_earliest": ("statement", "coalesce(said_on, '0001-01-02'::date), id"),
    "ix_event_start_latest": ("event", "coalesce(start_date, '9999-12-30'::date), id"),
    "ix_event_start_earliest": ("event", "coalesce(start_date, '0001-01-02'::date), id"),
}


def upgrade() -> None:
    op.drop_index("ix_statement_said_on_id", table_name="statement")
    op.drop_index("ix_statement_source_id_span_start", table_name="statement")
    op.drop_index("ix_event_start_date", table_name="event")
    for name, (table, keys) in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {table} ({keys})")


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX {name}")
    op.create_index("ix_event_start_date", "event", ["start_date"])
    op.create_index("ix_statement_source_id_span_start", "statement", ["source_id", "span_start"])
    op.create_index("ix_statement_said_on_id", "statement", ["said_on", "id"])
