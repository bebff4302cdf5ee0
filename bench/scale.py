"""Scale benchmark: the same reads at 10,000 and at 1,000,000 statements, side by side.

    python bench/scale.py [--statements 1000000] [--reference 10000] [--requests 200]

Not a test. Issue 10 asks how search, a deep keyset page, the timeline and a claim's dossier
behave when the data grows a hundredfold; this answers with the ratio of each read's latency
at `--statements` to the same read at `--reference`, measured in one run (rounds alternate
between the sizes, so a noisy neighbour slows both alike), and with the EXPLAIN (ANALYZE,
BUFFERS) of each read's SQL at the larger size, trimmed to the indexes it uses.

Data (one database per size, `claimgraph_scale_<size>`, reused while its label matches):
the article, through the store's own loader (so a misspelled real name, `Tokaev`, has its
actor to find), then synthetic rows generated inside PostgreSQL (INSERT ... SELECT over
generate_series: the fixture loader needs minutes per 100,000 statements, this needs
minutes per million). Every statement is a sentence of its source's text, so each span is
exact, and the span trigger still checks each row on the way in. Sentences mix the article's
own words (by their frequency: common words and stop words) with a long tail of generated
words, and carry the searched words at known rates (`RATES`). 500 actors with skewed
activity, one claim per 100 statements, two stances per statement, and one claim
(`bench-claim-dossier`) with 20,000 stances (at 1M; at 10k every statement takes one)
across every speaker, each leaning to one side.

Latency is measured with sequential requests (one at a time: the time of the read itself,
not of a queue) against a real uvicorn on 127.0.0.1 per database, after a warm-up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.config import PROJECT_DIR
from bench.common import RESULTS, bench_server, database_url, marker, say, server

ARTICLE = PROJECT_DIR / "fixtures" / "kazakhstan-2022" / "article.txt"
DOSSIER_CLAIM = "bench-claim-dossier"
TOKAEV = "search misspelled name Tokaev (every type)"
DOSSIER_STANCES = 20_000
ACTORS = 500
PER_SOURCE = 20
STATEMENTS_PER_CLAIM = 100

#: Words put into sentences at known rates (statement number n modulo a period), so that a
#: search's hit count is known at every size; the article's own forms of them are left out
#: of the sampled vocabulary. The phrase lands in 0.5% of statements: 50 at 10k (a full
#: page), 5,000 at 1M.
RATES = {
    "colour revolution": "n % 200 = 17",
    "revolution|revolutions|revolutionary|revolt": "n % 100 = 53",
    "protesters": "n % 100 = 3",
    "kompromat": "n % 10000 = 4242",
}
_RESERVED = re.compile(r"^(revol|colou?r|protest|kompromat)")

#: Two-letter syllables of the generated long-tail words (30**3 = 27,000 words, drawn
#: log-uniformly: a few frequent, most rare). None begins a reserved word.
# fmt: off
SYLLABLES = (
    "ba", "ke", "ri", "to", "mu", "sa", "le", "vi", "no", "da", "pe", "ju", "go", "zi", "ha",
    "mo", "ne", "ru", "ta", "fi", "lo", "ka", "si", "de", "vu", "ma", "te", "po", "ni", "ga",
)
# fmt: on
_SYLLABLE_ARRAY = "ARRAY[" + ", ".join(f"'{s}'" for s in SYLLABLES) + "]"


def vocabulary() -> list[str]:
    """The article's words, each as often as the article uses it (so `the` is common and
    most words rare), less the words whose rates `RATES` sets."""
    words = re.findall(r"[a-z]+", ARTICLE.read_text().lower())
    return [word for word in words if len(word) > 1 and not _RESERVED.match(word)]


# -- data -------------------------------------------------------------------------------------

_SENTENCE_WORDS = """
(SELECT string_agg(CASE WHEN d.r < 0.6
                        THEN ($1::text[])[1 + floor(d.r2 * cardinality($1::text[]))::int]
        ELSE s[1 + d.i % 30] || s[1 + (d.i / 30) % 30] || s[1 + (d.i / 900) % 30] END, ' ')
 FROM (SELECT g, random() AS r, random() AS r2,
              floor(power(27000, random()))::int - 1 AS i
       FROM generate_series(1, {count}) AS g) AS d)
"""


def _injected() -> str:
    cases = []
    for words, condition in RATES.items():
        choices = words.split("|")
        if len(choices) == 1:
            cases.append(f"WHEN {condition} THEN ' {choices[0]}'")
        else:
            array = ", ".join(f"'{choice}'" for choice in choices)
            cases.append(
                f"WHEN {condition} THEN ' ' || (ARRAY[{array}])[1 + (n / 100) % {len(choices)}]"
            )
    return "CASE " + " ".join(cases) + " ELSE '' END"


#: (what, SQL): each step of the synthetic load, formatted with the sizes ({statements},
#: {per_source} statements per source, {claims}, and {stride}: every stride-th statement takes a
#: stance on the dossier claim); $1 is the article's words.
STEPS: list[tuple[str, str]] = [
    (
        "sentences",
        f"""
CREATE UNLOGGED TABLE bench_said AS
SELECT n, n / {{per_source}} AS source_no, n % {{per_source}} AS place,
       floor({ACTORS} * power(random(), 2))::int AS speaker,
       (ARRAY['quote', 'paraphrase', 'report'])[1 + n % 3] AS kind,
       CASE WHEN p < 0.80 THEN 'day' WHEN p < 0.87 THEN 'month'
            WHEN p < 0.92 THEN 'year' ELSE 'unknown' END AS precision,
       day, upper(left(head, 1)) || substr(head, 2) || {_injected()} || ' ' || tail || '.' AS text
FROM (
    SELECT n, s, random() AS p, DATE '2019-01-01' + floor(random() * 1826)::int AS day,
           {_SENTENCE_WORDS.format(count="4 + n % 6")} AS head,
           {_SENTENCE_WORDS.format(count="3 + n % 9")} AS tail
    FROM generate_series(0, {{statements}} - 1) AS n,
         (SELECT {_SYLLABLE_ARRAY} AS s) AS syllables
) AS drawn
""",
    ),
    (
        "actors",
        f"""
INSERT INTO actor (id, name, kind, aliases, description, country)
SELECT 'bench-actor-' || i, initcap(first) || ' ' || initcap(last),
       (ARRAY['person', 'organization', 'state', 'group', 'media'])[1 + i % 5],
       ARRAY[initcap(last)], 'Generated for the scale benchmark.',
       (ARRAY['RU', 'KZ', 'US', 'CN', NULL])[1 + i % 5]
FROM (SELECT i, s[1 + i % 30] || s[1 + (i * 7) % 29] AS first,
             s[1 + (i / 30) % 30] || s[1 + (i * 13) % 30] || s[1 + i % 17] AS last
      FROM generate_series(0, {ACTORS - 1}) AS i,
           (SELECT {_SYLLABLE_ARRAY} AS s) AS syllables) AS named
""",
    ),
    (
        "sources",
        """
INSERT INTO source (id, title, publisher, language, text, text_sha256, published_at)
SELECT 'bench-source-' || source_no, 'Bench source ' || source_no, 'bench', 'en', text,
       encode(sha256(convert_to(text, 'UTF8')), 'hex'),
       TIMESTAMPTZ '2019-01-01' + source_no * interval '1 hour'
FROM (SELECT source_no, string_agg(text, ' ' ORDER BY place) AS text
      FROM bench_said GROUP BY source_no) AS joined
""",
    ),
    (
        "statements (the span trigger checks each)",
        """
INSERT INTO statement (id, source_id, speaker_id, attribution, kind, text, span_start, span_end,
                       said_on, said_on_precision, language)
SELECT 'bench-statement-' || n, 'bench-source-' || source_no, 'bench-actor-' || speaker,
       'explicit', kind, text, start, start + length(text),
       CASE precision WHEN 'day' THEN day WHEN 'month' THEN date_trunc('month', day)::date
                      WHEN 'year' THEN date_trunc('year', day)::date END,
       precision, 'en'
FROM (SELECT *, coalesce(sum(length(text) + 1) OVER (
                    PARTITION BY source_no ORDER BY place
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS start
      FROM bench_said) AS placed
ORDER BY n
""",
    ),
    (
        "claims",
        f"""
INSERT INTO claim (id, text, description, tags)
SELECT 'bench-claim-' || k,
       'Claim ' || k || ': ' || {_SENTENCE_WORDS.format(count="5 + k % 7")}
         || CASE WHEN k % 200 = 17 THEN ' colour revolution' ELSE '' END || '.',
       NULL, ARRAY['bench']
FROM generate_series(0, {{claims}} - 1) AS k,
     (SELECT {_SYLLABLE_ARRAY} AS s) AS syllables
UNION ALL
SELECT '{DOSSIER_CLAIM}',
       'The unrest was a colour revolution organised from abroad.',
       'The benchmark''s big claim: {DOSSIER_STANCES} stances at 1M statements.',
       ARRAY['bench']
""",
    ),
    (
        "stances",
        """
INSERT INTO stance (id, statement_id, claim_id, position, hedged)
SELECT 'bench-statement-' || n || '--' || claim, 'bench-statement-' || n, claim, position,
       random() < 0.1
FROM (
    SELECT n, 'bench-claim-' || (n % {claims}) AS claim,
           (ARRAY['supports', 'disputes', 'neutral'])[1 + (n / {claims}) % 3] AS position
    FROM bench_said
    UNION ALL
    -- The dossier claim: each speaker leans to one side (70%), says the other (15%) or
    -- neither (15%).
    SELECT n,
           CASE WHEN n % {stride} = 0 THEN 'bench-claim-dossier'
                ELSE 'bench-claim-' || ((n + 1 + (n / {claims}) % ({claims} - 1)) % {claims}) END,
           CASE WHEN n % {stride} <> 0 THEN (ARRAY['supports', 'disputes', 'neutral'])[1 + n % 3]
                WHEN r < 0.15 THEN 'neutral'
                WHEN (r < 0.85) = (speaker % 2 = 0) THEN 'supports'
                ELSE 'disputes' END
    FROM (SELECT n, speaker, random() AS r FROM bench_said) AS drawn
) AS taken
ORDER BY n, claim
""",
    ),
    (
        "evidence",
        """
INSERT INTO evidence (id, claim_id, relation, summary, source_id, span_start, span_end, quote,
                      statement_id, offered_by_id)
SELECT 'bench-evidence-' || k, 'bench-claim-dossier',
       (ARRAY['supports', 'refutes', 'context'])[1 + k % 3], 'Evidence ' || k || ': ' || s.text,
       s.source_id, s.span_start, s.span_end, s.text, s.id, s.speaker_id
FROM generate_series(0, 29) AS k
JOIN statement s ON s.id = 'bench-statement-' || (k * {stride})
WHERE k * {stride} < {statements}
""",
    ),
    ("drop the scratch table", "DROP TABLE bench_said"),
]


#: Tables whose secondary indexes are built after the bulk load rather than row by row.
REBUILT = ("statement", "stance")


async def drop_indexes(connection: Any) -> list[str]:
    """Drop the secondary indexes of `REBUILT` (not those behind a primary key or a unique
    constraint: the foreign keys and the loader need them); return their definitions, as
    PostgreSQL writes them, to create them again after the load. Building an index once
    over a million rows is several times faster than maintaining it row by row, and gives
    the same index."""
    rows = await connection.fetch(
        """
        SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition
        FROM pg_index
        WHERE indrelid = ANY($1::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)
        ORDER BY indexrelid
        """,
        list(REBUILT),
    )
    for row in rows:
        await connection.execute(f"DROP INDEX {row['name']}")
    return [row["definition"] for row in rows]


def generator() -> bytes:
    """What the synthetic data is made from: a database labelled with another is reloaded."""
    made = [STEPS, PER_SOURCE, ACTORS, STATEMENTS_PER_CLAIM, DOSSIER_STANCES, REBUILT]
    return json.dumps(made).encode() + ARTICLE.read_bytes()


def scale_database(statements: int) -> str:
    return f"claimgraph_scale_{statements}"


async def fill(admin_url: str, statements: int) -> str:
    """Make (or reuse) the database of `statements` synthetic statements; say how long its
    load took."""
    import asyncpg

    from api.db import migrate
    from api.db.engine import create_engine, session_factory
    from api.store.fixtures import loader

    name = scale_database(statements)
    label = marker(statements, generator())
    admin = await asyncpg.connect(admin_url)
    try:
        found: str | None = await admin.fetchval(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            name,
        )
        if found is not None and found.startswith(label + ";"):
            say(f"reusing {name} ({found})")
            return found.removeprefix(label + "; ")
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {name}")
    finally:
        await admin.close()
    url = database_url(admin_url, name)
    started = time.perf_counter()
    engine = create_engine(url, pool_size=2)
    await migrate.upgrade(engine)
    await loader.load_fixtures(session_factory(engine), [PROJECT_DIR / "fixtures"])
    await engine.dispose()
    connection = await asyncpg.connect(url)
    try:
        # One process, so that random() after setseed() draws the same data every time.
        await connection.execute("SET max_parallel_workers_per_gather = 0")
        await connection.execute("SET maintenance_work_mem = '512MB'")
        await connection.execute("SELECT setseed(0.42)")
        sizes = {
            "statements": statements,
            "per_source": PER_SOURCE,
            "claims": max(2, statements // STATEMENTS_PER_CLAIM),
            "stride": max(1, statements // DOSSIER_STANCES),
        }
        words = vocabulary()
        step = time.perf_counter()
        indexes = await drop_indexes(connection)
        say(f"  {name}: dropped {len(indexes)} indexes: {time.perf_counter() - step:.1f}s")
        for what, template in STEPS:
            step = time.perf_counter()
            sql = template.format(**sizes)
            await connection.execute(sql, *([words] if "$1" in sql else []))
            say(f"  {name}: {what}: {time.perf_counter() - step:.1f}s")
        for index in indexes:
            step = time.perf_counter()
            await connection.execute(index)
            say(f"  {name}: {index[:70]}...: {time.perf_counter() - step:.1f}s")
        step = time.perf_counter()
        # What autovacuum would do after a bulk load: statistics for the planner, and the
        # visibility map that lets index-only scans skip the heap.
        await connection.execute("VACUUM (ANALYZE)")
        say(f"  {name}: VACUUM (ANALYZE): {time.perf_counter() - step:.1f}s")
    finally:
        await connection.close()
    took = f"loaded in {time.perf_counter() - started:.0f}s"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f"COMMENT ON DATABASE {name} IS '{label}; {took}'")
    finally:
        await admin.close()
    say(f"{name}: {took}")
    return took


# -- reads ------------------------------------------------------------------------------------

GRAPHQL_SEARCH = """query ($q: String!) { search(query: $q, first: 50) {
  pageInfo { hasNextPage endCursor }
  edges { cursor match rank snippet span { start end exact }
    node { __typename
      ... on Statement { slug text speaker { slug name } }
      ... on Actor { slug name }
      ... on Claim { slug text }
      ... on Evidence { slug summary }
      ... on Event { slug title } } } } }"""


@dataclass
class Scenario:
    """One read, as a request and as the store call that REST makes for it (for EXPLAIN)."""

    name: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    #: A GraphQL request's variables (then `path` is /graphql and the query GRAPHQL_SEARCH).
    graphql: dict[str, Any] | None = None
    #: The full-text query whose statement matches are counted, for context.
    words: str | None = None

    def send(self, client: Any) -> Any:
        if self.graphql is not None:
            return client.post(self.path, json={"query": GRAPHQL_SEARCH, "variables": self.graphql})
        return client.get(self.path, params=self.params)

    def items(self, body: Any) -> int:
        """How many items the answer holds; raises if it is not a good answer."""
        if self.graphql is not None:
            if "errors" in body:
                raise RuntimeError(f"{self.name}: {body['errors']}")
            return len(body["data"]["search"]["edges"])
        if "data" in body:
            return len(body["data"])
        sides = ("supporters", "disputers", "neutral")
        return sum(len(s["statements"]) for side in sides for s in body[side])


def scenarios(deep_cursor: str) -> list[Scenario]:
    """The reads compared across sizes (the deep cursor is each database's own)."""
    page = {"limit": 50}
    return [
        Scenario(
            'search phrase "colour revolution"',
            "/v1/search",
            {"q": '"colour revolution"', **page},
            words='"colour revolution"',
        ),
        Scenario(
            "search word protesters", "/v1/search", {"q": "protesters", **page}, words="protesters"
        ),
        Scenario("search prefix revol*", "/v1/search", {"q": "revol*", **page}, words="revol*"),
        Scenario(
            "search rare word kompromat",
            "/v1/search",
            {"q": "kompromat", **page},
            words="kompromat",
        ),
        Scenario(
            "search misspelled name Tokaev (type=actor)",
            "/v1/search",
            {"q": "Tokaev", "type": "actor", **page},
        ),
        Scenario(TOKAEV, "/v1/search", {"q": "Tokaev", **page}),
        Scenario(
            'GraphQL search "colour revolution"',
            "/graphql",
            graphql={"q": '"colour revolution"'},
        ),
        Scenario(
            "statements first page (sort=said_on)", "/v1/statements", {"sort": "said_on", **page}
        ),
        Scenario(
            "statements deep page (90%)",
            "/v1/statements",
            {"sort": "said_on", "cursor": deep_cursor, **page},
        ),
        Scenario("timeline first page", "/v1/timeline", page),
        Scenario("timeline after=2021-06", "/v1/timeline", {"after": "2021-06", **page}),
        Scenario(f"dossier ({DOSSIER_CLAIM})", f"/v1/claims/{DOSSIER_CLAIM}/dossier"),
    ]


async def deep_cursor(url: str) -> str:
    """The `said_on` cursor of the statement 90% of the way through that order."""
    import asyncpg

    from api.store.kit.pagination import encode_cursor
    from api.store.statements import SORTS

    connection = await asyncpg.connect(url)
    try:
        row = await connection.fetchrow(
            "SELECT coalesce(said_on, '9999-12-30'::date) AS day, id FROM statement "
            "ORDER BY 1, 2 OFFSET (SELECT (count(*) * 0.9)::bigint FROM statement) LIMIT 1"
        )
    finally:
        await connection.close()
    return encode_cursor(SORTS["said_on"], [row["day"], row["id"]])


async def matches(url: str, reads: Sequence[Scenario]) -> dict[str, int]:
    """How many statements each search's words match (full text), for context."""
    import asyncpg

    from api.store.search import tsquery

    connection = await asyncpg.connect(url)
    try:
        return {
            read.name: await connection.fetchval(
                "SELECT count(*) FROM statement WHERE search @@ claimgraph_query($1)",
                tsquery(read.words),
            )
            for read in reads
            if read.words is not None
        }
    finally:
        await connection.close()


@dataclass
class Timings:
    """One read's latencies at one size, in milliseconds, and what its answer held."""

    samples: list[float] = field(default_factory=list)
    items: int = 0
    spent: float = 0.0
    #: Answers other than 200 (a read over the app's statement timeout is a 503), by status.
    errors: dict[int, int] = field(default_factory=dict)

    def record(self, read: Scenario, answer: Any, took: float) -> None:
        self.samples.append(took * 1000)
        self.spent += took
        if answer.status_code == 200:
            self.items = read.items(answer.json())
        else:
            self.errors[answer.status_code] = self.errors.get(answer.status_code, 0) + 1

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.samples)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(0.99)


def measure(
    bases: dict[int, str],
    reads: dict[int, list[Scenario]],
    requests: int,
    rounds: int,
    budget: float,
) -> dict[int, list[Timings]]:
    """Sequential requests, `requests` per read and size, in `rounds` that alternate between
    the sizes (noise on this shared machine then falls on both); a read stops early once it
    has spent `budget` seconds at one size."""
    import httpx

    timings = {size: [Timings() for _ in reads[size]] for size in bases}
    with ExitStack() as stack:
        clients = {
            size: stack.enter_context(httpx.Client(base_url=base, timeout=60))
            for size, base in bases.items()
        }
        for size, client in clients.items():  # warm up: caches, prepared statements, plans
            for read in reads[size]:
                for _ in range(3):
                    read.send(client)
        per_round = max(1, requests // rounds)
        for round_number in range(rounds):
            for size, client in clients.items():
                for read, timing in zip(reads[size], timings[size], strict=True):
                    for _ in range(per_round):
                        if timing.spent > budget:
                            break
                        started = time.perf_counter()
                        answer = read.send(client)
                        timing.record(read, answer, time.perf_counter() - started)
            say(f"round {round_number + 1}/{rounds} done")
    return timings


# -- plans ------------------------------------------------------------------------------------

#: The plan lines kept in the printed excerpt: which scans (and indexes) run, how sorts
#: went, and the time.
_SHOWN = re.compile(
    r"Index Scan|Index Only Scan|Bitmap Index Scan|Seq Scan|Sort Method|Merge Append|"
    r"Execution Time|Heap Fetches|Filter:|Recheck Cond"
)


class Explaining:
    """Stands in for the app's `Database` when the store runs a read in this process: each
    statement runs as REST runs it, then again under EXPLAIN (ANALYZE, BUFFERS), whose plan
    is kept. The SQL is thus exactly the compiled one (`View._compiled`), with the same
    parameters. For the dossier (one SQL function), auto_explain logs the plan of the
    function's own statement (nested), sent to this client as a message."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.plans: list[str] = []

    async def driver_pool(self) -> Explaining:
        return self

    async def _explain(self, sql: str, arguments: Sequence[Any]) -> None:
        # Warm: the plan shown is of a read whose pages are cached, as the bench's are.
        await self.connection.fetchrow(sql, *arguments)
        if "claimgraph_dossier" in sql:
            logged: list[str] = []

            def listen(_connection: Any, message: Any) -> None:
                logged.append(str(message.message))

            self.connection.add_log_listener(listen)
            for setting in (
                "LOAD 'auto_explain'",
                "SET auto_explain.log_min_duration = 0",
                "SET auto_explain.log_analyze = on",
                "SET auto_explain.log_buffers = on",
                "SET auto_explain.log_nested_statements = on",
                "SET client_min_messages = log",
            ):
                await self.connection.execute(setting)
            try:
                await self.connection.fetchrow(sql, *arguments)
            finally:
                await self.connection.execute("RESET client_min_messages")
                await self.connection.execute("SET auto_explain.log_min_duration = -1")
                self.connection.remove_log_listener(listen)
            # The function's own statement, not each call of the small ones it makes.
            self.plans += [
                re.sub(r"^duration: [^\n]*\n", "", plan)
                for plan in logged
                if "claimgraph_dossier" in plan or "WITH said" in plan
            ]
            return
        rows = await self.connection.fetch("EXPLAIN (ANALYZE, BUFFERS) " + sql, *arguments)
        self.plans.append("\n".join(row[0] for row in rows))

    async def fetchrow(self, sql: str, *arguments: Any) -> Any:
        await self._explain(sql, arguments)
        return await self.connection.fetchrow(sql, *arguments)

    async def fetchval(self, sql: str, *arguments: Any) -> Any:
        await self._explain(sql, arguments)
        return await self.connection.fetchval(sql, *arguments)


async def explain(url: str, reads: Sequence[Scenario]) -> dict[str, str]:
    """Each REST read's plans at `url`, as the store runs it (GraphQL's are not shown: its
    search compiles to the same hits subquery)."""
    import asyncpg

    from api.db.driver_pool import init_json
    from api.rest.queries import SearchQuery, StatementQuery, TimelineQuery
    from api.rest.search import HIT
    from api.rest.statements import STATEMENT_VIEW
    from api.rest.timeline import ENTRY
    from api.store.kit import views
    from api.store.kit.pagination import PageRequest
    from api.store.kit.views import View

    lists: dict[str, tuple[View, type[Any]]] = {
        "/v1/search": (HIT, SearchQuery),
        "/v1/statements": (STATEMENT_VIEW, StatementQuery),
        "/v1/timeline": (ENTRY, TimelineQuery),
    }
    connection = await asyncpg.connect(url)
    await init_json(connection)
    plans: dict[str, str] = {}
    try:
        for read in reads:
            database = Explaining(connection)
            if read.path in lists:
                view, model = lists[read.path]
                query = model.model_validate(read.params)
                await views.page(
                    database,  # type: ignore[arg-type]
                    view,
                    PageRequest(limit=query.limit, after=query.cursor),
                    filters=query.filters(),
                    sort=query.sort_name,
                )
            elif read.path.endswith("/dossier"):
                await views.dossier(database, DOSSIER_CLAIM)  # type: ignore[arg-type]
            else:
                continue
            plans[read.name] = "\n\n".join(database.plans)
    finally:
        await connection.close()
    return plans


def excerpt(plan: str) -> list[str]:
    """The lines of a plan that say which indexes (or scans) serve it, and its time."""
    lines = [line.rstrip() for line in plan.splitlines() if _SHOWN.search(line)]
    return [re.sub(r"\s*\(cost=[^)]*\)", "", line) for line in lines]


# -- report -----------------------------------------------------------------------------------


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


def _errors(timing: Timings) -> str:
    return ", ".join(f"{count}× {status}" for status, count in timing.errors.items()) or "0"


def table(
    sizes: tuple[int, int],
    reads: list[Scenario],
    timings: dict[int, list[Timings]],
    counts: dict[int, dict[str, int]],
) -> list[str]:
    small, big = sizes
    lines = [
        f"| read | items | matches {small:,} / {big:,} | p50 {small:,} | p99 {small:,} "
        f"| p50 {big:,} | p99 {big:,} | p50 ratio | p99 ratio | n | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for index, read in enumerate(reads):
        a, b = timings[small][index], timings[big][index]
        found = (
            f"{counts[small][read.name]:,} / {counts[big][read.name]:,}"
            if read.name in counts[small]
            else ""
        )
        lines.append(
            f"| {read.name} | {a.items} / {b.items} | {found} | {a.p50:.1f} | {a.p99:.1f} "
            f"| {b.p50:.1f} | {b.p99:.1f} | {ratio(b.p50, a.p50):.2f}× "
            f"| {ratio(b.p99, a.p99):.2f}× | {len(a.samples)} / {len(b.samples)} "
            f"| {_errors(a)} / {_errors(b)} |"
        )
    return lines


def goals(
    sizes: tuple[int, int], reads: list[Scenario], timings: dict[int, list[Timings]]
) -> list[str]:
    """Issues 10's and 20's goals, as ratios and milliseconds, each met or missed, and a last
    line counting them."""
    small, big = sizes
    at = {
        size: {read.name: t for read, t in zip(reads, timings[size], strict=True)} for size in sizes
    }
    checks: list[tuple[str, bool]] = []
    for read in reads:
        if read.path == "/v1/search" or read.graphql is not None:
            value = ratio(at[big][read.name].p50, at[small][read.name].p50)
            checks.append(
                (f"{read.name}: p50 at {big:,} / at {small:,} = {value:.2f}× (≤ 3×)", value <= 3)
            )
    tokaev = at[big][TOKAEV].p50
    checks.append((f"{TOKAEV}: p50 at {big:,} = {tokaev:.1f} ms (< 50 ms)", tokaev < 50))
    deep = ratio(
        at[big]["statements deep page (90%)"].p50,
        at[big]["statements first page (sort=said_on)"].p50,
    )
    checks.append(
        (f"deep page (90%) p50 / first page p50 at {big:,} = {deep:.2f}× (≤ 1.5×)", deep <= 1.5)
    )
    dossier = at[big][f"dossier ({DOSSIER_CLAIM})"].p50
    checks.append((f"dossier p50 at {big:,} = {dossier:.1f} ms (< 100 ms)", dossier < 100))
    lines = [f"- {text}: {'met' if met else '**missed**'}" for text, met in checks]
    missed = [text.split(":")[0] for text, met in checks if not met]
    met = len(checks) - len(missed)
    lines.append(
        f"goals: {met} of {len(checks)} met" + (f" (missed: {'; '.join(missed)})" if missed else "")
    )
    return lines


async def backup_and_restore(admin_url: str, url: str, folder: Path) -> list[str]:
    """`claimgraph backup` and `claimgraph restore` of the big database, timed: the dump,
    then its restore into a new database with every check `restore` makes."""
    import asyncpg

    from api.db import backups

    file = folder / "scale.dump"
    started = time.perf_counter()
    manifest = await backups.backup(url, file, lambda _table: None)
    dumped = time.perf_counter() - started
    target = "claimgraph_scale_restored"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {target} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {target}")
        started = time.perf_counter()
        await backups.restore(database_url(admin_url, target), file, replace=False)
        restored = time.perf_counter() - started
        await admin.execute(f"DROP DATABASE {target} WITH (FORCE)")
    finally:
        await admin.close()
    file.unlink()
    backups.Manifest.path_of(file).unlink()
    rows = sum(manifest.rows.values())
    return [
        f"- `backup` (pg_dump, custom format, one snapshot): {dumped:.1f} s for {rows:,} rows, "
        f"{manifest.bytes / 1e6:,.0f} MB",
        f"- `restore` into an empty database, rows and every span checked: {restored:.1f} s",
    ]


# -- main -------------------------------------------------------------------------------------


@dataclass
class Sized:
    """One size's database, load and reads."""

    statements: int
    url: str
    load: str
    reads: list[Scenario]
    counts: dict[str, int]


def prepare(admin_url: str, statements: int) -> Sized:
    load = asyncio.run(fill(admin_url, statements))
    url = database_url(admin_url, scale_database(statements))
    reads = scenarios(asyncio.run(deep_cursor(url)))
    return Sized(statements, url, load, reads, asyncio.run(matches(url, reads)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--reference", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="per read and size")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds one read may spend at one size"
    )
    parser.add_argument(
        "--backup", action="store_true", help="also time backup and restore of the big database"
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        from bench.rest import serve

        serve(args.serve)
        return

    sizes = (args.reference, args.statements)
    with bench_server() as (admin_url, _embedded), ExitStack() as servers:
        sized = {size: prepare(admin_url, size) for size in sizes}
        bases = {
            size: servers.enter_context(server(Path(__file__), found.url))
            for size, found in sized.items()
        }
        timings = measure(
            bases,
            {size: found.reads for size, found in sized.items()},
            args.requests,
            args.rounds,
            args.budget,
        )
        plans = asyncio.run(explain(sized[args.statements].url, sized[args.statements].reads))
        kept: list[str] = []
        if args.backup:
            with tempfile.TemporaryDirectory() as folder:
                kept = asyncio.run(
                    backup_and_restore(admin_url, sized[args.statements].url, Path(folder))
                )
    write_report(args, sizes, sized, timings, plans, kept)


def write_report(
    args: argparse.Namespace,
    sizes: tuple[int, int],
    sized: dict[int, Sized],
    timings: dict[int, list[Timings]],
    plans: dict[str, str],
    kept: list[str],
) -> None:
    """Print the table, the goals and the plans' excerpts; keep them, the full plans and the
    samples in bench/results/."""
    reads = sized[sizes[1]].reads
    met = goals(sizes, reads, timings)
    command = "python bench/scale.py " + " ".join(sys.argv[1:])
    lines = [
        f"## Scale benchmark: {sizes[0]:,} vs {sizes[1]:,} statements",
        "",
        f"`{command.strip()}`",
        "",
        *(f"- {size:,} statements: {found.load}" for size, found in sized.items()),
        f"- sequential requests to uvicorn on 127.0.0.1, {args.rounds} alternating rounds, "
        "latency in ms as the client sees it (errors included: a 503 is the app's 10 s "
        "statement timeout)",
        "",
        *table(sizes, reads, timings, {size: found.counts for size, found in sized.items()}),
        "",
        *([f"Backup and restore at {sizes[1]:,} statements:", "", *kept, ""] if kept else []),
        "Goals (issues 10 and 20):",
        "",
        *met[:-1],
        "",
        f"### EXPLAIN (ANALYZE, BUFFERS) at {sizes[1]:,}, excerpts",
    ]
    for name, plan in plans.items():
        lines += ["", f"**{name}**", "", "```", *excerpt(plan), "```"]
    lines += ["", met[-1]]  # the last line: goals: N of M met
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"scale-{stamp}.md").write_text(text + "\n")
    (RESULTS / f"scale-{stamp}.plans.txt").write_text(
        "\n\n".join(f"== {name}\n{plan}" for name, plan in plans.items()) + "\n"
    )
    (RESULTS / f"scale-{stamp}.json").write_text(
        json.dumps(
            {
                str(size): {
                    read.name: {"items": t.items, "ms": t.samples}
                    for read, t in zip(sized[size].reads, timings[size], strict=True)
                }
                for size in sizes
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
