"""Streamed exports: the server's memory while it streams every statement as CSV and NDJSON.

Not a test. For each size, fills the bench database (the article plus synthetic statements),
runs the app on a real uvicorn, and streams `GET /v1/statements` with `Accept:
application/x-ndjson` and `text/csv` through a real HTTP client that discards what it reads,
while the server's resident memory is sampled every 10 ms. Constant memory shows as the same
growth over the warmed-up baseline whatever the number of rows. Then a client hangs up
a megabyte into an export, 41 times: the server must give each database connection back (a
leak would exhaust the pool; no session of the app is left in a transaction).

    .venv/bin/python bench/exports.py --statements 10000 100000
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from api.config import Settings
from bench.common import bench_database, say, server

FORMATS = {"ndjson": "application/x-ndjson", "csv": "text/csv"}


@dataclass
class Run:
    statements: int
    format: str
    rows: int  # the list's items (NDJSON's lines; a CSV cell may hold line breaks)
    megabytes: float
    seconds: float
    baseline_mb: float
    peak_mb: float


def _server_process(base: str) -> psutil.Process:
    port = base.rsplit(":", 1)[1]
    for process in psutil.process_iter(["cmdline"]):
        command = process.info["cmdline"] or []
        if "--serve" in command and port in command:
            return process
    raise RuntimeError(f"no server process for {base}")


def _megabytes(process: psutil.Process) -> float:
    return float(process.memory_info().rss) / 2**20


def _stream(base: str, accept: str, process: psutil.Process) -> tuple[int, int, float, float]:
    """Rows and bytes read, seconds taken, and the server's peak RSS while streaming."""
    peak = _megabytes(process)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _megabytes(process))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    rows = size = 0
    try:
        headers = {"accept": accept}
        with httpx.stream("GET", f"{base}/v1/statements", headers=headers, timeout=600) as reply:
            reply.raise_for_status()
            for chunk in reply.iter_bytes():
                size += len(chunk)
                rows += chunk.count(b"\n")
    finally:
        done.set()
        sampler.join()
    return rows, size, time.perf_counter() - started, peak


def _busy_sessions(url: str) -> int:
    """The app's sessions inside a transaction or running a statement."""
    import asyncpg

    async def count() -> int:
        connection = await asyncpg.connect(url)
        try:
            return int(
                await connection.fetchval(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND application_name = 'claimgraph' AND state <> 'idle'"
                )
            )
        finally:
            await connection.close()

    return asyncio.run(count())


def _hang_up(base: str, url: str, times: int) -> int:
    """Read a megabyte of a CSV export and hang up, `times` times (more than the pool's
    connections: a leak would exhaust it); then count the app's busy sessions."""
    headers = {"accept": "text/csv"}
    for _ in range(times):
        with httpx.stream("GET", f"{base}/v1/statements", headers=headers, timeout=60) as reply:
            read = 0
            for chunk in reply.iter_bytes():
                read += len(chunk)
                if read > 2**20:
                    break
    time.sleep(1)
    httpx.get(f"{base}/v1/statements?limit=1", timeout=10).raise_for_status()
    return _busy_sessions(url)


def measure(statements: int) -> list[Run]:
    runs = []
    with bench_database(statements) as database, server(Path(__file__), database.url) as base:
        process = _server_process(base)
        for accept in FORMATS.values():  # warm up: pools, compiled statements, imports
            httpx.get(f"{base}/v1/statements?speaker=vladimir-putin", headers={"accept": accept})
        items = 0
        for name, accept in FORMATS.items():
            baseline = _megabytes(process)
            lines, size, seconds, peak = _stream(base, accept, process)
            items = items or lines
            runs.append(Run(statements, name, items, size / 2**20, seconds, baseline, peak))
            say(
                f"{statements} statements as {name}: {size / 2**20:.1f} MB in {seconds:.1f}s; "
                f"server RSS {baseline:.0f} MB -> peak {peak:.0f} MB"
            )
        times = 2 * Settings().claimgraph_db_pool_size + 1
        busy = _hang_up(base, database.url, times)
        say(f"{times} clients hung up mid-export; then the app's busy sessions: {busy}")
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        from bench.rest import serve

        serve(args.serve)
        return
    runs = [run for size in args.statements for run in measure(size)]
    print("| statements | format | items | MB | s | server RSS before | peak | growth |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        print(
            f"| {run.statements} | {run.format} | {run.rows} | {run.megabytes:.1f} | "
            f"{run.seconds:.1f} | {run.baseline_mb:.0f} MB | {run.peak_mb:.0f} MB | "
            f"{run.peak_mb - run.baseline_mb:+.0f} MB |"
        )


if __name__ == "__main__":
    main()
