"""Database outages are 503s, never 500s, on both transports, and the pools heal by themselves.

Real failures only: a port nobody listens on (refused), a role PostgreSQL refuses for "too
many connections", a database that is not there, a table lock that runs a read into
`statement_timeout`, and backends terminated under the pools' feet.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import httpx
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.engine import make_url

from api.app import create_app
from api.config import Settings
from api.db.engine import Database, connect_database

REFUSED = "postgresql://nobody:secret-password@127.0.0.1:9/none"
STATEMENT = "/v1/statements/tokayev-attempted-coup"  # a prepared read on the asyncpg pool
LIST = "/v1/claims"  # a read through SQLAlchemy's pool
GRAPHQL = {"query": "{ claims(first: 2) { totalCount edges { node { id } } } }"}
#: Opens an in-process client over a database opened as `serve` opens it (settings overridden).
OpenClient = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest_asyncio.fixture
async def http_over(settings: Settings) -> AsyncIterator[OpenClient]:
    opened: list[tuple[Database, httpx.AsyncClient]] = []

    async def open_client(url: str, **overrides: object) -> httpx.AsyncClient:
        database = connect_database(settings.model_copy(update=overrides), url)
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(settings, database)),
            base_url="http://claimgraph.test",
        )
        opened.append((database, client))
        return client

    yield open_client
    for database, client in opened:
        await client.aclose()
        await database.close()


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    body = response.json()
    assert body["title"] == "Service Unavailable"
    for leak in ("secret-password", "127.0.0.1", "asyncpg", "Traceback"):
        assert leak not in response.text


def assert_graphql_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert int(response.headers["retry-after"]) > 0
    codes = {error["extensions"]["code"] for error in response.json()["errors"]}
    assert codes == {"SERVICE_UNAVAILABLE"}


class TestRefused:
    async def test_rest_reads_on_either_pool_are_503(self, http_over: OpenClient) -> None:
        http = await http_over(REFUSED)
        assert_unavailable(await http.get(STATEMENT))
        assert_unavailable(await http.get(LIST))

    async def test_graphql_is_http_503_service_unavailable(self, http_over: OpenClient) -> None:
        http = await http_over(REFUSED)
        assert_graphql_unavailable(await http.post("/graphql", json=GRAPHQL))

    async def test_alive_but_not_ready(self, http_over: OpenClient) -> None:
        http = await http_over(REFUSED)
        assert (await http.get("/healthz")).status_code == 200
        assert (await http.get("/readyz")).status_code == 503


class TestTooManyConnections:
    async def test_a_server_at_its_connection_limit_is_503(
        self,
        http_over: OpenClient,
        database: Database,
    ) -> None:
        admin = await asyncpg.connect(database.url)
        try:
            await admin.execute("DROP ROLE IF EXISTS crowded")
            await admin.execute("CREATE ROLE crowded LOGIN PASSWORD 'crowded' CONNECTION LIMIT 0")
            crowded = make_url(database.url).set(username="crowded", password="crowded")
            http = await http_over(crowded.render_as_string(hide_password=False))
            assert_unavailable(await http.get(STATEMENT))
            assert_unavailable(await http.get(LIST))
            assert_graphql_unavailable(await http.post("/graphql", json=GRAPHQL))
        finally:
            await admin.execute("DROP ROLE IF EXISTS crowded")
            await admin.close()


class TestNoDatabase:
    async def test_a_database_that_is_not_there_is_503(
        self, http_over: OpenClient, database: Database
    ) -> None:
        """Dropped, or not created yet: the server answers, the database does not exist."""
        missing = make_url(database.url).set(database="claimgraph_dropped")
        http = await http_over(missing.render_as_string(hide_password=False))
        assert_unavailable(await http.get(STATEMENT))
        assert_unavailable(await http.get(LIST))
        assert_graphql_unavailable(await http.post("/graphql", json=GRAPHQL))
        assert (await http.get("/readyz")).status_code == 503


class TestStatementTimeout:
    async def test_a_read_blocked_past_the_timeout_is_503_not_a_hung_worker(
        self,
        http_over: OpenClient,
        database: Database,
    ) -> None:
        http = await http_over(database.url, claimgraph_db_statement_timeout=0.5)
        assert (await http.get(STATEMENT)).status_code == 200  # connections open before the lock
        locker = await asyncpg.connect(database.url)
        try:
            async with locker.transaction():
                await locker.execute("LOCK TABLE statement, claim IN ACCESS EXCLUSIVE MODE")
                started = time.monotonic()
                assert_unavailable(await http.get(STATEMENT))
                assert_unavailable(await http.get(LIST))
                assert_graphql_unavailable(await http.post("/graphql", json=GRAPHQL))
                # Each waited for the lock until PostgreSQL cancelled it, not for the lock holder.
                assert time.monotonic() - started < 30
        finally:
            await locker.close()
        assert (await http.get(LIST)).status_code == 200


class TestReconnect:
    async def test_terminated_backends_are_replaced_without_a_500(
        self,
        http_over: OpenClient,
        database: Database,
    ) -> None:
        http = await http_over(database.url, claimgraph_db_pool_size=1)
        assert (await http.get(STATEMENT)).status_code == 200
        assert (await http.get(LIST)).status_code == 200
        served: Database = http._transport.app.state.database  # type: ignore[attr-defined]
        async with served.engine.connect() as connection:
            orm_pid = await connection.scalar(text("SELECT pg_backend_pid()"))
        driver_pid = await (await served.driver_pool()).fetchval("SELECT pg_backend_pid()")
        admin = await asyncpg.connect(database.url)
        try:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid",
                [orm_pid, driver_pid],
            )
        finally:
            await admin.close()
        statuses = [(await http.get(path)).status_code for path in (STATEMENT, LIST) * 3]
        assert set(statuses) <= {200, 503}, statuses
        assert statuses[-2:] == [200, 200], statuses  # both pools reconnected by themselves
