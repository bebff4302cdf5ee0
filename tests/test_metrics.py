"""/metrics: what is counted, under which labels, in Prometheus' text format."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from api import metrics
from api.app import create_app
from api.config import Settings
from api.db.embedded import EmbeddedPostgres
from api.db.engine import Database, connect_database

REFUSED = "postgresql://nobody:nothing@127.0.0.1:9/none"


async def sample(http: httpx.AsyncClient, name: str, **labels: str) -> float:
    """The value of one sample (0 when it has none yet)."""
    response = await http.get("/metrics")
    assert response.status_code == 200
    for family in text_string_to_metric_families(response.text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return float(found.value)
    return 0.0


async def test_the_text_format(client: httpx.AsyncClient) -> None:
    response = await client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    openmetrics = await client.get("/metrics", headers={"accept": "application/openmetrics-text"})
    assert openmetrics.headers["content-type"].startswith("application/openmetrics-text")
    assert "# TYPE claimgraph_http_requests_total counter" in response.text
    assert "# TYPE claimgraph_http_request_duration_seconds histogram" in response.text


class TestRequests:
    async def test_counted_by_route_template_method_and_status(
        self, client: httpx.AsyncClient
    ) -> None:
        labels = {"route": "/v1/statements/{id}", "method": "GET"}
        ok = await sample(client, "claimgraph_http_requests_total", **labels, status="200")
        missing = await sample(client, "claimgraph_http_requests_total", **labels, status="404")
        timed = await sample(client, "claimgraph_http_request_duration_seconds_count", **labels)
        assert (await client.get("/v1/statements/tokayev-attempted-coup")).status_code == 200
        assert (await client.get("/v1/statements/no-such-statement")).status_code == 404
        assert await sample(client, "claimgraph_http_requests_total", **labels, status="200") == (
            ok + 1
        )
        assert await sample(client, "claimgraph_http_requests_total", **labels, status="404") == (
            missing + 1
        )
        after = await sample(client, "claimgraph_http_request_duration_seconds_count", **labels)
        assert after == timed + 2

    async def test_unknown_paths_share_one_label(self, client: httpx.AsyncClient) -> None:
        # All labels named: other modules' unmatched requests (CORS preflights) count too.
        labels = {"route": "unmatched", "method": "GET", "status": "404"}
        before = await sample(client, "claimgraph_http_requests_total", **labels)
        await client.get("/no/such/path/one")
        await client.get("/no/such/path/two")
        after = await sample(client, "claimgraph_http_requests_total", **labels)
        assert after == before + 2


class TestGraphQLOperations:
    async def test_counted_by_name_and_path(self, client: httpx.AsyncClient) -> None:
        total = "claimgraph_graphql_operations_total"
        compiled = {"operation": "ClaimCount", "path": "compiled"}
        fallback = {"operation": "ClaimCount", "path": "fallback"}
        anonymous = {"operation": "anonymous", "path": "compiled"}
        before = [await sample(client, total, **labels) for labels in (compiled, fallback)]
        before_anonymous = await sample(client, total, **anonymous)
        query = "query ClaimCount { claims { totalCount } }"
        assert (await client.post("/graphql", json={"query": query})).status_code == 200
        await client.post("/graphql", json={"query": query}, headers={"x-graphql-path": "fallback"})
        await client.post("/graphql", json={"query": "{ claims { totalCount } }"})
        after = [await sample(client, total, **labels) for labels in (compiled, fallback)]
        assert after == [before[0] + 1, before[1] + 1]
        assert await sample(client, total, **anonymous) == before_anonymous + 1

    def test_distinct_names_are_bounded(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(metrics, "MAX_OPERATION_NAMES", len(metrics._operation_names))
        other = metrics.GRAPHQL_OPERATIONS.labels("other", "compiled")
        before = other._value.get()
        metrics.count_graphql_operation("NeverSeenBefore", "compiled")
        assert other._value.get() == before + 1
        assert "NeverSeenBefore" not in metrics._operation_names


class TestDatabase:
    async def test_connections_in_use(self, database: Database, settings: Settings) -> None:
        observed = connect_database(settings, database.url, observer=metrics.database_observer())
        app = create_app(settings, observed)
        transport = httpx.ASGITransport(app=app)
        in_use = {"role": "primary", "driver": "sqlalchemy"}
        name = "claimgraph_db_connections_in_use"
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            idle = await sample(http, name, **in_use)
            async with observed.readers() as session:
                await session.execute(text("SELECT 1"))
                assert await sample(http, name, **in_use) == idle + 1
            assert await sample(http, name, **in_use) == idle
        await observed.close()

    async def test_an_outage_is_counted_once_however_many_requests_fail(
        self, settings: Settings
    ) -> None:
        down = connect_database(settings, REFUSED, observer=metrics.database_observer())
        app = create_app(settings, down)
        transport = httpx.ASGITransport(app=app)
        name = "claimgraph_db_outages_total"
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            before = await sample(http, name, role="primary")
            for _ in range(3):
                assert (await http.get("/v1/claims")).status_code == 503
            assert await sample(http, name, role="primary") == before + 1
        await down.close()

    async def test_connections_in_use_are_not_miscounted_by_a_refused_reconnect(
        self, settings: Settings, tmp_path: Path
    ) -> None:
        """The server stops: the pooled connection dies, and reconnecting it is refused, and
        SQLAlchemy then checks in what it never reported checked out."""
        server = EmbeddedPostgres(tmp_path / "home", durable=False)
        url = await asyncio.to_thread(server.start)
        assert server.info is not None
        port = server.info.port
        one = settings.model_copy(update={"claimgraph_db_pool_size": 1})
        observed = connect_database(one, url, observer=metrics.database_observer())
        transport = httpx.ASGITransport(app=create_app(settings, observed))
        labels = {"role": "primary", "driver": "sqlalchemy"}
        name = "claimgraph_db_connections_in_use"
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                idle = await sample(http, name, **labels)
                assert (await http.get("/readyz")).status_code == 200
                await asyncio.to_thread(server.stop)
                assert [(await http.get("/readyz")).status_code for _ in range(3)] == [503] * 3
                assert await sample(http, name, **labels) == idle
                server = EmbeddedPostgres(tmp_path / "home", durable=False, port=port)
                await asyncio.to_thread(server.start)
                assert (await http.get("/readyz")).status_code == 200
                assert await sample(http, name, **labels) == idle
        finally:
            await observed.close()
            await asyncio.to_thread(server.stop)
