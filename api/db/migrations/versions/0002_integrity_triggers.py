"""Integrity triggers: quotes match their spans, versions bump on change, spanned text is frozen.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:00:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: table -> column holding the verbatim text of its span
SPANNED = {"statement": "text", "evidence": "quote", "event": "quote", "affiliation": "quote"}
VERSIONED = ["source", "actor", "affiliation", "event", "event_participant", "statement",
             "claim", "stance", "evidence", "api_key"]


def upgrade() -> None:
    op.execute("""
        CREATE FUNCTION claimgraph_check_span() RETURNS trigger LANGUAGE plpgsql AS $$
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
    """)
    for table, column in SPANNED.items():
        op.execute(f"""
            CREATE TRIGGER {table}_span_matches_source
            BEFORE INSERT OR UPDATE ON {table}
            FOR EACH ROW EXECUTE FUNCTION claimgraph_check_span('{column}')
        """)

    op.execute("""
        CREATE FUNCTION claimgraph_touch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW IS DISTINCT FROM OLD THEN
                NEW.created_at := OLD.created_at;
                NEW.updated_at := now();
                NEW.version := OLD.version + 1;
            END IF;
            RETURN NEW;
        END $$
    """)
    for table in VERSIONED:
        op.execute(f"""
            CREATE TRIGGER {table}_touch BEFORE UPDATE ON {table}
            FOR EACH ROW EXECUTE FUNCTION claimgraph_touch()
        """)

    checks = " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} WHERE source_id = OLD.id)" for table in SPANNED
    )
    op.execute(f"""
        CREATE FUNCTION claimgraph_freeze_source_text() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.text IS DISTINCT FROM OLD.text AND ({checks}) THEN
                RAISE EXCEPTION 'the text of source % has spans pointing into it', OLD.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'source_text_frozen',
                      TABLE = 'source', COLUMN = 'text',
                      HINT = 'delete the rows that quote it first';
            END IF;
            RETURN NEW;
        END $$
    """)
    op.execute("""
        CREATE TRIGGER source_text_frozen BEFORE UPDATE OF text ON source
        FOR EACH ROW EXECUTE FUNCTION claimgraph_freeze_source_text()
    """)


def downgrade() -> None:
    op.execute("DROP TRIGGER source_text_frozen ON source")
    op.execute("DROP FUNCTION claimgraph_freeze_source_text()")
    for table in VERSIONED:
        op.execute(f"DROP TRIGGER {table}_touch ON {table}")
    op.execute("DROP FUNCTION claimgraph_touch()")
    for table in SPANNED:
        op.execute(f"DROP TRIGGER {table}_span_matches_source ON {table}")
    op.execute("DROP FUNCTION claimgraph_check_span()")
