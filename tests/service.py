"""Real processes for tests: `claimgraph serve` and friends, that never outlive the test run.

Every child is started with PR_SET_PDEATHSIG: if the test run itself is killed, the kernel
sends the child SIGTERM, and it cleans up (a `serve` or `db` stops its PostgreSQL).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

import httpx
from sqlalchemy.engine import make_url

from api.config import PROJECT_DIR
from api.db.embedded import _read_pidfile
from api.db.engine import create_engine, session_factory
from api.store.writes import keys
from api.vocabulary import Scope

#: The environment of the test run, without a database of its own.
ENV = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """preexec_fn: this child gets SIGTERM when the process that started it dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def popen(args: list[str], **options: Any) -> subprocess.Popen[str]:
    """subprocess.Popen for a child that dies with the test run."""
    return subprocess.Popen(args, preexec_fn=die_with_parent, text=True, **options)


def claimgraph(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`claimgraph ARGS` as a real process, finished (two minutes at most)."""
    return subprocess.run(
        [sys.executable, "-m", "api", *args],
        preexec_fn=die_with_parent,
        capture_output=True,
        text=True,
        env={**ENV, **(env or {})},
        timeout=120,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def embedded_url(home: Path, database: str = "postgres") -> str:
    """The URL of the embedded server running on `home` (read from its files)."""
    info = _read_pidfile(home / "postgres" / "data")
    assert info is not None, f"no server on {home}"
    password = (home / "postgres" / "password").read_text().strip()
    return (
        make_url(f"postgresql://postgres@127.0.0.1:{info.port}/{database}")
        .set(password=password)
        .render_as_string(hide_password=False)
    )


def postmaster_pid(home: Path) -> int:
    info = _read_pidfile(home / "postgres" / "data")
    assert info is not None, "no postmaster.pid"
    return info.pid


class Service:
    """`claimgraph serve` on a free port, as a real process; `output` once it has stopped."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log: IO[str] = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed in stop()
        self.process = popen(
            [sys.executable, "-m", "api", "serve", "--port", str(self.port), *args],
            env={**ENV, "LOG_LEVEL": "info", **(env or {})},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=PROJECT_DIR,
        )
        self.output = ""

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited {self.process.returncode}:\n{self.read()}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.base}/readyz", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise AssertionError(f"serve was not ready in {timeout}s:\n{self.read()}")

    def read(self) -> str:
        self._log.seek(0)
        return self._log.read()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        """Stop it (once; later calls return the same exit code) and keep its output."""
        if self._log.closed:
            return self.process.wait()
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(10)
        self.output = self.read()
        self._log.close()
        return code

    def __enter__(self) -> Service:
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


async def write_key(url: str) -> str:
    """A new API key with the `write` scope in the database at `url`: its secret."""
    engine = create_engine(url, pool_size=1)
    try:
        async with session_factory(engine)() as session, session.begin():
            return await keys.create(session, f"key-{secrets.token_hex(4)}", Scope.WRITE)
    finally:
        await engine.dispose()
