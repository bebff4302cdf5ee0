"""Keeps the embedded PostgreSQL running: the process that owns it restarts it when it dies.

A thread, not a task: the owner of the server is sometimes an event loop (`serve` with one
worker, `claimgraph db`) and sometimes uvicorn's process supervisor, which has none. It polls
the postmaster a few times a second (a pid check, no query), and when it is gone starts it
again on the same data folder and port, with a doubling backoff while PostgreSQL refuses
(its killed children may hold the shared memory for a moment). PostgreSQL's crash recovery
replays the WAL, so acknowledged commits survive; the clients' pools reconnect by themselves
(api/db/engine.py), with the same URL.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from api.db.embedded import EmbeddedPostgres, EmbeddedPostgresError

log = logging.getLogger("claimgraph.db")

POLL_INTERVAL = 0.2
FIRST_BACKOFF = 0.25
MAX_BACKOFF = 8.0


class Supervisor:
    """Watches `server` (started by this process) and restarts it whenever it dies."""

    def __init__(
        self,
        server: EmbeddedPostgres,
        *,
        on_restart: Callable[[], None] | None = None,
        poll_interval: float = POLL_INTERVAL,
    ) -> None:
        self.server = server
        self.on_restart = on_restart
        self.poll_interval = poll_interval
        self.restarts = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="postgres-supervisor", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop watching (before the server is stopped on purpose)."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def _watch(self) -> None:
        while not self._stopping.wait(self.poll_interval):
            if not self.server.alive():
                self._recover()

    def _recover(self) -> None:
        info = self.server.info
        pid = info.pid if info else "?"
        died = time.monotonic()
        log.error("PostgreSQL (pid %s) died; restarting it on %s", pid, self.server.data)
        backoff = FIRST_BACKOFF
        attempt = 0
        while not self._stopping.is_set():
            attempt += 1
            try:
                restarted = self.server.restart()
            except EmbeddedPostgresError as error:
                reason = str(error).strip().splitlines()[-1] if str(error).strip() else "?"
                log.warning(
                    "PostgreSQL restart attempt %d failed (%s); next in %.2fs",
                    attempt,
                    reason,
                    backoff,
                )
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            self.restarts += 1
            log.warning(
                "PostgreSQL restarted as pid %s on port %s, %.1fs after it died "
                "(crash recovery replayed the WAL)",
                restarted.pid,
                restarted.port,
                time.monotonic() - died,
            )
            if self.on_restart is not None:
                self.on_restart()
            return
