"""The change feed under subscribers: memory per idle subscriber, and delivery latency.

    python bench/changes.py [--sse 1000] [--ws 200] [--rate 50] [--duration 10]

Runs `claimgraph serve` with one worker on 127.0.0.1 over the bench database, then:

1. memory: the worker's unique memory (USS) before any subscriber, after `--sse` Server-Sent
   Events streams (`GET /v1/changes?after=now`), and after `--ws` GraphQL subscriptions
   (`graphql-transport-ws`, `subscription { changes { seq } }`), all idle; per subscriber;
2. latency: `--rate` writes per second (`POST /v1/claims`) for `--duration` seconds while every
   subscriber reads; for each change at each subscriber, the time from the write's request
   being sent to the change being read. That includes the write itself (the commit happens
   somewhere inside it), so it bounds commit-to-delivery from above. Delivery complete: each
   subscriber must have every change, once, in order.

The subscribers are in this process (plain asyncio streams for SSE, `websockets` for
WebSocket), on the same 2 cores as the server: a reader that lags adds to the figures, so
they are conservative. Not a test; nothing is asserted but delivery.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

import httpx
import psutil
from websockets.asyncio.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import bench_database, free_port, say, serving
from bench.writes import new_key

SUBSCRIPTION = "subscription { changes { seq slug } }"


def worker(port: int) -> psutil.Process:
    """The process listening on `port`."""
    for connection in psutil.net_connections("tcp"):
        address = connection.laddr
        if address and address.port == port and connection.status == "LISTEN" and connection.pid:
            return psutil.Process(connection.pid)
    raise RuntimeError(f"nothing listens on {port}")


def uss_mb(process: psutil.Process) -> float:
    return float(process.memory_full_info().uss) / 1_048_576


class Subscriber:
    """One follower: the numbers it read and when (perf_counter), by id of the claim."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, str, float]] = []


async def sse(port: int, subscriber: Subscriber, ready: asyncio.Event, stop: asyncio.Event) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"GET /v1/changes?after=now HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Accept: text/event-stream\r\n\r\n"
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    assert b" 200 " in head.split(b"\r\n", 1)[0], head
    ready.set()
    try:
        while not stop.is_set():
            chunk = await reader.readuntil(b"\n\n")
            # Chunked transfer coding frames each write; the event's lines are inside.
            for line in chunk.split(b"\n"):
                if line.startswith(b"data: "):
                    change = json.loads(line[6:])
                    subscriber.seen.append((change["seq"], change["id"], time.perf_counter()))
    finally:
        writer.close()


async def ws(port: int, subscriber: Subscriber, ready: asyncio.Event, stop: asyncio.Event) -> None:
    url = f"ws://127.0.0.1:{port}/graphql"
    socket: ClientConnection
    async with connect(url, subprotocols=["graphql-transport-ws"], max_queue=None) as socket:  # type: ignore[list-item]
        await socket.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        await socket.send(
            json.dumps({"type": "subscribe", "id": "1", "payload": {"query": SUBSCRIPTION}})
        )
        ready.set()
        while not stop.is_set():
            message = json.loads(await socket.recv())
            if message["type"] == "next":
                change = message["payload"]["data"]["changes"]
                subscriber.seen.append((change["seq"], change["slug"], time.perf_counter()))


async def write(
    base: str, key: str, rate: float, duration: float
) -> dict[str, tuple[float, float]]:
    """Claims written at `rate` per second: by id, (request sent, answer received)."""
    sent: dict[str, tuple[float, float]] = {}
    run = f"feed-{int(time.time())}"
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        headers = {"authorization": f"Bearer {key}"}
        started = time.perf_counter()
        n = 0
        while time.perf_counter() - started < duration:
            claim = f"{run}-{n}"
            at = time.perf_counter()
            answer = await http.post(
                "/v1/claims", json={"id": claim, "text": "Bench."}, headers=headers
            )
            assert answer.status_code == 201, answer.text
            sent[claim] = (at, time.perf_counter())
            n += 1
            await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
    return sent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(base: str, port: int, key: str, args: argparse.Namespace) -> None:
    process = worker(port)
    idle_before = uss_mb(process)
    stop = asyncio.Event()
    subscribers: list[Subscriber] = []
    tasks: list[asyncio.Task[None]] = []

    async def start(kind: str, count: int) -> float:
        for start_at in range(0, count, 50):  # in steps: the server accepts 50 at a time
            readies = []
            for _ in range(start_at, min(count, start_at + 50)):
                subscriber, ready = Subscriber(), asyncio.Event()
                follow = sse if kind == "sse" else ws
                tasks.append(asyncio.create_task(follow(port, subscriber, ready, stop)))
                subscribers.append(subscriber)
                readies.append(ready.wait())
            await asyncio.wait_for(asyncio.gather(*readies), 60)
        await asyncio.sleep(3)  # settled
        return uss_mb(process)

    with_sse = await start("sse", args.sse)
    with_ws = await start("ws", args.ws)
    say(
        f"memory (USS): {idle_before:.1f} MB before, {with_sse:.1f} MB with {args.sse} SSE, "
        f"{with_ws:.1f} MB with {args.ws} WebSocket more"
    )
    per_sse = (with_sse - idle_before) * 1024 / max(args.sse, 1)
    per_ws = (with_ws - with_sse) * 1024 / max(args.ws, 1)
    sent = await write(base, key, args.rate, args.duration)
    deadline = time.perf_counter() + 60
    # Polled: the subscribers are plain loops, with nothing to announce progress.
    while time.perf_counter() < deadline and any(len(s.seen) < len(sent) for s in subscribers):  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    complete = sum(
        1
        for s in subscribers
        if [claim for _, claim, _ in s.seen] == list(sent)
        and [seq for seq, _, _ in s.seen] == sorted({seq for seq, _, _ in s.seen})
    )
    latencies = [
        (at - sent[claim][0]) * 1000
        for s in subscribers
        for _, claim, at in s.seen
        if claim in sent
    ]
    writes = [(done - at) * 1000 for at, done in sent.values()]
    print(f"\n## Change feed ({args.sse} SSE + {args.ws} WebSocket subscribers, one worker)\n")
    print(f"- idle memory per subscriber: SSE {per_sse:.1f} KB, WebSocket {per_ws:.1f} KB (USS)")
    print(
        f"- {len(sent)} writes at {args.rate}/s: write request sent to change read at a "
        f"subscriber, p50 {statistics.median(latencies):.1f} ms, "
        f"p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies):.1f} ms "
        f"({len(latencies)} deliveries); the write itself p50 {statistics.median(writes):.1f} ms"
    )
    print(f"- delivery complete (every change once, in order): {complete} of {len(subscribers)}")
    command = "python bench/changes.py " + " ".join(sys.argv[1:])
    print(f"\n`{command.strip()}`")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=1000)
    parser.add_argument("--sse", type=int, default=1000)
    parser.add_argument("--ws", type=int, default=200)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--duration", type=float, default=10)
    args = parser.parse_args()
    os.environ["WORKERS"] = "1"
    os.environ["CLAIMGRAPH_MAX_FOLLOWERS"] = str(args.sse + args.ws + 10)
    with bench_database(args.statements) as database:
        key = asyncio.run(new_key(database.url))
        port = free_port()
        serve = ["-m", "api", "serve", "--no-load", "--port", str(port)]
        with serving(serve, database.url, port) as base, contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run(base, port, key, args))


if __name__ == "__main__":
    main()
