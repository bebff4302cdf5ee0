"""The shape of a fixture folder's YAML files, validated before anything touches the database.

`source.yaml` describes the publication; `extraction.yaml` holds what was read out of it.
Every quoted text is given verbatim (the loader finds its offsets); dates are partial ISO
dates whose length is their precision (`2022`, `2022-01`, `2022-01-10`, or null).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from api.vocabulary import (
    ActorKind,
    Attribution,
    EventKind,
    EvidenceRelation,
    Position,
    Precision,
    StatementKind,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, StringConstraints(min_length=1)]

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PartialDate(BaseModel):
    """A date known to a day, a month, a year, or not at all; stored as the period's first day."""

    model_config = ConfigDict(frozen=True)

    value: date | None
    precision: Precision

    @classmethod
    def parse(cls, raw: Any) -> PartialDate:
        if isinstance(raw, PartialDate):
            return raw
        if raw is None:
            return cls(value=None, precision=Precision.UNKNOWN)
        if isinstance(raw, datetime):
            raise ValueError("give a date, not a timestamp")
        if isinstance(raw, date):
            return cls(value=raw, precision=Precision.DAY)
        match = _PARTIAL.match(str(raw))
        if match is None:
            raise ValueError(f"{raw!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = match.groups()
        precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
        return cls(
            value=date(int(year), int(month or 1), int(day or 1)),
            precision=precision,
        )


When = Annotated[PartialDate, BeforeValidator(PartialDate.parse)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Quoted(Strict):
    """An entry pinned to a span: its verbatim text, and which occurrence where it repeats."""

    quote: Text
    occurrence: int | None = Field(default=None, ge=1)


class SourceFile(Strict):
    """`source.yaml`."""

    id: Slug
    title: Text
    publisher: Text
    url: str | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    retrieved_at: datetime | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")]


class ActorEntry(Strict):
    id: Slug
    name: Text
    kind: ActorKind
    aliases: list[Text] = []
    description: Text
    country: Country | None = None
    wikidata: Annotated[str, StringConstraints(pattern=r"^Q[1-9][0-9]*$")] | None = None
    identifiers: dict[str, str] = {}


class AffiliationEntry(Strict):
    actor: Slug
    organization: Slug
    role: Text
    start: When = PartialDate(value=None, precision=Precision.UNKNOWN)
    end: When = PartialDate(value=None, precision=Precision.UNKNOWN)
    quote: Text | None = None
    occurrence: int | None = Field(default=None, ge=1)


class ClaimEntry(Strict):
    id: Slug
    text: Text
    description: Text | None = None
    tags: list[Slug] = []


class Place(Strict):
    name: Text
    country: Country | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class ParticipantEntry(Strict):
    actor: Slug
    role: Slug


class EventEntry(Strict):
    id: Slug
    title: Text
    kind: EventKind
    start: When = PartialDate(value=None, precision=Precision.UNKNOWN)
    end: When = PartialDate(value=None, precision=Precision.UNKNOWN)
    place: Place | None = None
    parent: Slug | None = None
    description: Text | None = None
    participants: list[ParticipantEntry] = []
    quote: Text | None = None
    occurrence: int | None = Field(default=None, ge=1)


class StanceEntry(Strict):
    claim: Slug
    position: Position
    hedged: bool = False
    note: Text | None = None


class StatementEntry(Quoted):
    id: Slug
    speaker: Slug | None
    attribution: Attribution | None = None
    kind: StatementKind
    said_on: When = PartialDate(value=None, precision=Precision.UNKNOWN)
    event: Slug | None = None
    language: str = "en"
    note: Text | None = None
    stances: list[StanceEntry] = []

    @model_validator(mode="after")
    def _attributed_to_someone(self) -> StatementEntry:
        if self.attribution is not None and self.speaker is None:
            raise ValueError("a statement without a speaker has no attribution")
        return self

    @property
    def attributed(self) -> Attribution | None:
        """How the speaker is attributed: explicitly unless the entry says otherwise."""
        if self.speaker is None:
            return None
        return self.attribution or Attribution.EXPLICIT


class EvidenceEntry(Quoted):
    id: Slug
    claim: Slug
    relation: EvidenceRelation
    summary: Text
    statement: Slug | None = None
    event: Slug | None = None
    offered_by: Slug | None = None


class ExtractionFile(Strict):
    """`extraction.yaml`."""

    actors: list[ActorEntry] = []
    affiliations: list[AffiliationEntry] = []
    claims: list[ClaimEntry] = []
    events: list[EventEntry] = []
    statements: list[StatementEntry] = []
    evidence: list[EvidenceEntry] = []
