"""Drill: the change feed through a database outage, exactly once.

A real `serve` (two workers, each with its own LISTEN) takes writes through the API while
followers read the feed: two as Server-Sent Events, two as GraphQL subscriptions. The
embedded postmaster is SIGKILLed (its owner restarts it). Streams must end cleanly (the SSE
response closes, the WebSocket closes with 1013); each follower reconnects from the last
`seq` it got, and in the end every follower has seen exactly the feed: each change once, in
order, every acknowledged write among them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, WebSocketException

from tests.service import Service, embedded_url, postmaster_pid, write_key

STEADY = 1.5  # seconds of writes before the outage, and after readiness returns
DEADLINE = 60.0
EVENTS = {"accept": "text/event-stream"}
SUBSCRIPTION = "subscription($after: Int!) { changes(after: $after) { seq } }"


@dataclass
class Follower:
    """What one follower saw: the numbers in the order they came, and how its streams ended."""

    name: str
    seen: list[int] = field(default_factory=list)
    endings: Counter[str] = field(default_factory=Counter)

    @property
    def last(self) -> int:
        return self.seen[-1] if self.seen else 0


async def follow_events(base: str, follower: Follower, stop: asyncio.Event) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(5, read=30)) as http:
        while not stop.is_set():
            try:
                resume = {**EVENTS, "last-event-id": str(follower.last)}
                async with http.stream("GET", "/v1/changes", headers=resume) as response:
                    if response.status_code != 200:
                        follower.endings[f"status {response.status_code}"] += 1
                        await asyncio.sleep(0.2)
                        continue
                    async for line in response.aiter_lines():
                        if line.startswith("id: "):
                            follower.seen.append(int(line[4:]))
                    follower.endings["closed"] += 1
            except httpx.HTTPError as error:
                follower.endings[type(error).__name__] += 1
            await asyncio.sleep(0.2)


async def follow_subscription(base: str, follower: Follower, stop: asyncio.Event) -> None:
    url = base.replace("http://", "ws://") + "/graphql"
    while not stop.is_set():
        try:
            async with connect(url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
                await socket.send(json.dumps({"type": "connection_init"}))
                assert json.loads(await socket.recv())["type"] == "connection_ack"
                payload = {"query": SUBSCRIPTION, "variables": {"after": follower.last}}
                await socket.send(json.dumps({"type": "subscribe", "id": "1", "payload": payload}))
                async for raw in socket:
                    message = json.loads(raw)
                    if message["type"] == "ping":
                        await socket.send(json.dumps({"type": "pong"}))
                        continue
                    assert message["type"] == "next", message
                    follower.seen.append(message["payload"]["data"]["changes"]["seq"])
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else "none"
            follower.endings[f"close {code}"] += 1
        except (WebSocketException, OSError) as error:
            follower.endings[type(error).__name__] += 1
        await asyncio.sleep(0.2)


async def write(base: str, key: str, stop: asyncio.Event, acknowledged: list[str]) -> None:
    headers = {"authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        for n in range(1_000_000):
            if stop.is_set():
                return
            claim = {"id": f"drill-claim-{n}", "text": f"Drill claim {n}."}
            with contextlib.suppress(httpx.HTTPError):
                response = await http.post("/v1/claims", json=claim, headers=headers)
                if response.status_code == 201:
                    acknowledged.append(claim["id"])
                else:
                    assert response.status_code == 503, response.text
            await asyncio.sleep(0.02)


async def feed(base: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        while True:
            after = found[-1]["seq"] if found else 0
            page = (await http.get("/v1/changes", params={"after": after, "limit": 100})).json()
            if not page["data"]:
                return found
            found += page["data"]


async def until_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=5) as http, asyncio.timeout(DEADLINE):
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get("/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)


class TestFeedThroughAnOutage:
    async def test_every_follower_gets_every_change_once(self, tmp_path: Path) -> None:
        home = tmp_path / "home"
        env = {"CLAIMGRAPH_HOME": str(home), "WORKERS": "2", "CLAIMGRAPH_PG_DURABLE": "true"}
        with Service("--no-load", env=env) as service:
            base, url = service.base, embedded_url(home)
            key = await write_key(url)
            stop, writing = asyncio.Event(), asyncio.Event()
            followers = [Follower(f"sse-{n}") for n in (1, 2)]
            followers += [Follower(f"graphql-{n}") for n in (1, 2)]
            tasks = [
                asyncio.create_task(follow_events(base, follower, stop))
                for follower in followers[:2]
            ] + [
                asyncio.create_task(follow_subscription(base, follower, stop))
                for follower in followers[2:]
            ]
            acknowledged: list[str] = []
            writer = asyncio.create_task(write(base, key, writing, acknowledged))
            await asyncio.sleep(STEADY)
            before = len(acknowledged)
            os.kill(postmaster_pid(home), signal.SIGKILL)
            await asyncio.sleep(0.5)
            await until_ready(base)
            await asyncio.sleep(STEADY)
            writing.set()
            await writer
            final = await feed(base)
            last = final[-1]["seq"]
            async with asyncio.timeout(DEADLINE):
                # Polled: the followers are plain loops, with nothing to announce progress.
                while any(follower.last < last for follower in followers):  # noqa: ASYNC110
                    await asyncio.sleep(0.1)
            stop.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        numbers = [change["seq"] for change in final]
        created = {change["id"] for change in final if change["entity"] == "claim"}
        for follower in followers:
            print(
                f"\n{follower.name}: {len(follower.seen)} changes, ended {dict(follower.endings)}"
            )
        assert 0 < before < len(acknowledged), "writes were acknowledged before and after"
        assert set(acknowledged) <= created, "every acknowledged write is in the feed"
        for follower in followers:
            assert follower.seen == numbers, f"{follower.name} saw each change once, in order"
        sse, subscriptions = followers[:2], followers[2:]
        assert all(follower.endings["closed"] for follower in sse), "SSE streams closed"
        assert all(follower.endings["close 1013"] for follower in subscriptions), (
            "subscriptions closed with 1013 (Try Again Later)"
        )


def worker_of(service: Service, response: httpx.Response) -> int:
    """The pid of the worker that holds the connection `response` came on."""
    client_port = response.extensions["network_stream"].get_extra_info("client_addr")[1]
    for child in psutil.Process(service.process.pid).children():
        for connection in child.net_connections("tcp"):
            if connection.raddr and connection.raddr.port == client_port:
                return child.pid
    raise AssertionError(f"no worker holds the connection from port {client_port}")


class TestTwoWorkers:
    def test_a_write_on_one_reaches_followers_on_the_other(self, tmp_path: Path) -> None:
        """Followers on both workers each get every write: whichever worker took a write,
        one of them follows on the other (the announcement goes through PostgreSQL)."""
        home = tmp_path / "home"
        env = {"CLAIMGRAPH_HOME": str(home), "WORKERS": "2"}
        with Service("--no-load", env=env) as service, contextlib.ExitStack() as stack:
            key = asyncio.run(write_key(embedded_url(home)))
            streams: dict[int, Any] = {}
            for _ in range(40):  # the kernel spreads connections between the workers
                http = stack.enter_context(httpx.Client(base_url=service.base, timeout=20))
                response = stack.enter_context(
                    http.stream("GET", "/v1/changes?after=now", headers=EVENTS)
                )
                assert response.status_code == 200
                streams.setdefault(worker_of(service, response), response)
                if len(streams) == 2:
                    break
            assert len(streams) == 2, "followers on both workers"
            with httpx.Client(base_url=service.base, timeout=20) as http:
                made = http.post(
                    "/v1/claims",
                    json={"id": "two-workers", "text": "Once."},
                    headers={"authorization": f"Bearer {key}"},
                )
                assert made.status_code == 201, made.text
            for worker, response in streams.items():
                lines = response.iter_lines()
                data = next(line for line in lines if line.startswith("data: "))
                assert json.loads(data[6:])["id"] == "two-workers", worker


pytestmark = [pytest.mark.drill, pytest.mark.process]
