"""Store each span's 32-character prefix and suffix, set by the span trigger.

Reads served them with substr() on the source text, which decompresses the whole article for
every row of a page. The text of a quoted source is frozen (0002), so the context can be
computed once, when the span is verified.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 11:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SPANNED = {"statement": "text", "evidence": "quote", "event": "quote", "affiliation": "quote"}

CHECK_AND_FILL = """
CREATE OR REPLACE FUNCTION claimgraph_check_span() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    quoted text := to_jsonb(NEW) ->> TG_ARGV[0];
    source_text text;
    actual text;
BEGIN
    IF NEW.source_id IS NULL THEN
        NEW.span_prefix := NULL;
        NEW.span_suffix := NULL;
        RETURN NEW;
    END IF;
    SELECT s.text INTO source_text FROM source s WHERE s.id = NEW.source_id;
    actual := substr(source_text, NEW.span_start + 1, NEW.span_end - NEW.span_start);
    IF actual IS DISTINCT FROM quoted THEN
        RAISE EXCEPTION 'quote % does not match span [%, %) of source %, which reads %',
            quote_literal(quoted), NEW.span_start, NEW.span_end, NEW.source_id,
            quote_literal(coalesce(actual, ''))
        USING ERRCODE = 'check_violation', CONSTRAINT = 'span_matches_source',
              TABLE = TG_TABLE_NAME, COLUMN = TG_ARGV[0];
    END IF;
    NEW.span_prefix := substr(source_text, greatest(NEW.span_start - 31, 1),
                              NEW.span_start - greatest(NEW.span_start - 32, 0));
    NEW.span_suffix := substr(source_text, NEW.span_end + 1, 32);
    RETURN NEW;
END $$
"""

CHECK_ONLY = """
CREATE OR REPLACE FUNCTION claimgraph_check_span() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    quoted text := to_jsonb(NEW) ->> TG_ARGV[0];
    actual text;
BEGIN
    IF NEW.source_id IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT substr(s.text, NEW.span_start + 1, NEW.span_end - NEW.span_start)
      INTO actual FROM source s WHERE s.id = NEW.source_id;
    IF actual IS DISTINCT FROM quoted THEN
        RAISE EXCEPTION 'quote % does not match span [%, %) of source %, which reads %',
            quote_literal(quoted), NEW.span_start, NEW.span_end, NEW.source_id,
            quote_literal(coalesce(actual, ''))
        USING ERRCODE = 'check_violation', CONSTRAINT = 'span_matches_source',
              TABLE = TG_TABLE_NAME, COLUMN = TG_ARGV[0];
    END IF;
    RETURN NEW;
END $$
"""


def upgrade() -> None:
    for table in SPANNED:
        op.add_column(table, sa.Column("span_prefix", sa.Text(), nullable=True))
        op.add_column(table, sa.Column("span_suffix", sa.Text(), nullable=True))
    op.execute(CHECK_AND_FILL)
    for table in SPANNED:
        # Fires the trigger, which fills the new columns (and re-verifies every span).
        op.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_touch")
        op.execute(f"UPDATE {table} SET span_start = span_start WHERE source_id IS NOT NULL")
        op.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_touch")


def downgrade() -> None:
    op.execute(CHECK_ONLY)
    for table in SPANNED:
        op.drop_column(table, "span_suffix")
        op.drop_column(table, "span_prefix")
