"""A claim's dossier that costs what it lists, not what the claim has.

0009's dossier built a JSON object for every statement on the claim and listed every
speaker: a claim said 20,000 times by 1,500 speakers gave a 2.8 MB document in about a
second. This one reads the stances once, narrowly (ids, speaker, position, dates), counts
everything from that, and builds JSON only for what it lists: the first `speaker_limit`
speakers of each side (in the order they first said it), `per_speaker` statements of each,
`pair_limit` contradicting pairs, and the first `speaker_limit` speakers on both sides with
`id_limit` statement ids of each side. Every list comes with its full count, so a reader
knows what was left out (the rest: `GET /v1/statements?claim=…&position=…&speaker=…`).

Two covering indexes let the one read of the stances and their statements stay in index
pages (at 1,000,000 statements, 20,000 stances of one claim were 20,000 heap pages).

Statements also say how they are attributed (`attribution`: explicit or implied), since a
dossier is read for who said what. NULL when there is no such claim.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 05:00:00
"""

import importlib
from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOSSIER = """
CREATE FUNCTION claimgraph_dossier(
    claim_id text, speaker_limit int, per_speaker int, pair_limit int, id_limit int
)
RETURNS json LANGUAGE sql STABLE PARALLEL SAFE
AS $$
WITH said AS MATERIALIZED (
    SELECT s.id, s.speaker_id, coalesce(s.speaker_id, '') AS speaker_key, t.position,
           t.hedged, s.said_on, s.said_on_precision,
           s.said_until, coalesce(s.said_on, '9999-12-30'::date) AS sorted_on,
           row_number() OVER (
               PARTITION BY t.position, coalesce(s.speaker_id, '')
               ORDER BY coalesce(s.said_on, '9999-12-30'::date), s.id
           ) AS place
    FROM stance t
    JOIN statement s ON s.id = t.statement_id
    WHERE t.claim_id = claimgraph_dossier.claim_id
),
speaker AS (
    SELECT position, speaker_id, speaker_key, count(*) AS statement_count,
           row_number() OVER (
               PARTITION BY position ORDER BY min(sorted_on), speaker_id NULLS LAST
           ) AS rank,
           count(*) OVER (PARTITION BY position) AS speaker_count
    FROM said
    GROUP BY position, speaker_key, speaker_id
),
listed AS (
    SELECT p.position, p.speaker_id, p.rank, p.statement_count, d.place,
           json_build_object(
               'id', s.id, 'text', s.text, 'kind', s.kind,
               'date', claimgraph_display(d.said_on, d.said_on_precision),
               'precision', d.said_on_precision, 'hedged', d.hedged,
               'attribution', s.attribution
           ) AS body
    FROM speaker p
    JOIN said d ON d.position = p.position
               AND d.speaker_key = p.speaker_key
               AND d.place <= per_speaker
    JOIN statement s ON s.id = d.id
    WHERE p.rank <= speaker_limit
),
side AS (
    SELECT l.position, json_agg(
        json_build_object(
            'speaker', CASE WHEN a.id IS NULL THEN NULL
                       ELSE json_build_object('id', a.id, 'name', a.name) END,
            'statement_count', l.statement_count,
            'statements', l.statements
        ) ORDER BY l.rank
    ) AS speakers
    FROM (
        SELECT position, speaker_id, rank, statement_count,
               json_agg(body ORDER BY place) AS statements
        FROM listed
        GROUP BY position, speaker_id, rank, statement_count
    ) l
    LEFT JOIN actor a ON a.id = l.speaker_id
    GROUP BY l.position
),
found AS (
    SELECT e.relation, json_agg(
        json_build_object(
            'id', e.id, 'summary', e.summary,
            'offered_by', CASE WHEN o.id IS NULL THEN NULL
                          ELSE json_build_object('id', o.id, 'name', o.name) END,
            'span', json_build_object('start', e.span_start, 'end', e.span_end, 'exact', e.quote,
                                      'prefix', coalesce(e.span_prefix, ''),
                                      'suffix', coalesce(e.span_suffix, ''))
        ) ORDER BY e.source_id, e.span_start, e.id
    ) AS evidence
    FROM evidence e
    LEFT JOIN actor o ON o.id = e.offered_by_id
    WHERE e.claim_id = claimgraph_dossier.claim_id
    GROUP BY e.relation
),
first_said AS (
    SELECT claimgraph_display(said_on, said_on_precision) AS date FROM said
    WHERE said_on IS NOT NULL ORDER BY said_on, said_until DESC, id LIMIT 1
),
last_said AS (
    SELECT claimgraph_display(said_on, said_on_precision) AS date FROM said
    WHERE said_on IS NOT NULL ORDER BY said_until DESC, said_on, id LIMIT 1
),
chosen AS (
    SELECT d.sorted_on AS d_on, d.id AS d_id, d.speaker_id AS d_speaker,
           s.sorted_on AS s_on, s.id AS s_id, s.speaker_id AS s_speaker
    FROM (SELECT * FROM said WHERE position = 'disputes'
          ORDER BY sorted_on, id LIMIT pair_limit) d
    CROSS JOIN (SELECT * FROM said WHERE position = 'supports'
                ORDER BY sorted_on, id LIMIT pair_limit) s
    ORDER BY d_on, d_id, s_on, s_id
    LIMIT pair_limit
),
pair AS (
    SELECT json_agg(json_build_object(
        'supporting', json_build_object('id', c.s_id, 'speaker', CASE WHEN sa.id IS NULL
            THEN NULL ELSE json_build_object('id', sa.id, 'name', sa.name) END),
        'disputing', json_build_object('id', c.d_id, 'speaker', CASE WHEN da.id IS NULL
            THEN NULL ELSE json_build_object('id', da.id, 'name', da.name) END)
    ) ORDER BY c.d_on, c.d_id, c.s_on, c.s_id) AS pairs
    FROM chosen c
    LEFT JOIN actor sa ON sa.id = c.s_speaker
    LEFT JOIN actor da ON da.id = c.d_speaker
),
torn AS (
    SELECT speaker_id, count(*) OVER () AS speaker_count,
           sum(statement_count) FILTER (WHERE position = 'supports') AS supporting_count,
           sum(statement_count) FILTER (WHERE position = 'disputes') AS disputing_count
    FROM speaker
    WHERE speaker_id IS NOT NULL
    GROUP BY speaker_id
    HAVING bool_or(position = 'supports') AND bool_or(position = 'disputes')
    ORDER BY speaker_id
    LIMIT speaker_limit
),
torn_ids AS (
    SELECT d.speaker_id,
           array_agg(d.id ORDER BY d.place) FILTER (WHERE d.position = 'supports') AS supporting,
           array_agg(d.id ORDER BY d.place) FILTER (WHERE d.position = 'disputes') AS disputing
    FROM said d
    JOIN torn t ON t.speaker_id = d.speaker_id
    WHERE d.place <= id_limit AND d.position IN ('supports', 'disputes')
    GROUP BY d.speaker_id
),
counted AS (
    SELECT count(*) FILTER (WHERE position = 'supports') AS supporting,
           count(*) FILTER (WHERE position = 'disputes') AS disputing
    FROM said
)
SELECT json_build_object(
    'claim', json_build_object('id', c.id, 'text', c.text, 'description', c.description,
                               'tags', c.tags),
    'first_said', (SELECT date FROM first_said),
    'last_said', (SELECT date FROM last_said),
    'supporter_count', (SELECT count(*) FROM speaker WHERE position = 'supports'),
    'disputer_count', (SELECT count(*) FROM speaker WHERE position = 'disputes'),
    'neutral_count', (SELECT count(*) FROM speaker WHERE position = 'neutral'),
    'supporters', coalesce((SELECT speakers FROM side WHERE position = 'supports'), '[]'),
    'disputers', coalesce((SELECT speakers FROM side WHERE position = 'disputes'), '[]'),
    'neutral', coalesce((SELECT speakers FROM side WHERE position = 'neutral'), '[]'),
    'evidence_for', coalesce((SELECT evidence FROM found WHERE relation = 'supports'), '[]'),
    'evidence_against', coalesce((SELECT evidence FROM found WHERE relation = 'refutes'), '[]'),
    'context', coalesce((SELECT evidence FROM found WHERE relation = 'context'), '[]'),
    'contradictions', json_build_object(
        'pair_count', (SELECT supporting * disputing FROM counted),
        'pairs', coalesce((SELECT pairs FROM pair), '[]'),
        'speaker_count', coalesce((SELECT max(speaker_count) FROM torn), 0),
        'speakers', coalesce((
            SELECT json_agg(json_build_object(
                'speaker', json_build_object('id', a.id, 'name', a.name),
                'supporting_count', t.supporting_count,
                'disputing_count', t.disputing_count,
                'supporting', to_json(i.supporting),
                'disputing', to_json(i.disputing)) ORDER BY t.speaker_id)
            FROM torn t
            JOIN torn_ids i ON i.speaker_id = t.speaker_id
            JOIN actor a ON a.id = t.speaker_id), '[]')
    )
)
FROM claim c
WHERE c.id = claimgraph_dossier.claim_id
$$
"""


def upgrade() -> None:
    op.execute("DROP FUNCTION claimgraph_dossier(text, int, int)")
    op.execute(DOSSIER)
    op.drop_index("ix_stance_claim_id_position_id", "stance")
    op.create_index(
        "ix_stance_claim_id_position_id",
        "stance",
        ["claim_id", "position", "id"],
        postgresql_include=["statement_id", "hedged"],
    )
    op.create_index(
        "ix_statement_dossier",
        "statement",
        ["id"],
        postgresql_include=["speaker_id", "said_on", "said_on_precision", "said_until"],
    )


def downgrade() -> None:
    op.drop_index("ix_statement_dossier", "statement")
    op.drop_index("ix_stance_claim_id_position_id", "stance")
    op.create_index("ix_stance_claim_id_position_id", "stance", ["claim_id", "position", "id"])
    op.execute("DROP FUNCTION claimgraph_dossier(text, int, int, int, int)")
    previous = importlib.import_module("api.db.migrations.versions.0009_claim_dossier")
    op.execute(previous.DOSSIER)
