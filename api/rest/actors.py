"""`/v1/actors`: people, organisations, states, groups and media."""

from __future__ import annotations

from typing import Any

from api.rest.queries import ActorQuery, ActorStatementQuery
from api.rest.routing import Body, Call, OperationLink, Registry
from api.rest.schemas import Actor, ActorList, StatementList
from api.rest.statements import STATEMENT_VIEW
from api.rest.writes import Resource, writable
from api.store.actors import ACTOR
from api.store.kit.views import View

routes = Registry()
ACTOR_VIEW = View.of(ACTOR, Actor)


@routes.get(
    "/v1/actors",
    operation_id="listActors",
    tag="actors",
    response=ActorList,
    query=ActorQuery,
    links={"GetActor": OperationLink("getActor", {"id": "$response.body#/data/0/id"})},
)
async def list_actors(call: Call[Any]) -> Body:
    """List actors, optionally by kind, country, or text in their name or aliases."""
    return await call.page(ACTOR_VIEW)


@routes.get(
    "/v1/actors/{id}",
    operation_id="getActor",
    tag="actors",
    response=Actor,
    links={"ListActorStatements": OperationLink("listActorStatements", {"id": "$request.path.id"})},
)
async def get_actor(call: Call[Any]) -> Body:
    """Get an actor, with aliases, affiliations and counts of statements by position."""
    return await call.one(ACTOR_VIEW)


@routes.get(
    "/v1/actors/{id}/statements",
    operation_id="listActorStatements",
    tag="actors",
    response=StatementList,
    query=ActorStatementQuery,
)
async def list_actor_statements(call: Call[Any]) -> Body:
    """List what an actor said, in reading order unless sorted otherwise."""
    return await call.page(STATEMENT_VIEW, within=(ACTOR, "speaker"))


writable(
    routes,
    Resource(ACTOR_VIEW, "actors"),
)
