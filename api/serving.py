"""`claimgraph serve`: one process owns the database, one or N uvicorn workers serve requests.

The order is what makes a stop graceful and a start honest:

1. bind the listening socket first, so that a busy port fails at once, before any database
   is started and without claiming to serve;
2. start the embedded PostgreSQL (unless DATABASE_URL is set) and supervise it from this
   process, the only owner of its lifecycle however many workers there are;
3. migrate, and load the fixtures into an empty database, once;
4. serve: in this process (WORKERS=1) or in N worker processes started by uvicorn's own
   supervisor (it restarts a worker that dies), all accepting on the socket of step 1;
5. on SIGTERM or Ctrl-C, the workers stop accepting, finish their in-flight requests (up to
   CLAIMGRAPH_SHUTDOWN_TIMEOUT) and close their pools; only then is the database stopped.

Workers share metrics through a folder of this process (see api/metrics.py); it must exist
in the environment before anything imports prometheus-client, hence the late imports below.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import shutil
import signal
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn
from uvicorn.supervisors.multiprocess import Multiprocess

from api import logs
from api.config import Settings
from api.db.embedded import EmbeddedPostgres
from api.db.engine import open_database, redacted
from api.db.supervisor import Supervisor
from api.errors import ClaimgraphError

log = logging.getLogger("claimgraph")

#: How long a worker may take to start (import, open its pools) before `serve` gives up.
WORKER_START_TIMEOUT = 60.0


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound now: a port in use is a clear error, not a late crash."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as error:
        sock.close()
        reason = "is already in use" if error.errno == 98 else f"cannot be used ({error.strerror})"
        raise ClaimgraphError(
            f"{host}:{port} {reason}: stop the other server, or choose another port "
            "with --port or PORT"
        ) from error
    sock.set_inheritable(True)
    return sock


@contextlib.contextmanager
def shared_metrics(settings: Settings) -> Iterator[Settings]:
    """Settings whose PROMETHEUS_MULTIPROC_DIR is a folder for this run's workers.

    One given by the operator is emptied of old samples; otherwise a temporary folder is
    made and removed at the end. The environment carries it to every process started from
    here, where prometheus-client reads it on import.
    """
    given = settings.prometheus_multiproc_dir
    folder = given or Path(tempfile.mkdtemp(prefix="claimgraph-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    try:
        yield settings.model_copy(update={"prometheus_multiproc_dir": folder})
    finally:
        if given is None:
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def owned_database(settings: Settings, on_restart: Callable[[], None]) -> Iterator[tuple[str, str]]:
    """(URL, description) of the database to serve: DATABASE_URL as it is, or the embedded
    server, started and supervised here and stopped when the workers are gone."""
    if settings.database_url:
        yield settings.database_url, redacted(settings.database_url)
        return
    server = EmbeddedPostgres(
        settings.home, durable=settings.claimgraph_pg_durable, archive=settings.archive
    )
    url = server.start()
    supervisor = Supervisor(server, on_restart=on_restart)
    supervisor.start()
    try:
        yield url, f"embedded PostgreSQL in {server.root}"
    finally:
        supervisor.stop()
        server.stop()


async def _prepare(settings: Settings, load: bool) -> None:
    from api.app import prepare

    async with open_database(settings) as database:
        await prepare(database, settings, load=load)


class _Stop(Exception):
    """SIGTERM before the server took over its signals: clean up as for Ctrl-C."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def serve(settings: Settings, *, load: bool = True) -> None:
    """Run the service until SIGTERM or Ctrl-C (see the module's doc for the order)."""
    listener = listen(settings.host, settings.port)
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        with contextlib.ExitStack() as stack:
            stack.callback(listener.close)
            if settings.workers > 1:
                settings = stack.enter_context(shared_metrics(settings))
            from api import metrics  # only now: see the module's doc

            url, where = stack.enter_context(owned_database(settings, metrics.count_restart))
            served = settings.model_copy(update={"database_url": url})
            asyncio.run(_prepare(served, load))
            workers = settings.workers
            announce = functools.partial(
                log.info,
                "claimgraph serving on http://%s:%s with %d worker%s over %s",
                settings.host,
                settings.port,
                workers,
                "" if workers == 1 else "s",
                where,
            )
            if workers == 1:
                _serve_here(served, listener, announce)
            else:
                _serve_in_workers(served, listener, announce)
    except _Stop:
        log.info("stopped by SIGTERM before serving")
    finally:
        signal.signal(signal.SIGTERM, previous)


def _config(settings: Settings, app: Any, **options: Any) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        log_config=logs.config(settings),
        log_level=settings.log_level,
        lifespan="on",
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=int(settings.claimgraph_shutdown_timeout),
        # Subscriptions send small JSON messages: compressing them saves little, and each
        # connection's compressor would hold ~100 KB (most of an idle subscriber's memory).
        ws_per_message_deflate=False,
        **options,
    )


class _AnnouncingServer(uvicorn.Server):
    """uvicorn's server, saying once that it serves (after its lifespan opened the pools)."""

    def __init__(self, config: uvicorn.Config, announce: Callable[[], None]) -> None:
        super().__init__(config)
        self.announce = announce

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and not self.should_exit:
            self.announce()


def _serve_here(settings: Settings, listener: socket.socket, announce: Callable[[], None]) -> None:
    from api.app import create_app

    server = _AnnouncingServer(_config(settings, create_app(settings)), announce)
    # uvicorn handles SIGINT/SIGTERM itself (a graceful shutdown), then raises the signal
    # again under the handlers it found: make those quiet, so that cleanup still runs.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    server.run(sockets=[listener])


class _Workers(Multiprocess):
    """uvicorn's supervisor of worker processes, saying once that they all serve."""

    def __init__(
        self, config: uvicorn.Config, sockets: list[socket.socket], announce: Callable[[], None]
    ) -> None:
        super().__init__(config, sockets)
        self.announce = announce

    def init_processes(self) -> None:
        super().init_processes()
        if all(
            process.wait_until_ready(WORKER_START_TIMEOUT, self.should_exit)
            for process in self.processes
        ):
            self.announce()


def _serve_in_workers(
    settings: Settings, listener: socket.socket, announce: Callable[[], None]
) -> None:
    from api.app import create_app

    factory = functools.partial(create_app, settings)
    config = _config(settings, factory, factory=True, workers=settings.workers)
    _Workers(config, [listener], announce).run()
