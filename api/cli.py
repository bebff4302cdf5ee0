"""`claimgraph`: serve, migrate, load, check, keys, export. Exit codes: 0 ok, 1 failure, 2 usage."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import logging.config
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tqdm import tqdm

from api import logs
from api.config import Settings
from api.db import backups, recovery
from api.db import migrate as migrations
from api.db.embedded import EmbeddedPostgresError
from api.db.engine import Database, open_database, start_server
from api.errors import ClaimgraphError
from api.store.fixtures import bundle, loader
from api.store.fixtures import extraction as exports
from api.store.writes import keys
from api.vocabulary import Scope

log = logging.getLogger("claimgraph")


@contextlib.asynccontextmanager
async def migrated(settings: Settings) -> AsyncIterator[Database]:
    """The database as `open_database` opens it, brought to the head revision first."""
    async with open_database(settings) as database:
        await migrations.upgrade(database.engine)
        yield database


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
    from api import serving

    settings = settings.model_copy(
        update={
            "host": args.host or settings.host,
            "port": settings.port if args.port is None else args.port,
            "workers": args.workers or settings.workers,
        }
    )
    serving.serve(settings, load=not args.no_load)


class UsageError(Exception):
    """Raised when an argument is well-formed but names nothing that exists (exit 2)."""


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> None:
    if args.down and not migrations.is_revision(args.down):
        known = ", ".join(["base", *migrations.revisions()])
        raise UsageError(f"no revision {args.down!r} to go down to (known: {known}, or -N)")

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
        async with migrated(settings) as database:
            await loader.load_fixtures(database.sessions, args.paths, _say)

    _run(main)


def cmd_check(settings: Settings, args: argparse.Namespace) -> None:
    fixtures = loader.read_fixtures(args.paths)
    for fixture in fixtures:
        counts = ", ".join(f"{fixture.count(table)} {table}" for table in loader.TABLES[1:])
        _say(f"{fixture.folder}: ok ({counts})")


def cmd_keys(settings: Settings, args: argparse.Namespace) -> None:
    """Create, rotate, list or revoke API keys. `create` and `rotate` print the secret alone
    on standard output, once: only its hash is stored."""

    async def main() -> None:
        async with (
            migrated(settings) as database,
            database.sessions() as session,
            session.begin(),
        ):
            if args.action == "create":
                secret = await keys.create(
                    session, args.name, Scope(args.scope), expires=args.expires
                )
                until = f", until {_when(_now() + args.expires)}" if args.expires else ""
                _say(
                    f"created key {args.name!r} ({args.scope}{until}); its secret, on standard "
                    "output, is shown only now: keep it"
                )
                print(secret, flush=True)
            elif args.action == "rotate":
                secret = await keys.rotate(session, args.name, grace=args.grace)
                _say(
                    f"rotated key {args.name!r}: its new secret, on standard output, is shown "
                    f"only now; the old one works until {_when(_now() + args.grace)}"
                )
                print(secret, flush=True)
            elif args.action == "revoke":
                await keys.revoke(session, args.name)
                _say(f"revoked key {args.name!r}")
            else:
                for key in await keys.listed(session):
                    print("\t".join(_key_columns(key)), flush=True)

    if args.action in ("create", "rotate", "revoke") and not args.name:
        raise UsageError(f"{args.action} needs a NAME")
    if args.action == "create" and args.scope is None:
        raise UsageError(f"create {args.name} needs --scope SCOPE, one of:\n{_choices(KEY_SCOPES)}")
    _run(main)


def _now() -> datetime:
    return datetime.now(UTC)


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def _key_columns(key: keys.KeyInfo) -> list[str]:
    """`keys list`, one key a line: name, scopes, created, expiry, last use, state."""
    now = _now()
    if key.revoked_at is not None:
        state = f"revoked {_when(key.revoked_at)}"
    elif key.expires_at is not None and key.expires_at <= now:
        state = "expired"
    else:
        state = "active"
    if key.previous_expires_at is not None and key.previous_expires_at > now:
        state += f" (old secret until {_when(key.previous_expires_at)})"
    return [
        key.name,
        ",".join(key.scopes),
        f"created {_when(key.created_at)}",
        f"expires {_when(key.expires_at)}" if key.expires_at else "no expiry",
        f"last used {_when(key.last_used_at)}" if key.last_used_at else "never used",
        state,
    ]


def cmd_backup(settings: Settings, args: argparse.Namespace) -> None:
    """Back the database up (pg_dump, custom format) beside a manifest, and take a base backup
    for point-in-time recovery when the embedded server archives its WAL; or list them."""
    folder = settings.home / "backups"
    archive = settings.archive
    if args.list:
        for manifest in backups.listed(folder) if folder.exists() else []:
            statements = manifest.rows.get("statement", 0)
            print(
                f"{folder / manifest.file}\t{manifest.taken_at}\t{manifest.bytes:,} bytes\t"
                f"revision {manifest.revision}\t{statements:,} statements",
                flush=True,
            )
        for base in recovery.bases(archive) if archive else []:
            assert archive is not None
            print(
                f"{recovery.base_folder(archive) / base.name}\t{base.finished_at}\t"
                f"{base.bytes:,} bytes\trevision {base.revision}\tbase for restore --to-time",
                flush=True,
            )
        return
    stamp = f"claimgraph-{_now():%Y%m%dT%H%M%SZ}"
    out: Path = args.out or folder / f"{stamp}.dump"
    out.parent.mkdir(parents=True, exist_ok=True)

    async def main() -> None:
        async with open_database(settings) as database:
            bar = tqdm(desc="backup", unit=" tables", file=sys.stderr, disable=None)
            with bar:
                manifest = await backups.backup(database.url, out, lambda _table: _tick(bar))
            total = sum(manifest.rows.values())
            _say(
                f"backed up {total:,} rows of revision {manifest.revision}: "
                f"{manifest.bytes:,} bytes"
            )
            if archive is not None:
                try:
                    base = await recovery.take_base(database.url, archive, stamp)
                except recovery.RecoveryError as error:
                    _say(f"warning: {error}")
                else:
                    _say(
                        f"base backup for restore --to-time: {base.bytes:,} bytes; "
                        f"restorable from {base.finished.isoformat(timespec='seconds')}"
                    )
        print(out, flush=True)
        if args.out is None:
            for gone in backups.prune(folder, settings.claimgraph_backup_keep):
                _say(f"deleted the old backup {gone} (CLAIMGRAPH_BACKUP_KEEP)")
        if archive is not None:
            days = settings.claimgraph_recovery_days
            for gone in recovery.prune(archive, settings.claimgraph_backup_keep, days, _now()):
                _say(f"deleted the old base backup {gone} (CLAIMGRAPH_RECOVERY_DAYS)")

    _run(main)


def _tick(bar: tqdm[Any]) -> None:
    bar.update()


def cmd_restore(settings: Settings, args: argparse.Namespace) -> None:
    """Restore a backup into the database, then check it against its manifest; or, with
    --to-time, bring the embedded server back to a moment from its archive."""
    if args.to_time is not _NO_MOMENT:
        _restore_to_time(settings, args)
        return
    if args.file is None:
        raise UsageError("say which backup to restore (FILE), or a moment with --to-time")

    async def main() -> None:
        async with open_database(settings) as database:
            manifest = await backups.restore(database.url, args.file, replace=args.replace)
        _say(
            f"restored {sum(manifest.rows.values()):,} rows of revision {manifest.revision} "
            f"(backed up {manifest.taken_at}); every table's rows and every quote's span checked"
        )

    if not args.file.exists():
        raise UsageError(f"no backup at {args.file}")
    _run(main)


def _restore_to_time(settings: Settings, args: argparse.Namespace) -> None:
    if args.file is not None or args.replace:
        raise UsageError("--to-time restores from the archive: it takes no FILE nor --replace")
    if settings.database_url:
        raise UsageError(
            "with DATABASE_URL, point-in-time recovery is the server operator's "
            "(docs/operations.md, Point-in-time recovery)"
        )

    async def main() -> None:
        _, server = await start_server(settings)
        assert server is not None
        try:
            restored = await recovery.restore_to(server, args.to_time)
        finally:
            await asyncio.to_thread(server.stop)
        kept = restored.kept.relative_to(settings.home)
        if restored.target is not None:
            reached = restored.target.isoformat(sep=" ")
        else:
            last = restored.last_change
            reached = "the end of the archive" + (
                f" (last change {last.isoformat(sep=' ', timespec='seconds')})" if last else ""
            )
        _say(
            f"restored to {reached} from the base backup of "
            f"{restored.base.finished.isoformat(timespec='seconds')}: {restored.statements:,} "
            f"statements, every quote's span checked; the data folder it replaced is kept as "
            f"{kept} in CLAIMGRAPH_HOME until the next restore"
        )

    _run(main)


#: `restore` without --to-time (None is `--to-time latest`).
_NO_MOMENT = object()


def _moment(value: str) -> datetime | None:
    """A moment with its offset: `2026-12-05 14:03:00+00` (ISO 8601); `latest`: None."""
    if value == "latest":
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a moment with its offset, such as '2026-12-05 14:03:00+00'"
        )
    return moment


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def _duration(value: str) -> timedelta:
    """A duration as `90d`, `24h`, `30m`, `2w` or `45s`."""
    number, unit = value[:-1], value[-1:]
    if not number.isdigit() or unit not in _UNITS:
        raise argparse.ArgumentTypeError(f"{value!r} is not a duration such as 90d, 24h or 30m")
    return timedelta(seconds=int(number) * _UNITS[unit])


#: `keys create --scope` choices: what a key of each may do.
KEY_SCOPES = {
    "write": "read, create, correct and delete records, and import articles",
    "admin": "what write may, and read the audit log (GET /v1/audit)",
}


def _choices(choices: dict[str, str]) -> str:
    """Choices and what each does, one an indented line, for a usage message or --help."""
    return "\n".join(f"  {name:8} {what}" for name, what in choices.items())


#: `export --format` choices: what each writes.
EXPORT_FORMATS = {
    "fixture": "SOURCE_ID's folder (source.yaml, extraction.yaml, article.txt), as loaded; "
    "with --out -, one YAML document for POST /v1/imports",
    "csv": "one CSV file per list, a header row and flattened columns, as GET /v1/<list> "
    "with Accept: text/csv",
    "ndjson": "one NDJSON file per list, as GET /v1/<list> with Accept: application/x-ndjson",
    "jsonld": "claims.jsonld: every claim as schema.org JSON-LD",
}


def cmd_export(settings: Settings, args: argparse.Namespace) -> None:
    """Write a source back out as a fixture folder, whole lists (CSV, NDJSON) or every
    claim (JSON-LD) to files, with progress."""
    if args.format is None:
        raise UsageError(f"which format? --format FORMAT, one of:\n{_choices(EXPORT_FORMATS)}")
    if args.claim is not None:
        _export_dossier(settings, args)
        return
    if args.format == "fixture":
        _export_fixture(settings, args)
        return
    from api import exports as list_exports

    if args.source is not None:
        raise UsageError(f"SOURCE_ID applies to --format fixture; {args.format} writes lists")
    names = list(dict.fromkeys(args.lists or list_exports.LISTS))
    unknown = [name for name in names if name not in list_exports.LISTS]
    if unknown:
        known = ", ".join(list_exports.LISTS)
        raise UsageError(f"no list {', '.join(unknown)} (known: {known})")
    if args.format == "jsonld" and args.lists:
        raise UsageError("--list applies to csv and ndjson; jsonld writes every claim")
    if args.out == "-" and args.format != "jsonld" and len(names) > 1:
        raise UsageError("--out - (standard output) takes one --list")
    out = None if args.out == "-" else Path(args.out or ".")
    base = (args.base_url or f"http://{settings.host}:{settings.port}").rstrip("/")

    async def main() -> None:
        async with migrated(settings) as database:
            if args.format == "jsonld":
                written = await list_exports.export_claims(database, out, base=base)
            else:
                media_type = list_exports.FORMATS[args.format]
                written = await list_exports.export_lists(database, media_type, names, out)
        if out is not None:
            _say(f"wrote {', '.join(written)} in {out}/")

    _run(main)


def _export_dossier(settings: Settings, args: argparse.Namespace) -> None:
    """A claim's dossier as a table (CSV or NDJSON), as its REST route answers it."""
    from api import exports as list_exports

    if args.format not in list_exports.FORMATS:
        raise UsageError("--claim writes a dossier as csv or ndjson: give --format csv|ndjson")
    if args.source is not None or args.lists or args.base_url:
        raise UsageError("--claim takes only --format and --out")
    out = None if args.out == "-" else Path(args.out or ".")

    async def main() -> None:
        async with migrated(settings) as database:
            media_type = list_exports.FORMATS[args.format]
            written = await list_exports.export_dossier(database, args.claim, media_type, out)
        if out is not None:
            _say(f"wrote {written} in {out}/")

    _run(main)


def _export_fixture(settings: Settings, args: argparse.Namespace) -> None:
    """A source as a fixture folder (or, with `--out -`, as one YAML document for
    POST /v1/imports): what `load` reads back unchanged."""
    if args.source is None:
        raise UsageError("--format fixture needs the SOURCE_ID to write")
    if args.lists or args.base_url:
        raise UsageError("--list and --base-url apply to csv, ndjson and jsonld")

    async def main() -> None:
        async with migrated(settings) as database, database.readers() as session:
            found = await exports.export(session, args.source)
        if args.out == "-":
            sys.stdout.write(bundle.dump(found.source, found.extraction, found.article))
            return
        folder = Path(args.out or args.source)
        bundle.write_folder(folder, found.source, found.extraction, found.article)
        _say(f"wrote {folder}/ ({', '.join(found.files())})")

    _run(main)


def cmd_bundle(settings: Settings, args: argparse.Namespace) -> None:
    """Print a fixture folder as one YAML document, the body POST /v1/imports takes."""
    sys.stdout.write(bundle.read_folder(args.path))


def cmd_db(settings: Settings, args: argparse.Namespace) -> None:
    """Keep the database up and print its URL, for psql and other tools."""

    async def main() -> None:
        async with migrated(settings) as database:
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
        async with migrated(settings) as database:
            await migrations.autogenerate(database.engine, args.message)

    _run(main)


def _folder(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(
            f"{value}: no such folder" if not path.exists() else f"{value}: not a folder"
        )
    return path


def _positive(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 64:
        raise argparse.ArgumentTypeError(f"{value} is not between 1 and 64")
    return number


def prog() -> str:
    """The command's name in its messages, as the reader typed it: `claimgraph`, or
    `python3 run.py` (run.py sets `sys.argv[0]` so), never `__main__.py`."""
    name = sys.argv[0] if sys.argv else ""
    return name if name.startswith("python3 ") else "claimgraph"


#: Commands whose log lines are their output (a server's); the others log only warnings and
#: errors unless `-v`, and print their result.
LOGGING_COMMANDS = {"serve", "db"}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog=prog(),
        description="Who claimed what, when, on what evidence: the claimgraph service.",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve", help="migrate, load the fixtures into an empty database, and serve the API"
    )
    serve.add_argument("--host", help="address to listen on (default: HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: PORT or 8000)")
    serve.add_argument(
        "--workers",
        type=_positive,
        metavar="N",
        help="worker processes (default: WORKERS or 1); one process still owns the database",
    )
    serve.add_argument("--no-load", action="store_true", help="do not load fixtures when empty")
    serve.set_defaults(handler=cmd_serve)

    migrate = commands.add_parser("migrate", help="upgrade the database schema to the latest")
    migrate.add_argument("--down", metavar="REVISION", help="downgrade to REVISION (or 'base')")
    migrate.set_defaults(handler=cmd_migrate)

    load = commands.add_parser("load", help="verify and load fixture folders (idempotent)")
    load.add_argument("paths", nargs="+", type=_folder, metavar="PATH")
    load.set_defaults(handler=cmd_load)

    check = commands.add_parser("check", help="verify fixture folders without a database")
    check.add_argument("paths", nargs="+", type=_folder, metavar="PATH")
    check.set_defaults(handler=cmd_check)

    keys_ = commands.add_parser(
        "keys",
        help="create, rotate, list or revoke API keys for writes",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"scopes:\n{_choices(KEY_SCOPES)}",
    )
    keys_.add_argument("action", choices=["create", "rotate", "list", "revoke"])
    keys_.add_argument("name", nargs="?", metavar="NAME", help="the key's name (a slug)")
    keys_.add_argument(
        "--scope",
        choices=list(KEY_SCOPES),
        help="create: what the key may do (required; see below)",
    )
    keys_.add_argument(
        "--expires",
        type=_duration,
        metavar="DURATION",
        help="create: refuse the key after DURATION (90d, 24h, 30m, 2w); default never",
    )
    keys_.add_argument(
        "--grace",
        type=_duration,
        default=timedelta(hours=24),
        metavar="DURATION",
        help="rotate: how long the old secret keeps working (default 24h; 0s: not at all)",
    )
    keys_.set_defaults(handler=cmd_keys)

    backup = commands.add_parser(
        "backup", help="back the database up (pg_dump) with a manifest, or --list the backups"
    )
    backup.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="where to write it (default: a new file in "
        "CLAIMGRAPH_HOME/backups, the oldest there beyond CLAIMGRAPH_BACKUP_KEEP deleted)",
    )
    backup.add_argument("--list", action="store_true", help="list the backups kept")
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser(
        "restore",
        help="restore a backup into an empty database and check it, or the embedded "
        "server to a moment (--to-time)",
    )
    restore.add_argument("file", type=Path, metavar="FILE", nargs="?")
    restore.add_argument(
        "--replace", action="store_true", help="drop what the database holds first"
    )
    restore.add_argument(
        "--to-time",
        type=_moment,
        metavar="MOMENT",
        default=_NO_MOMENT,
        help="embedded server: bring the database back to MOMENT ('2026-12-05 14:03:00+00', "
        "or `latest`: as far as the archive goes) from its base backups and archived "
        "write-ahead log",
    )
    restore.set_defaults(handler=cmd_restore)

    export = commands.add_parser(
        "export",
        help="write a source as a fixture folder, lists as CSV or NDJSON, claims as JSON-LD",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"formats:\n{_choices(EXPORT_FORMATS)}",
    )
    export.add_argument(
        "source", nargs="?", metavar="SOURCE_ID", help="fixture: the source to write"
    )
    export.add_argument(
        "--format", choices=list(EXPORT_FORMATS), help="what to write (required; see below)"
    )
    export.add_argument(
        "--out",
        "--output",
        "-o",
        metavar="DIR",
        help="folder to write in (made if missing; default: SOURCE_ID for fixture, here for "
        "the others); - for stdout",
    )
    export.add_argument(
        "--list",
        dest="lists",
        action="append",
        metavar="NAME",
        help="csv/ndjson: a list to write, such as statements (repeatable; default: every list)",
    )
    export.add_argument(
        "--claim",
        metavar="ID",
        help="csv/ndjson: a claim's dossier as a table (as GET /v1/claims/ID/dossier)",
    )
    export.add_argument(
        "--base-url",
        metavar="URL",
        help="jsonld: where the API is served, for the documents' IRIs (default: http://HOST:PORT)",
    )
    export.set_defaults(handler=cmd_export)

    bundle_ = commands.add_parser(
        "bundle", help="print a fixture folder as one YAML document for POST /v1/imports"
    )
    bundle_.add_argument("path", type=Path, metavar="PATH")
    bundle_.set_defaults(handler=cmd_bundle)

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
    for command in commands.choices.values():
        command.add_argument(
            "-v",
            "--verbose",
            action="store_true",
            help="log what happens (PostgreSQL, migrations) at LOG_LEVEL, not only warnings",
        )
    return top


def _logging_settings(settings: Settings, args: argparse.Namespace) -> Settings:
    """A one-shot command speaks only when it has something to say: its result and errors,
    not the embedded PostgreSQL's and Alembic's progress, unless `-v` asks for it."""
    if args.verbose or args.command in LOGGING_COMMANDS:
        return settings
    level = settings.log_level if settings.log_level in ("error", "critical") else "warning"
    return settings.model_copy(update={"log_level": level})


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings()
    logging.config.dictConfig(logs.config(_logging_settings(settings, args)))
    handler: Callable[[Settings, argparse.Namespace], Any] = args.handler
    try:
        handler(settings, args)
    except UsageError as error:
        _say(f"{prog()} {args.command}: {error}")
        return 2
    except ClaimgraphError as error:
        _say(f"{prog()} {args.command}: {error}")
        return 1
    except EmbeddedPostgresError as error:
        _say(f"{prog()} {args.command}: embedded PostgreSQL: {error}")
        return 1
    except (KeyboardInterrupt, asyncio.CancelledError):
        _say(f"{prog()} {args.command}: interrupted")
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
