"""A test run stopped as a background job is stopped leaves no process or server behind."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from api.config import PROJECT_DIR
from tests.service import ENV, popen

#: Starts processes (servers, commands): left out of the quick loop, `-m "not process"`.
pytestmark = pytest.mark.process


def left_behind(home: Path) -> list[psutil.Process]:
    """`claimgraph db` processes and PostgreSQL servers that use `home`."""
    found = []
    for process in psutil.process_iter(["cmdline", "environ"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        environ = process.info["environ"] or {}
        if str(home) in cmdline or environ.get("CLAIMGRAPH_HOME") == str(home):
            found.append(process)
    return found


def inner_options(tmp_path: Path) -> list[str]:
    return ["--basetemp", str(tmp_path / "run"), "tests/interrupted_target.py"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_stopped_run_leaves_nothing_behind(tmp_path: Path, sig: int) -> None:
    ready = tmp_path / "ready"
    run = popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *inner_options(tmp_path)],
        env={**ENV, "CLAIMGRAPH_TEST_READY": str(ready)},
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while not ready.exists():
            assert run.poll() is None, run.communicate()[0]
            assert time.monotonic() < deadline, "the inner run never held its database"
            time.sleep(0.1)
        home = Path(ready.read_text())
        assert len(left_behind(home)) >= 2, "a `claimgraph db` and its PostgreSQL are up"
        run.send_signal(sig)
        output, _ = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
    deadline = time.monotonic() + 30
    while left_behind(home):
        assert time.monotonic() < deadline, (left_behind(home), output)
        time.sleep(0.2)
