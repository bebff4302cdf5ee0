"""`/v1/events`: what happened, who took part, and what was said there."""

from __future__ import annotations

from typing import Any

from api.rest.queries import EventQuery, EventStatementQuery
from api.rest.routing import Body, Call, OperationLink, Registry
from api.rest.schemas import (
    Event,
    EventList,
    PageQuery,
    Participant,
    ParticipantList,
    StatementList,
)
from api.rest.statements import STATEMENT_VIEW
from api.rest.writes import Resource, writable
from api.store.events import EVENT, PARTICIPANT
from api.store.kit.views import View

routes = Registry()
BY_ID = {"id": "$request.path.id"}
EVENT_VIEW = View.of(EVENT, Event)
PARTICIPANT_VIEW = View.of(PARTICIPANT, Participant)


@routes.get(
    "/v1/events",
    operation_id="listEvents",
    tag="events",
    response=EventList,
    query=EventQuery,
    links={"GetEvent": OperationLink("getEvent", {"id": "$response.body#/data/0/id"})},
)
async def list_events(call: Call[Any]) -> Body:
    """List events by start date, filtered by kind, dates, participant or parent event."""
    return await call.page(EVENT_VIEW)


@routes.get(
    "/v1/events/{id}",
    operation_id="getEvent",
    tag="events",
    response=Event,
    links={
        "ListEventParticipants": OperationLink("listEventParticipants", BY_ID),
        "ListEventStatements": OperationLink("listEventStatements", BY_ID),
    },
)
async def get_event(call: Call[Any]) -> Body:
    """Get an event with its dates, place, parent event and span."""
    return await call.one(EVENT_VIEW)


@routes.get(
    "/v1/events/{id}/participants",
    operation_id="listEventParticipants",
    tag="events",
    response=ParticipantList,
    query=PageQuery,
)
async def list_event_participants(call: Call[Any]) -> Body:
    """List who took part in an event, and in what role."""
    return await call.page(PARTICIPANT_VIEW, within=(EVENT, "event"))


@routes.get(
    "/v1/events/{id}/statements",
    operation_id="listEventStatements",
    tag="events",
    response=StatementList,
    query=EventStatementQuery,
)
async def list_event_statements(call: Call[Any]) -> Body:
    """List the statements made at an event."""
    return await call.page(STATEMENT_VIEW, within=(EVENT, "event"))


writable(
    routes,
    Resource(EVENT_VIEW, "events"),
)
