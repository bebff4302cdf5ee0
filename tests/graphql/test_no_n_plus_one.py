"""The number of SQL statements a nested query sends does not grow with the items returned:
one on the compiled path, a fixed few on the reference path."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import pytest_asyncio
import sqlalchemy as sa

from api.db.engine import Database
from api.store.fixtures import loader
from tests.factories import claims_fixture

NESTED = """
query ($n: Int!) {
  claims(first: $n, filter: {tag: "many-claims"}) {
    totalCount
    edges { node { slug text stances(first: 2) { totalCount edges { node { position
      statement { slug text speaker { slug name affiliations { totalCount edges { node {
        role organization { slug name } } } } } } } } } } }
  }
}
"""


@contextmanager
def counting(database: Database) -> Iterator[list[str]]:
    """Every statement sent, through SQLAlchemy's pool and through the asyncpg pool."""
    sent: list[str] = []

    def record(*args: Any) -> None:
        sent.append(args[2])

    recording.append(sent)
    sa.event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(database.engine.sync_engine, "before_cursor_execute", record)
        recording.remove(sent)


recording: list[list[str]] = []


@pytest_asyncio.fixture(scope="module", autouse=True)
async def many_claims(database: Database) -> AsyncIterator[None]:
    # Before this module's asyncpg pool exists, so that its connections report queries.
    def record(sql: str) -> None:
        for sent in recording:
            sent.append(sql)

    database.query_listeners.append(record)
    async with database.sessions() as session, session.begin():
        await loader.load_fixture(session, claims_fixture("many-claims", 60), lambda _: None)
    yield


@pytest.mark.parametrize(("path", "statements"), [("compiled", 1), ("fallback", 9)])
async def test_same_statement_count_for_2_and_50_claims(
    client: httpx.AsyncClient, database: Database, path: str, statements: int
) -> None:
    """Compiled: one statement builds the whole answer. Resolvers (the reference path):
    claims page, claims total, stances page, stances totals, statements, speakers,
    affiliations page, affiliations totals, organizations: one each."""
    counts = {}
    for n in (2, 50):
        with counting(database) as sent:
            response = await client.post(
                "/graphql",
                json={"query": NESTED, "variables": {"n": n}},
                headers={"x-graphql-path": path},
            )
        assert response.headers["x-graphql-path"] == path
        data = response.json()["data"]
        edges = data["claims"]["edges"]
        assert len(edges) == n
        for edge in edges:
            stances = edge["node"]["stances"]["edges"]
            assert len(stances) == 2
            for stance in stances:
                speaker = stance["node"]["statement"]["speaker"]
                assert speaker["affiliations"]["edges"][0]["node"]["organization"]["slug"] == (
                    "many-claims-org"
                )
        counts[n] = len(sent)
    assert counts[2] == counts[50] == statements
