"""The GraphQL types: the data model with links both ways, described field by field.

Each type is a `Node` over one entity of the store's map: scalar fields are attributes filled
from the row when the object is built, links and connections are resolved through the
request's DataLoaders (the reference path), and every field carries the mark from which the
compiler (api/graphql/compiler/) writes the same answer as SQL.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api.graphql.connections import Connection, PageInfo, connection, page_request
from api.graphql.fields import (
    SQL,
    ColumnOf,
    SummaryOf,
    column,
    computed,
    document,
    embedded,
    link,
)
from api.graphql.fields import connection as connection_field
from api.graphql.inputs import argument_value, filter_values
from api.store import dossier, entities
from api.store.entities import Entity, Relation
from api.store.kit import batch
from api.store.search import SearchMatch
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

#: The GraphQL type of each entity, by entity name (a node type, or the audit log's entry).
NODE_TYPES: dict[str, Any] = {}


@strawberry.type(
    description="Where a quote sits in its source: W3C TextPositionSelector offsets (in "
    "Unicode code points) plus a TextQuoteSelector (`exact`, with 32 characters of `prefix` "
    "and `suffix`) to re-anchor it if offsets drift."
)
class TextSpan:
    start: int = strawberry.field(description="Offset of the first character.")
    end: int = strawberry.field(description="Offset just past the last character.")
    exact: str = strawberry.field(description="The quoted text, exactly as in the source.")
    prefix: str = strawberry.field(description="Up to 32 characters before the quote.")
    suffix: str = strawberry.field(description="Up to 32 characters after the quote.")


@strawberry.type(description="A place, as precisely as the sources give it.")
class Place:
    name: str = strawberry.field(description="The place's name.")
    country: str | None = strawberry.field(description="ISO 3166-1 alpha-2 country code.")
    latitude: float | None = strawberry.field(description="Latitude, if known.")
    longitude: float | None = strawberry.field(description="Longitude, if known.")


@strawberry.type(
    description="One write to a record: when, what, by which request, and the record's row "
    "before and after (the API key that wrote is in the admins' REST audit log)."
)
class AuditEntry:
    row: strawberry.Private[Any]
    at: datetime = column("When the write was made.")
    action: str = column("`create`, `update` or `delete`.")
    request_id: str | None = column("The `X-Request-ID` of the request that wrote.")
    before: JSON | None = column("The row before the write; null for a create.")
    after: JSON | None = column("The row after the write; null for a delete.")

    @classmethod
    def of(cls, row: Any) -> AuditEntry:
        return cls(
            row=row,
            at=row["at"],
            action=row["action"],
            request_id=row["request_id"],
            before=row["before"],
            after=row["after"],
        )


NODE_TYPES["audit_log"] = AuditEntry


@strawberry.type
class Row:
    """A row of one entity (`entity`), as its GraphQL type."""

    row: strawberry.Private[Any]
    entity: ClassVar[Entity]
    _columns: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "entity" in cls.__dict__:
            NODE_TYPES[cls.entity.name] = cls

    @classmethod
    def columns(cls) -> tuple[tuple[str, str], ...]:
        """(attribute, column) of each scalar field, read once from the definition."""
        if not cls._columns:
            cls._columns = tuple(
                (field.python_name, mark.name or field.python_name)
                for field in cls.__strawberry_definition__.fields  # type: ignore[attr-defined]
                if isinstance(mark := field.metadata.get("claimgraph.sql"), ColumnOf)
            )
        return cls._columns

    @classmethod
    def of(cls, row: Any) -> Self:
        return cls(row=row, **{name: row[key] for name, key in cls.columns()})

    def build_embedded(self, name: str) -> TextSpan | Place | None:
        row = self.row
        if name == "place":
            if row["place_name"] is None:
                return None
            return Place(
                name=row["place_name"],
                country=row["place_country"],
                latitude=row["latitude"],
                longitude=row["longitude"],
            )
        return _span(row, self.entity.span)

    async def load_document(self, info: strawberry.Info, name: str) -> Any:
        database = info.context.database
        async with database.readers() as session:
            data = await batch.document(session, self.entity, name, self.row["id"])
        kind = info.return_type
        return _from_json(getattr(kind, "of_type", kind), data)

    async def load_link(self, info: strawberry.Info, name: str) -> Row | None:
        found = self.entity.links[name]
        target = self.row[found.column]
        if target is None:
            return None
        row = await info.context.loaders.by_id(found.target).load(target)
        return None if row is None else NODE_TYPES[found.target.name].of(row)


@strawberry.type
class Node(Row, relay.Node):
    """A row of a table's entity: an object with a global id."""

    id: relay.NodeID[str]
    version: int = column(
        "Bumped on every change to the record; a mutation's `expectedVersion` must match it."
    )

    @classmethod
    def of(cls, row: Any) -> Self:
        return cls(id=row["id"], row=row, **{name: row[key] for name, key in cls.columns()})

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await info.context.loaders.by_id(cls.entity).load_many(list(node_ids))
        return [None if row is None else cls.of(row) for row in rows]

    async def load_page(
        self, info: strawberry.Info, relation: Relation, arguments: dict[str, Any]
    ) -> Connection[Any]:
        child = relation.child
        request = page_request(arguments["first"], arguments["after"])
        values = dict(filter_values(child, arguments.get("filter")))
        for name in relation.arguments:
            if arguments.get(name) is not None:
                values[name] = argument_value(child.filter(name), arguments[name], name)
        sort = child.sorts[arguments["sort"].value if "sort" in arguments else child.default_sort]
        loaders = info.context.loaders
        page = await loaders.page(relation, request, sort, values).load(self.id)

        async def count() -> int:
            total: int = await loaders.count(relation, values).load(self.id)
            return total

        return connection(page, NODE_TYPES[child.name].of, count, arguments["after"])


def _span(row: Any, exact: str | None) -> TextSpan | None:
    if row["span_start"] is None or exact is None:
        return None
    return TextSpan(
        start=row["span_start"],
        end=row["span_end"],
        exact=row[exact],
        prefix=row["span_prefix"] or "",
        suffix=row["span_suffix"] or "",
    )


def _relation(entity: Entity, name: str) -> Relation:
    return entity.relations[name]


def slug(entity: Entity) -> Any:
    word = "evidence" if entity.name == "evidence" else f"{entity.name}s"
    return column(f"The {entity.name}'s slug, as REST's /v1/{word}/{{id}} uses it.", name="id")


@strawberry.type(description="A published text; every span points into its `text`.")
class Source(Node):
    entity: ClassVar[Entity] = entities.SOURCE
    slug: str = slug(entities.SOURCE)
    title: str = column("The title, as published.")
    publisher: str = column("Who published it.")
    url: str | None = column("Where it was published, if known.")
    published_at: datetime | None = column("When it was published, if known.")
    modified_at: datetime | None = column("When the publisher last changed it, if known.")
    language: str = column("BCP 47 language tag of the text.")
    text: str = column("The full text: every span's offsets count into it.")
    text_sha256: str = column("SHA-256 of the UTF-8 text, hex.")
    statements: Connection[Statement] = connection_field(
        _relation(entities.SOURCE, "statements"),
        "The statements this source reports, in reading order unless sorted.",
    )
    history: Connection[AuditEntry] = connection_field(
        _relation(entities.SOURCE, "history"), "The writes to this record, oldest first."
    )


@strawberry.type(description="A person, organisation, state, collective group or media outlet.")
class Actor(Node):
    entity: ClassVar[Entity] = entities.ACTOR
    slug: str = slug(entities.ACTOR)
    name: str = column("The actor's name.")
    kind: ActorKind = column("What sort of actor it is.")
    aliases: list[str] = column("Other names, spelled as the sources spell them.")
    description: str | None = column("The actor's role, in plain words.")
    country: str | None = column("ISO 3166-1 alpha-2 country, where the sources make it clear.")
    wikidata: str | None = column("Wikidata QID, where known.")
    affiliations: Connection[Affiliation] = connection_field(
        _relation(entities.ACTOR, "affiliations"), "The actor's roles in organisations and states."
    )
    statements: Connection[Statement] = connection_field(
        _relation(entities.ACTOR, "statements"),
        "What the actor said, in reading order unless sorted.",
    )
    history: Connection[AuditEntry] = connection_field(
        _relation(entities.ACTOR, "history"), "The writes to this record, oldest first."
    )


@strawberry.type(description="An actor's role in an organisation or state.")
class Affiliation(Node):
    entity: ClassVar[Entity] = entities.AFFILIATION
    role: str = column("The role, as the source words it.")
    start_date: date | None = column("When the role began, if known.")
    end_date: date | None = column("When the role ended, if known.")
    actor: Actor | None = link("actor", "Who holds the role.")
    organization: Actor | None = link("organization", "The organisation or state the role is in.")
    source: Source | None = link("source", "The source that states the role, if any.")
    span: TextSpan | None = embedded("span", "Where the source states it.")
    history: Connection[AuditEntry] = connection_field(
        _relation(entities.AFFILIATION, "history"), "The writes to this record, oldest first."
    )


@strawberry.type(description="What someone said, or is reported to hold, pinned to its span.")
class Statement(Node):
    entity: ClassVar[Entity] = entities.STATEMENT
    slug: str = slug(entities.STATEMENT)
    kind: StatementKind = column("Quoted, paraphrased, or reported.")
    text: str = column("The statement's text, exactly as in the source.")
    span: TextSpan = embedded("span", "Where the text sits in the source.")
    said_on: date | None = column(
        "First day of the period `saidOnPrecision` names; null if unknown."
    )
    said_on_precision: Precision = column("How much of `saidOn` is known.")
    language: str = column("Language of the text (BCP 47).")
    note: str | None = column("The curator's note: implied dates, uncertain attributions.")
    speaker: Actor | None = link(
        "speaker", "Who said it; null where the source attributes it to no one."
    )
    attribution: Attribution | None = column(
        "EXPLICIT where the source names the speaker at the statement, IMPLIED where only its "
        "context does; null without a speaker."
    )
    source: Source | None = link("source", "The source that reports it.")
    event: Event | None = link("event", "Where it was said, if known.")
    stances: Connection[Stance] = connection_field(
        _relation(entities.STATEMENT, "stances"), "The statement's positions on claims."
    )
    history: Connection[AuditEntry] = connection_field(
        _relation(entities.STATEMENT, "history"), "The writes to this record, oldest first."
    )


@strawberry.type(description="A proposition in neutral words that statements support or dispute.")
class Claim(Node):
    entity: ClassVar[Entity] = entities.CLAIM
    slug: str = slug(entities.CLAIM)
    text: str = column("The proposition.")
    description: str | None = column("What the proposition means, where it needs saying.")
    tags: list[str] = column("Tags for grouping claims.")
    stances: Connection[Stance] = connection_field(
        _relation(entities.CLAIM, "stances"), "Every statement's stance on this claim."
    )
    supporters: Connection[Stance] = connection_field(
        _relation(entities.CLAIM, "supporters"),
        "The stances supporting this claim: who, and what they said.",
    )
    disputers: Connection[Stance] = connection_field(
        _relation(entities.CLAIM, "disputers"),
        "The stances disputing this claim: who, and what they said.",
    )
    evidence: Connection[Evidence] = connection_field(
        _relation(entities.CLAIM, "evidence"),
        "The evidence that bears on this claim, in reading order.",
    )
    dossier: ClaimDossier = document(
        "dossier",
        "Everything on this claim: each side by speaker (statements in date order, hedged or "
        "not), the evidence for, against and as context, when it was first and last said, "
        "and the contradictions.",
    )
    history: Connection[AuditEntry] = connection_field(
        _relation(entities.CLAIM, "history"), "The writes to this record, oldest first."
    )


@strawberry.type(description="A statement's position on a claim.")
class Stance(Node):
    entity: ClassVar[Entity] = entities.STANCE
    position: Position = column("Supports, disputes, or neutral.")
    hedged: bool = column("Implied or raised as a possibility rather than asserted.")
    note: str | None = column("The curator's reading of the stance, where it needs one.")
    statement: Statement | None = link("statement", "The statement taking the position.")
    claim: Claim | None = link("claim", "The claim it is a position on.")
    history: Connection[AuditEntry] = connection_field(
        _relation(entities.STANCE, "history"), "The writes to this record, oldest first."
    )


@strawberry.type(description="Something that happened, dated only as precisely as the sources.")
class Event(Node):
    entity: ClassVar[Entity] = entities.EVENT
    slug: str = slug(entities.EVENT)
    title: str = column("What happened, in a few words.")
    kind: EventKind = column("What sort of event it was.")
    start_date: date | None = column("First day of the start period; null if unknown.")
    start_precision: Precision = column("How much of `startDate` is known.")
    end_date: date | None = column("First day of the end period; null if unknown.")
    end_precision: Precision = column("How much of `endDate` is known.")
    place: Place | None = embedded("place", "Where it happened, if known.")
    description: str | None = column("What the sources say of it.")
    span: TextSpan | None = embedded("span", "Where a source describes it, if pinned to a span.")
    parent: Event | None = link("parent", "The larger event this is part of.")
    children: Connection[Event] = connection_field(
        _relation(entities.EVENT, "children"),
        "The events that are part of this one, by start date.",
    )
    participants: Connection[EventParticipant] = connection_field(
        _relation(entities.EVENT, "participants"), "Who took part, and in what role."
    )
    statements: Connection[Statement] = connection_field(
        _relation(entities.EVENT, "statements"), "The statements made at this event."
    )
    history: Connection[AuditEntry] = connection_field(
        _relation(entities.EVENT, "history"), "The writes to this record, oldest first."
    )


@strawberry.type(description="An actor's part in an event.")
class EventParticipant(Node):
    entity: ClassVar[Entity] = entities.PARTICIPANT
    role: str = column("The actor's role (organizer, speaker, target, ...).")
    actor: Actor | None = link("actor", "Who took part.")
    event: Event | None = link("event", "The event.")
    history: Connection[AuditEntry] = connection_field(
        _relation(entities.PARTICIPANT, "history"), "The writes to this record, oldest first."
    )


@strawberry.type(
    description="An incident, figure or absence of evidence that bears on a claim, pinned to "
    "its span."
)
class Evidence(Node):
    entity: ClassVar[Entity] = entities.EVIDENCE
    slug: str = slug(entities.EVIDENCE)
    relation: EvidenceRelation = column("Supports, refutes, or context.")
    summary: str = column("What the evidence is, in neutral words.")
    span: TextSpan = embedded("span", "Where the source states it.")
    claim: Claim | None = link("claim", "The claim it bears on.")
    statement: Statement | None = link("statement", "The statement it comes from, if any.")
    event: Event | None = link("event", "The event it concerns, if any.")
    source: Source | None = link("source", "The source it is found in.")
    offered_by: Actor | None = link(
        "offered_by", "Who offers it as evidence, if anyone in particular."
    )
    history: Connection[AuditEntry] = connection_field(
        _relation(entities.EVIDENCE, "history"), "The writes to this record, oldest first."
    )


SearchHit = Annotated[
    Actor | Claim | Event | Evidence | Statement,
    strawberry.union("SearchHit", description="What a search found."),
]


@strawberry.type(description="A search hit: the item found, how well it matches, and where.")
class SearchHitEdge:
    cursor: str = strawberry.field(description="Pass as `after` to get the hits after this.")
    node: SearchHit = strawberry.field(
        description="The statement, claim, evidence, event or actor."
    )
    match: SearchMatch = column("How it matched: its words, or only similar ones.")
    rank: float = column(
        "How well it matches: full-text hits rank above hits on merely similar words."
    )
    snippet: str = computed(
        "snippet",
        "The best fragments of its text, hits wrapped in <mark>…</mark>, the rest HTML-escaped.",
    )
    row: strawberry.Private[Any]
    span: TextSpan | None = embedded("span", "For statements and evidence: the quoted passage.")

    def build_embedded(self, name: str) -> TextSpan | None:
        return _span(self.row, "span_exact")


@strawberry.type(description="A page of search hits, best first.")
class SearchHitConnection:
    edges: list[SearchHitEdge] = strawberry.field(description="The hits of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page stands.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many hits the whole search has, over all pages.")
    async def total_count(self) -> int:
        return await self.count()


@strawberry.type(description="An event or a dated statement, in the timeline.")
class TimelineEntry(Row):
    entity: ClassVar[Entity] = entities.TIMELINE
    type: TimelineType = column("An event, or a statement.")
    date: str = column(
        "When, as precisely as known: `2022`, `2022-01` or `2022-01-10` (never a month's "
        "first day standing for the month)."
    )
    precision: Precision = column("How much of `date` is known.")
    end: str | None = column("When an event ended, as precisely as known.")
    title: str = column("The event's title, or the statement's text.")
    event: Event | None = link("event", "The event, for an event entry.")
    statement: Statement | None = link("statement", "The statement, for a statement entry.")
    speaker: Actor | None = link("speaker", "Who said it, for a statement entry.")


@strawberry.type(description="A page of the timeline, and what it leaves out for want of dates.")
class TimelineConnection(Connection[TimelineEntry]):
    summary: strawberry.Private[Callable[[str], Awaitable[int]]]

    @strawberry.field(
        description="Undated events the filters match: left out, as they cannot be placed.",
        metadata={SQL: SummaryOf("undated_events")},
    )
    async def undated_events(self) -> int:
        return await self.summary("undated_events")

    @strawberry.field(
        description="Undated statements the filters match: left out, as they cannot be placed.",
        metadata={SQL: SummaryOf("undated_statements")},
    )
    async def undated_statements(self) -> int:
        return await self.summary("undated_statements")


# -- a claim's dossier: a JSON document read as typed objects ----------------------------------


@strawberry.type
class JsonRow:
    """An object of a JSON document: its fields are the document's keys."""

    @classmethod
    def of_json(cls, data: dict[str, Any]) -> Self:
        values: dict[str, Any] = {}
        for field in cls.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            mark = field.metadata.get(SQL)
            key = mark.name if isinstance(mark, ColumnOf) and mark.name else field.python_name
            values[field.python_name] = _from_json(field.type, data.get(key))
        return cls(**values)


def _from_json(kind: Any, value: Any) -> Any:
    """`value` of a document as the GraphQL type `kind` holds it (nested objects built)."""
    inner = getattr(kind, "of_type", None)
    if value is None:
        return None
    if inner is not None and isinstance(value, list):
        return [_from_json(inner, item) for item in value]
    if inner is not None:
        return _from_json(inner, value)
    if isinstance(kind, type) and issubclass(kind, JsonRow):
        return kind.of_json(value)
    if hasattr(kind, "__strawberry_definition__"):
        return kind(**value)
    return value


_FIRST_SPEAKERS = (
    f"the first {dossier.SPEAKERS} speakers, in the order they first said it (statements "
    "attributed to no one count as one speaker, with no `speaker`)."
)


@strawberry.type(description="An actor named in a dossier.")
class DossierActor(JsonRow):
    slug: str = column("The actor's slug.", name="id")
    name: str = column("The actor's name.")


@strawberry.type(description="One of a speaker's statements on the claim.")
class DossierStatement(JsonRow):
    slug: str = column("The statement's slug.", name="id")
    text: str = column("What was said.")
    kind: StatementKind = column("Quoted, paraphrased, or reported.")
    date: str | None = column("When: `2022`, `2022-01` or `2022-01-10`; null if unknown.")
    precision: Precision = column("How much of `date` is known.")
    hedged: bool = column("Implied or raised as a possibility rather than asserted.")
    attribution: Attribution | None = column(
        "EXPLICIT where the source names the speaker at the statement, IMPLIED where only its "
        "context does; null without a speaker."
    )


@strawberry.type(description="A speaker on one side of the claim, with their statements.")
class DossierSpeaker(JsonRow):
    speaker: DossierActor | None = column("Null for statements attributed to no one.")
    statement_count: int = column(f"How many statements (at most {dossier.STATEMENTS} are listed).")
    statements: list[DossierStatement] = column("Their statements, in date order.")


@strawberry.type(description="A piece of evidence on the claim.")
class DossierEvidence(JsonRow):
    slug: str = column("The evidence's slug.", name="id")
    summary: str = column("What the evidence is.")
    offered_by: DossierActor | None = column("Who offers it.")
    span: TextSpan = column("Where the source states it.")


@strawberry.type(description="A statement, by slug and speaker.")
class StatementBrief(JsonRow):
    slug: str = column("The statement's slug.", name="id")
    speaker: DossierActor | None = column("Who said it.")


@strawberry.type(description="Two statements on opposite sides of the claim.")
class ContradictionPair(JsonRow):
    supporting: StatementBrief = column("The statement supporting the claim.")
    disputing: StatementBrief = column("The statement disputing it.")


@strawberry.type(description="A speaker whose own statements take both sides.")
class TornSpeaker(JsonRow):
    speaker: DossierActor = column("The speaker.")
    supporting_count: int = column("How many of their statements support the claim.")
    disputing_count: int = column("How many of their statements dispute it.")
    supporting: list[str] = column(
        f"Slugs of the first {dossier.IDS} (by date) of their supporting statements."
    )
    disputing: list[str] = column(
        f"Slugs of the first {dossier.IDS} (by date) of their disputing statements."
    )


@strawberry.type(description="Where the record disagrees with itself on the claim.")
class Contradictions(JsonRow):
    pair_count: int = column("Every pair of a supporting and a disputing statement.")
    pairs: list[ContradictionPair] = column(f"The first {dossier.PAIRS} pairs, by date.")
    speaker_count: int = column("Every speaker whose statements take both sides.")
    speakers: list[TornSpeaker] = column(
        f"The first {dossier.SPEAKERS} speakers on both sides, by slug."
    )


@strawberry.type(description="Everything on a claim: each side by speaker, evidence, dates.")
class ClaimDossier(JsonRow):
    first_said: str | None = column("The earliest date it was said, as precise as known.")
    last_said: str | None = column("The latest date it may have been said.")
    supporter_count: int = column("How many speakers support it.")
    disputer_count: int = column("How many speakers dispute it.")
    neutral_count: int = column("How many speakers speak to it without a side.")
    supporters: list[DossierSpeaker] = column(f"Who supports it: {_FIRST_SPEAKERS}")
    disputers: list[DossierSpeaker] = column(f"Who disputes it: {_FIRST_SPEAKERS}")
    neutral: list[DossierSpeaker] = column(f"Who speaks to it without a side: {_FIRST_SPEAKERS}")
    evidence_for: list[DossierEvidence] = column("Evidence supporting it.")
    evidence_against: list[DossierEvidence] = column("Evidence against it.")
    context: list[DossierEvidence] = column("Evidence that bears on it either way.")
    contradictions: Contradictions = column("Where the record disagrees with itself.")
