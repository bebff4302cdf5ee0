"""Workers benchmark: the same requests against `claimgraph serve --workers 1` and `--workers 2`.

    python bench/workers.py [--statements 20000] [--duration 10] [--connections 32] [--rounds 2]

The real `serve` command (its own process supervisor, over DATABASE_URL pointing at the bench
database), driven by wrk on 127.0.0.1. Scenarios: REST `GET /v1/statements/{id}` and GraphQL
`statement(id:)`, ids drawn at random. Rounds alternate 1 and 2 workers, so that drift on a
shared machine hits both; each scenario keeps its best round. wrk, PostgreSQL and the workers
share the machine's cores: the ratio says what a second worker buys on this machine, not on
one where the database has cores of its own.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Result, bench_database, free_port, report, say, serving, wrk
from bench.graphql_load import STATEMENT, graphql_request


@contextlib.contextmanager
def serve(url: str, workers: int) -> Iterator[str]:
    """`claimgraph serve --workers N` over `url`; yields its base URL."""
    port = free_port()
    command = ["-m", "api", "serve", "--no-load", "--port", str(port), "--workers", str(workers)]
    with serving(command, url, port, ready_within=90) as base:
        yield base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    rng = random.Random(7)
    ids = [f"synthetic-statement-{rng.randrange(args.statements)}" for _ in range(2000)]
    scenarios = {
        "REST GET /v1/statements/{id}": [f"GET /v1/statements/{i}" for i in ids],
        "GraphQL statement(id:)": [graphql_request(STATEMENT, {"id": i}) for i in ids],
    }
    best: dict[str, Result] = {}
    with bench_database(args.statements) as database:
        for round_number in range(args.rounds):
            for workers in (1, 2):
                with serve(database.url, workers) as base:
                    for requests in scenarios.values():
                        wrk(base, "warmup", requests, 2, args.connections)
                    for scenario, requests in scenarios.items():
                        name = f"{scenario}, {workers} worker{'s' if workers > 1 else ''}"
                        result = wrk(base, name, requests, args.duration, args.connections)
                        say(f"round {round_number + 1}: {name}: {result.requests_per_second:.0f}")
                        if name not in best or result.requests_per_second > (
                            best[name].requests_per_second
                        ):
                            best[name] = result
    report(
        f"Workers benchmark ({args.statements} statements, best of {args.rounds} rounds)",
        list(best.values()),
        {
            f"{scenario}: 2 workers vs 1": (f"{scenario}, 2 workers", f"{scenario}, 1 worker")
            for scenario in scenarios
        },
        "python bench/workers.py " + " ".join(sys.argv[1:]),
    )


if __name__ == "__main__":
    main()
