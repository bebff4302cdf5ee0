"""The REST representations: every response body and every query string, as pydantic models.

The routes serialize with these models and the OpenAPI document is generated from them, so the
contract and the wire cannot disagree. Field descriptions become the API reference.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    create_model,
)

from api import dates
from api.dates import period
from api.db.models import SLUG_PATTERN
from api.store import dossier
from api.store.entities import Entity
from api.store.kit.filters import Kind
from api.store.kit.pagination import DEFAULT_LIMIT, MAX_LIMIT
from api.store.search import SearchMatch, SearchType
from api.store.timeline import TimelineType
from api.vocabulary import (
    ActorKind,
    Attribution,
    EventKind,
    EvidenceRelation,
    Position,
    Precision,
    StatementKind,
)

T = TypeVar("T")


def _calendar(value: str) -> str:
    period(value)  # ValueError: not a calendar date
    return value


PartialDate = Annotated[str, AfterValidator(_calendar), WithJsonSchema(dates.JSON_SCHEMA)]
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
    attribution: Attribution | None = Field(
        description="`explicit` where the source names the speaker at the statement, `implied` "
        "where only its context does; null without a speaker."
    )
    said_on: date | None = Field(description="First day of the period `said_on_precision` names.")
    said_on_precision: Precision
    event: EventRef | None = Field(description="Where it was said, if known.")
    language: str
    note: str | None = Field(description="The curator's note: implied dates, attributions.")
    stances: list[StatementStance]
    version: int = VERSION
    created_at: datetime = CREATED
    updated_at: datetime = UPDATED


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


# -- claim dossier ----------------------------------------------------------------------------


_FIRST_SPEAKERS = (
    f"The first {dossier.SPEAKERS} speakers, in the order they first said it (statements "
    "attributed to no one count as one speaker, `speaker: null`)."
)


class DossierStatement(Out):
    """One of a speaker's statements on the claim."""

    id: str
    text: str
    kind: StatementKind
    date: str | None = Field(description="`2022`, `2022-01` or `2022-01-10`; null if unknown.")
    precision: Precision
    hedged: bool = Field(description="Implied or raised as a possibility rather than asserted.")
    attribution: Attribution | None = Field(
        description="`explicit` where the source names the speaker at the statement, `implied` "
        "where only its context does; null without a speaker."
    )


class DossierSpeaker(Out):
    """A speaker on one side, with their statements in date order."""

    speaker: ActorRef | None = Field(description="Null for statements attributed to no one.")
    statement_count: int = Field(
        description=f"All of them, though at most {dossier.STATEMENTS} are listed."
    )
    statements: list[DossierStatement]


class DossierEvidence(Out):
    """A piece of evidence on the claim."""

    id: str
    summary: str
    offered_by: ActorRef | None
    span: Span


class StatementBrief(Out):
    """A statement, by id and speaker."""

    id: str
    speaker: ActorRef | None


class ContradictionPair(Out):
    """Two statements on opposite sides of the claim."""

    supporting: StatementBrief
    disputing: StatementBrief


class TornSpeaker(Out):
    """A speaker whose own statements take both sides."""

    speaker: ActorRef
    supporting_count: int = Field(description="How many of their statements support the claim.")
    disputing_count: int = Field(description="How many of their statements dispute it.")
    supporting: list[str] = Field(
        description=f"Ids of the first {dossier.IDS} (by date) of their supporting statements."
    )
    disputing: list[str] = Field(
        description=f"Ids of the first {dossier.IDS} (by date) of their disputing statements."
    )


class Contradictions(Out):
    """Where the record disagrees with itself on the claim."""

    pair_count: int = Field(description="Every pair of a supporting and a disputing statement.")
    pairs: list[ContradictionPair] = Field(description=f"The first {dossier.PAIRS} pairs, by date.")
    speaker_count: int = Field(description="Every speaker whose statements take both sides.")
    speakers: list[TornSpeaker] = Field(description=f"The first {dossier.SPEAKERS} of them, by id.")


class ClaimBrief(Out):
    """The claim itself."""

    id: str
    text: str
    description: str | None
    tags: list[str]


class Dossier(Out):
    """Everything on one claim: each side by speaker, the evidence, the dates, the
    contradictions."""

    claim: ClaimBrief
    first_said: str | None = Field(
        description="The earliest date it was said, as precise as known."
    )
    last_said: str | None = Field(description="The latest date it may have been said.")
    supporter_count: int = Field(description="How many speakers support it.")
    disputer_count: int = Field(description="How many speakers dispute it.")
    neutral_count: int = Field(description="How many speakers speak to it without a side.")
    supporters: list[DossierSpeaker] = Field(description=_FIRST_SPEAKERS)
    disputers: list[DossierSpeaker] = Field(description=_FIRST_SPEAKERS)
    neutral: list[DossierSpeaker] = Field(description=_FIRST_SPEAKERS)
    evidence_for: list[DossierEvidence]
    evidence_against: list[DossierEvidence]
    context: list[DossierEvidence]
    contradictions: Contradictions


# -- search -----------------------------------------------------------------------------------


class SearchHit(Out):
    """A statement, claim, piece of evidence, event or actor that a search found."""

    type: SearchType
    id: str
    match: SearchMatch = Field(
        description="`text`: full-text search found the words; `similar`: only words like "
        "them (misspelled, transliterated otherwise), ranked below."
    )
    rank: float = Field(
        description="How well it matches; full-text hits rank above hits on similar words."
    )
    snippet: str = Field(
        description="The best fragments of its text: hits wrapped in `<mark>…</mark>`, the "
        "rest HTML-escaped."
    )
    span: Span | None = Field(description="For statements and evidence: the quoted passage.")
    title: str = Field(
        description="The statement's or claim's text, the evidence's summary, the event's "
        "title, or the actor's name."
    )
    speaker: ActorRef | None = Field(description="A statement's speaker.")
    source: SourceRef | None = Field(description="Where a statement or evidence is found.")
    said_on: date | None = Field(description="When a statement was said (first day).")
    said_on_precision: Precision | None


# -- timeline ---------------------------------------------------------------------------------


class TimelineEntry(Out):
    """An event or a dated statement, dated as precisely as the source dates it."""

    type: TimelineType
    id: str
    date: str = Field(
        description="`2022`, `2022-01` or `2022-01-10`: a month or a year is never shown as "
        "its first day."
    )
    precision: Precision
    end: str | None = Field(description="When an event ended, as precisely as known.")
    title: str = Field(description="The event's title, or the statement's text.")
    speaker: ActorRef | None = Field(description="Who said it, for a statement.")


class Undated(Out):
    """What the filters match but cannot be placed in time: left out of the timeline."""

    events: int
    statements: int


# -- writes -----------------------------------------------------------------------------------


class AffiliationResource(Out):
    """An actor's role in an organisation or state, as a record of its own."""

    id: str = Field(description="`actor--organization--role`.")
    actor: ActorRef
    organization: ActorRef
    role: str
    start_date: date | None
    end_date: date | None
    source: SourceRef | None
    span: Span | None
    version: int = VERSION
    created_at: datetime = CREATED
    updated_at: datetime = UPDATED


class MovedSpan(Out):
    """A span that a source's new text moved."""

    entity: str = Field(description="`statement`, `evidence`, `event` or `affiliation`.")
    id: str
    exact: str = Field(description="The quote, unchanged.")
    start_before: int
    end_before: int
    start: int
    end: int


class SourceChange(Source):
    """The source after a change, and the quotes its new text moved (re-anchoring)."""

    reanchored: list[MovedSpan] = Field(
        description="Each span whose offsets the new text changed; empty if the text did not."
    )


class AuditEntry(Out):
    """One write: who (which API key), what, when, and the record before and after."""

    id: int = Field(description="Entries are numbered in the order they were written.")
    at: datetime
    key: str | None = Field(description="The name of the API key that wrote.")
    action: str = Field(description="`create`, `update` or `delete`.")
    entity: str
    entity_id: str
    request_id: str | None = Field(description="The `X-Request-ID` of the write.")
    before: dict[str, Any] | None = Field(description="The row before; null on create.")
    after: dict[str, Any] | None = Field(description="The row after; null on delete.")


class ImportReport(Out):
    """What an import wrote: rows per kind (inserted or changed) and rows removed."""

    source: str
    changed: bool = Field(description="False when the import was already there exactly.")
    written: dict[str, int] = Field(description="Rows inserted or changed, per kind.")
    deleted: int = Field(description="Rows of this source the import no longer lists.")


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


class SearchHitList(Page[SearchHit]):
    """A page of search hits, best first."""


class TimelineList(Page[TimelineEntry]):
    """A page of the timeline."""

    undated: Undated


class AuditList(Page[AuditEntry]):
    """A page of the audit log."""


# -- query strings ----------------------------------------------------------------------------


class Query(BaseModel):
    """Query parameters: unknown ones are refused (a typo must not silently widen a list)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PageQuery(Query):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    cursor: Cursor | None = Field(None, description="The `next_cursor` of the previous page.")

    #: The parameters that are filters (the rest page and sort).
    filter_names: ClassVar[tuple[str, ...]] = ()

    def filters(self) -> dict[str, Any]:
        """The filters given, by name."""
        given = ((name, getattr(self, name)) for name in self.filter_names)
        return {name: value for name, value in given if value is not None}

    @property
    def sort_name(self) -> str | None:
        return getattr(self, "sort", None)


_KINDS: dict[Kind, Any] = {
    Kind.ID: Id,
    Kind.DATE: PartialDate,
    Kind.TEXT: Text,
    Kind.COUNTRY: Country,
    Kind.TAG: Tag,
}


def query_model(name: str, entity: Entity, *, exclude: tuple[str, ...] = ()) -> type[PageQuery]:
    """The query string of a list of `entity`: its filters (but `exclude`, which a
    sub-collection's path fixes) and, where it has several, its sorts."""
    filters = [item for item in entity.filters if item.name not in exclude]
    fields: dict[str, Any] = {}
    for item in filters:
        annotation: Any = item.vocabulary if item.kind is Kind.ENUM else _KINDS[item.kind]
        hints = {Kind.ID: "id", Kind.DATE: "YYYY, YYYY-MM or YYYY-MM-DD"}
        if item.many and item.vocabulary is not None:
            words = "|".join(member.value for member in item.vocabulary)
            annotation = Annotated[str, StringConstraints(pattern=f"^({words})(,({words}))*$")]
            hints[Kind.ENUM] = "comma-separated"
        description = item.described(hints)
        default = item.vocabulary and item.structural and next(iter(item.vocabulary)).value
        if item.required:
            field = Field(description=description, alias=item.parameter)
        else:
            annotation = annotation if default else annotation | None
            field = Field(default or None, description=description, alias=item.parameter)
        fields[item.name] = (annotation, field)
    if len(entity.sorts) > 1:
        described = "; ".join(f"`{key}`: {sort.phrase}" for key, sort in entity.sorts.items()) + "."
        choices = Literal[tuple(entity.sorts)]  # type: ignore[valid-type]
        fields["sort"] = (choices, Field(entity.default_sort, description=described))
    model: type[PageQuery] = create_model(name, __base__=PageQuery, **fields)
    model.filter_names = tuple(item.name for item in filters)
    return model


def patch_model(model: type[BaseModel]) -> type[BaseModel]:
    """The body of a PATCH of `model`: a merge patch, in which every field is optional and
    `null` clears one."""
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name == "id":
            continue  # an id never changes
        annotation: Any = info.annotation
        fields[name] = (annotation | None, Field(None, description=info.description))
    patch: type[BaseModel] = create_model(
        f"{model.__name__.removesuffix('Input')}Patch",
        __config__=ConfigDict(extra="forbid"),
        __doc__=f"A JSON merge patch (RFC 7396) of {model.__name__}: only what changes.",
        **fields,
    )
    return patch
