"""`claimgraph`: serve, migrate, load, check and export. Exit codes: 0 ok, 1 failure, 2 usage."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from api.config import Settings
from api.db import migrate as migrations
from api.db.embedded import EmbeddedPostgresError
from api.db.engine import open_database
from api.errors import ClaimgraphError
from api.store import loader

log = logging.getLogger("claimgraph")


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _run(main: Callable[[], Awaitable[None]]) -> None:
    """Run `main`, turning SIGTERM into cancellation so that cleanup (the server) runs."""

    async def guarded() -> None:
        task = asyncio.current_task()
        assert task is not None
        terminated = asyncio.Event()

        def terminate() -> None:
            terminated.set()
            task.cancel()

        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, terminate)
        try:
            await main()
        except asyncio.CancelledError:
            if not terminated.is_set():
                raise
            _say("terminated")  # a requested stop, done cleanly: exit 0
        finally:
            loop.remove_signal_handler(signal.SIGTERM)

    asyncio.run(guarded())


def cmd_serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from api.app import create_app

    settings = settings.model_copy(
        update={"host": args.host or settings.host, "port": args.port or settings.port}
    )
    app = create_app(settings, prepare_db=not args.no_load)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        lifespan="on",
        proxy_headers=False,
        server_header=False,
    )
    # uvicorn turns SIGINT/SIGTERM into a graceful shutdown, which runs the lifespan's cleanup.
    uvicorn.Server(config).run()


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> None:
    async def main() -> None:
        async with open_database(settings) as database:
            if args.down:
                await migrations.downgrade(database.engine, args.down)
            else:
                await migrations.upgrade(database.engine)
            _say(f"schema at revision {await migrations.current_revision(database.engine)}")

    _run(main)


def cmd_load(settings: Settings, args: argparse.Namespace) -> None:
    async def main() -> None:
        async with open_database(settings) as database:
            await migrations.upgrade(database.engine)
            await loader.load_fixtures(database.sessions, args.paths, _say)

    _run(main)


def cmd_check(settings: Settings, args: argparse.Namespace) -> None:
    fixtures = loader.read_fixtures(args.paths)
    for fixture in fixtures:
        counts = ", ".join(f"{fixture.count(table)} {table}" for table in loader.TABLES[1:])
        _say(f"{fixture.folder}: ok ({counts})")


class UsageError(Exception):
    """Raised when arguments are well-formed but cannot be used together (exit 2)."""


#: `export --format` choices: what each writes.
EXPORT_FORMATS = {
    "csv": "one CSV file per list, a header row and flattened columns, as GET /v1/<list> "
    "with Accept: text/csv",
    "ndjson": "one NDJSON file per list, as GET /v1/<list> with Accept: application/x-ndjson",
    "jsonld": "claims.jsonld: every claim as schema.org JSON-LD",
}


def cmd_export(settings: Settings, args: argparse.Namespace) -> None:
    """Write whole lists (CSV, NDJSON) or every claim (JSON-LD) to files, with progress."""
    from api import dumps

    names = list(dict.fromkeys(args.lists or dumps.LISTS))
    unknown = [name for name in names if name not in dumps.LISTS]
    if unknown:
        known = ", ".join(dumps.LISTS)
        raise UsageError(f"no list {', '.join(unknown)} (known: {known})")
    if args.format == "jsonld" and args.lists:
        raise UsageError("--list applies to csv and ndjson; jsonld writes every claim")
    if args.out == "-" and args.format != "jsonld" and len(names) > 1:
        raise UsageError("--out - (standard output) takes one --list")
    out = None if args.out == "-" else Path(args.out)
    base = (args.base_url or f"http://{settings.host}:{settings.port}").rstrip("/")

    async def main() -> None:
        async with open_database(settings) as database:
            await migrations.upgrade(database.engine)
            if args.format == "jsonld":
                written = await dumps.export_claims(database, out, base=base)
            else:
                media_type = dumps.FORMATS[args.format]
                written = await dumps.export_lists(database, media_type, names, out)
        if out is not None:
            _say(f"wrote {', '.join(written)} in {out}/")

    _run(main)


def cmd_db(settings: Settings, args: argparse.Namespace) -> None:
    """Keep the database up and print its URL, for psql and other tools."""

    async def main() -> None:
        async with open_database(settings) as database:
            await migrations.upgrade(database.engine)
            print(database.url, flush=True)
            _say("database up; Ctrl-C (or SIGTERM) stops it")
            await asyncio.Event().wait()

    _run(main)


def cmd_schema(settings: Settings, args: argparse.Namespace) -> None:
    """Write the committed API contracts from code (or, with --check, compare them)."""
    from api.contracts import CONTRACTS

    stale = []
    for path, render in CONTRACTS.items():
        current = render()
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != current:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(current, encoding="utf-8")
            _say(f"wrote {path}")
    if stale:
        raise ClaimgraphError(
            "out of date (run `claimgraph schema`): " + ", ".join(str(p) for p in stale)
        )


def cmd_revision(settings: Settings, args: argparse.Namespace) -> None:
    async def main() -> None:
        async with open_database(settings) as database:
            await migrations.upgrade(database.engine)
            await migrations.autogenerate(database.engine, args.message)

    _run(main)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="claimgraph",
        description="Who claimed what, when, on what evidence: the claimgraph service.",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve", help="migrate, load the fixtures into an empty database, and serve the API"
    )
    serve.add_argument("--host", help="address to listen on (default: HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: PORT or 8000)")
    serve.add_argument("--no-load", action="store_true", help="do not load fixtures when empty")
    serve.set_defaults(handler=cmd_serve)

    migrate = commands.add_parser("migrate", help="upgrade the database schema to the latest")
    migrate.add_argument("--down", metavar="REVISION", help="downgrade to REVISION (or 'base')")
    migrate.set_defaults(handler=cmd_migrate)

    load = commands.add_parser("load", help="verify and load fixture folders (idempotent)")
    load.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    load.set_defaults(handler=cmd_load)

    check = commands.add_parser("check", help="verify fixture folders without a database")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check.set_defaults(handler=cmd_check)

    export = commands.add_parser(
        "export",
        help="write whole lists as CSV or NDJSON, or every claim as JSON-LD",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="formats:\n"
        + "\n".join(f"  {name:8} {what}" for name, what in EXPORT_FORMATS.items()),
    )
    export.add_argument("--format", required=True, choices=list(EXPORT_FORMATS))
    export.add_argument(
        "--out",
        "-o",
        default=".",
        metavar="DIR",
        help="folder to write the files in (default: here; made if missing); - for stdout",
    )
    export.add_argument(
        "--list",
        dest="lists",
        action="append",
        metavar="NAME",
        help="csv/ndjson: a list to write, such as statements (repeatable; default: every list)",
    )
    export.add_argument(
        "--base-url",
        metavar="URL",
        help="jsonld: where the API is served, for the documents' IRIs (default: http://HOST:PORT)",
    )
    export.set_defaults(handler=cmd_export)

    db = commands.add_parser(
        "db", help="start the database, print its URL, and keep it up until interrupted"
    )
    db.set_defaults(handler=cmd_db)

    schema = commands.add_parser(
        "schema", help="write schema/openapi.json (and the GraphQL SDL) from the code"
    )
    schema.add_argument("--check", action="store_true", help="fail if the files are stale")
    schema.set_defaults(handler=cmd_schema)

    revision = commands.add_parser(
        "revision", help="(development) write a migration from the models' changes"
    )
    revision.add_argument("-m", "--message", required=True)
    revision.set_defaults(handler=cmd_revision)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings()
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    handler: Callable[[Settings, argparse.Namespace], Any] = args.handler
    try:
        handler(settings, args)
    except UsageError as error:
        _say(f"claimgraph {args.command}: {error}")
        return 2
    except ClaimgraphError as error:
        _say(f"claimgraph {args.command}: {error}")
        return 1
    except EmbeddedPostgresError as error:
        _say(f"claimgraph {args.command}: embedded PostgreSQL: {error}")
        return 1
    except (KeyboardInterrupt, asyncio.CancelledError):
        _say(f"claimgraph {args.command}: interrupted")
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
