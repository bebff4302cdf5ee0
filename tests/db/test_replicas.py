"""DATABASE_REPLICA_URL against a real streaming replica of a real primary.

The replica is made by pg_basebackup from the primary (tests/db/replicas.py) and streams
from it. Replay can be paused on it, which shows where a read went: a row written on the
primary is invisible on a paused replica.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
import pytest_asyncio
from sqlalchemy import text

from api.app import create_app
from api.config import Settings
from api.db.embedded import EmbeddedPostgres
from api.db.engine import (
    Database,
    connect_database,
    create_engine,
    request_reads,
    session_factory,
)
from api.store.fixtures import loader
from tests.conftest import migrate_and_load
from tests.db.replicas import make_replica
from tests.factories import claims_fixture

#: Starts processes (servers, commands): left out of the quick loop, `-m "not process"`.
pytestmark = pytest.mark.process


@dataclass
class Pair:
    primary: EmbeddedPostgres
    replica: EmbeddedPostgres
    primary_url: str
    replica_url: str


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    folder = tmp_path_factory.mktemp("replication")
    primary = EmbeddedPostgres(folder / "primary", durable=False)
    primary_url = primary.start()
    made: Pair | None = None
    try:
        asyncio.run(migrate_and_load(primary_url))
        replica = make_replica(primary_url, primary, folder / "replica")
        made = Pair(primary, replica, primary_url, replica.start())
        yield made
    finally:
        if made is not None:  # a test may have restarted the replica: stop the one running
            made.replica.stop()
        primary.stop()


@pytest_asyncio.fixture
async def database(pair: Pair, settings: Settings) -> AsyncIterator[Database]:
    replicated = settings.model_copy(update={"database_replica_url": pair.replica_url})
    database = connect_database(replicated, pair.primary_url)
    yield database
    await database.close()


async def fetchval(url: str, sql: str) -> object:
    connection = await asyncpg.connect(url)
    try:
        return await connection.fetchval(sql)
    finally:
        await connection.close()


async def load_on_primary(url: str, source_id: str) -> None:
    """Load a source on the primary, in a task of its own: a write session in the test's own
    task would (rightly) send the test's later reads to the primary."""

    async def load() -> None:
        engine = create_engine(url, pool_size=1)
        try:
            async with session_factory(engine)() as session, session.begin():
                await loader.load_fixture(session, claims_fixture(source_id, 1), lambda _: None)
        finally:
            await engine.dispose()

    await asyncio.create_task(load())


async def until_replayed(pair: Pair) -> None:
    """Until the replica has replayed everything the primary has logged so far (the insert
    position: with synchronous_commit off, a commit may not be written out yet)."""
    lsn = await fetchval(pair.primary_url, "SELECT pg_current_wal_insert_lsn()::text")
    async with asyncio.timeout(30):
        while True:
            caught_up = await fetchval(
                pair.replica_url, f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn"
            )
            if caught_up:
                return
            await asyncio.sleep(0.05)


async def read_in_recovery(database: Database) -> tuple[object, object]:
    """(pg_is_in_recovery() through `readers`, the same through the asyncpg pool), read as
    a request that has not written reads."""
    with request_reads():
        return await _in_recovery(database)


async def _in_recovery(database: Database) -> tuple[object, object]:
    async with database.readers() as session:
        orm = await session.scalar(text("SELECT pg_is_in_recovery()"))
    pool = await database.driver_pool()
    return orm, await pool.fetchval("SELECT pg_is_in_recovery()")


def client(database: Database, settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings, database)),
        base_url="http://claimgraph.test",
    )


class TestRouting:
    async def test_reads_go_to_the_replica_and_writes_to_the_primary(
        self, database: Database
    ) -> None:
        assert await asyncio.create_task(read_in_recovery(database)) == (True, True)
        async with database.sessions() as session:
            assert await session.scalar(text("SELECT pg_is_in_recovery()")) is False

    async def test_a_row_written_on_the_primary_is_served_once_the_replica_replays_it(
        self, pair: Pair, database: Database, settings: Settings
    ) -> None:
        await fetchval(pair.replica_url, "SELECT pg_wal_replay_pause()")
        try:
            await load_on_primary(pair.primary_url, "replicated-1")
            async with client(database, settings) as http:
                paused = await http.get("/v1/sources/replicated-1")
                assert paused.status_code == 404, "read from the paused replica"
                await fetchval(pair.replica_url, "SELECT pg_wal_replay_resume()")
                await until_replayed(pair)
                assert (await http.get("/v1/sources/replicated-1")).status_code == 200
                statements = await http.get("/v1/sources/replicated-1/statements")
                assert statements.status_code == 200 and len(statements.json()["data"]) == 2
        finally:
            await fetchval(pair.replica_url, "SELECT pg_wal_replay_resume()")

    async def test_a_tasks_reads_after_its_own_write_go_to_the_primary(
        self, pair: Pair, database: Database
    ) -> None:
        await fetchval(pair.replica_url, "SELECT pg_wal_replay_pause()")
        try:

            async def write_then_read() -> object:
                async with database.sessions() as session, session.begin():
                    await loader.load_fixture(
                        session, claims_fixture("replicated-2", 1), lambda _: None
                    )
                async with database.readers() as session:
                    return await session.scalar(
                        text("SELECT count(*) FROM source WHERE id = 'replicated-2'")
                    )

            async def read_elsewhere() -> object:
                with request_reads():
                    async with database.readers() as session:
                        return await session.scalar(
                            text("SELECT count(*) FROM source WHERE id = 'replicated-2'")
                        )

            assert await asyncio.create_task(write_then_read()) == 1  # its own write, at once
            assert await asyncio.create_task(read_elsewhere()) == 0  # the paused replica
        finally:
            await fetchval(pair.replica_url, "SELECT pg_wal_replay_resume()")


class TestReplicaDown:
    async def test_reads_fall_back_to_the_primary_and_return_to_the_replica(
        self, pair: Pair, database: Database, settings: Settings
    ) -> None:
        async with client(database, settings) as http:
            paths = ["/v1/statements/tokayev-attempted-coup", "/v1/claims"]
            for path in paths:  # open connections to the replica on both pools
                assert (await http.get(path)).status_code == 200
            assert pair.replica.info is not None
            port = pair.replica.info.port
            await asyncio.to_thread(pair.replica.stop)
            statuses = [(await http.get(path)).status_code for path in paths * 4]
            assert set(statuses) <= {200, 503}, statuses
            assert statuses[-4:] == [200] * 4, statuses  # served by the primary
            assert database.replica is not None and not database.replica.health.up
            assert await asyncio.create_task(read_in_recovery(database)) == (False, False)

            restarted = EmbeddedPostgres(Path(pair.replica.home), durable=False, port=port)
            await asyncio.to_thread(restarted.start)
            pair.replica = restarted
            async with asyncio.timeout(30):
                while True:
                    if database.replica.health.up:
                        break
                    await asyncio.sleep(0.1)
            assert await asyncio.create_task(read_in_recovery(database)) == (True, True)
