"""REST benchmark: single statement and lists, next to a raw-asyncpg floor in the same app.

    python bench/rest.py [--statements 100000] [--duration 10] [--connections 16]

Loads the article plus `--statements` synthetic statements (through the store's loader) into a
fresh database, runs uvicorn on 127.0.0.1 with the app plus one bare route,
`/bench/floor/statements/{id}`, which answers the same request with one asyncpg query that
has PostgreSQL build the JSON (no ORM, no pydantic), then loads each scenario with wrk for
`--duration` seconds over `--connections` connections. Needs wrk (`apt-get install wrk`).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Result, bench_database, report, say, server, wrk

#: What `serve` hands to `add_routes`: an async function returning the floor's asyncpg pool.
FloorPool = Callable[[], Awaitable[Any]]

FLOOR_SQL = """
SELECT json_build_object(
  'id', s.id, 'kind', s.kind, 'text', s.text,
  'span', json_build_object('start', s.span_start, 'end', s.span_end, 'exact', s.text,
     'prefix', s.span_prefix, 'suffix', s.span_suffix),
  'source', json_build_object('id', src.id, 'title', src.title),
  'speaker', CASE WHEN a.id IS NULL THEN NULL
                  ELSE json_build_object('id', a.id, 'name', a.name) END,
  'said_on', s.said_on, 'said_on_precision', s.said_on_precision,
  'event', CASE WHEN e.id IS NULL THEN NULL
                ELSE json_build_object('id', e.id, 'title', e.title) END,
  'language', s.language, 'note', s.note,
  'stances', (SELECT coalesce(json_agg(json_build_object(
                 'claim', json_build_object('id', c.id, 'text', c.text),
                 'position', st.position, 'hedged', st.hedged, 'note', st.note)
               ORDER BY st.claim_id), '[]')
              FROM stance st JOIN claim c ON c.id = st.claim_id WHERE st.statement_id = s.id),
  'version', s.version, 'created_at', s.created_at, 'updated_at', s.updated_at)::text
FROM statement s JOIN source src ON src.id = s.source_id
LEFT JOIN actor a ON a.id = s.speaker_id LEFT JOIN event e ON e.id = s.event_id
WHERE s.id = $1
"""


def serve(port: int, add_routes: Callable[[Any, FloorPool], None] | None = None) -> None:
    """The app as `serve` builds it, plus the floor route; uvicorn on 127.0.0.1.

    `add_routes(app, floor_pool)` lets another benchmark mount its own floor routes on the
    same app, sharing the floor's asyncpg pool (`await floor_pool()`).
    """
    import asyncpg
    import uvicorn
    from starlette.requests import Request
    from starlette.responses import Response

    from api.app import create_app
    from api.config import Settings
    from api.db.driver_pool import _keep as keep

    settings = Settings()
    app = create_app(settings)
    pool: dict[str, Any] = {}

    async def floor_pool() -> Any:
        if "pool" not in pool:
            # Same pool settings as the app's own reads (no per-release reset round trip).
            pool["pool"] = await asyncpg.create_pool(
                settings.database_url, min_size=10, max_size=10, reset=keep
            )
        return pool["pool"]

    async def floor(request: Request) -> Response:
        async with (await floor_pool()).acquire() as connection:
            body = await connection.fetchval(FLOOR_SQL, request.path_params["id"])
        if body is None:
            return Response(status_code=404)
        return Response(body, media_type="application/json")

    app.add_route("/bench/floor/statements/{id}", floor)
    if add_routes is not None:
        add_routes(app, floor_pool)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return

    import httpx

    rng = random.Random(7)
    ids = [f"synthetic-statement-{rng.randrange(args.statements)}" for _ in range(2000)]
    speakers = [f"synthetic-actor-{rng.randrange(500)}" for _ in range(500)]
    with bench_database(args.statements) as database, server(Path(__file__), database.url) as base:
        # A cursor ~90% of the way through the whole collection, for the deep page.
        deep = httpx.get(f"{base}/v1/statements", params={"sort": "said_on", "limit": 200})
        cursor = deep.json()["next_cursor"]
        for _ in range(int(args.statements * 0.9 / 200)):
            cursor = httpx.get(
                f"{base}/v1/statements", params={"sort": "said_on", "limit": 200, "cursor": cursor}
            ).json()["next_cursor"]
        scenarios = {
            "floor: raw asyncpg statement": [f"GET /bench/floor/statements/{i}" for i in ids],
            "GET /v1/statements/{id}": [f"GET /v1/statements/{i}" for i in ids],
            "GET /v1/statements?speaker=…&limit=50": [
                f"GET /v1/statements?speaker={s}&limit=50" for s in speakers
            ],
            "first page ?sort=said_on&limit=50": ["GET /v1/statements?sort=said_on&limit=50"],
            "deep page (90%) ?sort=said_on&limit=50": [
                f"GET /v1/statements?sort=said_on&limit=50&cursor={cursor}"
            ],
        }
        for requests in scenarios.values():  # warm up every path once
            wrk(base, "warmup", requests, 2, args.connections)
        best: dict[str, Result] = {}
        for round_number in range(args.rounds):
            for name, requests in scenarios.items():
                result = wrk(base, name, requests, args.duration, args.connections)
                say(f"round {round_number + 1}: {name}: {result.requests_per_second:.0f} req/s")
                if name not in best or result.requests_per_second > best[name].requests_per_second:
                    best[name] = result
    command = "python bench/rest.py " + " ".join(sys.argv[1:])
    report(
        f"REST benchmark ({args.statements} statements, best of {args.rounds} rounds)",
        list(best.values()),
        {
            "single statement vs raw-asyncpg floor": (
                "GET /v1/statements/{id}",
                "floor: raw asyncpg statement",
            ),
            "50-statement page vs one statement": (
                "GET /v1/statements?speaker=…&limit=50",
                "GET /v1/statements/{id}",
            ),
            "deep page vs first page": (
                "deep page (90%) ?sort=said_on&limit=50",
                "first page ?sort=said_on&limit=50",
            ),
        },
        command.strip(),
    )


if __name__ == "__main__":
    main()
