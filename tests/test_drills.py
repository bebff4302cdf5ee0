"""Drills: the database goes away under load, and the service comes back by itself.

A real `serve` process answers steady reads on both transports while fixtures are loaded
into the same database (the API has no writes yet; each load is one transaction). Then the
database goes away: the embedded postmaster is SIGKILLed (its owner restarts it), or a
separately started server behind DATABASE_URL is stopped and started again. Every response
must be a 200 or a 503 (no 500, no hang), readiness must come back within seconds without
restarting the service, every acknowledged load must be there afterwards, and no source may
be half-loaded. Each drill prints its figures (run with -s to see them).
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import psutil
import pytest

from api.db.connections import Timeouts
from api.db.embedded import EmbeddedPostgres
from api.db.engine import create_engine, session_factory
from api.errors import DatabaseUnavailable
from api.store.fixtures import loader
from tests.factories import claims_fixture
from tests.service import Service, embedded_url, postmaster_pid

#: Statements in each drill load (3 claims, 2 stances each, one statement per stance).
CLAIMS = 3
STATEMENTS = CLAIMS * 2
STEADY = 1.5  # seconds of load before the outage, and after readiness returns
READY_DEADLINE = 30.0
READS = [
    ("GET", "/v1/statements/tokayev-attempted-coup", None),
    ("GET", "/v1/claims?limit=5", None),
    ("POST", "/graphql", {"query": "{ claims(first: 3) { totalCount edges { node { id } } } }"}),
]


@dataclass
class Drill:
    """What happened: responses by status, failures, loads acknowledged, time to ready."""

    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    acknowledged: list[tuple[str, float]] = field(default_factory=list)
    attempted: int = 0
    outage_at: float = 0.0
    ready_after: float = 0.0

    def summary(self, name: str, lost: int) -> str:
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        return (
            f"drill {name}: responses {{{statuses}}}, failures {len(self.failures)}, "
            f"ready again {self.ready_after:.1f}s after the outage began, "
            f"loads acknowledged {len(self.acknowledged)} of {self.attempted}, lost {lost}"
        )


async def _read(http: httpx.AsyncClient, stop: asyncio.Event, drill: Drill, offset: int) -> None:
    for n in range(offset, 1_000_000):
        if stop.is_set():
            return
        method, path, body = READS[n % len(READS)]
        try:
            response = await http.request(method, path, json=body)
        except httpx.HTTPError as error:  # a hang (timeout) or a broken connection
            drill.failures.append(f"{method} {path}: {type(error).__name__}")
            continue
        drill.statuses[response.status_code] += 1
        if response.status_code not in (200, 503):
            drill.failures.append(f"{method} {path}: {response.status_code} {response.text[:300]}")
        await asyncio.sleep(0.005)


async def _write(url: str, stop: asyncio.Event, drill: Drill) -> None:
    """Load one small source after another, each in its own transaction, as `load` does."""
    engine = create_engine(url, pool_size=1, timeouts=Timeouts(connect=2.0))
    sessions = session_factory(engine)
    try:
        for n in range(1_000_000):
            if stop.is_set():
                return
            source_id = f"drill-{n}"
            drill.attempted += 1
            try:
                async with sessions() as session, session.begin():
                    await loader.load_fixture(
                        session, claims_fixture(source_id, CLAIMS), lambda _line: None
                    )
            except DatabaseUnavailable:
                await asyncio.sleep(0.1)  # not acknowledged: it may or may not be there
                continue
            drill.acknowledged.append((source_id, time.monotonic()))
            await asyncio.sleep(0.02)
    finally:
        await engine.dispose()


async def _until_ready(http: httpx.AsyncClient) -> None:
    async with asyncio.timeout(READY_DEADLINE):
        while True:
            try:
                if (await http.get("/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)


async def run_drill(base: str, url: str, outage: Callable[[], Awaitable[None]]) -> Drill:
    """Steady reads and loads, the outage, then load again until ready and a while after."""
    drill = Drill()
    stop = asyncio.Event()
    async with httpx.AsyncClient(base_url=base, timeout=15) as http:
        workers = [asyncio.create_task(_read(http, stop, drill, offset)) for offset in range(3)]
        workers.append(asyncio.create_task(_write(url, stop, drill)))
        await asyncio.sleep(STEADY)
        drill.outage_at = time.monotonic()
        await outage()
        await _until_ready(http)
        drill.ready_after = time.monotonic() - drill.outage_at
        await asyncio.sleep(STEADY)
        stop.set()
        await asyncio.gather(*workers)
    return drill


async def lost_and_half_loaded(url: str, drill: Drill) -> tuple[list[str], dict[str, int]]:
    """Acknowledged loads that are missing, and drill sources whose statements are not all in."""
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            "SELECT s.id, count(st.id) AS statements FROM source s"
            " LEFT JOIN statement st ON st.source_id = s.id"
            " WHERE s.id LIKE 'drill-%' GROUP BY s.id"
        )
    finally:
        await connection.close()
    present = {row["id"]: row["statements"] for row in rows}
    lost = [source for source, _at in drill.acknowledged if source not in present]
    half = {source: n for source, n in present.items() if n != STATEMENTS}
    return lost, half


def assert_survived(drill: Drill, lost: list[str], half: dict[str, int]) -> None:
    assert drill.failures == [], drill.failures[:10]
    assert set(drill.statuses) <= {200, 503}, drill.statuses
    assert lost == [], f"acknowledged loads lost: {lost}"
    assert half == {}, f"half-loaded sources: {half}"
    before = [at for _source, at in drill.acknowledged if at < drill.outage_at]
    after = [at for _source, at in drill.acknowledged if at > drill.outage_at + drill.ready_after]
    assert before and after, "loads were acknowledged both before the outage and after it"


def worker_pids(service: Service) -> set[int]:
    children = psutil.Process(service.process.pid).children()
    return {child.pid for child in children if "spawn_main" in " ".join(child.cmdline())}


class TestEmbeddedPostmasterKilled:
    async def test_the_owner_restarts_it_and_nothing_acknowledged_is_lost(
        self, tmp_path: Path
    ) -> None:
        home = tmp_path / "home"
        env = {"CLAIMGRAPH_HOME": str(home), "WORKERS": "2", "CLAIMGRAPH_PG_DURABLE": "true"}
        with Service(env=env) as service:
            url = embedded_url(home)
            killed = postmaster_pid(home)
            workers = worker_pids(service)
            assert len(workers) == 2

            async def kill_postmaster() -> None:
                os.kill(killed, signal.SIGKILL)

            drill = await run_drill(service.base, url, kill_postmaster)
            assert service.process.poll() is None, "the service itself kept running"
            assert worker_pids(service) == workers, "no worker was restarted either"
            assert postmaster_pid(home) != killed, "a new postmaster serves the same folder"
            async with httpx.AsyncClient(timeout=10) as http:
                exposed = (await http.get(f"{service.base}/metrics")).text
            assert "claimgraph_db_restarts_total 1.0" in exposed, "counted by the owner"
            lost, half = await lost_and_half_loaded(url, drill)
        print("\n" + drill.summary("embedded (SIGKILL postmaster, 2 workers)", len(lost)))
        assert service.stop() == 0
        assert "PostgreSQL restarted as pid" in service.output
        assert_survived(drill, lost, half)


class TestDatabaseUrlServerStopped:
    async def test_the_service_reconnects_when_it_is_back(self, tmp_path: Path) -> None:
        first = EmbeddedPostgres(tmp_path / "standalone", durable=True)
        url = first.start()
        assert first.info is not None
        port = first.info.port
        servers = [first]
        untouched = tmp_path / "untouched"
        env = {"DATABASE_URL": url, "CLAIMGRAPH_HOME": str(untouched)}
        try:
            with Service(env=env) as service:

                async def stop_and_start() -> None:
                    await asyncio.to_thread(first.stop)
                    await asyncio.sleep(1.0)
                    again = EmbeddedPostgres(tmp_path / "standalone", durable=True, port=port)
                    servers.append(again)
                    await asyncio.to_thread(again.start)

                drill = await run_drill(service.base, url, stop_and_start)
                assert service.process.poll() is None, "the service itself kept running"
                lost, half = await lost_and_half_loaded(url, drill)
            print("\n" + drill.summary("DATABASE_URL (stopped and started)", len(lost)))
            assert service.stop() == 0
        finally:
            for server in servers:
                server.stop()
        assert not (untouched / "postgres").exists(), "with DATABASE_URL nothing is started"
        assert_survived(drill, lost, half)


pytestmark = [pytest.mark.drill, pytest.mark.process]
