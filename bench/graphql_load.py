"""GraphQL benchmark: the nested claim query and a single statement, next to REST, in one run.

    python bench/graphql_load.py [--statements 100000] [--duration 10] [--connections 16]

Same data and server as bench/rest.py (the article plus synthetic statements, uvicorn on
127.0.0.1, wrk). Scenarios:

- GraphQL `statement(id:)` with what REST's /v1/statements/{id} returns, and that REST call;
- GraphQL `claims(first: 10)` with each claim's first 5 supporters, disputers (quote, date,
  speaker) and evidence; and the REST calls a script makes for the same page: /v1/claims
  (limit 10), then per claim /stances?position=supports, ?position=disputes and /evidence,
  each limit 5 (31 requests). "Pages per second" puts the two on one scale.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Result, bench_database, report, say, server, wrk

STATEMENT = """query ($id: ID!) { statement(id: $id) { slug kind text
  span { start end exact prefix suffix } saidOn saidOnPrecision language note
  speaker { slug name } source { slug title } event { slug title }
  stances { edges { node { position hedged note claim { slug text } } } } } }"""

CLAIMS = """{ claims(first: 10) { edges { node { slug text
  supporters(first: 5) { totalCount edges { node { hedged statement {
    text saidOn saidOnPrecision speaker { name } } } } }
  disputers(first: 5) { totalCount edges { node { hedged statement {
    text saidOn saidOnPrecision speaker { name } } } } }
  evidence(first: 5) { totalCount edges { node { relation summary offeredBy { name } } } }
} } } }"""


def graphql_request(query: str, variables: dict[str, str] | None = None) -> str:
    body = json.dumps({"query": " ".join(query.split()), "variables": variables or {}})
    return f"POST /graphql {body}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        from bench.rest import serve

        serve(args.serve)
        return

    import httpx

    rng = random.Random(11)
    ids = [f"synthetic-statement-{rng.randrange(args.statements)}" for _ in range(2000)]
    with bench_database(args.statements) as database, server(Path(__file__), database.url) as base:
        claims = [c["id"] for c in httpx.get(f"{base}/v1/claims?limit=10").json()["data"]]
        per_claim = []
        for claim in claims:
            per_claim += [
                f"GET /v1/claims/{claim}/stances?position=supports&limit=5",
                f"GET /v1/claims/{claim}/stances?position=disputes&limit=5",
                f"GET /v1/claims/{claim}/evidence?limit=5",
            ]
        check = httpx.post(f"{base}/graphql", json={"query": CLAIMS}).json()
        assert "errors" not in check and len(check["data"]["claims"]["edges"]) == 10, check
        scenarios = {
            "GraphQL statement(id:)": [graphql_request(STATEMENT, {"id": i}) for i in ids],
            "REST GET /v1/statements/{id}": [f"GET /v1/statements/{i}" for i in ids],
            "GraphQL claims(first: 10) nested": [graphql_request(CLAIMS)],
            "REST GET /v1/claims?limit=10": ["GET /v1/claims?limit=10"],
            "REST per-claim stances/evidence (limit 5)": per_claim,
        }
        for requests in scenarios.values():
            wrk(base, "warmup", requests, 2, args.connections)
        best: dict[str, Result] = {}
        for round_number in range(args.rounds):
            for name, requests in scenarios.items():
                result = wrk(base, name, requests, args.duration, args.connections)
                say(f"round {round_number + 1}: {name}: {result.requests_per_second:.0f} req/s")
                if name not in best or result.requests_per_second > best[name].requests_per_second:
                    best[name] = result
    # A REST page = 1 list call + 30 per-claim calls; its rate in pages/s:
    list_rate = best["REST GET /v1/claims?limit=10"].requests_per_second
    item_rate = best["REST per-claim stances/evidence (limit 5)"].requests_per_second
    rest_pages = 1 / (1 / list_rate + len(per_claim) / item_rate)
    best["REST same page (1 + 30 calls), pages/s"] = Result(
        "REST same page (1 + 30 calls), pages/s", rest_pages, 0.0, 0.0, 0, 0
    )
    report(
        f"GraphQL benchmark ({args.statements} statements, best of {args.rounds} rounds)",
        list(best.values()),
        {
            "GraphQL statement(id:) vs REST /v1/statements/{id}": (
                "GraphQL statement(id:)",
                "REST GET /v1/statements/{id}",
            ),
            "GraphQL nested claims page vs the same page over REST (pages/s)": (
                "GraphQL claims(first: 10) nested",
                "REST same page (1 + 30 calls), pages/s",
            ),
        },
        "python bench/graphql_load.py " + " ".join(sys.argv[1:]),
    )


if __name__ == "__main__":
    main()
