"""The connection to PostgreSQL: one engine and session factory per process.

Sessions never expire objects on commit (a committed row stays readable without a new query)
and the store never relies on lazy loading: relations are fetched by explicit batch queries.

Outages: every connection is opened by `connections.connect()`, every statement error of
SQLAlchemy passes the engine's `handle_error` hook, and every use of the asyncpg pool its
acquire context (driver_pool.py); those edges turn whatever means "the server cannot serve
now" into `DatabaseUnavailable` (outages.py). Both pools then heal by themselves: SQLAlchemy
invalidates the connections older than the failure, and asyncpg reopens a closed connection on
its next acquire. No pre-ping: it would cost a round trip on every request to save one failed
request per outage.

Replicas: with one, `readers` and `driver_pool()` serve reads from it while it answers, and
from the primary when it does not, or once this task has opened a write session.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Generator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import anyio
import asyncpg
from sqlalchemy import event, text
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry

from api.config import Settings
from api.db.connections import Observer, OutageListener, PoolWatch, Timeouts, connect
from api.db.driver_pool import DriverPool, init_json
from api.db.embedded import EmbeddedPostgres
from api.db.health import Health
from api.db.outages import translate
from api.db.supervisor import Supervisor
from api.errors import DatabaseUnavailable

log = logging.getLogger(__name__)

#: Set by opening a write session: this task's later reads go to the primary, which has
#: its own writes (a replica may not have replayed them yet).
_pinned_to_primary: ContextVar[bool] = ContextVar("pinned_to_primary", default=False)


def async_url(url: str) -> URL:
    """`postgresql://…` as the asyncpg dialect URL SQLAlchemy wants."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"DATABASE_URL must be a postgresql:// URL, not {parsed.drivername}://")
    return parsed.set(drivername="postgresql+asyncpg")


def redacted(url: str) -> str:
    """The URL as it may appear in logs: no password."""
    return make_url(url).render_as_string(hide_password=True)


def _watched_pool(watch: PoolWatch) -> type[AsyncAdaptedQueuePool]:
    """SQLAlchemy's pool, reporting who waits for a connection (checkouts are events)."""

    class WatchedPool(AsyncAdaptedQueuePool):
        # Log as SQLAlchemy's own pool (quiet unless asked), not under our package's level.
        _sqla_logger_namespace = "sqlalchemy.pool.impl.AsyncAdaptedQueuePool"

        def _do_get(self) -> ConnectionPoolEntry:
            watch(0, 1)
            try:
                return super()._do_get()
            finally:
                watch(0, -1)

    return WatchedPool


def create_engine(
    url: str,
    *,
    pool_size: int = 10,
    timeouts: Timeouts | None = None,
    on_outage: OutageListener | None = None,
    watch: PoolWatch | None = None,
) -> AsyncEngine:
    """A SQLAlchemy engine whose connections come from `connect()` and whose outages are
    `DatabaseUnavailable` (and invalidate the pool, so that it reconnects)."""
    timeouts = timeouts or Timeouts()
    pool_options: dict[str, Any] = {}
    if watch is not None:
        pool_options["poolclass"] = _watched_pool(watch)
    async_url(url)  # refuse anything but postgresql:// early
    engine = create_async_engine(
        "postgresql+asyncpg://",
        async_creator=lambda: connect(url, timeouts, on_outage),
        pool_size=pool_size,
        # No overflow: connections opened and closed under load (TLS probe, auth) cost far more
        # than a short wait for a pooled one.
        max_overflow=0,
        pool_timeout=timeouts.connect,
        pool_pre_ping=False,
        **pool_options,
    )

    @event.listens_for(engine.sync_engine, "handle_error")
    def _unavailable(context: ExceptionContext) -> None:
        unavailable = translate(context.original_exception, on_outage)
        if unavailable is None:
            return
        context.is_disconnect = True  # drop this connection and every older one
        raise unavailable from context.original_exception

    if watch is not None:
        _watch_checkouts(engine, watch)
    return engine


def _watch_checkouts(engine: AsyncEngine, watch: PoolWatch) -> None:
    """Count checked-out connections. SQLAlchemy also checks in a connection whose checkout
    failed (a reconnect refused) without having reported the checkout: only a connection
    marked on its way out is counted back in."""

    @event.listens_for(engine.sync_engine, "checkout")
    def _out(dbapi: Any, record: ConnectionPoolEntry, proxy: Any) -> None:
        record.info["claimgraph_out"] = True
        watch(1, 0)

    @event.listens_for(engine.sync_engine, "checkin")
    def _in(dbapi: Any, record: ConnectionPoolEntry) -> None:
        if record.info.pop("claimgraph_out", False):
            watch(-1, 0)


class _PinningSessions(async_sessionmaker[AsyncSession]):
    """Read-write sessions that pin the calling task's later reads to the primary."""

    def __call__(self, **local_kw: Any) -> AsyncSession:
        _pinned_to_primary.set(True)
        return super().__call__(**local_kw)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Read-write sessions; opening one sends this task's later reads to the primary."""
    return _PinningSessions(engine, expire_on_commit=False, autoflush=False)


def reader_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Autocommit sessions: a read pays no BEGIN and ROLLBACK round trips (each statement
    sees its own snapshot; the API's reads need no more)."""
    return async_sessionmaker(
        engine.execution_options(isolation_level="AUTOCOMMIT"),
        expire_on_commit=False,
        autoflush=False,
    )


@contextlib.contextmanager
def request_reads() -> Generator[None, None, None]:
    """One request: its reads start on the replica (whatever the caller's context held),
    until it opens a write session."""
    token = _pinned_to_primary.set(False)
    try:
        yield
    finally:
        _pinned_to_primary.reset(token)


@dataclass
class Replica:
    """A streaming replica of the primary: it serves reads while it answers."""

    url: str
    engine: AsyncEngine
    driver: DriverPool
    health: Health
    readers: async_sessionmaker[AsyncSession] = field(init=False)

    def __post_init__(self) -> None:
        self.readers = reader_factory(self.engine)
        self.health.on_return += [self.engine.dispose, self.driver.expire]

    async def close(self) -> None:
        await self.health.close()
        await self.driver.close()
        await self.engine.dispose()


@dataclass
class Database:
    """An open connection pool, plus the embedded server behind it when there is one.

    Beside SQLAlchemy's pool it keeps a small asyncpg pool for the prepared single-resource
    reads (api/store/prepared.py), opened on first use in the event loop that uses it.
    `sessions` are read-write sessions on the primary; `readers` and `driver_pool()` are for
    reads, and go to the replica while there is one that answers.
    """

    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    embedded: EmbeddedPostgres | None = None
    driver_pool_size: int = 10
    #: Called with the SQL of every statement the asyncpg pool runs (tests count them).
    #: Only connections opened while the list is non-empty report (asyncpg's query logger).
    query_listeners: list[Callable[[str], None]] = field(default_factory=list)
    timeouts: Timeouts = field(default_factory=Timeouts)
    health: Health | None = None
    replica: Replica | None = None
    observer: Observer = field(default_factory=Observer)
    _driver: DriverPool = field(init=False, repr=False)
    _primary_readers: async_sessionmaker[AsyncSession] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._primary_readers = reader_factory(self.engine)
        self._driver = DriverPool(
            self.url,
            self.driver_pool_size,
            self.timeouts,
            init=self._init_driver_connection,
            on_outage=self.health.failed if self.health is not None else None,
            watch=self.observer.watch("primary", "asyncpg"),
        )
        if self.health is not None:
            self.health.on_return += [self.engine.dispose, self._driver.expire]

    def _replica_for_reads(self) -> Replica | None:
        replica = self.replica
        if replica is None or not replica.health.up or _pinned_to_primary.get():
            return None
        return replica

    @property
    def readers(self) -> async_sessionmaker[AsyncSession]:
        """Autocommit sessions for reads (the replica's while it answers)."""
        replica = self._replica_for_reads()
        return replica.readers if replica is not None else self._primary_readers

    async def driver_pool(self) -> asyncpg.Pool:
        """The asyncpg pool for reads (the replica's while it answers)."""
        replica = self._replica_for_reads()
        return await (replica.driver if replica is not None else self._driver).get()

    async def _init_driver_connection(self, connection: asyncpg.Connection) -> None:
        await init_json(connection)
        if self.query_listeners:
            listeners = self.query_listeners
            connection.add_query_logger(
                lambda logged: [listener(logged.query) for listener in listeners]
            )

    async def close(self) -> None:
        if self.health is not None:
            await self.health.close()
        if self.replica is not None:
            await self.replica.close()
        await self._driver.close()
        await self.engine.dispose()

    async def ping(self) -> bool:
        """Whether the primary answers a trivial query within two seconds."""
        try:
            with anyio.fail_after(2):
                async with self.engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        except (DatabaseUnavailable, TimeoutError):
            return False
        except Exception:
            log.warning("database ping failed", exc_info=True)
            return False
        return True


def connect_database(
    settings: Settings,
    url: str,
    *,
    embedded: EmbeddedPostgres | None = None,
    timeouts: Timeouts | None = None,
    observer: Observer | None = None,
) -> Database:
    """Pools on `url` (and on DATABASE_REPLICA_URL); `timeouts` default to the settings'."""
    observer = observer or Observer()
    timeouts = timeouts or Timeouts.of(settings)
    size = settings.claimgraph_db_pool_size
    health = Health("primary", url, timeouts, observer)
    engine = create_engine(
        url,
        pool_size=size,
        timeouts=timeouts,
        on_outage=health.failed,
        watch=observer.watch("primary", "sqlalchemy"),
    )
    replica = None
    if settings.database_replica_url:
        replica_url = settings.database_replica_url
        replica_health = Health("replica", replica_url, timeouts, observer)
        replica = Replica(
            url=replica_url,
            engine=create_engine(
                replica_url,
                pool_size=size,
                timeouts=timeouts,
                on_outage=replica_health.failed,
                watch=observer.watch("replica", "sqlalchemy"),
            ),
            driver=DriverPool(
                replica_url,
                size,
                timeouts,
                on_outage=replica_health.failed,
                watch=observer.watch("replica", "asyncpg"),
            ),
            health=replica_health,
        )
    return Database(
        url=url,
        engine=engine,
        sessions=session_factory(engine),
        embedded=embedded,
        driver_pool_size=size,
        timeouts=timeouts,
        health=health,
        replica=replica,
        observer=observer,
    )


async def start_server(settings: Settings) -> tuple[str, EmbeddedPostgres | None]:
    """The database URL to use: DATABASE_URL, or a started embedded server's."""
    if settings.database_url:
        return settings.database_url, None
    server = EmbeddedPostgres(
        settings.home, durable=settings.claimgraph_pg_durable, archive=settings.archive
    )
    url = await anyio.to_thread.run_sync(server.start)
    return url, server


@contextlib.asynccontextmanager
async def open_database(
    settings: Settings,
    *,
    timeouts: Timeouts | None = None,
    observer: Observer | None = None,
    on_restart: Callable[[], None] | None = None,
) -> AsyncIterator[Database]:
    """Start (and supervise) the server if needed, open pools, and close both on the way out.

    Without `timeouts` statements are not limited: commands (migrate, load) may take long;
    the app passes the settings' timeouts, which bound every request.
    """
    timeouts = timeouts or Timeouts(connect=settings.claimgraph_db_connect_timeout)
    url, server = await start_server(settings)
    supervisor = Supervisor(server, on_restart=on_restart) if server is not None else None
    try:
        if supervisor is not None:
            supervisor.start()
        database = connect_database(
            settings, url, embedded=server, timeouts=timeouts, observer=observer
        )
        try:
            yield database
        finally:
            await database.close()
    finally:
        with anyio.CancelScope(shield=True):
            if supervisor is not None:
                await anyio.to_thread.run_sync(supervisor.stop)
            if server is not None:
                await anyio.to_thread.run_sync(server.stop)
