"""Shared parts of the benchmarks: a bigger synthetic data set, a real uvicorn, and wrk.

Not tests. Each benchmark runs its reference (the floor) in the same process, against the same
server, so that a figure is reported as a ratio that survives a noisy, shared machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from api.config import PROJECT_DIR, Settings
from api.db import migrate
from api.db.embedded import EmbeddedPostgres
from api.db.engine import create_engine, session_factory
from api.store.fixtures import loader

BENCH_DB = "claimgraph_bench"
RESULTS = PROJECT_DIR / "bench" / "results"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- data -------------------------------------------------------------------------------------


def synthetic_fixtures(statements: int, per_source: int = 250, seed: int = 42) -> list[Any]:
    """Fixtures (as the loader's verified rows) with `statements` statements in all.

    Every statement is one sentence of its source's text, so spans are exact by construction;
    the database's span trigger checks them again on the way in.
    """
    rng = random.Random(seed)
    actors: list[dict[str, Any]] = [
        {
            "id": f"synthetic-actor-{i}",
            "name": f"Synthetic Actor {i}",
            "kind": ["person", "organization", "state", "group", "media"][i % 5],
            "aliases": [f"Actor {i}"],
            "description": "Generated for benchmarks.",
            "country": ["RU", "KZ", "US", "CN", None][i % 5],
            "wikidata": None,
            "identifiers": {},
        }
        for i in range(500)
    ]
    claims = [
        {
            "id": f"synthetic-claim-{i}",
            "text": f"Synthetic proposition number {i}.",
            "description": None,
            "tags": ["synthetic"],
        }
        for i in range(50)
    ]
    fixtures = []
    sources = max(1, statements // per_source)
    number = 0
    for s in range(sources):
        source_id = f"synthetic-source-{s}"
        fixture = loader.Fixture(folder=Path(source_id), source_id=source_id)
        parts: list[str] = []
        offset = 0
        for _ in range(per_source):
            speaker = rng.randrange(len(actors))
            sentence = (
                f"Statement {number} by actor {speaker} on claim {number % 50}: "
                f"{rng.getrandbits(64):016x} said something worth tracing."
            )
            said_on = date(2020, 1, 1) + timedelta(days=rng.randrange(1460))
            dated = rng.random() < 0.9
            fixture.rows["statement"].append(
                {
                    "id": f"synthetic-statement-{number}",
                    "speaker_id": actors[speaker]["id"],
                    "attribution": "explicit",
                    "kind": ["quote", "paraphrase", "report"][number % 3],
                    "said_on": said_on if dated else None,
                    "said_on_precision": "day" if dated else "unknown",
                    "event_id": None,
                    "language": "en",
                    "note": None,
                    "source_id": source_id,
                    "span_start": offset,
                    "span_end": offset + len(sentence),
                    "text": sentence,
                }
            )
            for claim in {number % 50, (number * 7) % 50}:
                fixture.rows["stance"].append(
                    {
                        "id": f"synthetic-statement-{number}--synthetic-claim-{claim}",
                        "statement_id": f"synthetic-statement-{number}",
                        "claim_id": f"synthetic-claim-{claim}",
                        "position": ["supports", "disputes", "neutral"][(number + claim) % 3],
                        "hedged": False,
                        "note": None,
                    }
                )
            parts.append(sentence)
            offset += len(sentence) + 1
            number += 1
        text = " ".join(parts)
        fixture.rows["source"].append(
            {
                "id": source_id,
                "title": f"Synthetic source {s}",
                "publisher": "bench",
                "url": None,
                "published_at": None,
                "modified_at": None,
                "retrieved_at": None,
                "language": "en",
                "text": text,
                "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
            }
        )
        if s == 0:
            fixture.rows["actor"] = actors
            fixture.rows["claim"] = claims
        fixtures.append(fixture)
    return fixtures


@dataclass
class Database:
    url: str
    server: EmbeddedPostgres | None


def bench_home() -> Path:
    """The embedded PostgreSQL's home for this checkout's benchmarks.

    One per checkout (named after its path), so that benchmarks run from two worktrees on one
    machine never share a server, nor drop each other's databases; under the temporary
    folder, whose short path leaves room for the server's unix socket.
    """
    checkout = hashlib.sha256(str(PROJECT_DIR.resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"claimgraph-bench-{checkout}"


@contextlib.contextmanager
def bench_server() -> Iterator[tuple[str, EmbeddedPostgres | None]]:
    """The URL of a PostgreSQL to make bench databases in (`DATABASE_URL`, else this
    checkout's embedded server, started for the block), and the embedded server if any."""
    settings = Settings()
    server = None
    if settings.database_url:
        admin_url = settings.database_url
    else:
        server = EmbeddedPostgres(bench_home(), durable=False)
        admin_url = server.start()
    try:
        yield admin_url, server
    finally:
        if server is not None:
            server.stop()


def database_url(admin_url: str, name: str) -> str:
    """`admin_url` pointed at the database `name`."""
    return re.sub(r"/[^/?]*(\?|$)", f"/{name}\\1", admin_url, count=1)


@contextlib.contextmanager
def bench_database(statements: int) -> Iterator[Database]:
    """A fresh `claimgraph_bench` database: the article plus the synthetic statements."""
    with bench_server() as (admin_url, server):
        url = database_url(admin_url, BENCH_DB)
        asyncio.run(_fill(admin_url, url, statements))
        yield Database(url, server)


def marker(statements: int, generator: bytes | None = None) -> str:
    """What a filled bench database is labelled with: its size, and a digest of the schema,
    the fixtures and what generated it (`generator`, by default this file): any change
    reloads it."""
    digest = hashlib.sha256()
    for path in sorted((PROJECT_DIR / "api" / "db" / "migrations").rglob("*.py")):
        digest.update(path.read_bytes())
    for path in sorted((PROJECT_DIR / "fixtures").rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    digest.update(Path(__file__).read_bytes() if generator is None else generator)
    return f"claimgraph bench: {statements} statements, {digest.hexdigest()[:16]}"


async def _fill(admin_url: str, url: str, statements: int) -> None:
    """Fill the bench database, unless it holds this very data already (its comment says so:
    same size, same schema code, same fixtures): loading 100k statements takes minutes."""
    import asyncpg

    admin = await asyncpg.connect(admin_url)
    label = await admin.fetchval(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
        BENCH_DB,
    )
    if label == marker(statements):
        await admin.close()
        say(f"reusing {BENCH_DB} ({label})")
        return
    await admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    await admin.execute(f"CREATE DATABASE {BENCH_DB}")
    await admin.close()
    engine = create_engine(url, pool_size=2)
    sessions = session_factory(engine)
    await migrate.upgrade(engine)
    await loader.load_fixtures(sessions, [PROJECT_DIR / "fixtures"])
    started = time.perf_counter()
    for fixture in synthetic_fixtures(statements):
        async with sessions() as session, session.begin():
            await loader.load_fixture(session, fixture, lambda _line: None)
    await engine.dispose()
    # What autovacuum does after a bulk load: statistics, and the visibility map that lets
    # count-by-position queries run as index-only scans.
    vacuum = await asyncpg.connect(url)
    await vacuum.execute("VACUUM (ANALYZE)")
    await vacuum.execute(f"COMMENT ON DATABASE {BENCH_DB} IS '{marker(statements)}'")
    await vacuum.close()
    say(f"loaded {statements} synthetic statements in {time.perf_counter() - started:.1f}s")


# -- server and load --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(
    arguments: Sequence[str], url: str, port: int, *, ready_within: float = 60
) -> Iterator[str]:
    """Run `python ARGUMENTS` against `url` until it answers `/readyz` on 127.0.0.1:`port`;
    yield its base URL, and stop it (SIGTERM, so it drains) afterwards."""
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "warning"}
    process = subprocess.Popen([sys.executable, *arguments], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"{' '.join(arguments)} did not become ready")
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(ready_within)


@contextlib.contextmanager
def server(script: Path, url: str) -> Iterator[str]:
    """Run `script --serve` (uvicorn on 127.0.0.1) against `url`; yield its base URL."""
    port = free_port()
    with serving([str(script), "--serve", str(port)], url, port) as base:
        yield base


@dataclass
class Result:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


_WRK_SCRIPT = """
local lines = {}
for line in io.lines("%s") do lines[#lines + 1] = line end
local i = 0
request = function()
  i = i %% #lines + 1
  local method, path, body = lines[i]:match("^(%%S+) (%%S+) ?(.*)$")
  if body ~= "" then
    return wrk.format(method, path, {["Content-Type"] = "application/json"}, body)
  end
  return wrk.format(method, path)
end
"""


def _ms(value: str) -> float:
    number, unit = float(value[:-2] if value.endswith(("ms", "us")) else value[:-1]), value
    if unit.endswith("us"):
        return number / 1000
    if unit.endswith("ms"):
        return number
    return number * 1000  # seconds


def wrk(
    base: str,
    name: str,
    requests: list[str],
    duration: int,
    connections: int,
    lua: str | None = None,
) -> Result:
    """Load `requests` ("METHOD /path [json body]", round robin) for `duration` seconds, or
    the requests a `lua` script of wrk's makes."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as folder:
        lines = Path(folder) / "requests.txt"
        lines.write_text("\n".join(requests) + "\n")
        script = Path(folder) / "rotate.lua"
        script.write_text(lua if lua is not None else _WRK_SCRIPT % lines)
        done = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                str(script),
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=duration + 60,
        )
    out = done.stdout
    if "requests in" not in out or "Latency Distribution" not in out:
        raise RuntimeError(f"wrk gave no figures for {name}:\n{out}\n{done.stderr}")
    percentiles = dict(re.findall(r"^\s*(\d+)%\s+(\S+)\s*$", out, re.MULTILINE))
    if "99" not in percentiles:
        raise RuntimeError(f"wrk output without percentiles for {name}:\n{out}")
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Result(
        name=name,
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        requests=total,
        errors=int(errors.group(1)) if errors else 0,
    )


def report(
    title: str,
    results: list[Result],
    ratios: dict[str, tuple[str, str]],
    command: str,
    notes: Sequence[str] = (),
) -> None:
    """Print a table and the ratios (then `notes`), and keep the numbers in bench/results/."""
    by_name = {result.name: result for result in results}
    lines = [
        f"## {title}",
        "",
        f"`{command}`",
        "",
        "| scenario | req/s | p50 ms | p99 ms | requests | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.requests_per_second:.0f} | {r.p50_ms:.2f} | "
            f"{r.p99_ms:.2f} | {r.requests} | {r.errors} |"
        )
    lines.append("")
    for label, (numerator, denominator) in ratios.items():
        ratio = by_name[numerator].requests_per_second / by_name[denominator].requests_per_second
        lines.append(f"- {label}: **{ratio:.2f}×** ({numerator} / {denominator}, req/s)")
    if notes:
        lines += ["", *notes]
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{title.split()[0].lower()}-{stamp}.md").write_text(text + "\n")
    (RESULTS / f"{title.split()[0].lower()}-{stamp}.json").write_text(
        json.dumps([r.__dict__ for r in results], indent=2)
    )
