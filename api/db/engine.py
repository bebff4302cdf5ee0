"""The connection to PostgreSQL: one engine and session factory per process.

Sessions never expire objects on commit (a committed row stays readable without a new query)
and the store never relies on lazy loading: relations are fetched by explicit batch queries.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import anyio
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from api.config import Settings
from api.db.embedded import EmbeddedPostgres

log = logging.getLogger(__name__)


def async_url(url: str) -> URL:
    """`postgresql://…` as the asyncpg dialect URL SQLAlchemy wants."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"DATABASE_URL must be a postgresql:// URL, not {parsed.drivername}://")
    return parsed.set(drivername="postgresql+asyncpg")


def redacted(url: str) -> str:
    """The URL as it may appear in logs: no password."""
    return make_url(url).render_as_string(hide_password=True)


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,
        # Statements are parametrised; JIT compiles slower than our small queries run.
        connect_args={"server_settings": {"jit": "off", "application_name": "claimgraph"}},
    )


@dataclass
class Database:
    """An open connection pool, plus the embedded server behind it when there is one."""

    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    embedded: EmbeddedPostgres | None = None

    async def ping(self) -> bool:
        """Whether PostgreSQL answers a trivial query within two seconds."""
        try:
            with anyio.fail_after(2):
                async with self.engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        except Exception:
            log.warning("database ping failed", exc_info=True)
            return False
        return True


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def start_server(settings: Settings) -> tuple[str, EmbeddedPostgres | None]:
    """The database URL to use: DATABASE_URL, or a started embedded server's."""
    if settings.database_url:
        return settings.database_url, None
    server = EmbeddedPostgres(settings.home, durable=settings.claimgraph_pg_durable)
    url = await anyio.to_thread.run_sync(server.start)
    return url, server


@contextlib.asynccontextmanager
async def open_database(settings: Settings) -> AsyncIterator[Database]:
    """Start the server if needed, open a pool, and close both on the way out."""
    url, server = await start_server(settings)
    try:
        engine = create_engine(url, pool_size=settings.claimgraph_db_pool_size)
        try:
            yield Database(
                url=url, engine=engine, sessions=session_factory(engine), embedded=server
            )
        finally:
            await engine.dispose()
    finally:
        if server is not None:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(server.stop)
