"""`/v1/sources`: the published texts."""

from __future__ import annotations

import json
from typing import Any

from api.caching import etag
from api.rest.queries import SourceStatementQuery
from api.rest.routing import TEXT, Body, Call, Operation, OperationLink, Registry
from api.rest.schemas import (
    PageQuery,
    Source,
    SourceChange,
    SourceList,
    StatementList,
    SuggestionList,
)
from api.rest.statements import STATEMENT_VIEW
from api.rest.writes import Outcome, Resource, WriteCall, writable
from api.store import suggestions
from api.store.kit import views
from api.store.kit.views import View
from api.store.sources import SOURCE
from api.store.writes import commands

routes = Registry()
BY_ID = {"id": "$request.path.id"}
SOURCE_VIEW = View.of(SOURCE, Source)


@routes.get(
    "/v1/sources",
    operation_id="listSources",
    tag="sources",
    response=SourceList,
    query=PageQuery,
    links={"GetSource": OperationLink("getSource", {"id": "$response.body#/data/0/id"})},
)
async def list_sources(call: Call[Any]) -> Body:
    """List sources, by id."""
    return await call.page(SOURCE_VIEW)


@routes.get(
    "/v1/sources/{id}",
    operation_id="getSource",
    tag="sources",
    response=Source,
    links={
        "GetSourceText": OperationLink("getSourceText", BY_ID),
        "ListSourceStatements": OperationLink("listSourceStatements", BY_ID),
    },
)
async def get_source(call: Call[Any]) -> Body:
    """Get a source: title, publisher, dates, and the SHA-256 of its text."""
    return await call.one(SOURCE_VIEW)


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
    return await call.page(STATEMENT_VIEW, within=(SOURCE, "source"))


async def suggest_statements(call: Call[Any]) -> Body:
    """Suggest statements in a source's text: quoted passages and reported speech.

    Rules, not a model: words between quotation marks (three words or more; an ellipsis
    cuts a quotation in two; a quotation broken by an attribution keeps its speaker), and
    sentences with a reporting verb (said, told, claimed, according to, ...). Each comes with
    its exact span, a guessed speaker (a known actor of a similar name, or the name as
    written, `id` null), a guessed date with its precision, the reason, and whether it is
    already recorded. Nothing is stored: accepting one is creating a statement."""
    found = await suggestions.suggest(call.database, call.path["id"])
    return Body(SuggestionList(data=found, next_cursor=None).model_dump_json().encode())


routes.add(
    Operation(
        "/v1/sources/{id}/suggestions",
        "suggestStatements",
        "sources",
        suggest_statements,
        SuggestionList,
        method="POST",
        computes=True,
    )
)
routes.find("getSource").links["SuggestStatements"] = OperationLink("suggestStatements", BY_ID)

RESOURCE = Resource(SOURCE_VIEW, "sources")


async def update_source(call: WriteCall) -> Outcome:
    """

    A new `text` re-anchors every quote in the source by its exact text and context; the
    answer lists what moved (`reanchored`). If any quote is no longer in the new text, or is
    found there more than once with nothing to tell which, nothing changes: 409, listing
    them (`lost`)."""
    written = await commands.update(
        call.tx, "source", call.id, call.body, precondition=call.if_match(SOURCE_VIEW)
    )
    body = await call.render(SOURCE_VIEW, written.id)
    document = json.loads(body)
    document["reanchored"] = [item.moved_span().model_dump() for item in written.moved]
    changed = json.dumps(document, ensure_ascii=False).encode()
    return Outcome(200, changed, {"ETag": etag(body, weak=False)})


writable(routes, RESOURCE, update=update_source, update_response=SourceChange)
