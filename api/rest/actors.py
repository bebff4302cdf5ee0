"""`/v1/actors`: people, organisations, states, groups and media."""

from __future__ import annotations

from api.rest.routing import Call, Link, NoQuery, Registry, page_of
from api.rest.schemas import (
    Actor,
    ActorList,
    ActorQuery,
    Statement,
    StatementList,
    StatementQueryBase,
)
from api.store import actors, views

routes = Registry()


@routes.get(
    "/v1/actors",
    operation_id="listActors",
    tag="actors",
    response=ActorList,
    query=ActorQuery,
    links={"GetActor": Link("getActor", {"id": "$response.body#/data/0/id"})},
)
async def list_actors(call: Call[ActorQuery]) -> ActorList:
    """List actors, optionally by kind, country, or text in their name or aliases."""
    q = call.query
    filters = actors.ActorFilters(kind=q.kind, country=q.country, q=q.q)
    page = await views.actor_views(call.session, filters, call.page, q.sort)
    return page_of(ActorList, Actor.from_row, page)


@routes.get(
    "/v1/actors/{id}",
    operation_id="getActor",
    tag="actors",
    response=Actor,
    links={"ListActorStatements": Link("listActorStatements", {"id": "$request.path.id"})},
)
async def get_actor(call: Call[NoQuery]) -> Actor:
    """Get an actor, with aliases, affiliations and counts of statements by position."""
    return Actor.from_row(await views.actor_view(call.database, call.path["id"]))


@routes.get(
    "/v1/actors/{id}/statements",
    operation_id="listActorStatements",
    tag="actors",
    response=StatementList,
    query=StatementQueryBase,
)
async def list_actor_statements(call: Call[StatementQueryBase]) -> StatementList:
    """List what an actor said, in reading order unless sorted otherwise."""
    actor_id = call.path["id"]
    await views.require(call.session, views.ACTOR, "actor", actor_id)
    q = call.query
    filters = q.filters(speaker=actor_id)
    page = await views.statement_views(call.session, filters, call.page, q.sort)
    return page_of(StatementList, Statement.from_row, page)
