"""Periods of partially known dates: each date's end, generated from the date and precision.

A statement said "in January 2022" spans the whole month; `said_until` (and an event's
`start_until`, `end_until`) is the first day after the period, so that date filters compare
periods (api/store/dates.py) instead of treating the month as its first day.

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


def upgrade() -> None:
    for table, column, day, precision in COLUMNS:
        op.add_column(
            table,
            sa.Column(column, sa.Date(), sa.Computed(_until(day, precision), persisted=True)),
        )


def downgrade() -> None:
    for table, column, _, _ in COLUMNS:
        op.drop_column(table, column)
