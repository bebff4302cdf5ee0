"""`claimgraph serve` as an operator runs it: a busy port, N workers, a graceful stop.

Real processes over a real embedded PostgreSQL, in a home shared by this module's tests (one
initdb); each test's `serve` starts and stops the server on it.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import asyncpg
import httpx
import psutil
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.service import ENV, Service, embedded_url, free_port, postmaster_pid

#: Starts processes (servers, commands): left out of the quick loop, `-m "not process"`.
pytestmark = pytest.mark.process

QUIET = {"CLAIMGRAPH_PG_DURABLE": "false"}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serving") / "home"


def postmasters_on(home: Path) -> list[psutil.Process]:
    data = str(home / "postgres" / "data")
    return [
        process
        for process in psutil.process_iter(["name", "cmdline"])
        if process.info["name"] == "postgres" and data in (process.info["cmdline"] or [])
    ]


def workers_of(service: Service) -> list[psutil.Process]:
    children = psutil.Process(service.process.pid).children()
    return [child for child in children if "spawn_main" in " ".join(child.cmdline())]


def requests_counted(base: str, route: str) -> float:
    text = httpx.get(f"{base}/metrics", timeout=10).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "claimgraph_http_requests_total" and sample.labels["route"] == route
    )


class TestBusyPort:
    def test_a_second_serve_says_the_port_is_taken_and_starts_nothing(self, tmp_path: Path) -> None:
        port = free_port()
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", port))
            taken.listen()
            done = subprocess.run(
                [sys.executable, "-m", "api", "serve", "--port", str(port)],
                env={**ENV, "CLAIMGRAPH_HOME": str(tmp_path / "home")},
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        assert done.returncode == 1, done.stderr
        assert f"127.0.0.1:{port} is already in use" in done.stderr
        assert "serving on" not in done.stderr
        assert "Traceback" not in done.stderr
        assert not (tmp_path / "home" / "postgres").exists(), "no database was started"


class TestWorkers:
    def test_two_workers_over_one_embedded_server_share_their_metrics(self, home: Path) -> None:
        env = {**QUIET, "CLAIMGRAPH_HOME": str(home), "LOG_FORMAT": "json"}
        with Service("--workers", "2", env=env) as service:
            assert len(workers_of(service)) == 2
            assert len(postmasters_on(home)) == 1
            before = requests_counted(service.base, "/v1/claims")
            for _ in range(30):  # a new connection each: the kernel spreads them over workers
                assert httpx.get(f"{service.base}/v1/claims", timeout=10).status_code == 200
            assert requests_counted(service.base, "/v1/claims") == before + 30
        assert service.stop() == 0, service.output
        assert "serving on" in service.output and "with 2 workers" in service.output
        assert postmasters_on(home) == []
        lines = [json.loads(line) for line in service.output.splitlines() if line.strip()]
        pids = {line["pid"] for line in lines}
        assert len(pids) >= 3, "the parent and both workers log, all in JSON"
        served = [line for line in lines if line.get("path") == "/v1/claims"]
        assert len(served) == 30 and all(line["status"] == 200 for line in served)
        assert len({line["request_id"] for line in served}) == 30, "each with its request id"

    async def test_a_stop_finishes_in_flight_requests_before_the_database_stops(
        self, home: Path
    ) -> None:
        env = {**QUIET, "CLAIMGRAPH_HOME": str(home), "CLAIMGRAPH_DB_STATEMENT_TIMEOUT": "60"}
        with Service("--workers", "2", env=env) as service:
            postgres = postmaster_pid(home)
            locker = await asyncpg.connect(embedded_url(home))
            held = locker.transaction()
            await held.start()
            await locker.execute("LOCK TABLE claim IN ACCESS EXCLUSIVE MODE")
            async with httpx.AsyncClient(timeout=60) as http:
                in_flight = asyncio.create_task(http.get(f"{service.base}/v1/claims"))
                await _until_waiting_on_a_lock(embedded_url(home))
                service.process.send_signal(signal.SIGTERM)
                await asyncio.sleep(1.0)
                assert service.process.poll() is None, "still draining"
                assert psutil.pid_exists(postgres), "the database outlives in-flight requests"
                await held.rollback()
                response = await in_flight
            await locker.close()
            assert response.status_code == 200
            assert service.process.wait(60) == 0
        assert postmasters_on(home) == []


async def _until_waiting_on_a_lock(url: str) -> None:
    """Until a claimgraph query waits for a lock (polled from a connection of its own:
    pg_stat_activity is a snapshot taken once per transaction)."""
    watcher = await asyncpg.connect(url)
    try:
        async with asyncio.timeout(30):
            while True:
                waiting = await watcher.fetchval(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE application_name = 'claimgraph' AND wait_event_type = 'Lock'"
                )
                if waiting:
                    return
                await asyncio.sleep(0.1)
    finally:
        await watcher.close()
