"""The ASGI application: `create_app(settings)` builds it; nothing connects at import time."""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from api import metrics, rest, web
from api.config import Settings
from api.db import migrate
from api.db.connections import Timeouts
from api.db.engine import Database, open_database
from api.errors import ClaimgraphError
from api.graphql import ide, refusals
from api.graphql.http import GraphQLEndpoint
from api.graphql.schema import create_schema
from api.graphql.websocket import Subscriptions
from api.limits import RequestLimits
from api.ratelimits import RateLimits
from api.requests import Refusal, Refusing, RequestContext
from api.rest import docs, openapi, problems
from api.rest.problems import domain_error, http_error, problem
from api.store import changes
from api.store.fixtures import loader

log = logging.getLogger("claimgraph")


async def prepare(database: Database, settings: Settings, *, load: bool = True) -> None:
    """Migrate, and (with `load`) load the fixtures into a database that holds no source yet."""
    await migrate.upgrade(database.engine)
    if not load:
        return
    async with database.sessions() as session:
        if await loader.is_empty(session):
            log.info("empty database: loading fixtures from %s", settings.claimgraph_fixtures)
            await loader.load_fixtures(database.sessions, [settings.claimgraph_fixtures], log.info)


async def index(request: Request) -> Response:
    """Where to go from here: the explorer for browsers, the API's entry points for clients."""
    if web.prefers_page(request):
        return web.page(request, vary="Accept")
    return JSONResponse(
        {
            "name": "claimgraph",
            "description": "Who claimed what, when, on what evidence.",
            "links": {
                "docs": "/docs",
                "openapi": "/openapi.json",
                "graphql": "/graphql",
                "rest": "/v1/claims",
                "health": "/healthz",
                "ready": "/readyz",
                "metrics": "/metrics",
            },
        },
        headers={"Vary": "Accept"},
    )


async def healthz(request: Request) -> Response:
    """The process is up (it answers), whatever the database does."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """The database answers: ready to serve."""
    database: Database = request.app.state.database
    if await database.ping():
        return JSONResponse({"status": "ready"})
    return problem(503, "the database is not reachable", instance=str(request.url.path))


#: What a browser page on an allowed origin may send, and read from the responses.
CORS_REQUEST_HEADERS = [
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "If-Match",
    "If-None-Match",
    "X-GraphQL-Path",
    "X-Request-ID",
]
CORS_RESPONSE_HEADERS = [
    "ETag",
    "Link",
    "Location",
    "Retry-After",
    "X-GraphQL-Path",
    "X-Request-ID",
]


def cors(settings: Settings) -> list[Middleware]:
    """CORS for browser frontends on the configured origins (none by default: no headers,
    and a preflight is refused as any unknown method is)."""
    if not settings.cors_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_RESPONSE_HEADERS,
            max_age=600,
        )
    ]


def transport(settings: Settings, refuse: Refusal) -> list[Middleware]:
    """What every route of one transport has, refusing in that transport's shape: outages
    and crashes that escape a handler, and the request limits."""
    return [
        Middleware(Refusing, refuse=refuse),
        Middleware(RequestLimits, max_body_bytes=settings.claimgraph_max_body_bytes, refuse=refuse),
    ]


def rate_limits(settings: Settings) -> list[Middleware]:
    """REST's reads and writes counted per client, when a limit is set (GraphQL counts in
    its endpoint, by cost)."""
    if (
        settings.claimgraph_rate_limit_reads is None
        and settings.claimgraph_rate_limit_writes is None
    ):
        return []
    return [Middleware(RateLimits, settings=settings, refuse=problems.refuse)]


def create_app(settings: Settings, database: Database | None = None) -> Starlette:
    """The app; with `database` given (tests), it uses that pool and the lifespan opens nothing.

    `serve` starts (and supervises) the embedded server and prepares the database before any
    worker starts, and gives each worker the URL: a worker's lifespan only opens pools.
    """

    def feed_of(served: Database) -> changes.Feed:
        """The change feed of this process, counted in the followers gauge."""
        return changes.Feed(
            served, most=settings.claimgraph_max_followers, counted=metrics.FEED_FOLLOWERS.inc
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if database is not None:
            yield
            return
        async with open_database(
            settings,
            timeouts=Timeouts.of(settings),
            observer=metrics.database_observer(),
            on_restart=metrics.count_restart,
        ) as opened:
            app.state.database = opened
            app.state.feed = feed_of(opened)
            # Everything alive now (modules, schemas, compiled queries) lives as long as the
            # process: keep it out of the collector's passes, which per-request garbage would
            # otherwise trigger over the whole heap.
            gc.collect()
            gc.freeze()
            try:
                yield
            finally:
                await app.state.feed.close()
                metrics.worker_exited(settings.prometheus_multiproc_dir)

    operations = rest.operations()
    contract = openapi.render(operations).encode()

    async def openapi_json(request: Request) -> Response:
        """The OpenAPI 3.1 document of the REST API."""
        return Response(contract, media_type="application/json")

    async def metrics_text(request: Request) -> Response:
        """Prometheus' text format: requests, latency, pools, GraphQL operations, outages."""
        body, media_type = metrics.render(
            settings.prometheus_multiproc_dir, request.headers.get("accept")
        )
        return Response(body, headers={"Content-Type": media_type})

    schema = create_schema()
    graphql = GraphQLEndpoint(schema, database, settings)
    # Starlette tries routes in order: the busiest first.
    routes: list[BaseRoute] = [
        Route(
            "/graphql",
            graphql,
            methods=["GET", "POST"],
            middleware=transport(settings, refusals.refuse),
        ),
        WebSocketRoute("/graphql", Subscriptions(schema, origins=settings.cors_origins)),
        *rest.routes(
            operations,
            middleware=[*transport(settings, problems.refuse), *rate_limits(settings)],
        ),
        Route("/", index),
        Route("/metrics", metrics_text),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/openapi.json", openapi_json),
        *docs.routes(),
        ide.static_mount(),
        *web.routes(),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(metrics.RequestMetrics),
            Middleware(RequestContext, refuse=problems.refuse),
            *cors(settings),
        ],
        exception_handlers={ClaimgraphError: domain_error, HTTPException: http_error},
        lifespan=lifespan,
    )
    if database is not None:
        app.state.database = database
        app.state.feed = feed_of(database)
    return app
