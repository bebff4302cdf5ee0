"""store/streams.py: a long list in batches, in order, on one pooled connection that goes back
to the pool (its transaction ended) however the stream ends."""

from __future__ import annotations

import json

import pytest
import pytest_asyncio

from api.db.engine import Database
from api.errors import InvalidArgument, NotFound
from api.rest.actors import ACTOR_VIEW
from api.rest.statements import STATEMENT_VIEW
from api.store.actors import ACTOR
from api.store.kit import streams
from api.store.kit.views import Within

#: More than two batches of groups (the article's 9 groups, then these).
BULK = 2 * streams.BATCH + 100


@pytest_asyncio.fixture(scope="module")
async def groups(database: Database) -> int:
    pool = await database.driver_pool()
    await pool.execute(
        "INSERT INTO actor (id, name, kind) "
        "SELECT 'bulk-' || lpad(i::text, 5, '0'), 'Bulk ' || i, 'group' "
        "FROM generate_series(1, $1::int) AS i",
        BULK,
    )
    return int(await pool.fetchval("SELECT count(*) FROM actor WHERE kind = 'group'"))


async def in_transaction(database: Database) -> int:
    """Connections of this database left inside a transaction."""
    pool = await database.driver_pool()
    return int(
        await pool.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state LIKE 'idle in transaction%'"
        )
    )


class TestItems:
    async def test_bad_filter_before_any_row(self, database: Database) -> None:
        with pytest.raises(InvalidArgument):
            await anext(streams.items(database, STATEMENT_VIEW, filters={"said_after": "soon"}))

    async def test_unknown_parent(self, database: Database) -> None:
        stream = streams.items(
            database, STATEMENT_VIEW, filters={}, within=Within(ACTOR, "speaker", "nobody")
        )
        with pytest.raises(NotFound):
            await anext(stream)

    async def test_batches_in_the_lists_order(self, database: Database, groups: int) -> None:
        batches = [
            batch async for batch in streams.items(database, ACTOR_VIEW, filters={"kind": "group"})
        ]
        assert [len(batch) for batch in batches] == [
            streams.BATCH,
            streams.BATCH,
            groups - 2 * streams.BATCH,
        ]
        ids = [json.loads(item)["id"] for batch in batches for item in batch]
        assert ids == sorted(ids) and len(set(ids)) == groups
        assert await streams.count(database, ACTOR_VIEW, filters={"kind": "group"}) == groups
        assert await in_transaction(database) == 0

    async def test_a_dropped_stream_gives_its_connection_back(
        self, database: Database, groups: int
    ) -> None:
        pool = await database.driver_pool()
        stream = streams.items(database, ACTOR_VIEW, filters={})
        await anext(stream)
        assert await in_transaction(database) == 1
        idle = pool.get_idle_size()
        await stream.aclose()
        assert pool.get_idle_size() == idle + 1
        assert await in_transaction(database) == 0
