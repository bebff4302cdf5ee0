"""`/v1/statements`: who said what, where, when, and on which claims."""

from __future__ import annotations

from api.rest.routing import Call, Link, NoQuery, Registry, page_of
from api.rest.schemas import Statement, StatementList, StatementQuery
from api.store import views

routes = Registry()


@routes.get(
    "/v1/statements",
    operation_id="listStatements",
    tag="statements",
    response=StatementList,
    query=StatementQuery,
    links={"GetStatement": Link("getStatement", {"id": "$response.body#/data/0/id"})},
)
async def list_statements(call: Call[StatementQuery]) -> StatementList:
    """List statements, filtered by speaker, source, kind, claim, position, date or event."""
    q = call.query
    filters = q.filters()
    page = await views.statement_views(call.session, filters, call.page, q.sort)
    return page_of(StatementList, Statement.from_row, page)


@routes.get(
    "/v1/statements/{id}",
    operation_id="getStatement",
    tag="statements",
    response=Statement,
    links={"GetSource": Link("getSource", {"id": "$response.body#/source/id"})},
)
async def get_statement(call: Call[NoQuery]) -> Statement:
    """Get a statement with its span, speaker, event and stances."""
    return Statement.from_row(await views.statement_view(call.database, call.path["id"]))
