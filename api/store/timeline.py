"""The timeline: events and dated statements, merged in one order.

An item dated only to a month or a year sorts and shows as that period, never as its first
day: `date` is written `2022-01`, and among the items starting with that month it comes
first, as the month's heading, before the days of the month. Undated items cannot be placed:
they are left out, and counted (`undated`).

The entries are a virtual entity (`TIMELINE` in entities.py): a UNION ALL of events and
statements, paged, filtered and rendered like any list, on every path.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, FromClause

from api import dates
from api.db.models import TABLES
from api.store import events
from api.store.kit.entity import Entity, Link, by_name
from api.store.kit.filters import Filter, ValueKind, Values, date_match, ref
from api.store.kit.pagination import (
    LATEST,
    Sort,
    Window,
    date_key,
    int_key,
    text_key,
    union_in_window,
)
from api.vocabulary import Precision


class TimelineType(StrEnum):
    """What a timeline entry is."""

    EVENT = "event"
    STATEMENT = "statement"


FILTERS = (
    ref("actor", "Actor", "Only what this actor said or took part in"),
    ref(
        "claim",
        "Claim",
        "Only statements taking a stance on this claim, and events its evidence concerns",
    ),
    ref("event", "Event", "Only this event, its sub-events, and what was said at them"),
    Filter("after", ValueKind.DATE, "On or after this date"),
    Filter("before", ValueKind.DATE, "On or before this date"),
    date_match(),
)

SORTS = {
    "date": Sort(
        "date",
        (date_key("starts", nulls=LATEST), int_key("granularity"), text_key("key")),
        "In time order; an item known to a month or a year heads its period.",
    )
}

#: Coarser periods first among items starting on the same day (a month before its days).
_GRANULARITY = {Precision.YEAR.value: 0, Precision.MONTH.value: 1, Precision.DAY.value: 2}


def _granularity(precision: Any) -> ColumnElement[Any]:
    """As the timeline indexes have it (migration 0010): the same text, so they match."""
    return sa.case(_GRANULARITY, value=precision, else_=3)


def _key(kind: TimelineType, id: Any) -> ColumnElement[Any]:
    """`event:…` or `statement:…`: unique over both kinds, the last sort key."""
    return sa.literal(f"{kind.value}:", sa.Text).op("||", return_type=sa.Text)(id)


def _events() -> sa.Select[Any]:
    event = TABLES["event"].alias()
    return sa.select(
        sa.literal(TimelineType.EVENT.value).label("type"),
        event.c.id.label("id"),
        _key(TimelineType.EVENT, event.c.id).label("key"),
        event.c.start_date.label("starts"),
        events.until_of(event).label("until"),
        event.c.start_precision.label("precision"),
        _granularity(event.c.start_precision).label("granularity"),
        dates.display_sql(event.c.start_date, event.c.start_precision).label("date"),
        dates.display_sql(event.c.end_date, event.c.end_precision).label("end"),
        event.c.title.label("title"),
        event.c.id.label("event_id"),
        sa.cast(sa.null(), sa.Text).label("statement_id"),
        sa.cast(sa.null(), sa.Text).label("speaker_id"),
        event.c.parent_id.label("within_id"),
    ).where(event.c.start_date.is_not(None))


def _statements() -> sa.Select[Any]:
    statement = TABLES["statement"].alias()
    return sa.select(
        sa.literal(TimelineType.STATEMENT.value).label("type"),
        statement.c.id.label("id"),
        _key(TimelineType.STATEMENT, statement.c.id).label("key"),
        statement.c.said_on.label("starts"),
        statement.c.said_until.label("until"),
        statement.c.said_on_precision.label("precision"),
        _granularity(statement.c.said_on_precision).label("granularity"),
        dates.display_sql(statement.c.said_on, statement.c.said_on_precision).label("date"),
        sa.cast(sa.null(), sa.Text).label("end"),
        statement.c.text.label("title"),
        sa.cast(sa.null(), sa.Text).label("event_id"),
        statement.c.id.label("statement_id"),
        statement.c.speaker_id.label("speaker_id"),
        statement.c.event_id.label("within_id"),
    ).where(statement.c.said_on.is_not(None))


def _lasting_into(values: Values) -> list[sa.Select[Any]]:
    """The dated statements, as parts that each read a range of the timeline index.

    With `after`, a statement is on or after the date when it starts on or after it, or
    (when dates overlap, the default match) starts before it and lasts into it: a date known
    to the year starts less than a year before, one known to the month less than a month
    before. Said of the index's keys, each part starts its scan where its rows begin, rather
    than filtering every earlier statement by its end."""
    statements = _statements()
    if "after" not in values:
        return [statements]
    columns = statements.selected_columns
    starts, granularity = sa.func.coalesce(columns.starts, LATEST), columns.granularity
    day = dates.first_day(values["after"])
    parts = [statements.where(starts >= day)]
    if values.get("date_match") == dates.DateMatch.WITHIN:
        return parts
    for precision, longest in ((Precision.YEAR, "1 year"), (Precision.MONTH, "1 month")):
        since = sa.cast(day - sa.text(f"interval '{longest}'"), sa.Date)
        parts.append(
            statements.where(
                starts > since, starts < day, granularity == _GRANULARITY[precision.value]
            )
        )
    return parts


def rows(values: Values, window: Window | None = None) -> FromClause:
    """The dated events and statements the filters match; with a page's `window`, only the
    first rows of each kind after the cursor, each read in the order of its index (the
    timeline indexes of migration 0010), so that a page never sorts the whole timeline."""
    return union_in_window(
        [_events(), *_lasting_into(values)], lambda part: conditions(part, values), window
    )


def _about(row: Any, values: Values) -> list[ColumnElement[bool]]:
    """Filters other than dates, for an entry (`row.type`, `row.id`)."""
    where: list[ColumnElement[bool]] = []
    is_event = row.c.type == TimelineType.EVENT.value
    if "actor" in values:
        participant = TABLES["event_participant"].alias()
        takes_part = sa.exists().where(
            participant.c.event_id == row.c.id, participant.c.actor_id == values["actor"]
        )
        where.append(sa.or_(sa.and_(is_event, takes_part), row.c.speaker_id == values["actor"]))
    if "claim" in values:
        stance, evidence = TABLES["stance"].alias(), TABLES["evidence"].alias()
        said = sa.exists().where(
            stance.c.statement_id == row.c.id, stance.c.claim_id == values["claim"]
        )
        concerned = sa.exists().where(
            evidence.c.event_id == row.c.id, evidence.c.claim_id == values["claim"]
        )
        where.append(sa.or_(sa.and_(is_event, concerned), sa.and_(sa.not_(is_event), said)))
    if "event" in values:
        where.append(
            sa.or_(
                sa.and_(is_event, row.c.id == values["event"]),
                row.c.within_id == values["event"],
            )
        )
    return where


def conditions(row: FromClause, values: Values) -> list[ColumnElement[bool]]:
    where = _about(row, values)
    where += dates.in_range(row.c.starts, row.c.until, values, "after", "before")
    return where


def check(values: Values) -> None:
    dates.check_range(values, "after", "before")


def _undated(kind: TimelineType, values: Values) -> ColumnElement[Any]:
    """How many items of `kind` the filters (but the dates) match that have no date."""
    table = TABLES[kind.value].alias()
    day = table.c.start_date if kind is TimelineType.EVENT else table.c.said_on
    entry = (
        sa.select(
            sa.literal(kind.value).label("type"),
            table.c.id.label("id"),
            (
                sa.cast(sa.null(), sa.Text) if kind is TimelineType.EVENT else table.c.speaker_id
            ).label("speaker_id"),
            (table.c.parent_id if kind is TimelineType.EVENT else table.c.event_id).label(
                "within_id"
            ),
        )
        .where(day.is_(None))
        .subquery()
    )
    return (
        sa.select(sa.func.count())
        .select_from(entry)
        .where(*_about(entry, values))
        .scalar_subquery()
    )


def undated(values: Values) -> ColumnElement[Any]:
    """`{events, statements}`: the undated items the filters match, left out."""
    return sa.func.json_build_object(
        "events",
        _undated(TimelineType.EVENT, values),
        "statements",
        _undated(TimelineType.STATEMENT, values),
    )


def undated_events(values: Values) -> ColumnElement[Any]:
    return _undated(TimelineType.EVENT, values)


def undated_statements(values: Values) -> ColumnElement[Any]:
    return _undated(TimelineType.STATEMENT, values)


TIMELINE = Entity(
    name="timeline",
    type_name="TimelineEntry",
    noun="timeline entry",
    plural="timeline entries",
    path="timeline",
    fields={
        "type": "An event, or a statement.",
        "id": "The event's or the statement's slug.",
        "date": "When, as precisely as known: `2022`, `2022-01` or `2022-01-10` (a month or a "
        "year is never shown as its first day).",
        "precision": dates.PRECISION,
        "end": "When an event ended, as precisely as known.",
        "title": "The event's title, or the statement's text.",
        "undated": "What the filters match but cannot be placed in time: left out, and counted.",
        "undated_events": "Undated events the filters match: left out, as they cannot be placed.",
        "undated_statements": "Undated statements the filters match: left out, as they "
        "cannot be placed.",
    },
    sorts=SORTS,
    default_sort="date",
    filters=FILTERS,
    conditions=conditions,
    check=check,
    source=rows,
    summaries={
        "undated": undated,
        "undated_events": undated_events,
        "undated_statements": undated_statements,
    },
    links=by_name(
        Link("event", "event_id", "event", "The event, for an event entry."),
        Link("statement", "statement_id", "statement", "The statement, for a statement entry."),
        Link("speaker", "speaker_id", "actor", "Who said it, for a statement entry."),
    ),
)
