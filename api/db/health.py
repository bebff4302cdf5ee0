"""Whether a database server answers, as last seen, and when it answers again.

The first failure of an outage logs once and tells the observer; a probe then connects every
PROBE_INTERVAL until the server answers, has the pools drop their dead connections, and logs
how long it was away. Reads use it to leave a replica that stopped answering, and to come
back to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import itertools
import logging
import time
from collections.abc import Awaitable, Callable

import asyncpg

from api.db.connections import Observer, Timeouts

log = logging.getLogger("claimgraph.db")

#: How often an unreachable server is probed until it answers again.
PROBE_INTERVAL = 0.5


class Health:
    """One server's reachability: `up`, or down since a failure until a probe succeeds."""

    def __init__(self, role: str, url: str, timeouts: Timeouts, observer: Observer) -> None:
        self.role = role
        self.url = url
        self.timeouts = timeouts
        self.observer = observer
        self.up = True
        #: Run when the server answers again, before reads go back to it: the pools drop the
        #: connections they had, which died with the server (each would fail one request).
        self.on_return: list[Callable[[], Awaitable[object]]] = []
        self._since = 0.0
        self._probe: asyncio.Task[None] | None = None

    def failed(self, reason: str) -> None:
        """Record a failure: the first one of an outage logs, reports and starts the probe."""
        if not self.up:
            return
        self.up = False
        self._since = time.monotonic()
        log.warning("database %s unavailable (%s); probing until it answers", self.role, reason)
        self.observer.outage(self.role)
        with contextlib.suppress(RuntimeError):  # no running loop: nothing to probe from
            # A context of its own: the probe is no part of the request that noticed the outage
            # (its log lines carry no request id).
            self._probe = asyncio.get_running_loop().create_task(
                self._await_return(), context=contextvars.Context()
            )

    async def _await_return(self) -> None:
        for attempt in itertools.count():
            if await self._answers():
                break
            log.debug("database %s still unavailable (probe %d)", self.role, attempt + 1)
            await asyncio.sleep(PROBE_INTERVAL)
        for refresh in self.on_return:
            try:
                await refresh()
            except Exception:
                log.warning("could not refresh the %s pools", self.role, exc_info=True)
        self.up = True
        log.warning(
            "database %s answers again after %.1fs", self.role, time.monotonic() - self._since
        )

    async def _answers(self) -> bool:
        try:
            connection = await asyncpg.connect(self.url, timeout=self.timeouts.connect)
            try:
                await connection.fetchval("SELECT 1")
            finally:
                connection.terminate()
        except Exception:
            return False
        return True

    async def close(self) -> None:
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe
