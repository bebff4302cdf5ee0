"""Events, their participants, and their place in a hierarchy of events."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from pydantic import Field, model_validator
from sqlalchemy.sql import ColumnElement, FromClause

from api import dates
from api.db.models import TABLES
from api.store.kit.descriptions import described
from api.store.kit.entity import Entity, Link, Relation, Searched, by_name
from api.store.kit.filters import Filter, ValueKind, Values, date_match, equals, ref, vocabulary
from api.store.kit.objects import Embedded
from api.store.kit.pagination import EARLIEST, LATEST, Sort, date_key, text_key
from api.store.kit.representations import Representation
from api.store.writes.forms import (
    Children,
    Country,
    Document,
    Form,
    Occurrence,
    Slug,
    SpanInput,
    Text,
    check_order,
    check_period,
    check_quote,
)
from api.vocabulary import EventKind, Precision

_id = text_key("id")
SORTS = {
    "start": Sort(
        "start", (date_key("start_date", nulls=LATEST), _id), "Earliest first, undated last."
    ),
    "-start": Sort(
        "-start",
        (date_key("start_date", nulls=EARLIEST), _id),
        "Latest first, undated last.",
        descending=True,
    ),
    "id": Sort("id", (_id,), "By slug."),
}
DEFAULT_SORT = "start"
FILTERS = (
    vocabulary("kind", EventKind, "Protest, speech, deployment and the like"),
    Filter("after", ValueKind.DATE, "Happening on or after this date"),
    Filter("before", ValueKind.DATE, "Happening on or before this date"),
    ref("actor", "Actor", "Only events this actor took part in"),
    ref("parent", "Event", "Only the direct sub-events of this event"),
    date_match(),
)


_equal = equals({"kind": "kind", "parent": "parent_id"})


def until_of(row: FromClause) -> ColumnElement[Any]:
    """Where an event's period ends: that of its end date, else that of its start."""
    return sa.func.coalesce(row.c.end_until, row.c.start_until)


def check(values: Values) -> None:
    dates.check_range(values, "after", "before")


def conditions(row: FromClause, values: Values) -> list[ColumnElement[bool]]:
    where = _equal(row, values)
    where += dates.in_range(row.c.start_date, until_of(row), values, "after", "before")
    if "actor" in values:
        participant = TABLES["event_participant"].alias()
        where.append(
            sa.exists(
                sa.select(sa.literal(1))
                .select_from(participant)
                .where(
                    participant.c.event_id == row.c.id, participant.c.actor_id == values["actor"]
                )
            )
        )
    return where


#: Where an event happened, in its own columns.
PLACE = Embedded(
    "place_name",
    {
        "name": "place_name",
        "country": "place_country",
        "latitude": "latitude",
        "longitude": "longitude",
    },
    {
        "name": "The place's name.",
        "country": "ISO 3166-1 alpha-2 country code.",
        "latitude": "Latitude, if known.",
        "longitude": "Longitude, if known.",
    },
)


@described(PLACE.describe)
class Place(Representation):
    """Where something happened, as precisely as the sources give it."""

    name: str
    country: str | None
    latitude: float | None
    longitude: float | None


def participant_id(event: str, actor: str, role: str) -> str:
    """`event--actor--role`."""
    return f"{event}--{actor}--{role}"


class PlaceInput(Document):
    """A place, as precisely as the sources give it."""

    name: Text
    country: Country | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class ParticipantInput(Document):
    """An actor's part in an event."""

    actor: Slug
    role: Slug


class EventInput(Document):
    """Something that happened, with who took part; dates only as precise as the sources."""

    id: Slug
    title: Text
    kind: EventKind
    start_date: date | None = None
    start_precision: Precision = Precision.UNKNOWN
    end_date: date | None = None
    end_precision: Precision = Precision.UNKNOWN
    place: PlaceInput | None = None
    parent: Slug | None = None
    description: Text | None = None
    source: Slug | None = None
    quote: Text | None = None
    occurrence: Occurrence | None = None
    span: SpanInput | None = None
    participants: list[ParticipantInput] = Field(
        [], description="Who took part, and in what role: the whole list (a PATCH replaces it)."
    )

    @model_validator(mode="after")
    def _valid(self) -> EventInput:
        check_period(self.start_date, self.start_precision, "start_date")
        check_period(self.end_date, self.end_precision, "end_date")
        check_order(self.start_date, self.end_date)
        check_quote(self, "quote")
        if (self.source is None) != (self.quote is None):
            raise ValueError("`source` and `quote` come together")
        if self.parent == self.id:
            raise ValueError("an event is not its own parent")
        keys = [(item.actor, item.role) for item in self.participants]
        if len(keys) != len(set(keys)):
            raise ValueError("a participant is listed twice in the same role")
        return self


EVENT = Entity(
    name="event",
    type_name="Event",
    named_by="title",
    fields={
        "title": "What happened, in a few words.",
        "kind": "What sort of event it was.",
        "start_date": "First day of the start period; null if unknown.",
        "start_precision": "How much of `start_date` is known.",
        "end_date": "First day of the end period; null if unknown.",
        "end_precision": "How much of `end_date` is known.",
        "place": "Where it happened, if known.",
        "description": "What the sources say of it.",
        "quote": "The passage that describes it, exactly as in its source.",
        "span": "Where a source describes it, if pinned to a span.",
    },
    sorts=SORTS,
    default_sort=DEFAULT_SORT,
    filters=FILTERS,
    conditions=conditions,
    check=check,
    span="quote",
    links=by_name(
        Link("parent", "parent_id", "event", "The larger event this is part of."),
        Link("source", "source_id", "source", "The source that describes it, if any."),
    ),
    relations=by_name(
        Relation(
            "children",
            "event",
            "parent_id",
            "The events that are part of this one, by start date.",
            filterable=True,
        ),
        Relation(
            "participants", "event_participant", "event_id", "Who took part, and in what role."
        ),
        Relation(
            "statements",
            "statement",
            "event_id",
            "The statements made at this event.",
            filterable=True,
        ),
    ),
    form=Form(
        model=EventInput,
        columns={"parent": "parent_id", "source": "source_id"},
        references={"parent": "event", "source": "source"},
        quote="quote",
        objects={"place": PLACE},
        children=Children(
            listing="participants",
            entity="event_participant",
            parent_column="event_id",
            columns={"actor": "actor_id", "role": "role"},
            references={"actor": "actor"},
            make_id=lambda event, child: participant_id(event, child.actor, child.role),
        ),
    ),
    searched=Searched(
        passage=lambda t: sa.func.concat_ws(" — ", t.c.title, t.c.description),
        title="title",
        compared="title",
    ),
)


PARTICIPANT = Entity(
    name="event_participant",
    type_name="EventParticipant",
    fields={
        "id": "`event--actor--role`.",
        "role": "The actor's role (organizer, speaker, target, ...).",
    },
    filters=(
        ref("event", "Event", "The event"),
        ref("actor", "Actor", "The actor taking part"),
    ),
    conditions=equals({"event": "event_id", "actor": "actor_id"}),
    links=by_name(
        Link("actor", "actor_id", "actor", "Who took part."),
        Link("event", "event_id", "event", "The event."),
    ),
)
