"""The connection to PostgreSQL: one engine and session factory per process.

Sessions never expire objects on commit (a committed row stays readable without a new query)
and the store never relies on lazy loading: relations are fetched by explicit batch queries.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from functools import cached_property

import anyio
import asyncpg
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


#: Every session's settings. Statements are parametrised and small: JIT compiles slower than
#: they run. Timestamps are written in UTC. Words count as similar (search's fallback) from a
#: word similarity of 0.5 ("Tokaev" to "Tokayev" is 0.57; pg_trgm's default is 0.6).
SESSION_SETTINGS = {
    "jit": "off",
    "application_name": "claimgraph",
    "TimeZone": "UTC",
    "pg_trgm.word_similarity_threshold": "0.5",
}
#: The read pool's: its statements are few, prepared once per connection and run with new
#: parameters, and a generic plan spares PostgreSQL re-planning one (0.5-0.8 ms for a page's
#: statement, as long as running it) on every call.
READ_POOL_SETTINGS = {**SESSION_SETTINGS, "plan_cache_mode": "force_generic_plan"}


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    target = async_url(url)
    connect_args: dict[str, object] = {"server_settings": SESSION_SETTINGS}
    # libpq's `sslmode` is asyncpg's `ssl` (disable, prefer, require, verify-ca, verify-full).
    if "sslmode" in target.query:
        connect_args["ssl"] = target.query["sslmode"]
        target = target.difference_update_query(["sslmode"])
    return create_async_engine(
        target,
        pool_size=pool_size,
        # No overflow: connections opened and closed under load (TLS probe, auth) cost far more
        # than a short wait for a pooled one.
        max_overflow=0,
        pool_timeout=30,
        pool_pre_ping=False,
        connect_args=connect_args,
    )


async def _keep(connection: asyncpg.Connection) -> None:
    """No reset on release: the prepared reads are single autocommit SELECTs that change no
    session state, and asyncpg's default reset costs a round trip per request."""


@dataclass
class Database:
    """An open connection pool, plus the embedded server behind it when there is one.

    Beside SQLAlchemy's pool it keeps a small asyncpg pool for the prepared single-resource
    reads (api/store/prepared.py), opened on first use in the event loop that uses it.
    """

    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    embedded: EmbeddedPostgres | None = None
    driver_pool_size: int = 10
    #: Called with the SQL of every statement the asyncpg pool runs (tests count them).
    #: Only connections opened while the list is non-empty report (asyncpg's query logger).
    query_listeners: list[Callable[[str], None]] = field(default_factory=list)
    _driver_pool: asyncpg.Pool | None = field(default=None, init=False, repr=False)
    _driver_lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    @cached_property
    def readers(self) -> async_sessionmaker[AsyncSession]:
        """Sessions for reads: autocommit, so a request pays no BEGIN and ROLLBACK round trips
        (each statement sees its own snapshot; the API's reads need no more)."""
        return session_factory(self.engine.execution_options(isolation_level="AUTOCOMMIT"))

    async def driver_pool(self) -> asyncpg.Pool:
        if self._driver_pool is None:
            async with self._driver_lock:
                if self._driver_pool is None:
                    self._driver_pool = await asyncpg.create_pool(
                        self.url,
                        min_size=1,
                        max_size=self.driver_pool_size,
                        init=self._init_driver_connection,
                        reset=_keep,
                        server_settings=READ_POOL_SETTINGS,
                    )
        return self._driver_pool

    async def _init_driver_connection(self, connection: asyncpg.Connection) -> None:
        for json_type in ("json", "jsonb"):
            await connection.set_type_codec(
                json_type, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
            )
        if self.query_listeners:
            listeners = self.query_listeners
            connection.add_query_logger(
                lambda logged: [listener(logged.query) for listener in listeners]
            )

    async def close(self) -> None:
        if self._driver_pool is not None:
            await self._driver_pool.close()
            self._driver_pool = None
        await self.engine.dispose()

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
        database = Database(
            url=url,
            engine=engine,
            sessions=session_factory(engine),
            embedded=server,
            driver_pool_size=settings.claimgraph_db_pool_size,
        )
        try:
            yield database
        finally:
            await database.close()
    finally:
        if server is not None:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(server.stop)
