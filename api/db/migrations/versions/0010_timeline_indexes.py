"""Indexes in the timeline's order, and of undated items, so that the timeline scales.

A timeline page reads each kind (events, dated statements) in the order of its own index
and stops after the page (api/store/timeline.py), instead of sorting every dated item: at a
million statements a page went from seconds to milliseconds. The partial indexes of undated
items make the count of what the timeline leaves out an index-only scan.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 05:00:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _granularity(precision: str) -> str:
    # As api/store/timeline.py:_granularity writes it: the same text, so the index matches.
    return f"(CASE {precision} WHEN 'year' THEN 0 WHEN 'month' THEN 1 WHEN 'day' THEN 2 ELSE 3 END)"


INDEXES = {
    "ix_statement_timeline": (
        "statement",
        f"coalesce(said_on, '9999-12-30'::date), {_granularity('said_on_precision')}, "
        "('statement:' || id)",
        "said_on IS NOT NULL",
    ),
    "ix_event_timeline": (
        "event",
        f"coalesce(start_date, '9999-12-30'::date), {_granularity('start_precision')}, "
        "('event:' || id)",
        "start_date IS NOT NULL",
    ),
    "ix_statement_undated": ("statement", "id", "said_on IS NULL"),
    "ix_event_undated": ("event", "id", "start_date IS NULL"),
}


def upgrade() -> None:
    for name, (table, keys, where) in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {table} ({keys}) WHERE {where}")


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX {name}")
