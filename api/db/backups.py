"""Backups a person can trust: PostgreSQL's own dump, with a manifest to check a restore by.

`backup` runs `pg_dump` in its custom format (one consistent snapshot, taken while the
service keeps serving) with the binaries the embedded PostgreSQL wheel ships, so nothing
else needs installing; against a `DATABASE_URL` server they must be of its major version or
newer (pg_dump refuses an older one). Beside the file goes a manifest: the schema revision,
the rows of every table, the file's SHA-256. `restore` loads a file into an empty database
(or, with `replace`, one whose tables it drops first), then checks that every table holds
the manifest's count and that every quote still matches its span of the source text:
PostgreSQL restores the rows before it creates the triggers that would check them.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from subprocess import PIPE

import asyncpg
from sqlalchemy.engine import make_url

from api.db.embedded import wheel_install_dir
from api.db.models import SPANNED
from api.errors import ClaimgraphError

#: What a backup file is called in the backups folder (sorted by name = by time).
PATTERN = "claimgraph-*.dump"
_TABLE_DONE = re.compile(r'dumping contents of table "public\.([^"]+)"')


class BackupError(ClaimgraphError):
    """Raised when a backup or restore cannot be made, or does not check out."""

    code = "BACKUP_FAILED"


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, written beside it as FILE.json."""

    file: str
    sha256: str
    bytes: int
    revision: str
    rows: dict[str, int]
    taken_at: str
    server_version: str

    @staticmethod
    def path_of(file: Path) -> Path:
        return file.with_name(file.name + ".json")

    @classmethod
    def read(cls, file: Path) -> Manifest:
        path = cls.path_of(file)
        if not path.exists():
            raise BackupError(f"{file} has no manifest beside it ({path.name})")
        return cls(**json.loads(path.read_text()))

    def write(self, file: Path) -> None:
        self.path_of(file).write_text(json.dumps(asdict(self), indent=2) + "\n")


def libpq_url(url: str) -> str:
    """`url` as pg_dump reads it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def binary(name: str) -> Path:
    return wheel_install_dir() / "bin" / name


def sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


async def _tables(connection: asyncpg.Connection) -> list[str]:
    rows = await connection.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )
    return [row["tablename"] for row in rows]


async def _rows(connection: asyncpg.Connection) -> dict[str, int]:
    # The names are the catalogue's own, quoted: nothing a client sent.
    return {
        table: int(await connection.fetchval(f'SELECT count(*) FROM public."{table}"'))  # noqa: S608
        for table in await _tables(connection)
    }


async def backup(url: str, file: Path, progress: Callable[[str], None]) -> Manifest:
    """Dump the database at `url` into `file`, and write its manifest; `progress` hears the
    name of each table as it is done."""
    connection = await asyncpg.connect(libpq_url(url))
    try:
        revision = await connection.fetchval("SELECT version_num FROM alembic_version")
        version = await connection.fetchval("SHOW server_version")
        taken_at = datetime.now(UTC).isoformat(timespec="seconds")
        # Counted in one snapshot, exported to pg_dump: the manifest and the file agree.
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await connection.fetchval("SELECT pg_export_snapshot()")
            rows = await _rows(connection)
            partial = file.with_name(file.name + ".partial")
            command = [
                str(binary("pg_dump")),
                *("--format=custom", "--no-owner", "--verbose", f"--snapshot={snapshot}"),
                *("--file", str(partial), "--dbname", libpq_url(url)),
            ]
            process = await asyncio.create_subprocess_exec(*command, stderr=PIPE)
            assert process.stderr is not None
            said = []
            async for raw in process.stderr:
                line = raw.decode(errors="replace")
                said.append(line)
                done = _TABLE_DONE.search(line)
                if done:
                    progress(done.group(1))
            if await process.wait() != 0:
                partial.unlink(missing_ok=True)
                raise BackupError("pg_dump failed: " + "".join(said[-5:]).strip())
    finally:
        await connection.close()
    return await asyncio.to_thread(_finish, partial, file, revision, rows, taken_at, version)


def _finish(
    partial: Path, file: Path, revision: str, rows: dict[str, int], taken_at: str, version: str
) -> Manifest:
    """The dump under its name, and its manifest beside it."""
    partial.replace(file)
    manifest = Manifest(
        file.name, sha256(file), file.stat().st_size, revision, rows, taken_at, version
    )
    manifest.write(file)
    return manifest


async def restore(url: str, file: Path, *, replace: bool) -> Manifest:
    """Restore `file` into the database at `url` (empty, or emptied with `replace`), then
    check it against the manifest and every span against its source."""
    manifest = Manifest.read(file)
    if await asyncio.to_thread(sha256, file) != manifest.sha256:
        raise BackupError(f"{file} is not the file its manifest describes (SHA-256 differs)")
    connection = await asyncpg.connect(libpq_url(url))
    try:
        present = await _tables(connection)
        if present and not replace:
            raise BackupError(
                f"the database is not empty ({len(present)} tables): restore into an empty "
                "one, or pass --replace to drop what is there first"
            )
        if present:
            await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        process = await asyncio.create_subprocess_exec(
            str(binary("pg_restore")),
            *("--no-owner", "--exit-on-error", "--single-transaction"),
            *("--dbname", libpq_url(url), str(file)),
            stderr=PIPE,
        )
        _, stderr = await process.communicate()
        if process.returncode != 0:
            raise BackupError("pg_restore failed: " + stderr.decode(errors="replace")[-2000:])
        rows = await _rows(connection)
        if rows != manifest.rows:
            differing = {
                table: (rows.get(table), manifest.rows.get(table))
                for table in set(rows) | set(manifest.rows)
                if rows.get(table) != manifest.rows.get(table)
            }
            raise BackupError(f"restored rows differ from the manifest (now, then): {differing}")
        await check_spans(connection)
    finally:
        await connection.close()
    return manifest


async def check_spans(connection: asyncpg.Connection) -> None:
    """Raise BackupError naming the first quotes that no longer match their span of the source
    (a restore writes rows before, or beneath, the triggers that check them on insert)."""
    for table, column in SPANNED.items():
        broken = await connection.fetch(  # the names are the models' own
            f'SELECT t.id, t."{column}" AS quoted FROM public."{table}" t '  # noqa: S608
            "JOIN source s ON s.id = t.source_id WHERE "
            f'substr(s.text, t.span_start + 1, t.span_end - t.span_start) <> t."{column}" '
            "LIMIT 5"
        )
        if broken:
            found = ", ".join(f"{row['id']}: {row['quoted']!r}" for row in broken)
            raise BackupError(f"{table} quotes no longer match their spans: {found}")


def listed(folder: Path) -> list[Manifest]:
    """The backups in `folder`, oldest first."""
    return [Manifest.read(file) for file in sorted(folder.glob(PATTERN))]


def prune(folder: Path, keep: int) -> list[str]:
    """Delete all but the newest `keep` backups of `folder`; the names deleted."""
    files = sorted(folder.glob(PATTERN))
    gone = files[: max(len(files) - keep, 0)]
    for file in gone:
        file.unlink()
        Manifest.path_of(file).unlink(missing_ok=True)
    return [file.name for file in gone]
