"""`/v1/sources`: the published texts."""

from __future__ import annotations

from typing import Any

from api.rest.queries import SourceStatementQuery
from api.rest.routing import TEXT, Body, Call, Link, Registry
from api.rest.schemas import PageQuery, Source, SourceList, StatementList
from api.rest.statements import STATEMENT
from api.store import views
from api.store.views import View

routes = Registry()
BY_ID = {"id": "$request.path.id"}
SOURCE = View.of("source", Source)


@routes.get(
    "/v1/sources",
    operation_id="listSources",
    tag="sources",
    response=SourceList,
    query=PageQuery,
    links={"GetSource": Link("getSource", {"id": "$response.body#/data/0/id"})},
)
async def list_sources(call: Call[Any]) -> Body:
    """List sources, by id."""
    return await call.page(SOURCE)


@routes.get(
    "/v1/sources/{id}",
    operation_id="getSource",
    tag="sources",
    response=Source,
    links={
        "GetSourceText": Link("getSourceText", BY_ID),
        "ListSourceStatements": Link("listSourceStatements", BY_ID),
    },
)
async def get_source(call: Call[Any]) -> Body:
    """Get a source: title, publisher, dates, and the SHA-256 of its text."""
    return await call.one(SOURCE)


@routes.get(
    "/v1/sources/{id}/text",
    operation_id="getSourceText",
    tag="sources",
    response=None,
    media_type=TEXT,
)
async def get_source_text(call: Call[Any]) -> str:
    """Get a source's full text, exactly as stored: every span's offsets count into it."""
    return await views.source_text(call.database, call.path["id"])


@routes.get(
    "/v1/sources/{id}/statements",
    operation_id="listSourceStatements",
    tag="sources",
    response=StatementList,
    query=SourceStatementQuery,
)
async def list_source_statements(call: Call[Any]) -> Body:
    """List the statements a source reports, in reading order unless sorted otherwise."""
    return await call.page(STATEMENT, within=("source", "source"))
