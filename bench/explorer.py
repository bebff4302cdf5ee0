"""How fast the explorer is usable, and what it costs on the wire (issue 15). Not a test.

A scratch database holds the article and a generated source of `--statements` quoted
statements (tests/browser/long_source.py, loaded through the loader); the real
`claimgraph serve` answers on 127.0.0.1, and Debian's chromium (headless, every other host
unresolvable) loads three pages `--loads` times each:

- the source reader on the article (42 statements, 23 pieces of evidence),
- the claim page of `unrest-was-colour-revolution`,
- the source reader on the generated source (paged in by 100s).

Time to interactive is the `interactive` mark the explorer sets once a view is rendered and
usable, read from the Performance API (milliseconds since the navigation started). A first
visit is a fresh browser profile (nothing cached); a repeat visit is the same page loaded
again in the same browser, twice (304s and cache hits): bytes are the `transferSize` of the
navigation and every resource entry. One case costs more, and the medians hide it: the
browser that first sends an operation to a server process gets PERSISTED_QUERY_NOT_FOUND for
the hash-only GET and caches the answer to the GET that carried the document, so its second
visit fetches each answer once more in full (the hash-only GET now succeeds); from its third
visit on, and for every browser after it, repeat visits are 304s.

On the generated source it also times two interactions in the page itself: selecting a
highlight (click to panel filled, layout included) and colouring the whole text by a claim.

    .venv/bin/python bench/explorer.py --loads 5 --statements 2000
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg

from api.config import PROJECT_DIR
from api.db import migrate
from api.db.engine import create_engine, session_factory
from api.store.fixtures import loader
from bench.common import RESULTS, bench_server, database_url, free_port, say, serving
from tests.browser import chromium, long_source

DATABASE = "claimgraph_explorer_bench"
PAGES = {
    "source reader (article: 42 statements, 23 evidence)": "/sources/kazakhstan-2022",
    "claim page (unrest-was-colour-revolution)": "/claims/unrest-was-colour-revolution",
    "source reader (generated: {n} statements)": f"/sources/{long_source.SOURCE_ID}",
}


async def fill(admin_url: str, url: str, statements: int) -> None:
    """A fresh scratch database: migrated, the article, and the generated source."""
    admin = await asyncpg.connect(admin_url)
    await admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    await admin.execute(f"CREATE DATABASE {DATABASE}")
    await admin.close()
    engine = create_engine(url, pool_size=2)
    try:
        await migrate.upgrade(engine)
        sessions = session_factory(engine)
        await loader.load_fixtures(sessions, [PROJECT_DIR / "fixtures"])
        with tempfile.TemporaryDirectory() as folder:
            generated = long_source.write(Path(folder), statements)
            await loader.load_fixtures(sessions, [generated.parent])
    finally:
        await engine.dispose()


async def drop(admin_url: str) -> None:
    admin = await asyncpg.connect(admin_url)
    await admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    await admin.close()


@contextmanager
def browser() -> Iterator[Any]:
    with tempfile.TemporaryDirectory() as profile:
        driver = chromium.chrome(Path(profile) / "profile", offline=True)
        try:
            yield driver
        finally:
            driver.quit()


def load(driver: Any, url: str) -> dict[str, Any]:
    """Load `url`, wait for the view; its time to interactive, bytes and requests."""
    driver.get(url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        marks = driver.execute_script(
            "return performance.getEntriesByName('interactive').map(m => m.startTime)"
        )
        if marks:
            break
        time.sleep(0.02)
    else:
        raise RuntimeError(f"{url} never became interactive")
    state = driver.execute_script("return document.getElementById('main').dataset.state")
    if state != "ready":
        raise RuntimeError(f"{url} rendered as {state!r}")
    entries = driver.execute_script(
        "return performance.getEntriesByType('navigation').concat("
        "performance.getEntriesByType('resource')).map(e => [e.name, e.transferSize,"
        " e.responseStatus || 0])"
    )
    return {
        "ms": float(marks[0]),
        "bytes": sum(int(size) for _, size, _ in entries),
        "requests": len(entries),
        "graphql": sum(1 for name, _, _ in entries if "/graphql?" in name),
    }


def interactions(driver: Any) -> dict[str, float]:
    """On the loaded reader: ms to select a highlight, and to colour the text by a claim."""
    select = driver.execute_script(
        "const m = document.querySelectorAll('.source-text a.marker');"
        "const target = m[Math.floor(m.length * 0.9)];"
        "const t0 = performance.now(); target.click(); document.body.offsetHeight;"
        "return performance.now() - t0;"
    )
    colour = driver.execute_script(
        "const s = document.getElementById('claim-choice'); s.value = s.options[1].value;"
        "const t0 = performance.now(); s.dispatchEvent(new Event('change'));"
        "document.body.offsetHeight; return performance.now() - t0;"
    )
    return {"select_ms": float(select), "colour_ms": float(colour)}


def spread(values: list[float]) -> str:
    return f"{min(values):.0f} / {statistics.median(values):.0f} / {max(values):.0f}"


def run(base: str, loads: int, statements: int) -> list[str]:
    rows = [
        "| page | time to interactive, first visit (ms, min / median / max) "
        "| second visit (ms) | bytes, first visit | second visit | third visit "
        "| requests (GraphQL) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    notes: list[str] = []
    for title, path in PAGES.items():
        first: list[dict[str, Any]] = []
        repeat: list[dict[str, Any]] = []
        third: list[dict[str, Any]] = []
        feel: list[dict[str, float]] = []
        for _ in range(loads):
            with browser() as driver:
                first.append(load(driver, base + path))
                repeat.append(load(driver, base + path))
                third.append(load(driver, base + path))
                if path.endswith(long_source.SOURCE_ID):
                    feel.append(interactions(driver))
        name = title.format(n=f"{statements:,}")
        rows.append(
            f"| {name} | {spread([r['ms'] for r in first])} | {spread([r['ms'] for r in repeat])} "
            f"| {statistics.median(r['bytes'] for r in first):,.0f} "
            f"| {statistics.median(r['bytes'] for r in repeat):,.0f} "
            f"| {statistics.median(r['bytes'] for r in third):,.0f} "
            f"| {first[0]['requests']} ({first[0]['graphql']}) |"
        )
        if feel:
            notes.append(
                f"- {name}: selecting a highlight {spread([f['select_ms'] for f in feel])} ms, "
                f"colouring the text by a claim {spread([f['colour_ms'] for f in feel])} ms "
                "(min / median / max, script and layout)."
            )
        say(rows[-1])
    return [*rows, "", *notes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=5, help="loads of each page (default 5)")
    parser.add_argument(
        "--statements", type=int, default=2000, help="statements in the generated source"
    )
    args = parser.parse_args()
    command = (
        f".venv/bin/python bench/explorer.py --loads {args.loads} --statements {args.statements}"
    )
    with bench_server() as (admin_url, _server):
        url = database_url(admin_url, DATABASE)
        started = time.perf_counter()
        asyncio.run(fill(admin_url, url, args.statements))
        say(f"scratch database filled in {time.perf_counter() - started:.1f}s")
        port = free_port()
        arguments = ["-m", "api", "serve", "--no-load", "--port", str(port)]
        try:
            with serving(arguments, url, port) as base:
                lines = run(base, args.loads, args.statements)
        finally:
            asyncio.run(drop(admin_url))
    text = "\n".join(
        [f"## Explorer ({args.loads} loads of each page)", "", f"`{command}`", "", *lines]
    )
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"explorer-{time.strftime('%Y%m%d-%H%M%S')}.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
