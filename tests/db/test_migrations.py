"""Alembic owns the schema: it upgrades, downgrades and upgrades again, and matches the models."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from api.db import migrate
from api.db.engine import Database


def head_revision() -> str | None:
    return ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()


async def tables(database: Database) -> set[str]:
    async with database.engine.connect() as connection:
        names = await connection.run_sync(lambda sync: sa.inspect(sync).get_table_names())
    return set(names) - {"alembic_version"}


async def test_upgrade_downgrade_upgrade_on_an_empty_database(empty_database: Database) -> None:
    await migrate.upgrade(empty_database.engine)
    assert await migrate.current_revision(empty_database.engine) == head_revision()
    assert await tables(empty_database) == set(SQLModel.metadata.tables)

    await migrate.downgrade(empty_database.engine, "base")
    assert await migrate.current_revision(empty_database.engine) is None
    assert await tables(empty_database) == set()

    await migrate.upgrade(empty_database.engine)
    assert await migrate.current_revision(empty_database.engine) == head_revision()
    assert await tables(empty_database) == set(SQLModel.metadata.tables)


async def test_migrations_match_the_models(empty_database: Database) -> None:
    """No model change is left without its migration (what autogenerate would write is empty)."""
    await migrate.upgrade(empty_database.engine)

    def diff(sync: sa.Connection) -> list[object]:
        context = MigrationContext.configure(
            sync, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, SQLModel.metadata))

    async with empty_database.engine.connect() as connection:
        assert await connection.run_sync(diff) == []


async def test_upgrade_is_a_no_op_when_current(database: Database) -> None:
    before = await migrate.current_revision(database.engine)
    await migrate.upgrade(database.engine)
    assert await migrate.current_revision(database.engine) == before == head_revision()
