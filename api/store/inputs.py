"""What a client writes: one document per kind of record, the same for REST and GraphQL.

Each document is a pydantic model at least as strict as the fixture schema
(api/store/fixtures/schema.py), so that whatever the API accepts, an export writes and an
import takes back. References name records by id (`speaker`, `claim`, ...). A quote is given
as its text, plus `occurrence` where it repeats, and the store finds its offsets as the
loader does; or with `span: {start, end}`, which must be exactly where the text is.

A kind (`Kind`) says how its document becomes a row and a row a document again: a PATCH is a
JSON merge patch (RFC 7396) of the row's document, validated like a new one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from api.store.fixtures import loader
from api.store.fixtures.schema import Country, Slug
from api.vocabulary import (
    ActorKind,
    Attribution,
    EventKind,
    EvidenceRelation,
    Position,
    Precision,
    StatementKind,
)

Text = Annotated[str, StringConstraints(min_length=1)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$", max_length=35)]
Qid = Annotated[str, StringConstraints(pattern=r"^Q[1-9][0-9]*$", max_length=16)]
Row = dict[str, Any]


class Document(BaseModel):
    """A write's body: unknown fields are refused (a typo must not be dropped silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def value(self, name: str) -> Any:
        """A field by name, None where this kind of document has no such field."""
        return getattr(self, name, None)


class SpanInput(Document):
    """Offsets of the quote in its source's text (Unicode code points)."""

    start: int = Field(ge=0, description="Offset of the first character.")
    end: int = Field(ge=1, description="Offset just past the last character.")


QUOTE_HELP = (
    "Give `occurrence` (1-based) where the text appears more than once, or `span` with its "
    "exact offsets; otherwise the store finds it."
)


def _check_period(value: date | None, precision: Precision, name: str) -> None:
    if (value is None) != (precision is Precision.UNKNOWN):
        raise ValueError(f"{name}: a date needs a precision, and `unknown` needs no date")
    if value is None:
        return
    if precision is Precision.MONTH and value.day != 1:
        raise ValueError(f"{name}: a month is given as its first day")
    if precision is Precision.YEAR and (value.month, value.day) != (1, 1):
        raise ValueError(f"{name}: a year is given as its first day")


def _check_quote(document: Any, quote: str) -> None:
    if document.span is not None and document.occurrence is not None:
        raise ValueError("give `occurrence` or `span`, not both")
    if getattr(document, quote) is None and (
        document.span is not None or document.occurrence is not None
    ):
        raise ValueError(f"`occurrence` and `span` locate a `{quote}`, and none is given")


def _check_order(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise ValueError("the end comes before the start")


# -- the documents ----------------------------------------------------------------------------


class SourceInput(Document):
    """A published text. Changing `text` later re-anchors every quote in it."""

    id: Slug
    title: Text
    publisher: Text
    url: Text | None = None
    published_at: AwareDatetime | None = None
    modified_at: AwareDatetime | None = None
    retrieved_at: AwareDatetime | None = None
    language: Language = Field(description="BCP 47 language tag.")
    text: Text = Field(description="The text exactly as published; spans count into it.")


class ActorInput(Document):
    """A person, organisation, state, collective group or media outlet."""

    id: Slug
    name: Text
    kind: ActorKind
    aliases: list[Text] = []
    description: Text = Field(description="The actor's role, in plain words.")
    country: Country | None = None
    wikidata: Qid | None = None
    identifiers: dict[Text, Text] = {}


class AffiliationInput(Document):
    """An actor's role in an organisation or state; its id is `actor--organization--role`."""

    actor: Slug
    organization: Slug
    role: Text
    start_date: date | None = None
    end_date: date | None = None
    source: Slug | None = Field(None, description="The source whose text states the role.")
    quote: Text | None = Field(None, description="Where the source states it. " + QUOTE_HELP)
    occurrence: int | None = Field(None, ge=1)
    span: SpanInput | None = None

    @model_validator(mode="after")
    def _valid(self) -> AffiliationInput:
        _check_order(self.start_date, self.end_date)
        _check_quote(self, "quote")
        if (self.source is None) != (self.quote is None):
            raise ValueError("`source` and `quote` come together")
        if self.actor == self.organization:
            raise ValueError("an actor is not affiliated with itself")
        return self


class ClaimInput(Document):
    """A proposition in neutral words."""

    id: Slug
    text: Text
    description: Text | None = None
    tags: list[Slug] = []


class StatementInput(Document):
    """What someone said or is reported to hold, as the source words it."""

    id: Slug
    source: Slug
    speaker: Slug | None = Field(None, description="Null where the source names no one.")
    attribution: Attribution | None = Field(
        None, description="`explicit` (the default with a speaker) or `implied`."
    )
    kind: StatementKind
    text: Text = Field(description="Exactly as in the source. " + QUOTE_HELP)
    occurrence: int | None = Field(None, ge=1)
    span: SpanInput | None = None
    said_on: date | None = Field(None, description="First day of the period.")
    said_on_precision: Precision = Precision.UNKNOWN
    event: Slug | None = None
    language: Language = "en"
    note: Text | None = None

    @model_validator(mode="after")
    def _valid(self) -> StatementInput:
        _check_period(self.said_on, self.said_on_precision, "said_on")
        _check_quote(self, "text")
        if self.attribution is not None and self.speaker is None:
            raise ValueError("a statement without a speaker has no attribution")
        return self


class StanceInput(Document):
    """A statement's position on a claim; its id is `statement--claim`."""

    statement: Slug
    claim: Slug
    position: Position
    hedged: bool = Field(False, description="Implied or raised as a possibility.")
    note: Text | None = None


class ClaimStanceInput(Document):
    """A stance on the claim of the path."""

    statement: Slug
    position: Position
    hedged: bool = Field(False, description="Implied or raised as a possibility.")
    note: Text | None = None


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
    source: Slug | None = Field(None, description="The source whose text describes it.")
    quote: Text | None = Field(None, description="Where the source describes it. " + QUOTE_HELP)
    occurrence: int | None = Field(None, ge=1)
    span: SpanInput | None = None
    participants: list[ParticipantInput] = Field(
        [], description="Who took part; the whole list (a PATCH replaces it)."
    )

    @model_validator(mode="after")
    def _valid(self) -> EventInput:
        _check_period(self.start_date, self.start_precision, "start_date")
        _check_period(self.end_date, self.end_precision, "end_date")
        _check_order(self.start_date, self.end_date)
        _check_quote(self, "quote")
        if (self.source is None) != (self.quote is None):
            raise ValueError("`source` and `quote` come together")
        if self.parent == self.id:
            raise ValueError("an event is not its own parent")
        keys = [(item.actor, item.role) for item in self.participants]
        if len(keys) != len(set(keys)):
            raise ValueError("a participant is listed twice in the same role")
        return self


class EvidenceInput(Document):
    """Something in a source that bears on a claim."""

    id: Slug
    claim: Slug
    relation: EvidenceRelation
    summary: Text
    source: Slug
    quote: Text = Field(description="Exactly as in the source. " + QUOTE_HELP)
    occurrence: int | None = Field(None, ge=1)
    span: SpanInput | None = None
    statement: Slug | None = None
    event: Slug | None = None
    offered_by: Slug | None = None

    @model_validator(mode="after")
    def _valid(self) -> EvidenceInput:
        _check_quote(self, "quote")
        return self


# -- kinds: documents to rows and back --------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """How one kind of record is written.

    `columns` maps document fields to row columns where the names differ (`speaker` is
    `speaker_id`); `quote` is the document field holding a verbatim quote (its column has the
    same name); `identity` are the fields a derived id is made of (they never change after
    creation); `children` is the field listing rows of another table owned by this one.
    """

    entity: str
    model: type[Document]
    columns: Mapping[str, str] = field(default_factory=dict)
    references: Mapping[str, str] = field(default_factory=dict)
    quote: str | None = None
    identity: tuple[str, ...] = ()
    derive_id: Callable[[Document], str] | None = None

    def id_of(self, document: Document) -> str:
        return self.derive_id(document) if self.derive_id else str(document.value("id"))

    def row(self, document: Document) -> Row:
        """The row's columns from a validated document (spans are added by the command)."""
        values = document.model_dump(exclude={"occurrence", "span", "place", "participants"})
        row = {self.columns.get(name, name): value for name, value in values.items()}
        row["id"] = self.id_of(document)
        if self.entity == "source":
            row["text_sha256"] = _sha256(row["text"])
        if self.entity == "statement" and row["speaker_id"] is not None:
            row["attribution"] = row["attribution"] or Attribution.EXPLICIT.value
        if self.entity == "event":
            place = getattr(document, "place", None)
            row.update(
                place_name=place.name if place else None,
                place_country=place.country if place else None,
                latitude=place.latitude if place else None,
                longitude=place.longitude if place else None,
            )
        return row

    def document(
        self, row: Mapping[str, Any], children: Sequence[Mapping[str, Any]] | None = None
    ) -> Row:
        """The stored row as the document a client would write (JSON values), the base a
        merge patch applies to."""
        fields = self.model.model_fields
        back = {column: name for name, column in self.columns.items()}
        document: Row = {}
        for column, value in row.items():
            name = back.get(column, column)
            if name in fields:
                document[name] = value.isoformat() if hasattr(value, "isoformat") else value
        if self.quote is not None and row.get("span_start") is not None:
            document["span"] = {"start": row["span_start"], "end": row["span_end"]}
        if self.entity == "event":
            document["place"] = (
                None
                if row["place_name"] is None
                else {
                    "name": row["place_name"],
                    "country": row["place_country"],
                    "latitude": row["latitude"],
                    "longitude": row["longitude"],
                }
            )
            document["participants"] = [
                {"actor": child["actor_id"], "role": child["role"]} for child in children or []
            ]
        return document


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stance_id(document: Document) -> str:
    return loader.stance_id(document.value("statement"), document.value("claim"))


def _affiliation_id(document: Document) -> str:
    actor, organization, role = (
        getattr(document, name) for name in ("actor", "organization", "role")
    )
    return loader.affiliation_id(actor, organization, role)


KINDS: dict[str, Kind] = {
    kind.entity: kind
    for kind in (
        Kind("source", SourceInput),
        Kind("actor", ActorInput),
        Kind(
            "affiliation",
            AffiliationInput,
            columns={"actor": "actor_id", "organization": "organization_id", "source": "source_id"},
            references={"actor": "actor", "organization": "actor", "source": "source"},
            quote="quote",
            identity=("actor", "organization", "role"),
            derive_id=_affiliation_id,
        ),
        Kind("claim", ClaimInput),
        Kind(
            "statement",
            StatementInput,
            columns={"source": "source_id", "speaker": "speaker_id", "event": "event_id"},
            references={"source": "source", "speaker": "actor", "event": "event"},
            quote="text",
        ),
        Kind(
            "stance",
            StanceInput,
            columns={"statement": "statement_id", "claim": "claim_id"},
            references={"statement": "statement", "claim": "claim"},
            identity=("statement", "claim"),
            derive_id=_stance_id,
        ),
        Kind(
            "event",
            EventInput,
            columns={"parent": "parent_id", "source": "source_id"},
            references={"parent": "event", "source": "source"},
            quote="quote",
        ),
        Kind(
            "evidence",
            EvidenceInput,
            columns={
                "claim": "claim_id",
                "source": "source_id",
                "statement": "statement_id",
                "event": "event_id",
                "offered_by": "offered_by_id",
            },
            references={
                "claim": "claim",
                "source": "source",
                "statement": "statement",
                "event": "event",
                "offered_by": "actor",
            },
            quote="quote",
        ),
    )
}
