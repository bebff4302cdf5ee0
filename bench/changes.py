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

The subscribers run in two processes of their own (plain asyncio streams for SSE,
`websockets` for WebSocket), the writer in this one, all on the same machine as the server:
a reader that lags adds to the figures, so they are conservative. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psutil
from websockets.asyncio.client import connect

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
    """One follower: the numbers it read, with the claim's id and when (epoch seconds)."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, str, float]] = []


async def sse(port: int, subscriber: Subscriber, ready: asyncio.Event) -> None:
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
        while True:
            chunk = await reader.readuntil(b"\n\n")
            # Chunked transfer coding frames each write; the event's lines are inside.
            for line in chunk.split(b"\n"):
                if line.startswith(b"data: "):
                    change = json.loads(line[6:])
                    subscriber.seen.append((change["seq"], change["id"], time.time()))
    finally:
        writer.close()


async def ws(port: int, subscriber: Subscriber, ready: asyncio.Event) -> None:
    url = f"ws://127.0.0.1:{port}/graphql"
    protocols: Any = ["graphql-transport-ws"]
    async with connect(url, subprotocols=protocols, max_queue=None) as socket:
        await socket.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        await socket.send(
            json.dumps({"type": "subscribe", "id": "1", "payload": {"query": SUBSCRIPTION}})
        )
        ready.set()
        while True:
            message = json.loads(await socket.recv())
            if message["type"] == "next":
                change = message["payload"]["data"]["changes"]
                subscriber.seen.append((change["seq"], change["slug"], time.time()))


def follow(kind: str, port: int, count: int, ready: Any, total: Any, results: Any) -> None:
    """A process of `count` subscribers of one kind: says when all follow, and hands back
    what each read once it has `total` changes (or ten minutes have passed)."""
    asyncio.run(_follow(kind, port, count, ready, total, results))


async def _follow(kind: str, port: int, count: int, ready: Any, total: Any, results: Any) -> None:
    subscribers = [Subscriber() for _ in range(count)]
    tasks: list[asyncio.Task[None]] = []
    for start in range(0, count, 50):  # in steps: the server accepts 50 at a time
        readies = []
        for subscriber in subscribers[start : start + 50]:
            event = asyncio.Event()
            reading = sse if kind == "sse" else ws
            tasks.append(asyncio.create_task(reading(port, subscriber, event)))
            readies.append(event.wait())
        await asyncio.wait_for(asyncio.gather(*readies), 60)
    ready.set()
    deadline = time.monotonic() + 600
    # Polled: the writer is another process; it says how many changes to expect when done.
    while time.monotonic() < deadline:
        wanted = total.value
        if wanted and all(len(subscriber.seen) >= wanted for subscriber in subscribers):
            break
        await asyncio.sleep(0.2)
    for running in tasks:
        running.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    results.put([subscriber.seen for subscriber in subscribers])


async def write(base: str, key: str, rate: float, duration: float) -> dict[str, float]:
    """Claims written at `rate` per second: by id, when the request was sent (epoch)."""
    sent: dict[str, float] = {}
    run = f"feed-{int(time.time())}"
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        headers = {"authorization": f"Bearer {key}"}
        started = time.perf_counter()
        n = 0
        while time.perf_counter() - started < duration:
            claim = f"{run}-{n}"
            sent[claim] = time.time()
            answer = await http.post(
                "/v1/claims", json={"id": claim, "text": "Bench."}, headers=headers
            )
            assert answer.status_code == 201, answer.text
            n += 1
            await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
    return sent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(base: str, port: int, key: str, args: argparse.Namespace) -> None:
    process = worker(port)
    idle_before = uss_mb(process)
    context = multiprocessing.get_context("spawn")
    total = context.Value("i", 0)
    results = context.Queue()
    readers = []
    memory = [idle_before]
    for kind, count in (("sse", args.sse), ("ws", args.ws)):
        ready = context.Event()
        reader = context.Process(target=follow, args=(kind, port, count, ready, total, results))
        reader.start()
        readers.append(reader)
        if not ready.wait(120):
            raise RuntimeError(f"the {kind} subscribers did not all start")
        time.sleep(3)  # settled
        memory.append(uss_mb(process))
    say(
        f"memory (USS): {memory[0]:.1f} MB before, {memory[1]:.1f} MB with {args.sse} SSE, "
        f"{memory[2]:.1f} MB with {args.ws} WebSocket more"
    )
    per_sse = (memory[1] - memory[0]) * 1024 / max(args.sse, 1)
    per_ws = (memory[2] - memory[1]) * 1024 / max(args.ws, 1)
    cpu_before = process.cpu_times()
    sent = asyncio.run(write(base, key, args.rate, args.duration))
    total.value = len(sent)
    seen = [follower for _ in readers for follower in results.get(timeout=660)]
    cpu = process.cpu_times()
    busy = (cpu.user + cpu.system - cpu_before.user - cpu_before.system) / args.duration
    for reader in readers:
        reader.join(30)
    order = list(sent)
    complete = sum(
        1
        for follower in seen
        if [claim for _, claim, _ in follower] == order
        and [number for number, _, _ in follower] == sorted({n for n, _, _ in follower})
    )
    latencies = [(at - sent[claim]) * 1000 for f in seen for _, claim, at in f if claim in sent]
    print(f"\n## Change feed ({args.sse} SSE + {args.ws} WebSocket subscribers, one worker)\n")
    print(f"- idle memory per subscriber: SSE {per_sse:.1f} KB, WebSocket {per_ws:.1f} KB (USS)")
    print(
        f"- {len(sent)} writes at {args.rate:g}/s for {args.duration:g} s: write request sent "
        f"to change read at a subscriber, p50 {statistics.median(latencies):.1f} ms, "
        f"p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies):.1f} ms "
        f"({len(latencies)} deliveries); the worker busy {busy:.0%} of a core meanwhile"
    )
    print(f"- delivery complete (every change once, in order): {complete} of {len(seen)}")
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
            run(base, port, key, args)


if __name__ == "__main__":
    main()
