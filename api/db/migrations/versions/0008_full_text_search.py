"""Full-text search: a text search configuration, generated tsvectors, GIN and trigram indexes.

- `claimgraph`, an English configuration (stemming, stop words) that also folds accents
  (unaccent), so that "Tokáyev" and "Tokayev" are one word and "the" is none;
- a generated `search` tsvector on statements, claims, evidence, events and actors (names and
  aliases weigh most), each with a GIN index;
- trigram (pg_trgm) indexes on the names and texts, for the fallback that finds misspellings
  and transliterations ("Tokaev", the article's own "largelly");
- `claimgraph_query(query)`: the tsquery of a query written for to_tsquery (from web-search
  syntax, in api/store/search.py), refusing one with no words to search for;
- `claimgraph_snippet(passage, query)`: the passage's best fragments, the rest HTML-escaped
  and the hits in <mark>.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 03:00:00
"""
from collections.abc import Sequence

from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR
import sqlalchemy as sa

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: table -> the generated tsvector's expression (as in api/db/models.py).
VECTORS = {
    "statement": "to_tsvector('claimgraph', text)",
    "claim": (
        "setweight(to_tsvector('claimgraph', text), 'A') || "
        "setweight(to_tsvector('claimgraph', coalesce(description, '')), 'B') || "
        "setweight(to_tsvector('claimgraph', claimgraph_words(tags)), 'C')"
    ),
    "evidence": (
        "setweight(to_tsvector('claimgraph', summary), 'A') || "
        "setweight(to_tsvector('claimgraph', quote), 'B')"
    ),
    "event": (
        "setweight(to_tsvector('claimgraph', title), 'A') || "
        "setweight(to_tsvector('claimgraph', coalesce(description, '')), 'B') || "
        "setweight(to_tsvector('claimgraph', coalesce(place_name, '')), 'C')"
    ),
    "actor": (
        "setweight(to_tsvector('claimgraph', name), 'A') || "
        "setweight(to_tsvector('claimgraph', claimgraph_words(aliases)), 'A') || "
        "setweight(to_tsvector('claimgraph', coalesce(description, '')), 'C')"
    ),
}
#: index name -> (table, column) searched by trigram similarity.
TRIGRAMS = {
    "ix_actor_name_trgm": ("actor", "name"),
    "ix_actor_names_trgm": ("actor", "names"),
    "ix_statement_text_trgm": ("statement", "text"),
    "ix_claim_text_trgm": ("claim", "text"),
    "ix_evidence_summary_trgm": ("evidence", "summary"),
    "ix_event_title_trgm": ("event", "title"),
}

FUNCTIONS = [
    """
CREATE FUNCTION claimgraph_words(words text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT array_to_string(words, ' ') $$
""",
    """
CREATE FUNCTION claimgraph_query(query text) RETURNS tsquery
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    found tsquery := to_tsquery('claimgraph', query);
BEGIN
    IF numnode(found) = 0 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'nothing to search for: the '
            'query is empty or holds only common words (the, and, of, ...)';
    END IF;
    RETURN found;
END
$$
""",
    """
CREATE FUNCTION claimgraph_snippet(passage text, query tsquery) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
SELECT replace(replace(
    replace(replace(replace(replace(replace(
        ts_headline('claimgraph', passage, query,
            'MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … ", '
            || 'StartSel=' || chr(2) || ', StopSel=' || chr(3)),
        '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;'),
    chr(2), '<mark>'), chr(3), '</mark>')
$$
""",
]


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE TEXT SEARCH CONFIGURATION claimgraph (COPY = english)")
    op.execute(
        "ALTER TEXT SEARCH CONFIGURATION claimgraph "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
    )
    for function in FUNCTIONS:
        op.execute(function)
    op.add_column(
        "actor",
        sa.Column(
            "names",
            sa.Text(),
            sa.Computed("name || ' ' || claimgraph_words(aliases)", persisted=True),
        ),
    )
    for table, expression in VECTORS.items():
        op.add_column(
            table, sa.Column("search", TSVECTOR(), sa.Computed(expression, persisted=True))
        )
        op.create_index(f"ix_{table}_search", table, ["search"], postgresql_using="gin")
    for name, (table, column) in TRIGRAMS.items():
        op.create_index(
            name,
            table,
            [column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )


def downgrade() -> None:
    for name, (table, _) in TRIGRAMS.items():
        op.drop_index(name, table_name=table)
    for table in VECTORS:
        op.drop_index(f"ix_{table}_search", table_name=table)
        op.drop_column(table, "search")
    op.drop_column("actor", "names")
    op.execute("DROP FUNCTION claimgraph_snippet(text, tsquery)")
    op.execute("DROP FUNCTION claimgraph_query(text)")
    op.execute("DROP FUNCTION claimgraph_words(text[])")
    op.execute("DROP TEXT SEARCH CONFIGURATION claimgraph")
