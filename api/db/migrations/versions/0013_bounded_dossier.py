"""A claim's dossier that costs what it lists, not what the claim has.

0009's dossier built a JSON object for every statement on the claim and listed every
speaker: a claim said 20,000 times by 1,500 speakers gave a 2.8 MB document in about a
second. This one reads the stances once, narrowly (ids, speaker, position, dates), counts
everything from that, and builds JSON only for what it lists: the first `speaker_limit`
speakers of each side (in the order they first said it), `per_speaker` statements of each,
`pair_limit` contradicting pairs, and the first `speaker_limit` speakers on both sides with
`id_limit` statement ids of each side. Every list comes with its full count, so a reader
knows what was left out (the rest: `GET /v1/statements?claim=…&position=…&speaker=…`).

That read needs each stance's statement's speaker and date, and looking up 20,000
statements one by one was most of the time at 1,000,000 statements. So a stance carries
copies of them (`statement_speaker_key`, the speaker's id or '' for none, so that it is an
index key that equality finds; `statement_said_on`, `statement_said_on_precision`, and its
generated `statement_said_until`), kept by triggers: set from the statement on every
insert or update of the stance, and rewritten when the statement's speaker or date changes.
No writer sets them, the touch trigger does not count them as a change of the stance, and
one index in the dossier's order holds everything it reads: the stances of a claim are one
index range, already grouped by side and speaker in date order, and a listed speaker's first
statements are a short range of it.

Statements also say how they are attributed (`attribution`: explicit or implied), since a
dossier is read for who said what. NULL when there is no such claim.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 05:00:00
"""

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
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
    SELECT statement_id AS id, statement_speaker_key AS speaker_key, position, hedged,
           statement_said_on AS said_on, statement_said_on_precision AS said_on_precision,
           statement_said_until AS said_until,
           coalesce(statement_said_on, '9999-12-30'::date) AS sorted_on
    FROM stance
    WHERE stance.claim_id = claimgraph_dossier.claim_id
),
speaker AS (
    SELECT position, speaker_key, count(*) AS statement_count,
           row_number() OVER (
               PARTITION BY position ORDER BY min(sorted_on), nullif(speaker_key, '') NULLS LAST
           ) AS rank
    FROM said
    GROUP BY position, speaker_key
),
side AS (
    SELECT p.position, json_agg(
        json_build_object(
            'speaker', CASE WHEN a.id IS NULL THEN NULL
                       ELSE json_build_object('id', a.id, 'name', a.name) END,
            'statement_count', p.statement_count,
            'statements', (
                SELECT json_agg(json_build_object(
                    'id', s.id, 'text', s.text, 'kind', s.kind,
                    'date', claimgraph_display(l.statement_said_on, l.statement_said_on_precision),
                    'precision', l.statement_said_on_precision, 'hedged', l.hedged,
                    'attribution', s.attribution
                ) ORDER BY l.statement_said_on, l.statement_id)
                FROM (
                    SELECT t.statement_id, t.statement_said_on, t.statement_said_on_precision,
                           t.hedged
                    FROM stance t
                    WHERE t.claim_id = claimgraph_dossier.claim_id AND t.position = p.position
                      AND t.statement_speaker_key = p.speaker_key
                    ORDER BY t.statement_said_on, t.statement_id
                    LIMIT per_speaker
                ) l
                JOIN statement s ON s.id = l.statement_id
            )
        ) ORDER BY p.rank
    ) AS speakers
    FROM speaker p
    LEFT JOIN actor a ON a.id = nullif(p.speaker_key, '')
    WHERE p.rank <= speaker_limit
    GROUP BY p.position
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
    SELECT d.sorted_on AS d_on, d.id AS d_id, nullif(d.speaker_key, '') AS d_speaker,
           s.sorted_on AS s_on, s.id AS s_id, nullif(s.speaker_key, '') AS s_speaker
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
    SELECT speaker_key, count(*) OVER () AS speaker_count,
           sum(statement_count) FILTER (WHERE position = 'supports') AS supporting_count,
           sum(statement_count) FILTER (WHERE position = 'disputes') AS disputing_count
    FROM speaker
    WHERE speaker_key <> ''
    GROUP BY speaker_key
    HAVING bool_or(position = 'supports') AND bool_or(position = 'disputes')
    ORDER BY speaker_key
    LIMIT speaker_limit
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
                'supporting', to_json(ARRAY(
                    SELECT statement_id FROM stance
                    WHERE stance.claim_id = claimgraph_dossier.claim_id
                      AND position = 'supports' AND statement_speaker_key = t.speaker_key
                    ORDER BY statement_said_on, statement_id LIMIT id_limit)),
                'disputing', to_json(ARRAY(
                    SELECT statement_id FROM stance
                    WHERE stance.claim_id = claimgraph_dossier.claim_id
                      AND position = 'disputes' AND statement_speaker_key = t.speaker_key
                    ORDER BY statement_said_on, statement_id LIMIT id_limit))
            ) ORDER BY t.speaker_key)
            FROM torn t
            JOIN actor a ON a.id = t.speaker_key), '[]')
    )
)
FROM claim c
WHERE c.id = claimgraph_dossier.claim_id
$$
"""


#: The statement's columns a stance carries a copy of, by the copy's name.
COPIES = {
    "statement_speaker_key": "coalesce(s.speaker_id, '')",
    "statement_said_on": "s.said_on",
    "statement_said_on_precision": "s.said_on_precision",
}

COPY_TRIGGERS = (
    """
CREATE FUNCTION claimgraph_stance_copies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT coalesce(speaker_id, ''), said_on, said_on_precision
      INTO NEW.statement_speaker_key, NEW.statement_said_on, NEW.statement_said_on_precision
      FROM statement WHERE id = NEW.statement_id;
    RETURN NEW;
END $$""",
    """
CREATE TRIGGER stance_copies BEFORE INSERT OR UPDATE ON stance
    FOR EACH ROW EXECUTE FUNCTION claimgraph_stance_copies()""",
    """
CREATE FUNCTION claimgraph_statement_copies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE stance SET statement_speaker_key = coalesce(NEW.speaker_id, ''),
                      statement_said_on = NEW.said_on,
                      statement_said_on_precision = NEW.said_on_precision
    WHERE statement_id = NEW.id;
    RETURN NULL;
END $$""",
    """
CREATE TRIGGER statement_copies AFTER UPDATE OF speaker_id, said_on, said_on_precision
    ON statement FOR EACH ROW
    WHEN (OLD.speaker_id IS DISTINCT FROM NEW.speaker_id OR OLD.said_on IS DISTINCT FROM NEW.said_on
          OR OLD.said_on_precision IS DISTINCT FROM NEW.said_on_precision)
    EXECUTE FUNCTION claimgraph_statement_copies()""",
)

DROP_COPY_TRIGGERS = (
    "DROP TRIGGER statement_copies ON statement",
    "DROP FUNCTION claimgraph_statement_copies()",
    "DROP TRIGGER stance_copies ON stance",
    "DROP FUNCTION claimgraph_stance_copies()",
)


def _touch(uncompared: list[str]) -> str:
    """The touch trigger (0002, 0007), not counting `uncompared` as a change of a row."""
    periods = importlib.import_module("api.db.migrations.versions.0007_date_periods")
    keys = "ARRAY[" + ", ".join(f"'{name}'" for name in uncompared) + "]"
    return str(
        periods.TOUCH.format(new=f"to_jsonb(NEW) - {keys}", old=f"to_jsonb(OLD) - {keys}")
    )


def upgrade() -> None:
    periods = importlib.import_module("api.db.migrations.versions.0007_date_periods")
    op.add_column(
        "stance",
        sa.Column("statement_speaker_key", sa.String(120), server_default="", nullable=False),
    )
    op.add_column("stance", sa.Column("statement_said_on", sa.Date(), nullable=True))
    op.add_column("stance", sa.Column("statement_said_on_precision", sa.String(32), nullable=True))
    op.add_column(
        "stance",
        sa.Column(
            "statement_said_until",
            sa.Date(),
            sa.Computed(
                periods._until("statement_said_on", "statement_said_on_precision"), persisted=True
            ),
        ),
    )
    op.execute("ALTER TABLE stance DISABLE TRIGGER stance_touch")
    copied = ", ".join(f"{copy} = {value}" for copy, value in COPIES.items())
    op.execute(f"UPDATE stance SET {copied} FROM statement s WHERE s.id = stance.statement_id")
    op.execute("ALTER TABLE stance ENABLE TRIGGER stance_touch")
    op.execute(_touch([*periods.UNCOMPARED, *COPIES, "statement_said_until"]))
    for statement in COPY_TRIGGERS:
        op.execute(statement)
    op.create_index(
        "ix_stance_dossier",
        "stance",
        ["claim_id", "position", "statement_speaker_key", "statement_said_on", "statement_id"],
        postgresql_include=["hedged", "statement_said_on_precision", "statement_said_until"],
    )
    op.execute("DROP FUNCTION claimgraph_dossier(text, int, int)")
    op.execute(DOSSIER)


def downgrade() -> None:
    periods = importlib.import_module("api.db.migrations.versions.0007_date_periods")
    op.execute("DROP FUNCTION claimgraph_dossier(text, int, int, int, int)")
    previous = importlib.import_module("api.db.migrations.versions.0009_claim_dossier")
    op.execute(previous.DOSSIER)
    op.drop_index("ix_stance_dossier", "stance")
    for statement in DROP_COPY_TRIGGERS:
        op.execute(statement)
    op.execute(_touch(list(periods.UNCOMPARED)))
    for column in ("statement_said_until", *COPIES):
        op.drop_column("stance", column)
