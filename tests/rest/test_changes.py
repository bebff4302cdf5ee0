"""/v1/changes: every committed write once, in commit order, as pages and as a live stream."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.config import PROJECT_DIR
from api.db.engine import Database
from tests.conftest import bearer
from tests.service import Service

CONSUMER = PROJECT_DIR / "docs" / "examples" / "follow_changes.py"

STREAM = {"accept": "text/event-stream"}


async def create_claim(client: httpx.AsyncClient, key: str, id: str) -> None:
    response = await client.post(
        "/v1/claims", json={"id": id, "text": f"Claim {id}."}, headers=bearer(key)
    )
    assert response.status_code == 201, response.text


async def all_changes(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after = 0
    while True:
        response = await client.get("/v1/changes", params={"after": after, **params})
        assert response.status_code == 200, response.text
        page = response.json()
        found += page["data"]
        if page["next_cursor"] is None:
            return found
        assert f"after={page['next_cursor']}" in response.headers["link"]
        after = int(page["next_cursor"])


class TestListChanges:
    async def test_a_write_is_a_change(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        await create_claim(client, api_keys["write"], "feed-first")
        found = await all_changes(client, limit=2)
        numbers = [change["seq"] for change in found]
        assert numbers == sorted(set(numbers))
        [mine] = [change for change in found if change["id"] == "feed-first"]
        assert (mine["entity"], mine["action"], mine["version"]) == ("claim", "create", 1)
        assert set(mine) == {"seq", "time", "action", "entity", "id", "version"}

    async def test_by_entity(self, client: httpx.AsyncClient, api_keys: dict[str, str]) -> None:
        found = await all_changes(client, entity="claim,stance")
        assert found and {change["entity"] for change in found} <= {"claim", "stance"}

    async def test_from_now(self, client: httpx.AsyncClient, api_keys: dict[str, str]) -> None:
        now = (await client.get("/v1/changes?after=now")).json()
        assert now["data"] == []
        await create_claim(client, api_keys["write"], "feed-after-now")
        page = (await client.get("/v1/changes", params={"after": now["next_cursor"]})).json()
        assert [change["id"] for change in page["data"]] == ["feed-after-now"]

    async def test_bad_after(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/v1/changes?after=-1")).status_code == 400
        assert (await client.get("/v1/changes?after=later")).status_code == 400
        too_big = f"/v1/changes?after={2**63}"  # past bigint: refused, not a crash
        assert (await client.get(too_big)).status_code == 400
        assert (await client.get("/v1/changes?entity=rumour")).status_code == 400

    async def test_no_reader_sees_a_gap_that_fills_later(
        self, client: httpx.AsyncClient, api_keys: dict[str, str]
    ) -> None:
        """20 writers at once, a reader reading all along: whatever a read shows below its
        highest number is all there will ever be below it."""
        seen: list[list[int]] = []
        writing = True

        async def read() -> None:
            while writing:
                seen.append([change["seq"] for change in await all_changes(client)])

        async def write(index: int) -> None:
            await create_claim(client, api_keys["write"], f"feed-race-{index}")

        reader = asyncio.create_task(read())
        await asyncio.gather(*(write(index) for index in range(20)))
        writing = False
        await reader
        final = [change["seq"] for change in await all_changes(client)]
        assert len(seen) > 1
        for numbers in seen:
            top = max(numbers, default=0)
            assert numbers == [number for number in final if number <= top]


@pytest.fixture(scope="module")
def server(database: Database) -> Iterator[Service]:
    env = {"DATABASE_URL": database.url, "CLAIMGRAPH_MAX_FOLLOWERS": "2"}
    with Service("--no-load", env=env) as service:
        yield service


def events(lines: Iterator[str], count: int) -> list[dict[str, Any]]:
    """The next `count` change events of a stream's lines (comments and advice skipped)."""
    found: list[dict[str, Any]] = []
    event: dict[str, str] = {}
    for line in lines:
        if not line:
            if "data" in event:
                change = json.loads(event["data"])
                assert int(event["id"]) == change["seq"]
                found.append(change)
                if len(found) == count:
                    return found
            event = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            event[name] = value
    raise AssertionError(f"the stream ended after {found}")


def write(server: Service, key: str) -> None:
    """A colleague's write, from another client, while a stream is open."""
    with httpx.Client(base_url=server.base, timeout=20) as http:
        answer = http.post(
            "/v1/claims", json={"id": "feed-live-2", "text": "Two."}, headers=bearer(key)
        )
        assert answer.status_code == 201, answer.text


@pytest.mark.process
class TestStream:
    def test_backlog_then_live_then_resumed(
        self, server: Service, api_keys: dict[str, str]
    ) -> None:
        with httpx.Client(base_url=server.base, timeout=20) as http:
            start = http.get("/v1/changes?limit=200").json()["data"]
            after = start[-1]["seq"] if start else 0
            http.post(
                "/v1/claims",
                json={"id": "feed-live-1", "text": "One."},
                headers=bearer(api_keys["write"]),
            )
            with http.stream("GET", f"/v1/changes?after={after}", headers=STREAM) as response:
                assert response.status_code == 200
                assert response.headers["content-type"].startswith("text/event-stream")
                lines = response.iter_lines()
                [backlog] = events(lines, 1)
                assert backlog["seq"] > after
                writer = threading.Timer(0.5, write, (server, api_keys["write"]))
                writer.start()
                [live] = events(lines, 1)
                writer.join()
                assert live["entity"] == "claim" and live["action"] == "create"
            resumed_after = backlog["seq"]
            headers = {**STREAM, "last-event-id": str(resumed_after)}
            with http.stream("GET", "/v1/changes?after=0", headers=headers) as response:
                [again] = events(response.iter_lines(), 1)
                assert again["seq"] == live["seq"]  # not the backlog again, nothing lost

    def test_a_worker_streams_to_so_many(self, server: Service) -> None:
        with (
            httpx.Client(base_url=server.base, timeout=20) as http,
            http.stream("GET", "/v1/changes", headers=STREAM) as first,
            http.stream("GET", "/v1/changes", headers=STREAM) as second,
        ):
            assert first.status_code == second.status_code == 200
            third = http.get("/v1/changes", headers=STREAM)
            assert third.status_code == 503
            assert third.headers["retry-after"] == "5"


@pytest.mark.process
class TestConsumerExample:
    """docs/examples/follow_changes.py, the guide's consumer, as a reader would run it."""

    def test_it_prints_each_change_once_and_resumes(
        self, server: Service, api_keys: dict[str, str], tmp_path: Path
    ) -> None:
        with httpx.Client(base_url=server.base, timeout=20) as http:
            now = http.get("/v1/changes?after=now").json()["next_cursor"]
        (tmp_path / "last-seq.txt").write_text(now)
        env = {**os.environ, "CLAIMGRAPH_URL": server.base}

        def consumer() -> subprocess.Popen[str]:
            return subprocess.Popen(
                [sys.executable, "-u", str(CONSUMER)],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )

        first = consumer()
        try:
            with httpx.Client(base_url=server.base, timeout=20) as http:
                for n in (1, 2):
                    made = http.post(
                        "/v1/claims",
                        json={"id": f"feed-consumer-{n}", "text": "Mirrored."},
                        headers=bearer(api_keys["write"]),
                    )
                    assert made.status_code == 201, made.text
            assert first.stdout is not None
            lines = [first.stdout.readline().split() for _ in (1, 2)]
            last = tmp_path / "last-seq.txt"
            for _ in range(100):  # saved just after it is printed
                if last.read_text() == lines[-1][0]:
                    break
                time.sleep(0.05)
        finally:
            first.kill()
            first.wait()
        assert [line[1:] for line in lines] == [
            ["create", "claim", "feed-consumer-1"],
            ["create", "claim", "feed-consumer-2"],
        ]
        assert last.read_text() == lines[-1][0]
        again = consumer()  # resumes after the last: nothing is printed twice
        try:
            with httpx.Client(base_url=server.base, timeout=20) as http:
                made = http.post(
                    "/v1/claims",
                    json={"id": "feed-consumer-3", "text": "Mirrored."},
                    headers=bearer(api_keys["write"]),
                )
                assert made.status_code == 201, made.text
            assert again.stdout is not None
            assert again.stdout.readline().split()[1:] == ["create", "claim", "feed-consumer-3"]
        finally:
            again.kill()
            again.wait()


def test_the_guide_shows_the_consumer_as_it_is_run() -> None:
    guide = (PROJECT_DIR / "docs" / "changes.md").read_text(encoding="utf-8")
    assert f"```python\n{CONSUMER.read_text(encoding='utf-8')}```" in guide
