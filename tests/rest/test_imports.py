"""`POST /v1/imports` and `claimgraph export --format fixture`: a whole article in and out."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
import sqlalchemy as sa
import yaml

from api.app import create_app
from api.config import Settings
from api.db import migrate
from api.db.engine import Database
from api.store.fixtures import bundle
from api.store.fixtures import extraction as exports
from api.store.writes import keys
from api.vocabulary import Scope
from tests.conftest import ARTICLE, bearer

#: Every table an import writes (the audit log, keys and idempotency records are not data).
DATA = [
    "source",
    "actor",
    "affiliation",
    "claim",
    "event",
    "event_participant",
    "statement",
    "stance",
    "evidence",
]


async def rows(database: Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every data table, every column but the two timestamps."""
    found: dict[str, list[dict[str, Any]]] = {}
    async with database.engine.connect() as connection:
        for table in DATA:
            result = await connection.execute(sa.text(f"SELECT * FROM {table} ORDER BY id"))
            found[table] = [
                {k: v for k, v in row._mapping.items() if k not in ("created_at", "updated_at")}
                for row in result
            ]
    return found


def fixture_document() -> dict[str, Any]:
    """The article's fixture as a JSON body (YAML's dates as ISO strings)."""
    document = yaml.safe_load(bundle.read_folder(ARTICLE))
    found: dict[str, Any] = json.loads(
        json.dumps(document, default=lambda value: value.isoformat())
    )
    return found


@pytest_asyncio.fixture
async def empty(
    empty_database: Database, settings: Settings
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """A migrated database with no data, a client for it, and a write key."""
    await migrate.upgrade(empty_database.engine)
    async with empty_database.sessions() as session, session.begin():
        secret = await keys.create(session, "importer", Scope.WRITE)
    app = create_app(settings, empty_database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://claimgraph.test") as http:
        yield http, secret


class TestImport:
    async def test_needs_a_key(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/v1/imports", json=fixture_document())
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")

    async def test_one_bad_quote_refuses_everything(
        self, empty: tuple[httpx.AsyncClient, str], empty_database: Database
    ) -> None:
        http, secret = empty
        document = fixture_document()
        bad = document["extraction"]["statements"][3]
        bad["quote"] = "These provocateurs invented everything"
        document["extraction"]["evidence"][0]["quote"] = "Across the board, nobody"
        response = await http.post("/v1/imports", json=document, headers=bearer(secret))
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["type"] == "about:blank"
        entries = {error["field"] for error in problem["errors"]}
        assert entries == {
            f"extraction.yaml: statements[3] ({bad['id']})",
            "extraction.yaml: evidence[0] (protesters-professional-and-disciplined)",
        }
        assert any("These provocateurs invented" in e["message"] for e in problem["errors"])
        assert await rows(empty_database) == {table: [] for table in DATA}

    async def test_yaml_then_again_changes_nothing(
        self, empty: tuple[httpx.AsyncClient, str], empty_database: Database
    ) -> None:
        http, secret = empty
        body = bundle.read_folder(ARTICLE).encode()
        headers = {**bearer(secret), "Content-Type": "application/yaml"}
        first = await http.post("/v1/imports", content=body, headers=headers)
        assert first.status_code == 201, first.text
        assert first.headers["location"] == "/v1/sources/kazakhstan-2022"
        report = first.json()
        assert report["changed"] is True
        assert report["written"]["statement"] == 42 and report["written"]["stance"] == 49
        stored = await rows(empty_database)
        again = await http.post("/v1/imports", content=body, headers=headers)
        assert again.status_code == 200, again.text
        assert again.json()["changed"] is False
        assert await rows(empty_database) == stored
        audit = await http.get("/v1/statements/tokayev-attempted-coup")
        assert audit.json()["version"] == 1


class TestExport:
    async def test_export_imports_into_an_empty_database_unchanged(
        self,
        database: Database,
        empty: tuple[httpx.AsyncClient, str],
        empty_database: Database,
    ) -> None:
        async with database.readers() as session:
            exported = await exports.export(session, "kazakhstan-2022")
        # As the CLI writes it (YAML), read back as the import reads it.
        document = yaml.safe_load(
            bundle.dump(exported.source, exported.extraction, exported.article)
        )
        http, secret = empty
        response = await http.post("/v1/imports", json=document, headers=bearer(secret))
        assert response.status_code == 201, response.text
        assert await rows(empty_database) == await rows(database)
        async with empty_database.readers() as session:
            again = await exports.export(session, "kazakhstan-2022")
        assert again == exported
