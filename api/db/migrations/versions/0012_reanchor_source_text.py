"""A source's text may change when every span into it still reads its quote: checked at commit.

0002 froze the text of a quoted source outright, which kept spans true but made a corrected
transcription impossible without deleting every quote first. Re-anchoring changes the text
and moves each span in one transaction; between those statements the spans and the text
disagree. So the rule moves to the end of the transaction, and grows: a deferred constraint
trigger refuses the commit if any span into the new text does not read its quote there, or
holds a prefix or suffix that is not the new text's (the span trigger of 0002/0004 sets them
whenever a span is written, so a re-anchor must write every span, moved or not).

The invariant the database keeps is the same as before, whoever writes (API, loader, psql):
no committed state has a span that is not its quote.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 09:30:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SPANNED = {"statement": "text", "evidence": "quote", "event": "quote", "affiliation": "quote"}

_SPANS = "\n        UNION ALL ".join(
    f"SELECT '{table}' AS entity, id, {column} AS quoted, span_start, span_end, span_prefix, "
    f"span_suffix FROM {table} WHERE source_id = NEW.id"
    for table, column in SPANNED.items()
)

VERIFY = f"""
CREATE FUNCTION claimgraph_verify_source_spans() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    current_text text;
    stale text;
BEGIN
    SELECT s.text INTO current_text FROM source s WHERE s.id = NEW.id;
    IF current_text IS NULL THEN
        RETURN NULL;  -- deleted since
    END IF;
    SELECT t.entity || ' ' || t.id INTO stale FROM (
        {_SPANS}
    ) t
    WHERE substr(current_text, t.span_start + 1, t.span_end - t.span_start)
              IS DISTINCT FROM t.quoted
       OR t.span_prefix IS DISTINCT FROM substr(current_text, greatest(t.span_start - 31, 1),
                                                t.span_start - greatest(t.span_start - 32, 0))
       OR t.span_suffix IS DISTINCT FROM substr(current_text, t.span_end + 1, 32)
    LIMIT 1;
    IF stale IS NOT NULL THEN
        RAISE EXCEPTION 'the text of source % changed, and the span of % no longer reads its '
                        'quote (or its context) there', NEW.id, stale
        USING ERRCODE = 'check_violation', CONSTRAINT = 'source_spans_match',
              TABLE = 'source', COLUMN = 'text',
              HINT = 'move every span into the new text in the same transaction';
    END IF;
    RETURN NULL;
END $$
"""

FREEZE = """
CREATE FUNCTION claimgraph_freeze_source_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.text IS DISTINCT FROM OLD.text AND (%s) THEN
        RAISE EXCEPTION 'the text of source %% has spans pointing into it', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'source_text_frozen',
              TABLE = 'source', COLUMN = 'text',
              HINT = 'delete the rows that quote it first';
    END IF;
    RETURN NEW;
END $$
""" % " OR ".join(
    f"EXISTS (SELECT 1 FROM {table} WHERE source_id = OLD.id)" for table in SPANNED
)


def upgrade() -> None:
    op.execute(VERIFY)
    op.execute("""
        CREATE CONSTRAINT TRIGGER source_spans_match AFTER UPDATE OF text ON source
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (NEW.text IS DISTINCT FROM OLD.text)
        EXECUTE FUNCTION claimgraph_verify_source_spans()
    """)
    op.execute("DROP TRIGGER source_text_frozen ON source")
    op.execute("DROP FUNCTION claimgraph_freeze_source_text()")


def downgrade() -> None:
    op.execute(FREEZE)
    op.execute("""
        CREATE TRIGGER source_text_frozen BEFORE UPDATE OF text ON source
        FOR EACH ROW EXECUTE FUNCTION claimgraph_freeze_source_text()
    """)
    op.execute("DROP TRIGGER source_spans_match ON source")
    op.execute("DROP FUNCTION claimgraph_verify_source_spans()")
