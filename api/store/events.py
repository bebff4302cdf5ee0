"""Events, their participants, and their place in a hierarchy of events."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, FromClause

from api import dates
from api.db.models import TABLES
from api.store.kit.filters import Filter, Kind, Values, date_match, equals, ref, vocabulary
from api.store.kit.pagination import EARLIEST, LATEST, Sort, by_id, date_key, text_key
from api.vocabulary import EventKind

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
    Filter("after", Kind.DATE, "Happening on or after this date"),
    Filter("before", Kind.DATE, "Happening on or before this date"),
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


PARTICIPANT_SORTS = by_id()
PARTICIPANT_FILTERS = (
    ref("event", "Event", "The event"),
    ref("actor", "Actor", "The actor taking part"),
)
participant_conditions = equals({"event": "event_id", "actor": "actor_id"})
