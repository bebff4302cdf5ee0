"""Point-in-time recovery drill on the embedded server, as an analyst's desk would live it:
`serve` keeps running, writes go through the API, `backup` and `restore --to-time` are the
real commands in their own processes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

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
