"""Schema migrations, run in-process through Alembic's API (no alembic.ini to find)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    return config


def revisions() -> list[str]:
    """Every revision id, oldest first."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


def is_revision(revision: str) -> bool:
    """Whether Alembic can resolve `revision` (an id, `base`, `head`, or `-N` steps)."""
    try:
        ScriptDirectory.from_config(alembic_config()).get_revisions(revision)
    except CommandError:
        return False
    return True


#: Key of the advisory lock that makes concurrent migrations wait for each other.
LOCK_KEY = 0x636C6D67  # "clmg"


async def _locked(engine: AsyncEngine, migrate: Callable[[Connection], None]) -> None:
    """Run `migrate` holding a lock, so two processes starting at once migrate one by one."""
    async with engine.begin() as connection:
        # A migration may take longer than any request: no statement timeout for it.
        await connection.execute(sa.text("SET LOCAL statement_timeout = 0"))
        await connection.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
        await connection.run_sync(migrate)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    await _locked(engine, lambda sync: command.upgrade(alembic_config(sync), revision))


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    await _locked(engine, lambda sync: command.downgrade(alembic_config(sync), revision))


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


async def autogenerate(engine: AsyncEngine, message: str) -> None:
    """Write a new revision from the difference between the models and the database."""
    async with engine.begin() as connection:
        await connection.run_sync(
            lambda sync: command.revision(alembic_config(sync), message=message, autogenerate=True)
        )
