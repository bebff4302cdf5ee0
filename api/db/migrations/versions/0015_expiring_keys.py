"""Keys that expire and rotate, and when each was last used.

`expires_at`: a key is refused from then on. A rotation gives a key a new secret and keeps the
old one's digest as `previous_secret_sha256`, accepted until `previous_expires_at` (the grace
period), so that clients can move over without an outage. When a key was last used is kept
apart (`api_key_use`), to the minute: updating the key's own row would bump its version on
every request, and lock it against the key's other requests.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 01:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("api_key", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "api_key", sa.Column("previous_secret_sha256", sa.String(length=64), nullable=True)
    )
    op.add_column(
        "api_key", sa.Column("previous_expires_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_unique_constraint(
        "uq_api_key_previous_secret_sha256", "api_key", ["previous_secret_sha256"]
    )
    op.create_table(
        "api_key_use",
        sa.Column("api_key_id", sa.String(length=120), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"], ["api_key.id"], name="fk_api_key_use_api_key_id_api_key",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("api_key_id", name="pk_api_key_use"),
    )


def downgrade() -> None:
    op.drop_table("api_key_use")
    op.drop_constraint("uq_api_key_previous_secret_sha256", "api_key", type_="unique")
    op.drop_column("api_key", "previous_expires_at")
    op.drop_column("api_key", "previous_secret_sha256")
    op.drop_column("api_key", "expires_at")
