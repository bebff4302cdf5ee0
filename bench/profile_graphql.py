"""Python time per GraphQL request, by path and by page size, and a profile of a compiled one.

    python bench/profile_graphql.py [--statements 10000] [--requests 400] [--profile]

In-process and CPU only: each request goes straight into the ASGI app (no HTTP client, no
socket on our side), and `time.process_time()` counts this process's CPU, not PostgreSQL's,
which runs in its own process. So the figure is what a request costs the API's Python: for
the compiled path it should not grow with the number of items returned, since the JSON
arrives as text and leaves as it came. The same operations on the resolvers (the fallback
path) show what per-field resolution costs. Not a test: numbers vary with the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import bench_database, say

QUERY = """query ($n: Int!) { statements(first: $n, sort: SAID_ON) { totalCount edges { cursor
  node { id slug text saidOn saidOnPrecision speaker { name } source { title } } } } }"""


async def call(app: Any, body: bytes, path: str) -> bytes:
    """One POST /graphql through the ASGI app; the response body."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"content-type", b"application/json"),
            (b"x-graphql-path", path.encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    sent = False
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return b"".join(chunks)


async def measure(url: str, requests: int, profile: bool) -> list[tuple[str, int, float, int]]:
    from api.app import create_app
    from api.config import Settings
    from api.db.engine import Database, create_engine, session_factory

    engine = create_engine(url, pool_size=4)
    database = Database(url=url, engine=engine, sessions=session_factory(engine))
    app = create_app(Settings(), database)
    rows: list[tuple[str, int, float, int]] = []
    try:
        for path in ("compiled", "fallback"):
            for items in (10, 100):
                body = json.dumps({"query": QUERY, "variables": {"n": items}}).encode()
                answer = json.loads(await call(app, body, path))
                assert len(answer["data"]["statements"]["edges"]) == items, answer
                for _ in range(20):  # warm caches and the pool
                    await call(app, body, path)
                count = requests if path == "compiled" else max(requests // 8, 20)
                started = time.process_time()
                for _ in range(count):
                    await call(app, body, path)
                cpu = (time.process_time() - started) / count
                rows.append((path, items, cpu * 1e6, items * 8))
                if profile and path == "compiled" and items == 100:
                    # Apart from the timing: the profiler itself costs more than the request.
                    profiler = cProfile.Profile()
                    profiler.enable()
                    for _ in range(count):
                        await call(app, body, path)
                    profiler.disable()
                    text = io.StringIO()
                    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
                    print(text.getvalue())
    finally:
        await database.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with bench_database(args.statements) as database:
        rows = asyncio.run(measure(database.url, args.requests, args.profile))
    print("| path | items | fields returned | Python CPU per request (µs) |")
    print("|---|---:|---:|---:|")
    for path, items, micros, fields in rows:
        print(f"| {path} | {items} | {fields} | {micros:.0f} |")
    by = {(path, items): micros for path, items, micros, _ in rows}
    for path in ("compiled", "fallback"):
        say(f"{path}: 100 items cost {by[path, 100] / by[path, 10]:.2f}x the CPU of 10 items")
    say("command: python bench/profile_graphql.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
