"""Rate limits that hold across workers: one row per client, taken from in one statement.

A bucket is a client (an API key's digest, or an address) and a kind of request (reads,
writes). `claimgraph_rate_take` is the generic cell rate algorithm: the row keeps the time
at which the bucket would be full again (`tat`, epoch seconds); a request that costs `cost`
moves it `cost * emission` seconds on, and is allowed while that stays within one `period`
of now. The row is locked for the statement, so every worker, on any machine, takes from
the same bucket. The table is unlogged: a crash forgets the buckets (everyone starts full),
which is what a limit may do, and no write-ahead log is spent on it. Buckets idle for a day
are dropped now and then.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 02:00:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "CREATE UNLOGGED TABLE rate_limit ("
        " bucket varchar(200) NOT NULL CONSTRAINT pk_rate_limit PRIMARY KEY,"
        " tat double precision NOT NULL)"
    )
    op.execute(
        """
        CREATE FUNCTION claimgraph_rate_take(
            wanted text, cost double precision, emission double precision,
            period double precision
        ) RETURNS TABLE (allowed boolean, ahead double precision)
        LANGUAGE plpgsql AS $$
        DECLARE
            now_s double precision := extract(epoch FROM clock_timestamp());
            current double precision;
            next double precision;
        BEGIN
            IF random() < 0.001 THEN
                DELETE FROM rate_limit WHERE tat < now_s - 86400;
            END IF;
            INSERT INTO rate_limit (bucket, tat) VALUES (wanted, now_s)
                ON CONFLICT (bucket) DO NOTHING;
            SELECT r.tat INTO current FROM rate_limit r WHERE r.bucket = wanted FOR UPDATE;
            next := greatest(current, now_s) + cost * emission;
            IF next - now_s <= period THEN
                UPDATE rate_limit SET tat = next WHERE bucket = wanted;
                RETURN QUERY SELECT true, next - now_s;
            ELSE
                RETURN QUERY SELECT false, greatest(current, now_s) - now_s;
            END IF;
        END
        $$
        """
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION claimgraph_rate_take(text, double precision, double precision, "
               "double precision)")
    op.execute("DROP TABLE rate_limit")
