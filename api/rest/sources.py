"""`/v1/sources`: the published texts."""

from __future__ import annotations

from api.rest.routing import TEXT, Call, Link, NoQuery, Registry, page_of
from api.rest.schemas import (
    PageQuery,
    Source,
    SourceList,
    Statement,
    StatementList,
    StatementQueryBase,
)
from api.store import views

routes = Registry()
BY_ID = {"id": "$request.path.id"}


@routes.get(
    "/v1/sources",
    operation_id="listSources",
    tag="sources",
    response=SourceList,
    query=PageQuery,
    links={"GetSource": Link("getSource", {"id": "$response.body#/data/0/id"})},
)
async def list_sources(call: Call[PageQuery]) -> SourceList:
    """List sources, by id."""
    return page_of(SourceList, Source.from_row, await views.source_views(call.session, call.page))


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
async def get_source(call: Call[NoQuery]) -> Source:
    """Get a source: title, publisher, dates, and the SHA-256 of its text."""
    return Source.from_row(await views.source_view(call.database, call.path["id"]))


@routes.get(
    "/v1/sources/{id}/text",
    operation_id="getSourceText",
    tag="sources",
    response=None,
    media_type=TEXT,
)
async def get_source_text(call: Call[NoQuery]) -> str:
    """Get a source's full text, exactly as stored: every span's offsets count into it."""
    return await views.source_text(call.session, call.path["id"])


@routes.get(
    "/v1/sources/{id}/statements",
    operation_id="listSourceStatements",
    tag="sources",
    response=StatementList,
    query=StatementQueryBase,
)
async def list_source_statements(call: Call[StatementQueryBase]) -> StatementList:
    """List the statements a source reports, in reading order unless sorted otherwise."""
    source_id = call.path["id"]
    await views.require(call.session, views.SOURCE, "source", source_id)
    q = call.query
    filters = q.filters(source=source_id)
    page = await views.statement_views(call.session, filters, call.page, q.sort)
    return page_of(StatementList, Statement.from_row, page)
