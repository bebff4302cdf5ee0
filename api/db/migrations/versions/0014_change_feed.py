"""The change feed: every audited write numbered in commit order, and announced.

`audit_log.seq` is given at commit, not at insert: a deferred trigger takes one advisory lock
(held until the transaction ends, after its commit is visible), draws the next number for
each of the transaction's audit rows, and announces the last with NOTIFY (delivered at
commit, in commit order). A transaction that commits later waits for the lock, so it draws
higher numbers only once the earlier one is visible: a reader never sees N+1 before N.
Rows written before this revision are numbered in the order they were written.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 20:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# hashtext('claimgraph:changes'), spelled out: one lock for every writer of the feed.
LOCK = "pg_advisory_xact_lock(hashtext('claimgraph:changes'))"


def upgrade() -> None:
    op.execute("CREATE SEQUENCE audit_log_seq AS bigint")
    op.add_column("audit_log", sa.Column("seq", sa.BigInteger(), nullable=True))
    op.execute(
        "UPDATE audit_log SET seq = numbered.n FROM "
        "(SELECT id, row_number() OVER (ORDER BY id) AS n FROM audit_log) AS numbered "
        "WHERE audit_log.id = numbered.id"
    )
    op.execute(
        "SELECT setval('audit_log_seq', coalesce((SELECT max(seq) FROM audit_log), 0) + 1, false)"
    )
    op.create_index("ix_audit_log_seq", "audit_log", ["seq"], unique=True)
    op.execute(
        f"""
        CREATE FUNCTION claimgraph_number_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            numbered bigint;
        BEGIN
            PERFORM {LOCK};
            numbered := nextval('audit_log_seq');
            UPDATE audit_log SET seq = numbered WHERE id = NEW.id;
            PERFORM pg_notify('claimgraph_changes', numbered::text);
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        """
        CREATE CONSTRAINT TRIGGER audit_log_number AFTER INSERT ON audit_log
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        EXECUTE FUNCTION claimgraph_number_change()
        """
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_log_number ON audit_log")
    op.execute("DROP FUNCTION claimgraph_number_change()")
    op.drop_index("ix_audit_log_seq", table_name="audit_log")
    op.drop_column("audit_log", "seq")
    op.execute("DROP SEQUENCE audit_log_seq")
