"""The embedded PostgreSQL comes back after a SIGKILL: same folder, same port, same data."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
import time
from pathlib import Path

import asyncpg
import psutil
import pytest

from api.db.embedded import EmbeddedPostgres, EmbeddedPostgresError
from api.db.supervisor import Supervisor

#: Starts processes (servers, commands): left out of the quick loop, `-m "not process"`.
pytestmark = pytest.mark.process


def query(url: str, sql: str) -> object:
    async def run() -> object:
        connection = await asyncpg.connect(url)
        try:
            return await connection.fetchval(sql)
        finally:
            await connection.close()

    return asyncio.run(run())


def kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(psutil.NoSuchProcess):
        psutil.Process(pid).wait(15)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


class TestRestart:
    def test_a_killed_server_restarts_on_the_same_port_with_its_data(self, home: Path) -> None:
        with EmbeddedPostgres(home, durable=True) as server:
            assert server.info is not None
            port, pid = server.info.port, server.info.pid
            query(server.url, "CREATE TABLE kept AS SELECT 42 AS n")
            kill(pid)
            assert not server.alive()
            deadline = time.monotonic() + 30
            while True:  # its killed children may hold the shared memory for a moment
                try:
                    info = server.restart()
                    break
                except EmbeddedPostgresError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.25)
            assert info.port == port and info.pid != pid
            assert server.alive()
            assert query(server.url, "SELECT n FROM kept") == 42


class TestSupervisor:
    def test_it_restarts_the_server_with_backoff_and_says_so(
        self, home: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        restarted = threading.Event()
        with EmbeddedPostgres(home, durable=False) as server:
            assert server.info is not None
            port, pid = server.info.port, server.info.pid
            supervisor = Supervisor(server, on_restart=restarted.set)
            kill(pid)
            # Hide the data folder: the first restarts fail, as a server still going down would.
            hidden = server.data.rename(server.data.with_name("elsewhere"))
            with caplog.at_level(logging.WARNING, logger="claimgraph.db"):
                supervisor.start()
                try:
                    deadline = time.monotonic() + 30
                    while "restart attempt 2 failed" not in caplog.text:
                        assert time.monotonic() < deadline, caplog.text
                        time.sleep(0.05)
                    hidden.rename(server.data)
                    assert restarted.wait(30), caplog.text
                finally:
                    supervisor.stop()
            assert server.info.port == port and server.info.pid != pid
            assert query(server.url, "SELECT 1") == 1
        assert f"PostgreSQL (pid {pid}) died; restarting it" in caplog.text
        assert "next in 0.25s" in caplog.text and "next in 0.50s" in caplog.text
        assert "PostgreSQL restarted as pid" in caplog.text
        assert supervisor.restarts == 1
