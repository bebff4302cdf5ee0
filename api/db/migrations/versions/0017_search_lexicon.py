"""Search at scale: a lexicon for similar words, and planner estimates for large counts.

- `lexicon`: the distinct words (lower case, accents folded, 3 letters or more) of the texts
  that search compares for similar words (statements' and claims' texts, evidence
  summaries, event titles), with a trigram GiST index: pg_trgm's documented pattern for
  spelling suggestions. Statement-level triggers add the words of every insert and update
  (one INSERT ... ON CONFLICT DO NOTHING per statement, however many rows it wrote); a
  word whose last text is deleted stays, and finds nothing.
- `claimgraph_similar(words)`: the tsquery of the words like the query's, from the lexicon
  (each word OR its five nearest, all words ANDed), or NULL when no word has a neighbour: a
  misspelled name becomes ordinary full-text search, not a trigram comparison of every text.
- `claimgraph_estimate(table, tsquery)`: the planner's estimate of the rows of `table` the
  query matches (from the tsvector's statistics), for a count too large to make exactly (the
  PostgreSQL wiki's "count estimate" pattern).
- The trigram indexes on those long texts go: nothing compares them any more, and at a
  million statements they cost every write and ~10% of the table's size. Actors' names keep
  theirs (compared directly: few rows, and names are what people misspell).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 03:30:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: table -> the column whose words go into the lexicon.
WORDED = {"statement": "text", "claim": "text", "evidence": "summary", "event": "title"}
#: The trigram indexes of migration 0008 on those columns, dropped here.
TRIGRAMS = {
    "ix_statement_text_trgm": ("statement", "text"),
    "ix_claim_text_trgm": ("claim", "text"),
    "ix_evidence_summary_trgm": ("evidence", "summary"),
    "ix_event_title_trgm": ("event", "title"),
}

FUNCTIONS = [
    """
CREATE FUNCTION claimgraph_lexemes(text text) RETURNS SETOF text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
SELECT DISTINCT word
FROM regexp_split_to_table(lower(unaccent(text)), '[^[:alnum:]]+') AS word
WHERE length(word) BETWEEN 3 AND 40 AND word ~ '[[:alpha:]]'
$$
""",
    """
CREATE FUNCTION claimgraph_lexicon_add() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    -- TG_ARGV[0] is the column, named by this migration, never by a client.
    EXECUTE format(
        'INSERT INTO lexicon (word) SELECT DISTINCT w FROM new_rows, '
        'LATERAL claimgraph_lexemes(new_rows.%I) AS w ORDER BY 1 ON CONFLICT DO NOTHING',
        TG_ARGV[0]);
    RETURN NULL;
END
$$
""",
    """
CREATE FUNCTION claimgraph_similar(words text) RETURNS tsquery
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
WITH word AS (
    SELECT DISTINCT w FROM claimgraph_lexemes(words) AS w
), near AS (
    SELECT word.w, string_agg(found.word, ' | ' ORDER BY found.distance) AS alternatives
    FROM word CROSS JOIN LATERAL (
        SELECT lexicon.word, lexicon.word <-> word.w AS distance
        FROM lexicon
        WHERE lexicon.word % word.w AND lexicon.word <> word.w
        ORDER BY lexicon.word <-> word.w
        LIMIT 5
    ) AS found
    GROUP BY word.w
)
SELECT to_tsquery('claimgraph', string_agg(
    '(' || word.w || coalesce(' | ' || near.alternatives, '') || ')', ' & '))
FROM word LEFT JOIN near USING (w)
HAVING count(near.w) > 0
$$
""",
    """
CREATE FUNCTION claimgraph_estimate(kind regclass, query tsquery) RETURNS bigint
LANGUAGE plpgsql VOLATILE  -- PostgreSQL allows EXPLAIN in volatile functions only
AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM %s WHERE search @@ %L::tsquery',
        kind, query) INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric::bigint;
END
$$
""",
]


def upgrade() -> None:
    op.execute("CREATE TABLE lexicon (word text PRIMARY KEY)")
    op.execute("CREATE INDEX ix_lexicon_word_trgm ON lexicon USING gist (word gist_trgm_ops)")
    for function in FUNCTIONS:
        op.execute(function)
    for table, column in WORDED.items():
        op.execute(
            f"INSERT INTO lexicon (word) SELECT DISTINCT w FROM {table}, "
            f"LATERAL claimgraph_lexemes({table}.{column}) AS w ON CONFLICT DO NOTHING"
        )
        for event in ("INSERT", "UPDATE"):
            op.execute(
                f"CREATE TRIGGER {table}_lexicon_{event.lower()} AFTER {event} ON {table} "
                "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION claimgraph_lexicon_add('{column}')"
            )
    for name in TRIGRAMS:
        op.execute(f"DROP INDEX {name}")
    op.execute("ANALYZE lexicon")


def downgrade() -> None:
    for name, (table, column) in TRIGRAMS.items():
        op.execute(f"CREATE INDEX {name} ON {table} USING gin ({column} gin_trgm_ops)")
    for table in WORDED:
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER {table}_lexicon_{event} ON {table}")
    op.execute("DROP FUNCTION claimgraph_estimate(regclass, tsquery)")
    op.execute("DROP FUNCTION claimgraph_similar(text)")
    op.execute("DROP FUNCTION claimgraph_lexicon_add()")
    op.execute("DROP FUNCTION claimgraph_lexemes(text)")
    op.execute("DROP TABLE lexicon")
