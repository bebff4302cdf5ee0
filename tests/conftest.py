"""One real PostgreSQL per test session; a fresh database per test module, copied from a template.

The server is the embedded one (in a temporary CLAIMGRAPH_HOME), or the one DATABASE_URL
points at. The template database is migrated and holds the article's fixtures once; each
module gets its own copy (`CREATE DATABASE … TEMPLATE`, a file copy), so modules can write
freely without seeing each other.
"""

from __future__ import annotations

import re
import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import FrameType

import asyncpg
import httpx
import pytest
import pytest_asyncio
from sqlalchemy.engine import make_url

from api.app import create_app
from api.config import PROJECT_DIR, Settings
from api.db import migrate
from api.db.embedded import EmbeddedPostgres
from api.db.engine import Database, create_engine, session_factory
from api.store.fixtures import loader
from api.store.writes import keys
from api.vocabulary import Scope

FIXTURES = PROJECT_DIR / "fixtures"
ARTICLE = FIXTURES / "kazakhstan-2022"
TEMPLATE = "claimgraph_template"


def _interrupted(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        metavar="DIR",
        default=None,
        help="where the browser tests write screenshots of the explorer's pages "
        "(default: $CLAIMGRAPH_SCREENSHOTS, else a temporary folder)",
    )
    parser.addoption(
        "--record-examples",
        action="store_true",
        help="tests/test_examples.py writes what each example printed into its document, "
        "where it differs (review the diff before committing it)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """SIGTERM (`kill %1` on a background run) and SIGHUP (its terminal closed) stop the run
    as Ctrl-C does, so that fixtures tear down and stop the servers they started. Children
    started through tests/service.py also die with the run if it is killed outright."""
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGHUP, _interrupted)


def database_url(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def admin(server_url: str, sql: str) -> None:
    connection = await asyncpg.connect(database_url(server_url, "postgres"))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        claimgraph_home=tmp_path_factory.mktemp("claimgraph-home"),
        claimgraph_pg_durable=False,
        claimgraph_db_pool_size=4,
    )


@pytest.fixture(scope="session")
def server_url(settings: Settings) -> Iterator[str]:
    """The session's PostgreSQL server (superuser URL to its `postgres` database)."""
    if settings.database_url:
        yield settings.database_url
        return
    with EmbeddedPostgres(settings.home, durable=False) as server:
        yield server.url


async def create_database(server_url: str, name: str, template: str | None = None) -> str:
    await admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    clause = f' TEMPLATE "{template}"' if template else ""
    await admin(server_url, f'CREATE DATABASE "{name}"{clause}')
    return database_url(server_url, name)


async def migrate_and_load(url: str) -> None:
    """Bring the database at `url` to the head revision and load the article into it."""
    engine = create_engine(url, pool_size=1)
    try:
        await migrate.upgrade(engine)
        await loader.load_fixtures(session_factory(engine), [FIXTURES])
    finally:
        await engine.dispose()


@pytest_asyncio.fixture(scope="session")
async def template(server_url: str) -> str:
    """A migrated database holding the fixtures, to copy per module."""
    await migrate_and_load(await create_database(server_url, TEMPLATE))
    return TEMPLATE


def _module_database_name(request: pytest.FixtureRequest) -> str:
    name = re.sub(r"[^a-z0-9]+", "_", request.module.__name__.lower())
    return f"t_{name}"[:60]


@pytest_asyncio.fixture(scope="module")
async def database(
    server_url: str, template: str, request: pytest.FixtureRequest
) -> AsyncIterator[Database]:
    """This module's own copy of the loaded database."""
    name = _module_database_name(request)
    url = await create_database(server_url, name, template)
    engine = create_engine(url, pool_size=4)
    database = Database(
        url=url, engine=engine, sessions=session_factory(engine), driver_pool_size=4
    )
    yield database
    await database.close()
    await admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest_asyncio.fixture
async def empty_database(
    server_url: str, request: pytest.FixtureRequest
) -> AsyncIterator[Database]:
    """A database with nothing in it, not even the schema."""
    name = f"e_{request.node.name.lower()}"
    name = re.sub(r"[^a-z0-9]+", "_", name)[:60]
    url = await create_database(server_url, name)
    engine = create_engine(url, pool_size=2)
    database = Database(
        url=url, engine=engine, sessions=session_factory(engine), driver_pool_size=2
    )
    yield database
    await database.close()
    await admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest_asyncio.fixture(scope="module")
async def client(database: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The real ASGI app over this module's database, called in-process."""
    app = create_app(settings, database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://claimgraph.test") as http:
        yield http


def article_text() -> str:
    return (ARTICLE / "article.txt").read_bytes().decode("utf-8")


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    """A writable copy of the article's fixture folder, to break on purpose."""
    target = tmp_path / "kazakhstan-2022"
    target.mkdir()
    for name in ("article.txt", "source.yaml", "extraction.yaml"):
        (target / name).write_bytes((ARTICLE / name).read_bytes())
    return target


@pytest_asyncio.fixture(scope="module")
async def api_keys(database: Database) -> dict[str, str]:
    """Secrets of a key per scope in this module's database (and one revoked), by name."""
    secrets: dict[str, str] = {}
    async with database.sessions() as session, session.begin():
        for scope in Scope:
            secrets[scope.value] = await keys.create(session, f"test-{scope.value}", scope)
        secrets["revoked"] = await keys.create(session, "test-revoked", Scope.ADMIN)
        await keys.revoke(session, "test-revoked")
    return secrets


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
