"""`/v1/events`: what happened, who took part, and what was said there."""

from __future__ import annotations

from api.rest.routing import Call, Link, NoQuery, Registry, page_of
from api.rest.schemas import (
    Event,
    EventList,
    EventQuery,
    PageQuery,
    Participant,
    ParticipantList,
    Statement,
    StatementList,
    StatementQueryBase,
)
from api.store import events, views

routes = Registry()
BY_ID = {"id": "$request.path.id"}


@routes.get(
    "/v1/events",
    operation_id="listEvents",
    tag="events",
    response=EventList,
    query=EventQuery,
    links={"GetEvent": Link("getEvent", {"id": "$response.body#/data/0/id"})},
)
async def list_events(call: Call[EventQuery]) -> EventList:
    """List events by start date, filtered by kind, dates, participant or parent event."""
    q = call.query
    filters = events.EventFilters(
        kind=q.kind, after=q.after, before=q.before, actor=q.actor, parent=q.parent
    )
    page = await views.event_views(call.session, filters, call.page, q.sort)
    return page_of(EventList, Event.from_row, page)


@routes.get(
    "/v1/events/{id}",
    operation_id="getEvent",
    tag="events",
    response=Event,
    links={
        "ListEventParticipants": Link("listEventParticipants", BY_ID),
        "ListEventStatements": Link("listEventStatements", BY_ID),
    },
)
async def get_event(call: Call[NoQuery]) -> Event:
    """Get an event with its dates, place, parent event and span."""
    return Event.from_row(await views.event_view(call.database, call.path["id"]))


@routes.get(
    "/v1/events/{id}/participants",
    operation_id="listEventParticipants",
    tag="events",
    response=ParticipantList,
    query=PageQuery,
)
async def list_event_participants(call: Call[PageQuery]) -> ParticipantList:
    """List who took part in an event, and in what role."""
    event_id = call.path["id"]
    await views.require(call.session, views.EVENT, "event", event_id)
    return page_of(
        ParticipantList,
        Participant.from_row,
        await views.participant_views(call.session, event_id, call.page),
    )


@routes.get(
    "/v1/events/{id}/statements",
    operation_id="listEventStatements",
    tag="events",
    response=StatementList,
    query=StatementQueryBase,
)
async def list_event_statements(call: Call[StatementQueryBase]) -> StatementList:
    """List the statements made at an event."""
    event_id = call.path["id"]
    await views.require(call.session, views.EVENT, "event", event_id)
    q = call.query
    filters = q.filters(event=event_id)
    page = await views.statement_views(call.session, filters, call.page, q.sort)
    return page_of(StatementList, Statement.from_row, page)
