"""Statements: who said what, where in which source, when, and on which claims."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, FromClause

from api import dates
from api.db.models import TABLES
from api.store.kit.filters import Filter, Kind, Values, date_match, equals, ref, vocabulary
from api.store.kit.pagination import EARLIEST, LATEST, Sort, date_key, int_key, text_key
from api.vocabulary import Position, StatementKind

_id = text_key("id")
SORTS = {
    "position": Sort(
        "position",
        (text_key("source_id"), int_key("span_start"), _id),
        "Reading order: source, then position in its text.",
    ),
    # Undated statements come last in both directions.
    "said_on": Sort(
        "said_on", (date_key("said_on", nulls=LATEST), _id), "Oldest first, undated last."
    ),
    "-said_on": Sort(
        "-said_on",
        (date_key("said_on", nulls=EARLIEST), _id),
        "Newest first, undated last.",
        descending=True,
    ),
    "id": Sort("id", (_id,), "By slug."),
}
DEFAULT_SORT = "position"

FILTERS = (
    ref("speaker", "Actor", "The speaker, an actor"),
    ref("source", "Source", "The source"),
    vocabulary("kind", StatementKind, "Quote, paraphrase or report"),
    ref("claim", "Claim", "Only statements taking a stance on this claim"),
    vocabulary("position", Position, "Only statements taking this position (on `claim`, if given)"),
    Filter("said_after", Kind.DATE, "Said on or after this date"),
    Filter("said_before", Kind.DATE, "Said on or before this date"),
    ref("event", "Event", "Only statements made at this event"),
    date_match(),
)


_equal = equals(
    {"speaker": "speaker_id", "source": "source_id", "kind": "kind", "event": "event_id"}
)


def conditions(row: FromClause, values: Values) -> list[ColumnElement[bool]]:
    """Every given filter narrows the list; `claim` and `position` ask for one stance that
    matches both; dates compare periods (api/dates.py), and undated never match."""
    where = _equal(row, values)
    where += dates.in_range(row.c.said_on, row.c.said_until, values, "said_after", "said_before")
    if "claim" in values or "position" in values:
        stance = TABLES["stance"].alias()
        match = [stance.c.statement_id == row.c.id]
        if "claim" in values:
            match.append(stance.c.claim_id == values["claim"])
        if "position" in values:
            match.append(stance.c.position == values["position"])
        where.append(sa.exists(sa.select(sa.literal(1)).select_from(stance).where(*match)))
    return where


def check(values: Values) -> None:
    dates.check_range(values, "said_after", "said_before")
