"""Periods of partially known dates: each date's end, generated from the date and precision.

A statement said "in January 2022" spans the whole month; `said_until` (and an event's
`start_until`, `end_until`) is the first day after the period, so that date filters compare
periods (api/store/dates.py) instead of treating the month as its first day. The touch
trigger (0002) learns to ignore generated columns when it decides whether a row changed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 02:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _until(day: str, precision: str) -> str:
    # As api/store/dates.py:until_sql writes it (a migration must not import app code).
    return (
        f"CASE {precision} WHEN 'day' THEN {day} + 1 "
        f"WHEN 'month' THEN ({day} + interval '1 month')::date "
        f"WHEN 'year' THEN ({day} + interval '1 year')::date END"
    )


COLUMNS = [
    ("statement", "said_until", "said_on", "said_on_precision"),
    ("event", "start_until", "start_date", "start_precision"),
    ("event", "end_until", "end_date", "end_precision"),
]


#: Columns the touch trigger must not compare: generated ones (in a BEFORE trigger they are
#: not computed yet: NULL in NEW, so every update would look like a change), and its own.
UNCOMPARED = [
    "said_until",
    "start_until",
    "end_until",
    "search",
    "names",
    "created_at",
    "updated_at",
    "version",
]
TOUCH = """
CREATE OR REPLACE FUNCTION claimgraph_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF ({new}) IS DISTINCT FROM ({old}) THEN
        NEW.created_at := OLD.created_at;
        NEW.updated_at := now();
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END $$
"""


def upgrade() -> None:
    for table, column, day, precision in COLUMNS:
        op.add_column(
            table,
            sa.Column(column, sa.Date(), sa.Computed(_until(day, precision), persisted=True)),
        )
    keys = "ARRAY[" + ", ".join(f"'{name}'" for name in UNCOMPARED) + "]"
    op.execute(TOUCH.format(new=f"to_jsonb(NEW) - {keys}", old=f"to_jsonb(OLD) - {keys}"))


def downgrade() -> None:
    op.execute(TOUCH.format(new="NEW", old="OLD"))
    for table, column, _, _ in COLUMNS:
        op.drop_column(table, column)
