"""The raw asyncpg pool for the hottest reads, with outages translated and use reported.

asyncpg's pool (api/store/prepared.py explains why the hottest reads skip SQLAlchemy) reports
a dead server in its own exceptions; here every acquire, and so every `fetch*` helper, turns
them into `DatabaseUnavailable` and drops the connection, so that the next acquire opens a new
one. A closed connection is reopened by asyncpg on its next acquire: the pool heals by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, Generator
from typing import Any

import asyncpg

from api.db.connections import READ_POOL_SETTINGS, OutageListener, PoolWatch, Timeouts, connect
from api.db.outages import translate


def _unwatched(in_use: int, waiting: int) -> None:
    """Nobody measures this pool."""


async def _keep(connection: asyncpg.Connection) -> None:
    """No reset on release: the prepared reads are single autocommit SELECTs that change no
    session state, and asyncpg's default reset costs a round trip per request."""


async def init_json(connection: asyncpg.Connection) -> None:
    """json and jsonb columns as Python values."""
    for json_type in ("json", "jsonb"):
        await connection.set_type_codec(
            json_type, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )


class _Acquire:
    """asyncpg's acquire context, whose outages (on acquiring or while the connection is in
    use) leave as `DatabaseUnavailable`. asyncpg's own `fetch*` helpers go through it too."""

    __slots__ = ("_inner", "_pool")

    def __init__(self, pool: _Pool, inner: Any) -> None:
        self._pool = pool
        self._inner = inner

    def _translated(self, error: BaseException) -> BaseException:
        unavailable = translate(error, self._pool.on_outage)
        if unavailable is None:
            return error
        if unavailable is not error:
            unavailable.__cause__ = error
        return unavailable

    async def __aenter__(self) -> asyncpg.Connection:
        watch = self._pool.watch
        watch(0, 1)
        try:
            connection = await self._inner.__aenter__()
        except Exception as error:
            raise self._translated(error) from error
        finally:
            watch(0, -1)
        watch(1, 0)
        return connection

    async def __aexit__(self, kind: Any, error: BaseException | None, trace: Any) -> None:
        translated = self._translated(error) if isinstance(error, Exception) else error
        if translated is not error and self._inner.connection is not None:
            # Dead or out of step: the pool opens another (unless it already let it go).
            with contextlib.suppress(asyncpg.InterfaceError):
                self._inner.connection.terminate()
        await self._inner.__aexit__(kind, error, trace)  # releases: see _Pool.release
        if translated is not error and translated is not None:
            raise translated from error

    def __await__(self) -> Generator[Any, None, asyncpg.Connection]:
        return self.__aenter__().__await__()


class _Pool(asyncpg.Pool):  # type: ignore[misc]
    """An asyncpg pool whose outages are `DatabaseUnavailable`."""

    on_outage: OutageListener | None = None
    watch: PoolWatch = staticmethod(_unwatched)

    def acquire(self, *, timeout: float | None = None) -> _Acquire:
        return _Acquire(self, super().acquire(timeout=timeout))

    async def release(
        self,
        connection: asyncpg.Connection,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 - asyncpg's own signature
    ) -> None:
        """Every way out (`async with`, or `await acquire()` then `release()`) passes here."""
        try:
            await super().release(connection, timeout=timeout)
        finally:
            self.watch(-1, 0)


class DriverPool:
    """An asyncpg pool opened on first use, in the event loop that uses it."""

    def __init__(
        self,
        url: str,
        size: int,
        timeouts: Timeouts,
        *,
        init: Callable[[asyncpg.Connection], Awaitable[None]] = init_json,
        on_outage: OutageListener | None = None,
        watch: PoolWatch | None = None,
    ) -> None:
        self.url = url
        self.size = size
        self.timeouts = timeouts
        self.init = init
        self.on_outage = on_outage
        self.watch = watch or _unwatched
        self.pool: _Pool | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> asyncpg.Pool:
        if self.pool is None:
            async with self._lock:
                if self.pool is None:
                    self.pool = await self._open()
        return self.pool

    async def _open(self) -> _Pool:
        # No connection at creation (min_size=0): opening the pool cannot fail, and the
        # first acquire connects, with the outage translation of every other acquire.
        pool = _Pool(
            min_size=0,
            max_size=self.size,
            max_queries=50_000,
            max_inactive_connection_lifetime=300.0,
            connect=lambda **_: connect(
                self.url, self.timeouts, self.on_outage, READ_POOL_SETTINGS
            ),
            setup=None,
            init=self.init,
            reset=_keep,
            loop=None,
            connection_class=asyncpg.Connection,
            record_class=asyncpg.Record,
        )
        pool.on_outage = self.on_outage
        pool.watch = self.watch
        await pool
        return pool

    async def expire(self) -> None:
        """Replace every connection on its next acquire (after the server came back)."""
        if self.pool is not None:
            await self.pool.expire_connections()

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()
            self.pool = None
