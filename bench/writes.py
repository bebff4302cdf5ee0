"""Write throughput: creates per second next to reads per second, in one run.

    python bench/writes.py [--statements 10000] [--duration 10] [--connections 16]

Loads the article plus `--statements` synthetic statements (bench/common.py), creates an API
key, runs uvicorn on 127.0.0.1, then loads with wrk (each scenario `--duration` seconds over
`--connections` connections):

- `POST /v1/claims`: a new claim per request (the smallest create: validation, key check,
  insert, audit entry, the representation read back in the transaction);
- `POST /v1/statements`: a new quote per request, its span found in the article's text
  (the source row is share-locked, the span trigger checks it again);
- `GET /v1/statements/{id}`: the read the writes are compared with.

Every create has a fresh id (a counter in wrk's Lua script), so none is refused as taken;
a run whose creates are not all 201 reports them as errors. Needs wrk (`apt-get install wrk`).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Result, bench_database, report, say, server, wrk

#: A create per request, each with a new id: `%s` is the JSON body with `{n}` for the id.
CREATE = """
local n = 0
local key = "%(key)s"
request = function()
  n = n + 1
  local body = string.gsub('%(body)s', "{n}", "%(prefix)s-" .. n)
  return wrk.format("POST", "%(path)s", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. key,
  }, body)
end
"""
#: A passage of the article that each created statement quotes (its span is found again).
QUOTE = "Moscow is looking for a hand behind the scenes."


def create_script(key: str, path: str, body: str, prefix: str) -> str:
    return CREATE % {"key": key, "path": path, "body": body, "prefix": prefix}


async def new_key(url: str) -> str:
    from api.db.engine import create_engine, session_factory
    from api.store.writes import keys
    from api.vocabulary import Scope

    engine = create_engine(url, pool_size=1)
    try:
        async with session_factory(engine)() as session, session.begin():
            name = f"bench-{int(time.time())}"
            return await keys.create(session, name, Scope.WRITE)
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        from bench.rest import serve

        serve(args.serve)
        return

    rng = random.Random(11)
    ids = [f"synthetic-statement-{rng.randrange(args.statements)}" for _ in range(2000)]
    with bench_database(args.statements) as database:
        key = asyncio.run(new_key(database.url))
        run = f"r{int(time.time())}"
        claim = '{"id": "{n}", "text": "A claim created by the write benchmark."}'
        statement = (
            '{"id": "{n}", "source": "kazakhstan-2022", "speaker": "melinda-haring", '
            f'"kind": "quote", "text": "{QUOTE}"}}'
        )
        with server(Path(__file__), database.url) as base:
            scenarios: list[tuple[str, list[str], str | None]] = [
                (
                    "POST /v1/claims",
                    [],
                    create_script(key, "/v1/claims", claim, f"{run}-claim"),
                ),
                (
                    "POST /v1/statements",
                    [],
                    create_script(key, "/v1/statements", statement, f"{run}-quote"),
                ),
                ("GET /v1/statements/{id}", [f"GET /v1/statements/{i}" for i in ids], None),
            ]
            wrk(base, "warmup", scenarios[2][1], 2, args.connections)
            results: list[Result] = []
            for name, requests, lua in scenarios:
                result = wrk(base, name, requests, args.duration, args.connections, lua)
                say(f"{name}: {result.requests_per_second:.0f} req/s, {result.errors} errors")
                results.append(result)
    command = "python bench/writes.py " + " ".join(sys.argv[1:])
    report(
        f"Writes benchmark ({args.statements} statements, {args.connections} connections)",
        results,
        {
            "claim creates vs statement reads": ("POST /v1/claims", "GET /v1/statements/{id}"),
            "statement creates vs statement reads": (
                "POST /v1/statements",
                "GET /v1/statements/{id}",
            ),
        },
        command.strip(),
    )


if __name__ == "__main__":
    main()
