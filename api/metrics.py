"""What the service measures, in Prometheus' text format at /metrics (prometheus-client).

With several worker processes each writes its samples to files in a shared folder
(PROMETHEUS_MULTIPROC_DIR, which `serve --workers N` creates) and /metrics, answered by any
one of them, adds them all up. prometheus-client picks that mode when it is first imported,
so nothing imported before `serve` has set the folder may import this module: the database
layer reports through callbacks (`database_observer()`), never by importing it.

Label values are bounded: routes by their template (`/v1/statements/{id}`, "unmatched" for
404s), GraphQL operations by name up to MAX_OPERATION_NAMES distinct names per process.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Literal

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    multiprocess,
)
from prometheus_client.exposition import choose_encoder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.db.connections import Observer

MAX_OPERATION_NAMES = 200
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# `_created` samples (a timestamp per series) double the output and mean nothing here.
disable_created_metrics()  # type: ignore[no-untyped-call]
_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,63}$")

REQUESTS = Counter(
    "claimgraph_http_requests",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "claimgraph_http_request_duration_seconds",
    "Time from receiving a request to sending the last byte of its response.",
    ["route", "method"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
CONNECTIONS_IN_USE = Gauge(
    "claimgraph_db_connections_in_use",
    "Database connections checked out of the pools now.",
    ["role", "driver"],
    multiprocess_mode="livesum",
)
CONNECTIONS_WAITING = Gauge(
    "claimgraph_db_connection_waiters",
    "Requests waiting for a database connection now (the pool is exhausted).",
    ["role", "driver"],
    multiprocess_mode="livesum",
)
FEED_FOLLOWERS = Gauge(
    "claimgraph_feed_followers",
    "Clients following the change feed now (Server-Sent Events and GraphQL subscriptions).",
    multiprocess_mode="livesum",
)
GRAPHQL_OPERATIONS = Counter(
    "claimgraph_graphql_operations",
    "GraphQL operations executed, by operation name and execution path "
    "(compiled to one SQL statement, or the resolvers' fallback).",
    ["operation", "path"],
)
DB_OUTAGES = Counter(
    "claimgraph_db_outages",
    "Times a process found the database unreachable after it had answered (per process).",
    ["role"],
)
DB_RESTARTS = Counter(
    "claimgraph_db_restarts",
    "Times the embedded PostgreSQL died and was started again by its supervisor.",
)

_operation_names: set[str] = set()


def count_graphql_operation(name: str | None, path: Literal["compiled", "fallback"]) -> None:
    """Count one GraphQL operation; `path` is how it was executed."""
    label = name if name and _NAME.match(name) else "anonymous"
    if label not in _operation_names:
        if len(_operation_names) >= MAX_OPERATION_NAMES:
            label = "other"
        else:
            _operation_names.add(label)
    GRAPHQL_OPERATIONS.labels(label, path).inc()


def count_restart() -> None:
    DB_RESTARTS.inc()


def _pool_change(role: str, driver: str, in_use: int, waiting: int) -> None:
    if in_use:
        CONNECTIONS_IN_USE.labels(role, driver).inc(in_use)
    if waiting:
        CONNECTIONS_WAITING.labels(role, driver).inc(waiting)


def database_observer() -> Observer:
    """The callbacks through which the database layer reports outages and pool use."""
    return Observer(
        outage=lambda role: DB_OUTAGES.labels(role).inc(),
        pool=_pool_change,
    )


def render(multiprocess_dir: Path | None, accept: str | None) -> tuple[bytes, str]:
    """The current samples (of every worker, with a shared folder) and their media type, in
    the format `accept` asks for: Prometheus text 0.0.4 by default, or OpenMetrics."""
    encoder, media_type = choose_encoder(accept or "")
    if multiprocess_dir is None:
        return encoder(REGISTRY), media_type
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(multiprocess_dir))  # type: ignore[no-untyped-call]
    return encoder(registry), media_type


def worker_exited(multiprocess_dir: Path | None) -> None:
    """Drop this process's live gauges from the shared folder (its counters stay counted)."""
    if multiprocess_dir is not None:
        multiprocess.mark_process_dead(os.getpid(), str(multiprocess_dir))  # type: ignore[no-untyped-call]


class RequestMetrics:
    """Outermost middleware: counts and times every HTTP request by its route template."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_see(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_see)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) if route is not None else None
            label = template or "unmatched"
            method = scope["method"] if scope["method"] in _METHODS else "other"
            REQUESTS.labels(label, method, str(status)).inc()
            LATENCY.labels(label, method).observe(time.perf_counter() - started)
