"""Point-in-time recovery for the embedded server: base backups, the archive's pruning, and a
restore to a moment.

The embedded server archives every finished write-ahead log segment into
`CLAIMGRAPH_ARCHIVE/wal` (api/db/embedded.py); `backup` adds a base backup under
`CLAIMGRAPH_ARCHIVE/base` (`pg_basebackup`, tar, with the WAL it needs to be consistent).
`restore --to-time T` archives the segment being written, replaces the data folder by the
newest base backup finished before T, and lets PostgreSQL replay the archive up to T and
promote. These are PostgreSQL's own mechanisms, named as its documentation names them
("Continuous Archiving and Point-in-Time Recovery"); claimgraph only chooses the files.
With `DATABASE_URL` the server's archive is its operator's (docs/operations.md).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from subprocess import PIPE

import asyncpg
from sqlalchemy.engine import make_url

from api.db.backups import BackupError, binary, check_spans, libpq_url
from api.db.embedded import EmbeddedPostgres, EmbeddedPostgresError

#: How long a recovery may replay before it is given up (and the old data put back).
RECOVERY_TIMEOUT = 3600.0
#: How long the segment being written may take to reach the archive.
ARCHIVE_TIMEOUT = 60.0
#: What PostgreSQL says when the archive does not reach the target.
_SHORT = "recovery ended before configured recovery target was reached"
_START = re.compile(r"write-ahead log start point: ([0-9A-F]+/[0-9A-F]+)")


class RecoveryError(BackupError):
    """Raised when a base backup cannot be taken or a point-in-time restore cannot be made."""

    code = "RECOVERY_FAILED"


@dataclass(frozen=True)
class Base:
    """A base backup: where a point-in-time restore starts replaying from."""

    name: str
    #: The first WAL segment it needs: everything older in the archive is never needed by it.
    started_wal: str
    #: When the backup became consistent: the earliest moment it can restore to.
    finished_at: str
    revision: str
    bytes: int
    #: PostgreSQL's identifier of the cluster it was taken from (pg_control_system()).
    system: str = ""

    @property
    def finished(self) -> datetime:
        return datetime.fromisoformat(self.finished_at)


@dataclass(frozen=True)
class Restored:
    """What `restore_to` did."""

    #: None: as far as the archive went.
    target: datetime | None
    #: When the newest change in the restored audit log was made.
    last_change: datetime | None
    base: Base
    kept: Path
    statements: int


def wal_folder(archive: Path) -> Path:
    return archive / "wal"


def base_folder(archive: Path) -> Path:
    return archive / "base"


def bases(archive: Path) -> list[Base]:
    """The base backups in `archive`, oldest first (a half-written one has no base.json)."""
    folder = base_folder(archive)
    found = [
        Base(**json.loads((path / "base.json").read_text()))
        for path in sorted(folder.iterdir() if folder.is_dir() else [])
        if (path / "base.json").is_file()
    ]
    return sorted(found, key=lambda base: base.finished)


async def take_base(url: str, archive: Path, name: str) -> Base:
    """A base backup of the server at `url` into `archive/base/name`; refused when the server
    does not archive its WAL (one started before archiving was set keeps running without)."""
    connection = await asyncpg.connect(libpq_url(url))
    try:
        if await connection.fetchval("SHOW archive_mode") != "on":
            raise RecoveryError(
                "the running PostgreSQL does not archive its write-ahead log (it was started "
                "without CLAIMGRAPH_ARCHIVE): no base backup for point-in-time recovery until "
                "it restarts"
            )
        revision = await connection.fetchval("SELECT version_num FROM alembic_version")
        target = base_folder(archive) / name
        partial = target.with_name(name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.parent.mkdir(parents=True, exist_ok=True)
        process = await asyncio.create_subprocess_exec(
            str(binary("pg_basebackup")),
            *(f"--pgdata={partial}", "--format=tar", "--compress=client-gzip:1"),
            *("--wal-method=stream", "--checkpoint=fast", "--verbose"),
            f"--dbname={libpq_url(url)}",
            stderr=PIPE,
        )
        _, stderr = await process.communicate()
        said = stderr.decode(errors="replace")
        start = _START.search(said)
        if process.returncode != 0 or start is None:
            shutil.rmtree(partial, ignore_errors=True)
            raise RecoveryError("pg_basebackup failed: " + said[-2000:].strip())
        started_wal = await connection.fetchval(
            "SELECT pg_walfile_name($1::text::pg_lsn)", start.group(1)
        )
        finished = await connection.fetchval("SELECT clock_timestamp()")
        system = await _system(connection)
    finally:
        await connection.close()
    size = sum(path.stat().st_size for path in partial.iterdir())
    base = Base(name, started_wal, finished.isoformat(), revision, size, system)
    (partial / "base.json").write_text(json.dumps(asdict(base), indent=2) + "\n")
    # The superuser's password the restored cluster will have: a new home (the old one lost)
    # has another, and could not connect to what it restored.
    password = os.open(partial / "password", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(password, "w") as out:
        out.write(make_url(url).password or "")
    partial.rename(target)
    return base


def prune(archive: Path, keep: int, days: float, now: datetime) -> list[str]:
    """Delete the base backups beyond the newest `keep` that a newer one at least `days` old
    makes unnecessary, then every archived segment older than the oldest base backup left
    (no restore can use it). The names deleted."""
    every = bases(archive)
    horizon = now - timedelta(days=days)
    # The newest base finished before the horizon still reaches back to it: keep it, and
    # everything newer; older ones go unless among the newest `keep`.
    covering = [index for index, base in enumerate(every) if base.finished <= horizon]
    first_needed = min(covering[-1] if covering else 0, max(len(every) - keep, 0))
    gone = every[:first_needed]
    for base in gone:
        shutil.rmtree(base_folder(archive) / base.name)
    left = every[first_needed:]
    if left and wal_folder(archive).is_dir():
        subprocess.run(
            [str(binary("pg_archivecleanup")), str(wal_folder(archive)), left[0].started_wal],
            check=True,
            capture_output=True,
        )
    return [base.name for base in gone]


async def _system(connection: asyncpg.Connection) -> str:
    return str(await connection.fetchval("SELECT system_identifier FROM pg_control_system()"))


async def _archive_current(url: str, target: datetime | None, base: Base) -> None:
    """Close the segment being written and wait until it is archived, so that the archive
    holds every commit up to now; refuse a target that has not happened yet. A server that
    is not the base backup's cluster (a new home after the old one was lost) has nothing
    to add to the archive."""
    connection = await asyncpg.connect(libpq_url(url))
    try:
        now = await connection.fetchval("SELECT clock_timestamp()")
        if target is not None and target >= now:
            raise RecoveryError(f"{_said(target)} has not happened yet (now: {now})")
        if base.system and await _system(connection) != base.system:
            return
        await archive_now(connection)
    finally:
        await connection.close()


async def archive_now(connection: asyncpg.Connection) -> None:
    """Close the segment being written (what archive_timeout does hourly) and wait until the
    archive has it."""
    # A record first, so that the switch always happens: with nothing written since the
    # last one, pg_switch_wal() would name the segment being written, never archived.
    await connection.execute("SELECT pg_logical_emit_message(false, 'claimgraph', 'restore')")
    segment = await connection.fetchval("SELECT pg_walfile_name(pg_switch_wal())")
    deadline = asyncio.get_running_loop().time() + ARCHIVE_TIMEOUT
    while True:
        archived = await connection.fetchrow(
            "SELECT last_archived_wal, last_failed_wal FROM pg_stat_archiver"
        )
        last = archived["last_archived_wal"] or ""
        if last[8:] >= segment[8:]:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise RecoveryError(
                f"the write-ahead log segment {segment} did not reach the archive in "
                f"{ARCHIVE_TIMEOUT:.0f}s (last archived: {last or 'none'}, last failed: "
                f"{archived['last_failed_wal'] or 'none'}); see the server's log"
            )
        await asyncio.sleep(0.05)  # the archiver tells no one: poll it


def _said(target: datetime | None) -> str:
    return "the end of the archive" if target is None else target.isoformat(sep=" ")


def _fill(base: Path) -> Callable[[Path], None]:
    """What writes the base backup's files into a new data folder."""

    def fill(data: Path) -> None:
        with tarfile.open(base / "base.tar.gz") as tar:
            tar.extractall(data, filter="tar")
        with tarfile.open(base / "pg_wal.tar.gz") as tar:
            tar.extractall(data / "pg_wal", filter="tar")

    return fill


def choose(archive: Path, target: datetime | None) -> Base:
    """The newest base backup that was consistent before `target` (None: the newest)."""
    every = bases(archive)
    if not every:
        raise RecoveryError(f"no base backup in {base_folder(archive)}: run `backup` first")
    before = [base for base in every if target is None or base.finished < target]
    if not before:
        raise RecoveryError(
            f"no base backup was finished before {_said(target)}: the earliest "
            f"moment to restore to is {every[0].finished.isoformat(sep=' ', timespec='seconds')}"
        )
    return before[-1]


async def restore_to(server: EmbeddedPostgres, target: datetime | None) -> Restored:
    """Bring the started `server` back to `target` (None: as far as the archive goes): its
    data folder is replaced by the base backup before it and the archived WAL replayed up to
    `target`, then checked."""
    archive = server.archive
    if archive is None:
        raise RecoveryError(
            "the embedded PostgreSQL does not archive its write-ahead log (CLAIMGRAPH_ARCHIVE "
            "is off): there is nothing to restore a moment from"
        )
    base = choose(archive, target)
    await _archive_current(server.url, target, base)
    wal = shlex.quote(str(wal_folder(archive))).replace("%", "%%")
    settings = {"restore_command": f"cp {wal}/%f %p", "recovery_target_action": "promote"}
    if target is not None:
        settings["recovery_target_time"] = target.isoformat(sep=" ")
    folder = base_folder(archive) / base.name
    password = (folder / "password").read_text()
    try:
        kept = await asyncio.to_thread(
            server.recover, _fill(folder), settings, password=password, timeout=RECOVERY_TIMEOUT
        )
    except EmbeddedPostgresError as error:
        reason = str(error)
        if _SHORT in reason:
            reason = (
                "the archived write-ahead log ends before that moment: what was written after "
                "the last archived segment was lost with the server's disk (a segment is "
                "archived when full and at least hourly), or the archive misses segments; "
                "restore to an earlier moment, or to `latest`"
            )
        raise RecoveryError(
            f"the restore to {_said(target)} did not complete; the database is as it was: {reason}"
        ) from error
    connection = await asyncpg.connect(libpq_url(server.url))
    try:
        if await connection.fetchval("SELECT pg_is_in_recovery()"):
            raise RecoveryError("PostgreSQL is still recovering; see its log")
        await check_spans(connection)
        statements = int(await connection.fetchval("SELECT count(*) FROM statement"))
        last_change = await connection.fetchval("SELECT max(at) FROM audit_log")
    finally:
        await connection.close()
    return Restored(target, last_change, base, kept, statements)
