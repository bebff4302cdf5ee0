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
from starlette.routing import BaseRoute, Route

from api import rest
from api.config import Settings
from api.db import migrate
from api.db.engine import Database, open_database, redacted
from api.errors import ClaimgraphError
from api.graphql import ide
from api.graphql.http import GraphQLEndpoint
from api.graphql.schema import create_schema
from api.rest import docs, openapi
from api.rest.problems import RequestContext, domain_error, http_error, problem
from api.store import loader

log = logging.getLogger("claimgraph")


async def prepare(database: Database, settings: Settings) -> None:
    """Migrate, and load the fixtures into a database that holds no source yet."""
    await migrate.upgrade(database.engine)
    async with database.sessions() as session:
        if await loader.is_empty(session):
            log.info("empty database: loading fixtures from %s", settings.claimgraph_fixtures)
            await loader.load_fixtures(database.sessions, [settings.claimgraph_fixtures], log.info)


def describe(database: Database, settings: Settings) -> str:
    if database.embedded is not None:
        return f"embedded PostgreSQL in {database.embedded.root}"
    return redacted(database.url)


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


def create_app(
    settings: Settings, database: Database | None = None, *, prepare_db: bool = False
) -> Starlette:
    """The app; with `database` given (tests), it uses that pool and the lifespan opens nothing."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if database is not None:
            yield
            return
        async with open_database(settings) as opened:
            if prepare_db:
                await prepare(opened, settings)
            app.state.database = opened
            # Everything alive now (modules, schemas, compiled queries) lives as long as the
            # process: keep it out of the collector's passes, which per-request garbage would
            # otherwise trigger over the whole heap.
            gc.collect()
            gc.freeze()
            log.info(
                "claimgraph serving on http://%s:%s with %s",
                settings.host,
                settings.port,
                describe(opened, settings),
            )
            yield

    operations = rest.operations()
    contract = openapi.render(operations).encode()

    async def openapi_json(request: Request) -> Response:
        """The OpenAPI 3.1 document of the REST API."""
        return Response(contract, media_type="application/json")

    graphql = GraphQLEndpoint(create_schema(), database)
    # Starlette tries routes in order: the busiest first.
    routes: list[BaseRoute] = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        *rest.routes(operations),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/openapi.json", openapi_json),
        *docs.routes(),
        ide.static_mount(),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(RequestContext), *cors(settings)],
        exception_handlers={ClaimgraphError: domain_error, HTTPException: http_error},
        lifespan=lifespan,
    )
    app.state.max_body_bytes = settings.claimgraph_max_body_bytes
    if database is not None:
        app.state.database = database
    return app
