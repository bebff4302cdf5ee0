"""`/v1/statements`: who said what, where, when, and on which claims."""

from __future__ import annotations

from typing import Any

from api.rest.queries import StatementQuery
from api.rest.routing import Body, Call, OperationLink, Registry
from api.rest.schemas import Statement, StatementList
from api.rest.writes import Resource, writable
from api.store.kit.views import View
from api.store.statements import STATEMENT

routes = Registry()
STATEMENT_VIEW = View.of(STATEMENT, Statement)


@routes.get(
    "/v1/statements",
    operation_id="listStatements",
    tag="statements",
    response=StatementList,
    query=StatementQuery,
    links={"GetStatement": OperationLink("getStatement", {"id": "$response.body#/data/0/id"})},
)
async def list_statements(call: Call[Any]) -> Body:
    """List statements, filtered by speaker, source, kind, claim, position, date or event."""
    return await call.page(STATEMENT_VIEW)


@routes.get(
    "/v1/statements/{id}",
    operation_id="getStatement",
    tag="statements",
    response=Statement,
    links={"GetSource": OperationLink("getSource", {"id": "$response.body#/source/id"})},
)
async def get_statement(call: Call[Any]) -> Body:
    """Get a statement with its span, speaker, event and stances."""
    return await call.one(STATEMENT_VIEW)


writable(
    routes,
    Resource(STATEMENT_VIEW, "statements"),
)
