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
from api.store.actors import ACTOR, ActorRef
from api.store.affiliations import AFFILIATION
from api.store.audit import AUDIT
from api.store.changes import Change
from api.store.claims import CLAIM
from api.store.events import EVENT, PARTICIPANT, Place
from api.store.evidence import EVIDENCE
from api.store.kit.descriptions import described
from api.store.kit.entity import Entity
from api.store.kit.filters import ValueKind
from api.store.kit.pagination import DEFAULT_LIMIT, MAX_LIMIT
from api.store.kit.representations import MovedSpan, Representation, Span
from api.store.search import SEARCH, SearchMatch, SearchType
from api.store.sources import SOURCE
from api.store.stances import STANCE
from api.store.statements import STATEMENT
from api.store.suggestions import Suggestion
from api.store.timeline import TIMELINE, TimelineType
from api.vocabulary import (
    ID_PATTERN,
    ActorKind,
    Attribution,
    EventKind,
    EvidenceRelation,
    Position,
    Precision,
    Scope,
    StatementKind,
)

T = TypeVar("T")


def _calendar(value: str) -> str:
    period(value)  # ValueError: not a calendar date
    return value


PartialDate = Annotated[str, AfterValidator(_calendar), WithJsonSchema(dates.JSON_SCHEMA)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=120)]
Cursor = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$", max_length=1000)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]+$", max_length=200)]
Tag = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]


Out = Representation


# -- shared parts -----------------------------------------------------------------------------


@described(SOURCE.describe)
class SourceRef(Out):
    """A source, by id and title."""

    id: str
    title: str


@described(CLAIM.describe)
class ClaimRef(Out):
    """A claim, by id and text."""

    id: str
    text: str


@described(EVENT.describe)
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


# -- sources ----------------------------------------------------------------------------------


@described(SOURCE.describe)
class Source(Out):
    """A published text. Its full text is at `/v1/sources/{id}/text`."""

    id: str
    title: str
    publisher: str
    url: str | None
    published_at: datetime | None
    modified_at: datetime | None
    retrieved_at: datetime | None
    language: str
    text_sha256: str
    text_length: int
    version: int
    created_at: datetime
    updated_at: datetime


# -- actors -----------------------------------------------------------------------------------


@described(AFFILIATION.describe)
class Affiliation(Out):
    """The actor's role in an organisation or state, with the span that says so."""

    id: str
    organization: ActorRef
    role: str
    start_date: date | None
    end_date: date | None
    source: SourceRef | None
    span: Span | None


@described(ACTOR.describe)
class Actor(Out):
    """A person, organisation, state, collective group or media outlet."""

    id: str
    name: str
    kind: ActorKind
    aliases: list[str]
    description: str | None
    country: str | None
    wikidata: str | None
    identifiers: dict[str, str]
    affiliations: list[Affiliation]
    statement_counts: Counts
    version: int
    created_at: datetime
    updated_at: datetime


# -- statements -------------------------------------------------------------------------------


@described(STANCE.describe)
class StatementStance(Out):
    """The statement's position on one claim."""

    claim: ClaimRef
    position: Position
    hedged: bool
    note: str | None


@described(STATEMENT.describe)
class Statement(Out):
    """What someone said (or is reported to hold), pinned to its span of a source."""

    id: str
    kind: StatementKind
    text: str
    span: Span
    source: SourceRef
    speaker: ActorRef | None
    attribution: Attribution | None
    said_on: date | None
    said_on_precision: Precision
    event: EventRef | None
    language: str
    note: str | None
    stances: list[StatementStance]
    version: int
    created_at: datetime
    updated_at: datetime


# -- claims and stances -----------------------------------------------------------------------


@described(CLAIM.describe)
class Claim(Out):
    """A proposition in neutral words that statements support or dispute."""

    id: str
    text: str
    description: str | None
    tags: list[str]
    statement_counts: Counts
    evidence_counts: EvidenceCounts
    version: int
    created_at: datetime
    updated_at: datetime


@described(STATEMENT.describe)
class StatementSummary(Out):
    """A statement in brief: fetch `/v1/statements/{id}` for its span and stances."""

    id: str
    kind: StatementKind
    text: str
    speaker: ActorRef | None
    said_on: date | None
    said_on_precision: Precision
    source_id: str


@described(STANCE.describe)
class Stance(Out):
    """A statement's position on a claim."""

    id: str
    claim: ClaimRef
    statement: StatementSummary
    position: Position
    hedged: bool
    note: str | None
    version: int
    created_at: datetime
    updated_at: datetime


# -- events -----------------------------------------------------------------------------------


@described(EVENT.describe)
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
    version: int
    created_at: datetime
    updated_at: datetime


@described(ACTOR.describe)
class ParticipantActor(ActorRef):
    """An actor taking part, by id, name and kind."""

    kind: ActorKind


@described(PARTICIPANT.describe)
class Participant(Out):
    """An actor's part in an event."""

    id: str
    actor: ParticipantActor
    role: str
    version: int
    created_at: datetime
    updated_at: datetime


# -- evidence ---------------------------------------------------------------------------------


@described(STATEMENT.describe)
class StatementRef(Out):
    """A statement, by id and speaker."""

    id: str
    speaker: ActorRef | None


@described(EVIDENCE.describe)
class Evidence(Out):
    """An incident, figure or absence of evidence that bears on a claim."""

    id: str
    claim: ClaimRef
    relation: EvidenceRelation
    summary: str
    source: SourceRef
    span: Span
    statement: StatementRef | None
    event: EventRef | None
    offered_by: ActorRef | None
    version: int
    created_at: datetime
    updated_at: datetime


# -- search -----------------------------------------------------------------------------------


@described(SEARCH.describe)
class SearchHit(Out):
    """A statement, claim, piece of evidence, event or actor that a search found."""

    type: SearchType
    id: str
    match: SearchMatch
    rank: float
    snippet: str
    span: Span | None
    title: str
    speaker: ActorRef | None
    source: SourceRef | None
    said_on: date | None
    said_on_precision: Precision | None


# -- timeline ---------------------------------------------------------------------------------


@described(TIMELINE.describe)
class TimelineEntry(Out):
    """An event or a dated statement, dated as precisely as the source dates it."""

    type: TimelineType
    id: str
    date: str
    precision: Precision
    end: str | None
    title: str
    speaker: ActorRef | None


@described(
    {
        "events": TIMELINE.describe("undated_events"),
        "statements": TIMELINE.describe("undated_statements"),
    }.get
)
class Undated(Out):
    """What the filters match but cannot be placed in time: left out of the timeline."""

    events: int
    statements: int


# -- writes -----------------------------------------------------------------------------------


@described(AFFILIATION.describe)
class AffiliationResource(Out):
    """An actor's role in an organisation or state, as a record of its own."""

    id: str
    actor: ActorRef
    organization: ActorRef
    role: str
    start_date: date | None
    end_date: date | None
    source: SourceRef | None
    span: Span | None
    version: int
    created_at: datetime
    updated_at: datetime


class SourceChange(Source):
    """The source after a change, and the quotes its new text moved (re-anchoring)."""

    reanchored: list[MovedSpan] = Field(
        description="Each span whose offsets the new text changed; empty if the text did not."
    )


@described(AUDIT.describe)
class AuditEntry(Out):
    """One write: who (which API key), what, when, and the record before and after."""

    id: int
    at: datetime
    key: str | None
    action: str
    entity: str
    entity_id: str
    request_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class CurrentKey(Out):
    """The API key a request is sent with."""

    name: str = Field(description="The key's name, as `claimgraph keys create` gave it.")
    scopes: list[Scope] = Field(description="What the key may do: `read`, `write`, `admin`.")


class ImportReport(Out):
    """What an import wrote: rows per kind (inserted or changed) and rows removed."""

    source: str
    changed: bool = Field(description="False when the import was already there exactly.")
    written: dict[str, int] = Field(description="Rows inserted or changed, per kind.")
    deleted: int = Field(description="Rows of this source the import no longer lists.")


# -- lists ------------------------------------------------------------------------------------


class ListPage(Out, Generic[T]):
    data: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


class SourceList(ListPage[Source]):
    """A page of sources."""


class ActorList(ListPage[Actor]):
    """A page of actors."""


class StatementList(ListPage[Statement]):
    """A page of statements."""


class ClaimList(ListPage[Claim]):
    """A page of claims."""


class StanceList(ListPage[Stance]):
    """A page of stances."""


class EventList(ListPage[Event]):
    """A page of events."""


class ParticipantList(ListPage[Participant]):
    """A page of event participants."""


class EvidenceList(ListPage[Evidence]):
    """A page of evidence."""


@described(SEARCH.describe)
class SearchHitList(ListPage[SearchHit]):
    """A page of search hits, best first."""

    total: int
    total_is_estimate: bool


class TimelineList(ListPage[TimelineEntry]):
    """A page of the timeline."""

    undated: Undated


class SuggestionList(ListPage[Suggestion]):
    """Suggested statements of a source, in reading order (all of them: one page)."""


class ChangeList(ListPage[Change]):
    """A page of the change feed, in commit order; `next_cursor` is the next page's `after`."""


class AuditList(ListPage[AuditEntry]):
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
    #: Whether a filter names a record (by id): one that names nothing is a 404.
    names_records: ClassVar[bool] = False

    def filters(self) -> dict[str, Any]:
        """The filters given, by name."""
        given = ((name, getattr(self, name)) for name in self.filter_names)
        return {name: value for name, value in given if value is not None}

    @property
    def sort_name(self) -> str | None:
        return getattr(self, "sort", None)


_KINDS: dict[ValueKind, Any] = {
    # Any text: an id that names nothing is a 404 with candidates (api/store/kit/named.py),
    # more use to a client than a pattern's refusal.
    ValueKind.ID: Text,
    ValueKind.DATE: PartialDate,
    ValueKind.TEXT: Text,
    ValueKind.COUNTRY: Country,
    ValueKind.TAG: Tag,
}


def query_model(name: str, entity: Entity, *, exclude: tuple[str, ...] = ()) -> type[PageQuery]:
    """The query string of a list of `entity`: its filters (but `exclude`, which a
    sub-collection's path fixes) and, where it has several, its sorts."""
    filters = [item for item in entity.filters if item.name not in exclude]
    fields: dict[str, Any] = {}
    for item in filters:
        annotation: Any = item.vocabulary if item.kind is ValueKind.ENUM else _KINDS[item.kind]
        hints = {
            ValueKind.ID: "id; one that names nothing is a 404 suggesting similar ones",
            ValueKind.DATE: "YYYY, YYYY-MM or YYYY-MM-DD",
        }
        if item.many and item.vocabulary is not None:
            words = "|".join(member.value for member in item.vocabulary)
            annotation = Annotated[str, StringConstraints(pattern=f"^({words})(,({words}))*$")]
            hints[ValueKind.ENUM] = "comma-separated"
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
    model.names_records = any(item.kind is ValueKind.ID for item in filters)
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
