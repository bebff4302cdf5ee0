"""Statements: who said what, where in which source, when, and on which claims."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from pydantic import Field, model_validator
from sqlalchemy.sql import ColumnElement, FromClause

from api import dates
from api.db.models import TABLES
from api.store.kit.entity import Entity, Link, Relation, Searched, by_name
from api.store.kit.filters import Filter, ValueKind, Values, date_match, equals, ref, vocabulary
from api.store.kit.pagination import EARLIEST, LATEST, Sort, date_key, int_key, text_key
from api.store.writes.forms import (
    LANGUAGE,
    Document,
    Form,
    Language,
    Occurrence,
    Row,
    Slug,
    SpanInput,
    Text,
    check_period,
    check_quote,
)
from api.vocabulary import Attribution, Position, Precision, StatementKind

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
    Filter("said_after", ValueKind.DATE, "Said on or after this date"),
    Filter("said_before", ValueKind.DATE, "Said on or before this date"),
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


class StatementInput(Document):
    """What someone said or is reported to hold, as the source words it."""

    id: Slug
    source: Slug
    speaker: Slug | None = None
    attribution: Attribution | None = Field(
        None, description="`explicit` (the default with a speaker) or `implied`."
    )
    kind: StatementKind
    text: Text
    occurrence: Occurrence | None = None
    span: SpanInput | None = None
    said_on: date | None = None
    said_on_precision: Precision = Precision.UNKNOWN
    event: Slug | None = None
    language: Language = "en"
    note: Text | None = None

    @model_validator(mode="after")
    def _valid(self) -> StatementInput:
        check_period(self.said_on, self.said_on_precision, "said_on")
        check_quote(self, "text")
        if self.attribution is not None and self.speaker is None:
            raise ValueError("a statement without a speaker has no attribution")
        return self


def _derived(row: Row) -> Row:
    """A speaker named without saying how is named explicitly."""
    if row["speaker_id"] is None:
        return {}
    return {"attribution": row["attribution"] or Attribution.EXPLICIT.value}


STATEMENT = Entity(
    name="statement",
    type_name="Statement",
    named_by="text",
    fields={
        "kind": "Quoted, paraphrased, or reported.",
        "text": "The statement's text, exactly as in the source.",
        "span": "Where the text sits in the source.",
        "attribution": "Explicit where the source names the speaker at the statement, implied "
        "where only its context does; null without a speaker.",
        "said_on": "First day of the period `said_on_precision` names; null if unknown.",
        "said_on_precision": "How much of `said_on` is known.",
        "language": LANGUAGE,
        "note": "The curator's note: implied dates, uncertain attributions.",
        "source_id": "The id of the source that reports it.",
    },
    sorts=SORTS,
    default_sort=DEFAULT_SORT,
    filters=FILTERS,
    conditions=conditions,
    check=check,
    span="text",
    links=by_name(
        Link(
            "speaker",
            "speaker_id",
            "actor",
            "Who said it; null where the source attributes it to no one.",
        ),
        Link("source", "source_id", "source", "The source that reports it."),
        Link("event", "event_id", "event", "Where it was said, if known."),
    ),
    relations=by_name(
        Relation("stances", "stance", "statement_id", "The statement's positions on claims.")
    ),
    form=Form(
        model=StatementInput,
        columns={"source": "source_id", "speaker": "speaker_id", "event": "event_id"},
        references={"source": "source", "speaker": "actor", "event": "event"},
        quote="text",
        derive=_derived,
    ),
    searched=Searched(
        passage=lambda t: t.c.text,
        title="text",
        compared="text",
        columns={
            "speaker_id": "speaker_id",
            "said_on": "said_on",
            "said_on_precision": "said_on_precision",
            "said_until": "said_until",
        },
    ),
)
