"""Rate limits: reads per client, writes per key, GraphQL by cost, across workers."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from api.app import create_app
from api.config import Rate, Settings
from api.db.engine import Database
from api.store.writes import keys
from api.vocabulary import Scope
from tests.conftest import bearer
from tests.service import Service

LIMITS = {"claimgraph_rate_limit_reads": Rate(5, 60), "claimgraph_rate_limit_writes": Rate(2, 60)}


@pytest_asyncio.fixture
async def limited(database: Database, settings: Settings) -> AsyncIterator[Any]:
    """Clients of an app with small limits, each from an address of its own."""
    app = create_app(settings.model_copy(update=LIMITS), database)
    clients: list[httpx.AsyncClient] = []

    def client(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        made = httpx.AsyncClient(transport=transport, base_url="http://claimgraph.test")
        clients.append(made)
        return made

    yield client
    for made in clients:
        await made.aclose()


class TestRest:
    async def test_reads_per_address(self, limited: Any) -> None:
        reader = limited("10.0.0.1")
        answers = [await reader.get("/v1/claims?limit=1") for _ in range(6)]
        assert [answer.status_code for answer in answers] == [200] * 5 + [429]
        assert answers[0].headers["ratelimit-policy"] == '"reads";q=5;w=60'
        assert [answer.headers["ratelimit"].split(";")[1] for answer in answers[:5]] == [
            "r=4",
            "r=3",
            "r=2",
            "r=1",
            "r=0",
        ]
        refused = answers[-1]
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["status"] == 429 and "5/minute reads" in refused.json()["detail"]
        assert 1 <= int(refused.headers["retry-after"]) <= 12
        other = limited("10.0.0.2")  # another client has its own allowance
        assert (await other.get("/v1/claims?limit=1")).status_code == 200

    async def test_writes_per_key(self, limited: Any, api_keys: dict[str, str]) -> None:
        writer = limited("10.0.0.3")
        answers = [
            await writer.post(
                "/v1/claims", json={"id": f"limited-{n}", "text": "Limited."}, headers=bearer(key)
            )
            for n, key in enumerate([api_keys["write"]] * 3 + [api_keys["admin"]])
        ]
        assert [answer.status_code for answer in answers] == [201, 201, 429, 201]
        assert answers[2].headers["ratelimit-policy"] == '"writes";q=2;w=60'
        after = await writer.get("/v1/claims/limited-2")
        assert after.status_code == 404, "the refused write wrote nothing"


class TestGraphQL:
    async def test_a_query_counts_by_what_it_may_return(self, limited: Any) -> None:
        client = limited("10.0.0.4")
        small = await client.post("/graphql", json={"query": "{ claims(first: 1) { totalCount } }"})
        assert small.status_code == 200
        assert small.headers["ratelimit"] == '"reads";r=4;t=12'
        # 5 x 100 items: five points, more than are left.
        big = "{ claims(first: 5) { edges { node { stances(first: 100) { totalCount } } } } }"
        refused = await client.post("/graphql", json={"query": big})
        assert refused.status_code == 429
        [error] = refused.json()["errors"]
        assert error["extensions"]["code"] == "RATE_LIMITED"
        assert int(refused.headers["retry-after"]) >= 1

    async def test_a_mutation_is_a_write(self, limited: Any, database: Database) -> None:
        client = limited("10.0.0.5")
        async with database.sessions() as session, session.begin():
            key = await keys.create(session, "graphql-limited", Scope.WRITE)
        mutation = (
            'mutation { createClaim(input: {id: "gql-limited-N", text: "L."}) { __typename } }'
        )
        statuses = [
            (
                await client.post(
                    "/graphql",
                    json={"query": mutation.replace("N", str(n))},
                    headers=bearer(key),
                )
            ).status_code
            for n in range(3)
        ]
        assert statuses == [200, 200, 429]


@pytest.fixture(scope="module")
def two_workers(database: Database) -> Iterator[Service]:
    env = {
        "DATABASE_URL": database.url,
        "WORKERS": "2",
        "CLAIMGRAPH_RATE_LIMIT_READS": "30/minute",
    }
    with Service("--no-load", env=env) as service:
        yield service


@pytest.mark.process
class TestAcrossWorkers:
    async def test_the_limit_holds_with_two_workers(self, two_workers: Service) -> None:
        """60 reads at once over new connections (spread over both workers by the kernel):
        30 answered, within 10%, the rest refused."""
        limits = httpx.Limits(max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=two_workers.base, limits=limits) as http:
            answers = await asyncio.gather(*(http.get("/v1/claims?limit=1") for _ in range(60)))
        statuses = Counter(answer.status_code for answer in answers)
        assert set(statuses) == {200, 429}
        assert 27 <= statuses[200] <= 33, statuses
