"""How a connection to PostgreSQL is opened, how long it may take, and who hears about it.

Every connection of both pools is opened by `connect()`, so that a server that cannot be
reached is `DatabaseUnavailable` everywhere, and carries the same timeouts. `Observer` is how
this layer reports outages and pool use to whoever measures them (api/metrics.py wires it;
the database layer never imports metrics, see there why).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import asyncpg

from api.config import Settings
from api.db.outages import translate

#: Every session's settings. Statements are parametrised and small: JIT compiles slower than
#: they run. Timestamps are written in UTC. Words count as similar (search's fallback) from a
#: word similarity of 0.5 ("Tokaev" to "Tokayev" is 0.57; pg_trgm's default is 0.6).
SERVER_SETTINGS = {
    "jit": "off",
    "application_name": "claimgraph",
    "TimeZone": "UTC",
    "pg_trgm.word_similarity_threshold": "0.5",
}
#: The asyncpg read pool's, besides: its statements are few, prepared once per connection
#: and run with new parameters, and a generic plan spares PostgreSQL re-planning one (0.5-0.8
#: ms for a page's statement, as long as running it) on every call.
READ_POOL_SETTINGS = {"plan_cache_mode": "force_generic_plan"}

#: Told why a connection or statement failed (the exception's class name).
OutageListener = Callable[[str], None]
#: Told of a change in a pool's connections: (in use, waiting for one), as deltas.
PoolWatch = Callable[[int, int], None]


def _no_outage(role: str) -> None:
    """Nobody measures outages."""


def _no_pool(role: str, driver: str, in_use: int, waiting: int) -> None:
    """Nobody measures pools."""


@dataclass(frozen=True)
class Observer:
    """Callbacks for whoever measures the database layer; no-ops by default."""

    #: Called once per outage (a server found unreachable after it had answered), with its
    #: role: "primary" or "replica".
    outage: Callable[[str], None] = _no_outage
    #: Called with (role, driver, in-use delta, waiting delta) as connections come and go.
    pool: Callable[[str, str, int, int], None] = _no_pool

    def watch(self, role: str, driver: str) -> PoolWatch:
        return lambda in_use, waiting: self.pool(role, driver, in_use, waiting)


@dataclass(frozen=True)
class Timeouts:
    """How long a request may wait on PostgreSQL, in seconds.

    `connect` bounds opening a connection and waiting for a pooled one; `statement` is
    PostgreSQL's `statement_timeout` on every connection (None: no limit, for tools and
    tests), with the client giving up a little later in case the server cannot even say so.
    """

    connect: float = 60.0
    statement: float | None = None

    @classmethod
    def of(cls, settings: Settings) -> Timeouts:
        return cls(
            connect=settings.claimgraph_db_connect_timeout,
            statement=settings.claimgraph_db_statement_timeout,
        )

    def connect_kwargs(self, extra: dict[str, str] | None = None) -> dict[str, Any]:
        """asyncpg.connect keyword arguments for these timeouts (and `extra` settings)."""
        settings = {**SERVER_SETTINGS, **(extra or {})}
        kwargs: dict[str, Any] = {"timeout": self.connect, "server_settings": settings}
        if self.statement:
            settings["statement_timeout"] = str(int(self.statement * 1000))
            kwargs["command_timeout"] = self.statement + self.connect
        return kwargs


async def connect(
    url: str,
    timeouts: Timeouts,
    on_outage: OutageListener | None = None,
    settings: dict[str, str] | None = None,
) -> asyncpg.Connection:
    """A new asyncpg connection; failing to get one is `DatabaseUnavailable`."""
    try:
        return await asyncpg.connect(url, **timeouts.connect_kwargs(settings))
    except Exception as error:
        unavailable = translate(error, on_outage)
        if unavailable is None:
            raise
        raise unavailable from error
