"""A claim's dossier, built by PostgreSQL in one call: `claimgraph_dossier(claim, ...)`.

Who is on each side (statements grouped by speaker, in date order, hedged or not), the
evidence for, against and as context, when it was first and last said, and where the
record contradicts itself (pairs of statements on opposite sides; actors on both). Bounded
whatever the claim's size: at most `per_speaker` statements listed per speaker and side
(all counted) and `pair_limit` pairs (all counted). NULL when there is no such claim.

One function serves REST (`GET /v1/claims/{id}/dossier`) and GraphQL (`Claim.dossier`,
compiled or not), so the two cannot disagree.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 04:00:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DISPLAY = """
CREATE FUNCTION claimgraph_display(day date, known text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT CASE known
    WHEN 'year' THEN to_char(day, 'YYYY')
    WHEN 'month' THEN to_char(day, 'YYYY-MM')
    WHEN 'day' THEN to_char(day, 'YYYY-MM-DD')
END
$$
"""

DOSSIER = """
CREATE FUNCTION claimgraph_dossier(claim_id text, per_speaker int, pair_limit int)
RETURNS json LANGUAGE sql STABLE PARALLEL SAFE
AS $$
WITH said AS (
    SELECT s.id, s.text, s.kind, s.said_on, s.said_on_precision, s.said_until,
           s.speaker_id, a.name AS speaker_name, t.position, t.hedged,
           coalesce(s.said_on, '9999-12-30'::date) AS sorted_on,
           row_number() OVER (
               PARTITION BY t.position, s.speaker_id
               ORDER BY coalesce(s.said_on, '9999-12-30'::date), s.id
           ) AS place
    FROM stance t
    JOIN statement s ON s.id = t.statement_id
    LEFT JOIN actor a ON a.id = s.speaker_id
    WHERE t.claim_id = claimgraph_dossier.claim_id
),
item AS (
    SELECT said.*, json_build_object(
        'id', id, 'text', text, 'kind', kind,
        'date', claimgraph_display(said_on, said_on_precision),
        'precision', said_on_precision, 'hedged', hedged
    ) AS body
    FROM said
),
speaker AS (
    SELECT position, speaker_id, speaker_name,
           count(*) AS statement_count,
           min(sorted_on) AS first_on,
           json_agg(body ORDER BY place) FILTER (WHERE place <= per_speaker) AS statements
    FROM item
    GROUP BY position, speaker_id, speaker_name
),
side AS (
    SELECT position, json_agg(
        json_build_object(
            'speaker', CASE WHEN speaker_id IS NULL THEN NULL
                       ELSE json_build_object('id', speaker_id, 'name', speaker_name) END,
            'statement_count', statement_count,
            'statements', statements
        ) ORDER BY first_on, speaker_id NULLS LAST
    ) AS speakers
    FROM speaker
    GROUP BY position
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
ref AS (
    SELECT id, position, sorted_on,
           json_build_object('id', id, 'speaker', CASE WHEN speaker_id IS NULL THEN NULL
               ELSE json_build_object('id', speaker_id, 'name', speaker_name) END) AS body
    FROM said
),
chosen AS (
    SELECT d.sorted_on AS d_on, d.id AS d_id, d.body AS d_body,
           s.sorted_on AS s_on, s.id AS s_id, s.body AS s_body
    FROM (SELECT * FROM ref WHERE position = 'disputes'
          ORDER BY sorted_on, id LIMIT pair_limit) d
    CROSS JOIN (SELECT * FROM ref WHERE position = 'supports'
                ORDER BY sorted_on, id LIMIT pair_limit) s
    ORDER BY d_on, d_id, s_on, s_id
    LIMIT pair_limit
),
pair AS (
    SELECT json_agg(json_build_object('supporting', s_body, 'disputing', d_body)
                    ORDER BY d_on, d_id, s_on, s_id) AS pairs
    FROM chosen
),
torn AS (
    SELECT speaker_id, speaker_name,
           json_agg(id ORDER BY sorted_on, id) FILTER (WHERE position = 'supports') AS supporting,
           json_agg(id ORDER BY sorted_on, id) FILTER (WHERE position = 'disputes') AS disputing
    FROM said
    WHERE speaker_id IS NOT NULL
    GROUP BY speaker_id, speaker_name
    HAVING bool_or(position = 'supports') AND bool_or(position = 'disputes')
)
SELECT json_build_object(
    'claim', json_build_object('id', c.id, 'text', c.text, 'description', c.description,
                               'tags', c.tags),
    'first_said', (SELECT date FROM first_said),
    'last_said', (SELECT date FROM last_said),
    'supporters', coalesce((SELECT speakers FROM side WHERE position = 'supports'), '[]'),
    'disputers', coalesce((SELECT speakers FROM side WHERE position = 'disputes'), '[]'),
    'neutral', coalesce((SELECT speakers FROM side WHERE position = 'neutral'), '[]'),
    'evidence_for', coalesce((SELECT evidence FROM found WHERE relation = 'supports'), '[]'),
    'evidence_against', coalesce((SELECT evidence FROM found WHERE relation = 'refutes'), '[]'),
    'context', coalesce((SELECT evidence FROM found WHERE relation = 'context'), '[]'),
    'contradictions', json_build_object(
        'pair_count', (SELECT count(*) FILTER (WHERE position = 'supports')
                              * count(*) FILTER (WHERE position = 'disputes') FROM said),
        'pairs', coalesce((SELECT pairs FROM pair), '[]'),
        'speakers', coalesce((
            SELECT json_agg(json_build_object(
                'speaker', json_build_object('id', speaker_id, 'name', speaker_name),
                'supporting', supporting, 'disputing', disputing) ORDER BY speaker_id)
            FROM torn), '[]')
    )
)
FROM claim c
WHERE c.id = claimgraph_dossier.claim_id
$$
"""


def upgrade() -> None:
    op.execute(DISPLAY)
    op.execute(DOSSIER)


def downgrade() -> None:
    op.execute("DROP FUNCTION claimgraph_dossier(text, int, int)")
    op.execute("DROP FUNCTION claimgraph_display(date, text)")
