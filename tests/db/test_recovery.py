"""Point-in-time recovery drill on the embedded server, as an analyst's desk would live it:
`serve` keeps running, writes go through the API, `backup` and `restore --to-time` are the
real commands in their own processes."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import pytest

from api.db import recovery
from tests.service import Service, claimgraph, embedded_url, write_key

#: Starts processes (servers, commands): left out of the quick loop, `-m "not process"`.
pytestmark = pytest.mark.process


@dataclass
class Desk:
    service: Service
    env: dict[str, str]
    archive: Path
    key: str

    def claim(self, id: str) -> httpx.Response:
        return httpx.get(f"{self.service.base}/v1/claims/{id}", timeout=10)

    def create(self, id: str, *, retries: int = 0) -> None:
        """POST a claim; after a restore the service answers 503 once per connection that
        died with the old server, as after any outage (a client retries, as curl --retry)."""
        for _attempt in range(retries + 1):
            response = httpx.post(
                f"{self.service.base}/v1/claims",
                json={"id": id, "text": f"Claim {id}."},
                headers={"Authorization": f"Bearer {self.key}"},
                timeout=10,
            )
            if response.status_code != 503:
                break
            time.sleep(float(response.headers.get("retry-after", 1)))
        assert response.status_code == 201, response.text

    def delete(self, id: str) -> None:
        etag = self.claim(id).headers["etag"]
        response = httpx.delete(
            f"{self.service.base}/v1/claims/{id}",
            headers={"Authorization": f"Bearer {self.key}", "If-Match": etag},
            timeout=10,
        )
        assert response.status_code == 204, response.text

    def answered(self, id: str, timeout: float = 30) -> int:
        """The status of a claim's read once the service answers again after a restore."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                status = self.claim(id).status_code
            except httpx.TransportError:
                status = 0
            if status in {200, 404} or time.monotonic() > deadline:
                return status
            time.sleep(0.1)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    home = tmp_path_factory.mktemp("pitr")
    archive = home / "elsewhere"  # as it would be on another disk
    env = {"CLAIMGRAPH_HOME": str(home), "CLAIMGRAPH_ARCHIVE": str(archive)}
    with Service(env=env) as service:
        key = asyncio.run(write_key(embedded_url(home)))
        yield Desk(service, env, archive, key)


def now() -> str:
    return datetime.now(UTC).isoformat(sep=" ")


def test_back_to_a_moment_while_serving(desk: Desk) -> None:
    """Write A, note the time, delete A's claim and write B, restore to the noted time: A's
    claim is back, B absent, the quotes checked; `serve` answers from the restored database
    and takes writes again (on a new timeline, still archived)."""
    before_any_base = now()
    backed = claimgraph("backup", env=desk.env)
    assert backed.returncode == 0, backed.stderr
    assert "base backup for restore --to-time" in backed.stderr
    listed = claimgraph("backup", "--list", env=desk.env).stdout
    assert "base for restore --to-time" in listed

    desk.create("pitr-a")
    time.sleep(0.05)
    moment = now()
    time.sleep(0.05)
    desk.delete("pitr-a")
    desk.create("pitr-b")

    too_early = claimgraph("restore", "--to-time", before_any_base, env=desk.env)
    assert too_early.returncode == 1
    assert "no base backup was finished before" in too_early.stderr
    assert "the earliest moment to restore to is" in too_early.stderr
    assert desk.claim("pitr-b").status_code == 200  # refused: nothing changed

    restored = claimgraph("restore", "--to-time", moment, env=desk.env)
    assert restored.returncode == 0, restored.stderr
    assert "every quote's span checked" in restored.stderr
    assert desk.answered("pitr-a") == 200
    assert desk.claim("pitr-b").status_code == 404
    desk.create("pitr-c", retries=3)  # the restored database takes writes
    assert desk.claim("pitr-c").status_code == 200


def test_a_restore_that_cannot_complete_changes_nothing(desk: Desk) -> None:
    """The archive lost the segments after the base backup: PostgreSQL cannot reach the
    moment, and the database the service answers from is the one it had."""
    desk.create("pitr-kept")
    time.sleep(0.05)
    moment = now()
    base = recovery.bases(desk.archive)[-1]
    wal = recovery.wal_folder(desk.archive)
    needed = sorted(
        path for path in wal.iterdir() if len(path.name) == 24 and path.name > base.started_wal
    )
    assert needed, "the drill needs archived segments after the base backup"
    for path in needed:
        path.rename(path.with_name(path.name + ".hidden"))
    try:
        failed = claimgraph("restore", "--to-time", moment, env=desk.env)
    finally:
        for path in needed:
            path.with_name(path.name + ".hidden").rename(path)
    assert failed.returncode == 1
    assert "the database is as it was" in failed.stderr
    assert desk.answered("pitr-kept") == 200


def test_refusals(desk: Desk, tmp_path: Path) -> None:
    future = claimgraph("restore", "--to-time", "2999-01-01 00:00:00+00", env=desk.env)
    assert future.returncode == 1 and "has not happened yet" in future.stderr
    naive = claimgraph("restore", "--to-time", "2026-12-05 14:03:00", env=desk.env)
    assert naive.returncode == 2 and "with its offset" in naive.stderr
    both = claimgraph("restore", "x.dump", "--to-time", now(), env=desk.env)
    assert both.returncode == 2 and "takes no FILE" in both.stderr
    elsewhere = claimgraph(
        "restore", "--to-time", now(), env={"DATABASE_URL": "postgresql://nobody@127.0.0.1/x"}
    )
    assert elsewhere.returncode == 2 and "server operator's" in elsewhere.stderr


def test_a_lost_home_comes_back_from_the_archive(desk: Desk) -> None:
    """The disk of CLAIMGRAPH_HOME dies (its postgres folder is gone); the archive was on
    another. What the archive holds comes back on a new home: to a moment it reaches, or as
    far as it goes (`latest`); a moment past its end is refused, saying so. `serve` then
    serves the restored database. Last in the module: it stops the desk's service."""
    desk.create("pitr-survivor", retries=3)  # the first write after the failed restore
    time.sleep(0.05)
    moment = now()
    # What the hourly archive_timeout would do: the segment holding the write is archived.
    asyncio.run(switch_wal(embedded_url(Path(desk.env["CLAIMGRAPH_HOME"]))))
    desk.create("pitr-lost")  # in the segment being written when the disk dies
    time.sleep(0.05)
    too_late = now()
    assert desk.service.stop() == 0
    shutil.rmtree(Path(desk.env["CLAIMGRAPH_HOME"]) / "postgres")

    lost = claimgraph("restore", "--to-time", too_late, env=desk.env)
    assert lost.returncode == 1
    assert "the archived write-ahead log ends before that moment" in lost.stderr
    restored = claimgraph("restore", "--to-time", moment, env=desk.env)
    assert restored.returncode == 0, restored.stderr
    with Service(env=desk.env) as again:
        survivor = httpx.get(f"{again.base}/v1/claims/pitr-survivor", timeout=10)
        assert survivor.status_code == 200
        assert httpx.get(f"{again.base}/v1/claims/pitr-b", timeout=10).status_code == 404
    latest = claimgraph("restore", "--to-time", "latest", env=desk.env)
    assert latest.returncode == 0, latest.stderr
    assert "restored to the end of the archive (last change" in latest.stderr


async def switch_wal(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await recovery.archive_now(connection)
    finally:
        await connection.close()


def test_pruning_keeps_the_window_and_the_wal_it_needs(tmp_path: Path) -> None:
    """Base backups beyond CLAIMGRAPH_BACKUP_KEEP go once a newer one is older than the
    window; archived segments older than the oldest base left go with them."""
    archive = tmp_path / "archive"
    wal = recovery.wal_folder(archive)
    wal.mkdir(parents=True)
    for segment in range(1, 11):
        (wal / f"0000000100000000000000{segment:02X}").write_bytes(b"")
    (wal / "00000002.history").write_text("1\t0/5000000\tno reason\n")
    day = datetime(2026, 12, 1, tzinfo=UTC)
    for number, age in ((2, 9), (4, 8), (6, 3), (8, 1)):  # segment it starts in, days old
        folder = recovery.base_folder(archive) / f"base-{number}"
        folder.mkdir(parents=True)
        finished = (day - timedelta(days=age)).isoformat()
        base = recovery.Base(folder.name, f"0000000100000000000000{number:02X}", finished, "x", 1)
        (folder / "base.json").write_text(json.dumps(asdict(base)))

    def left() -> tuple[list[str], str]:
        names = [base.name for base in recovery.bases(archive)]
        return names, min(path.name for path in wal.iterdir() if len(path.name) == 24)

    # Keep 1, a week's window: base-4 (8 days old) still reaches back a week; base-2 goes.
    assert recovery.prune(archive, keep=1, days=7, now=day) == ["base-2"]
    assert left() == (["base-4", "base-6", "base-8"], "000000010000000000000004")
    # Keep 3: nothing more goes, whatever the window.
    assert recovery.prune(archive, keep=3, days=0, now=day) == []
    # Keep 1, no window: only the newest is needed.
    assert recovery.prune(archive, keep=1, days=0, now=day) == ["base-4", "base-6"]
    assert left() == (["base-8"], "000000010000000000000008")
    assert (wal / "00000002.history").exists()  # timelines' histories are never pruned
