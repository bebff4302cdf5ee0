"""The REST representations: every response body and every query string, as pydantic models.

The routes serialize with these models and the OpenAPI document is generated from them, so the
contract and the wire cannot disagree. Field descriptions become the API reference.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, Self, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from api.db.models import SLUG_PATTERN
from api.store.pagination import DEFAULT_LIMIT, MAX_LIMIT
from api.store.statements import StatementFilters
from api.vocabulary import (
    ActorKind,
    EventKind,
    EvidenceRelation,
    Position,
    Precision,
    StatementKind,
)

Row = Any  # a view row (sqlalchemy RowMapping): the store's read views
T = TypeVar("T")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Id = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
Cursor = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$", max_length=1000)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]+$", max_length=200)]
Tag = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


# -- shared parts -----------------------------------------------------------------------------


class Span(Out):
    """Where a quote sits in its source: a W3C TextPositionSelector (`start`, `end`: code-point
    offsets) plus a TextQuoteSelector (`exact`, and 32 characters of `prefix` and `suffix`)."""

    start: int = Field(description="Offset of the first character, in Unicode code points.")
    end: int = Field(description="Offset just past the last character.")
    exact: str = Field(description="The quoted text, exactly `source.text[start:end]`.")
    prefix: str = Field(description="Up to 32 characters before the quote.")
    suffix: str = Field(description="Up to 32 characters after the quote.")

    @classmethod
    def of(cls, row: Row, exact: str, prefix: str = "span_prefix") -> Self | None:
        if row["span_start"] is None:
            return None
        return cls(
            start=row["span_start"],
            end=row["span_end"],
            exact=row[exact],
            prefix=row[prefix],
            suffix=row[prefix.replace("prefix", "suffix")],
        )


class ActorRef(Out):
    """An actor, by id and name."""

    id: str
    name: str


class SourceRef(Out):
    """A source, by id and title."""

    id: str
    title: str


class ClaimRef(Out):
    """A claim, by id and text."""

    id: str
    text: str


class EventRef(Out):
    """An event, by id and title."""

    id: str
    title: str


class Counts(Out):
    """How many statements take each position."""

    supports: int
    disputes: int
    neutral: int


class EvidenceCounts(Out):
    """How many pieces of evidence bear on a claim, by relation."""

    supports: int
    refutes: int
    context: int


# Every resource ends with these three (declared in each model, so that `id` comes first).
VERSION = Field(description="Bumped on every change to this record.")
CREATED = Field(description="When this record was created.")
UPDATED = Field(description="When this record last changed.")


def _ref(model: type[Out], row: Row, id_key: str, name_key: str, name_field: str) -> Any:
    if row[id_key] is None:
        return None
    return model.model_validate({"id": row[id_key], name_field: row[name_key]})


# -- sources ----------------------------------------------------------------------------------


class Source(Out):
    """A published text. Its full text is at `/v1/sources/{id}/text`."""

    id: str
    title: str
    publisher: str
    url: str | None
    published_at: datetime | None
    modified_at: datetime | None = Field(description="When the publisher last changed it.")
    retrieved_at: datetime | None
    language: str = Field(description="BCP 47 language tag.")
    text_sha256: str = Field(description="SHA-256 of the UTF-8 text, hex.")
    text_length: int = Field(description="Length of the text in code points.")
    version: int = VERSION
    created_at: datetime = CREATED
    updated_at: datetime = UPDATED

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls.model_validate(dict(row))


# -- actors -----------------------------------------------------------------------------------


class Affiliation(Out):
    """The actor's role in an organisation or state, with the span that says so."""

    id: str
    organization: ActorRef
    role: str
    start_date: date | None
    end_date: date | None
    source: SourceRef | None
    span: Span | None


class Actor(Out):
    """A person, organisation, state, collective group or media outlet."""

    id: str
    name: str
    kind: ActorKind
    aliases: list[str] = Field(description="Other names, spelled as the sources spell them.")
    description: str | None = Field(description="The actor's role, in plain words.")
    country: str | None = Field(description="ISO 3166-1 alpha-2, where the sources make it clear.")
    wikidata: str | None = Field(description="Wikidata QID.")
    identifiers: dict[str, str]
    affiliations: list[Affiliation]
    statement_counts: Counts = Field(
        description="How many of the actor's statements take each position on some claim."
    )
    version: int = VERSION
    created_at: datetime = CREATED
    updated_at: datetime = UPDATED

    @classmethod
    def from_row(cls, row: Row) -> Self:
        affiliations = [
            Affiliation(
                id=item["id"],
                organization=ActorRef.model_validate(item["organization"]),
                role=item["role"],
                start_date=item["start_date"],
                end_date=item["end_date"],
                source=_ref(SourceRef, item, "source_id", "source_title", "title"),
                span=Span.of(item, "span_exact"),
            )
            for item in row["affiliations"]
        ]
        return cls.model_validate({**row, "affiliations": affiliations})


# -- statements -------------------------------------------------------------------------------


class StatementStance(Out):
    """The statement's position on one claim."""

    claim: ClaimRef
    position: Position
    hedged: bool = Field(description="Implied or raised as a possibility rather than asserted.")
    note: str | None


class Statement(Out):
    """What someone said (or is reported to hold), pinned to its span of a source."""

    id: str
    kind: StatementKind
    text: str = Field(description="The statement's text, exactly as in the source.")
    span: Span
    source: SourceRef
    speaker: ActorRef | None = Field(description="Null where the source attributes it to no one.")
    said_on: date | None = Field(description="First day of the period `said_on_precision` names.")
    said_on_precision: Precision
    event: EventRef | None = Field(description="Where it was said, if known.")
    language: str
    note: str | None = Field(description="The curator's note: implied dates, attributions.")
    stances: list[StatementStance]
    version: int = VERSION
    created_at: datetime = CREATED
    updated_at: datetime = UPDATED

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls.model_validate(
            {
                **row,
                "span": Span.of(row, "text"),
                "source": {"id": row["source_id"], "title": row["source_title"]},
                "speaker": _ref(ActorRef, row, "speaker_id", "speaker_name", "name"),
                "event": _ref(EventRef, row, "event_id", "event_title", "title"),
            }
        )


# -- claims and stances -----------------------------------------------------------------------


class Claim(Out):
    """A proposition in neutral words that statements support or dispute."""

    id: str
    text: str
    description: str | None
    tags: list[str]
    statement_counts: Counts = Field(description="Statements supporting, disputing, neutral.")
    evidence_counts: EvidenceCounts
    version: int = VERSION
    created_at: datetime = CREATED
    updated_at: datetime = UPDATED

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls.model_validate(dict(row))


class StatementSummary(Out):
    """A statement in brief: fetch `/v1/statements/{id}` for its span and stances."""

    id: str
    kind: StatementKind
    text: str
    speaker: ActorRef | None
    said_on: date | None
    said_on_precision: Precision
    source_id: str


class Stance(Out):
    """A statement's position on a claim."""

    id: str
    claim: ClaimRef
    statement: StatementSummary
    position: Position
    hedged: bool = Field(description="Implied or raised as a possibility rather than asserted.")
    note: str | None
    version: int = VERSION
    created_at: datetime = CREATED
    updated_at: datetime = UPDATED

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls.model_validate(
            {
                **row,
                "claim": {"id": row["claim_id"], "text": row["claim_text"]},
                "statement": {
                    "id": row["statement_id"],
                    "kind": row["statement_kind"],
                    "text": row["statement_text"],
                    "speaker": _ref(
                        ActorRef, row, "statement_speaker_id", "statement_speaker_name", "name"
                    ),
                    "said_on": row["statement_said_on"],
                    "said_on_precision": row["statement_said_on_precision"],
                    "source_id": row["statement_source_id"],
                },
            }
        )


# -- events -----------------------------------------------------------------------------------


class Place(Out):
    name: str
    country: str | None = Field(description="ISO 3166-1 alpha-2.")
    latitude: float | None
    longitude: float | None


class Event(Out):
    """Something that happened, with dates only as precise as the sources."""

    id: str
    title: str
    kind: EventKind
    start_date: date | None
    start_precision: Precision
    end_date: date | None
    end_precision: Precision
    place: Place | None
    parent: EventRef | None
    description: str | None
    source: SourceRef | None
    span: Span | None
    version: int = VERSION
    created_at: datetime = CREATED
    updated_at: datetime = UPDATED

    @classmethod
    def from_row(cls, row: Row) -> Self:
        place = None
        if row["place_name"] is not None:
            place = {
                "name": row["place_name"],
                "country": row["place_country"],
                "latitude": row["latitude"],
                "longitude": row["longitude"],
            }
        return cls.model_validate(
            {
                **row,
                "place": place,
                "parent": _ref(EventRef, row, "parent_id", "parent_title", "title"),
                "source": _ref(SourceRef, row, "source_id", "source_title", "title"),
                "span": Span.of(row, "quote"),
            }
        )


class ParticipantActor(ActorRef):
    kind: ActorKind


class Participant(Out):
    """An actor's part in an event."""

    id: str
    actor: ParticipantActor
    role: str
    version: int = VERSION
    created_at: datetime = CREATED
    updated_at: datetime = UPDATED

    @classmethod
    def from_row(cls, row: Row) -> Self:
        actor = {"id": row["actor_id"], "name": row["actor_name"], "kind": row["actor_kind"]}
        return cls.model_validate({**row, "actor": actor})


# -- evidence ---------------------------------------------------------------------------------


class StatementRef(Out):
    """A statement, by id and speaker."""

    id: str
    speaker: ActorRef | None


class Evidence(Out):
    """An incident, figure or absence of evidence that bears on a claim."""

    id: str
    claim: ClaimRef
    relation: EvidenceRelation
    summary: str
    source: SourceRef
    span: Span
    statement: StatementRef | None = Field(description="The statement it comes from, if any.")
    event: EventRef | None
    offered_by: ActorRef | None = Field(description="Who offers it as evidence.")
    version: int = VERSION
    created_at: datetime = CREATED
    updated_at: datetime = UPDATED

    @classmethod
    def from_row(cls, row: Row) -> Self:
        statement = None
        if row["statement_id"] is not None:
            statement = {
                "id": row["statement_id"],
                "speaker": _ref(
                    ActorRef, row, "statement_speaker_id", "statement_speaker_name", "name"
                ),
            }
        return cls.model_validate(
            {
                **row,
                "claim": {"id": row["claim_id"], "text": row["claim_text"]},
                "source": {"id": row["source_id"], "title": row["source_title"]},
                "span": Span.of(row, "quote"),
                "statement": statement,
                "event": _ref(EventRef, row, "event_id", "event_title", "title"),
                "offered_by": _ref(ActorRef, row, "offered_by_id", "offered_by_name", "name"),
            }
        )


# -- lists ------------------------------------------------------------------------------------


class Page(Out, Generic[T]):
    data: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


class SourceList(Page[Source]):
    """A page of sources."""


class ActorList(Page[Actor]):
    """A page of actors."""


class StatementList(Page[Statement]):
    """A page of statements."""


class ClaimList(Page[Claim]):
    """A page of claims."""


class StanceList(Page[Stance]):
    """A page of stances."""


class EventList(Page[Event]):
    """A page of events."""


class ParticipantList(Page[Participant]):
    """A page of event participants."""


class EvidenceList(Page[Evidence]):
    """A page of evidence."""


# -- query strings ----------------------------------------------------------------------------


class Query(BaseModel):
    """Query parameters: unknown ones are refused (a typo must not silently widen a list)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PageQuery(Query):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    cursor: Cursor | None = Field(None, description="The `next_cursor` of the previous page.")


class ActorQuery(PageQuery):
    kind: ActorKind | None = None
    country: Country | None = Field(None, description="ISO 3166-1 alpha-2 code.")
    q: Text | None = Field(None, description="Case-insensitive text within the name or an alias.")
    sort: Literal["id", "name"] = "id"


class StatementQueryBase(PageQuery):
    kind: StatementKind | None = None
    claim: Id | None = Field(None, description="Only statements taking a stance on this claim.")
    position: Position | None = Field(
        None, description="Only statements taking this position (on `claim`, if given)."
    )
    said_after: IsoDate | None = Field(None, description="Said on or after (YYYY-MM-DD).")
    said_before: IsoDate | None = Field(None, description="Said on or before (YYYY-MM-DD).")
    event: Id | None = Field(None, description="Only statements made at this event.")
    sort: Literal["position", "said_on", "-said_on", "id"] = Field(
        "position",
        description="`position`: reading order in the source; `said_on`/`-said_on`: by date, "
        "undated last; `id`.",
    )

    def filters(
        self, *, speaker: str | None = None, source: str | None = None, event: str | None = None
    ) -> StatementFilters:
        """The store's filters: these parameters, within the sub-collection's parent."""
        return StatementFilters(
            speaker=getattr(self, "speaker", None),
            source=getattr(self, "source", None),
            kind=self.kind,
            claim=self.claim,
            position=self.position,
            said_after=self.said_after,
            said_before=self.said_before,
            event=self.event,
        ).with_parent(speaker=speaker, source=source, event=event)


class StatementQuery(StatementQueryBase):
    speaker: Id | None = Field(None, description="Actor id of the speaker.")
    source: Id | None = Field(None, description="Source id.")


class ClaimQuery(PageQuery):
    tag: Tag | None = None


class StanceQuery(PageQuery):
    position: Position | None = None


class EventQuery(PageQuery):
    kind: EventKind | None = None
    after: IsoDate | None = Field(None, description="Starting on or after (YYYY-MM-DD).")
    before: IsoDate | None = Field(None, description="Starting on or before (YYYY-MM-DD).")
    actor: Id | None = Field(None, description="Only events this actor took part in.")
    parent: Id | None = Field(None, description="Only the direct sub-events of this event.")
    sort: Literal["start", "-start", "id"] = Field(
        "start", description="By start date (undated last), or by id."
    )


class EvidenceQueryBase(PageQuery):
    relation: EvidenceRelation | None = None
    sort: Literal["position", "id"] = "position"


class EvidenceQuery(EvidenceQueryBase):
    claim: Id | None = None
    source: Id | None = None
    offered_by: Id | None = Field(None, description="Actor id of whoever offers it.")
