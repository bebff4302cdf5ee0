"""Backups with pg_dump from the embedded wheel, restored and checked against the manifest."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest

from api.db import backups, migrate
from api.db.engine import Database
from tests.conftest import create_database


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("backups")


async def taken(database: Database, file: Path) -> tuple[backups.Manifest, list[str]]:
    done: list[str] = []
    manifest = await backups.backup(database.url, file, done.append)
    return manifest, done


async def statements(url: str) -> list[tuple[str, str]]:
    connection = await asyncpg.connect(backups.libpq_url(url))
    try:
        rows = await connection.fetch("SELECT id, text FROM statement ORDER BY id")
    finally:
        await connection.close()
    return [(row["id"], row["text"]) for row in rows]


class TestBackup:
    async def test_a_file_and_its_manifest(self, database: Database, folder: Path) -> None:
        file = folder / "claimgraph-1.dump"
        manifest, done = await taken(database, file)
        assert file.exists() and backups.Manifest.read(file) == manifest
        assert manifest.sha256 == backups.sha256(file) and manifest.bytes == file.stat().st_size
        assert manifest.revision == migrate.revisions()[-1]
        assert manifest.rows["statement"] == len(await statements(database.url)) > 0
        assert "statement" in done and "source" in done  # progress, table by table

    async def test_into_an_empty_database_and_checked(
        self, database: Database, folder: Path, server_url: str
    ) -> None:
        file = folder / "claimgraph-2.dump"
        manifest, _ = await taken(database, file)
        target = await create_database(server_url, "t_backups_restored")
        restored = await backups.restore(target, file, replace=False)
        assert restored == manifest
        assert await statements(target) == await statements(database.url)
        with pytest.raises(backups.BackupError, match="not empty"):
            await backups.restore(target, file, replace=False)
        assert await backups.restore(target, file, replace=True) == manifest

    async def test_a_file_that_is_not_its_manifests(
        self, database: Database, folder: Path, server_url: str
    ) -> None:
        file = folder / "claimgraph-3.dump"
        await taken(database, file)
        with file.open("ab") as changed:
            changed.write(b"\0")
        target = await create_database(server_url, "t_backups_tampered")
        with pytest.raises(backups.BackupError, match="SHA-256"):
            await backups.restore(target, file, replace=False)

    async def test_a_quote_that_left_its_span_is_refused(
        self, database: Database, folder: Path, server_url: str
    ) -> None:
        """A dump whose quote no longer matches its span (the check that the triggers would
        have made on insert runs after the restore): refused, naming the quote."""
        broken = await create_database(
            server_url, "t_backups_broken", template=database_name(database)
        )
        connection = await asyncpg.connect(backups.libpq_url(broken))
        try:
            await connection.execute("ALTER TABLE statement DISABLE TRIGGER USER")
            await connection.execute(
                "UPDATE statement SET text = 'Words nobody said' "
                "WHERE id = 'tokayev-attempted-coup'"
            )
        finally:
            await connection.close()
        file = folder / "claimgraph-4.dump"
        await backups.backup(broken, file, lambda _table: None)
        target = await create_database(server_url, "t_backups_checked")
        with pytest.raises(backups.BackupError, match="Words nobody said"):
            await backups.restore(target, file, replace=False)


def database_name(database: Database) -> str:
    return database.url.rsplit("/", 1)[1].split("?")[0]


class TestFolder:
    def test_list_and_prune(self, tmp_path: Path) -> None:
        for n in range(4):
            file = tmp_path / f"claimgraph-2026120{n}T000000.dump"
            file.write_bytes(b"x")
            manifest = backups.Manifest(file.name, "0", 1, "0015", {}, f"2026-12-0{n}", "18")
            manifest.write(file)
        listed = [manifest.file for manifest in backups.listed(tmp_path)]
        assert listed == sorted(listed) and len(listed) == 4
        assert backups.prune(tmp_path, keep=2) == [
            "claimgraph-20261200T000000.dump",
            "claimgraph-20261201T000000.dump",
        ]
        assert len(backups.listed(tmp_path)) == 2
        assert len(list(tmp_path.glob("*.json"))) == 2
