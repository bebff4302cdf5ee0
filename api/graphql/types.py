"""The GraphQL types: the data model with links both ways, described field by field.

Each type wraps a store row (`row`, private to the schema). Scalars are read straight off it;
links go through the request's DataLoaders (api/graphql/loaders.py), so a query costs the
same number of SQL statements whatever the number of items it returns.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, Self, TypeVar

import strawberry
from sqlmodel import col
from strawberry import relay

from api.db import models
from api.graphql import loaders as rel
from api.graphql.connections import DEFAULT_FIRST, Connection, connection, page_request
from api.graphql.ids import optional_slug
from api.store import statements as statement_store
from api.store.pagination import Page
from api.vocabulary import (
    ActorKind,
    EventKind,
    EvidenceRelation,
    Position,
    Precision,
    StatementKind,
)

# The vocabularies become GraphQL enums in place (strawberry.enum returns the class itself).
strawberry.enum(ActorKind, description="What sort of actor it is.")
strawberry.enum(
    StatementKind,
    description="How the source conveys a statement: quoted, paraphrased, or reported.",
)
strawberry.enum(Position, description="A statement's position on a claim.")
strawberry.enum(
    Precision,
    description="How much of a date is known; the date given is the first day of that period.",
)
strawberry.enum(EventKind, description="What sort of event it was.")
strawberry.enum(EvidenceRelation, description="How a piece of evidence bears on its claim.")

T = TypeVar("T")


# -- inputs and sorts -------------------------------------------------------------------------


@strawberry.enum(description="Orders of a statement list.")
class StatementSort(enum.Enum):
    POSITION = strawberry.enum_value("position", description="Reading order in the source.")
    SAID_ON = strawberry.enum_value("said_on", description="Oldest first; undated last.")
    SAID_ON_DESC = strawberry.enum_value("-said_on", description="Newest first; undated last.")
    ID = strawberry.enum_value("id", description="By slug.")


@strawberry.input(description="Narrows a list of statements; every field given must match.")
class StatementFilter:
    speaker: str | None = strawberry.field(
        default=None, description="The speaker: an actor's global id or slug."
    )
    source: str | None = strawberry.field(
        default=None, description="The source: its global id or slug."
    )
    kind: StatementKind | None = strawberry.field(default=None, description="Quote, ...")
    claim: str | None = strawberry.field(
        default=None, description="Only statements with a stance on this claim (id or slug)."
    )
    position: Position | None = strawberry.field(
        default=None, description="Only statements taking this position (on `claim`, if given)."
    )
    said_after: date | None = strawberry.field(
        default=None, description="Said on or after this date."
    )
    said_before: date | None = strawberry.field(
        default=None, description="Said on or before this date."
    )
    event: str | None = strawberry.field(
        default=None, description="Only statements made at this event (id or slug)."
    )

    def to_store(self) -> statement_store.StatementFilters:
        return statement_store.StatementFilters(
            speaker=optional_slug(self.speaker, "Actor", "filter.speaker"),
            source=optional_slug(self.source, "Source", "filter.source"),
            kind=self.kind,
            claim=optional_slug(self.claim, "Claim", "filter.claim"),
            position=self.position,
            said_after=self.said_after,
            said_before=self.said_before,
            event=optional_slug(self.event, "Event", "filter.event"),
        )


async def _nodes(info: strawberry.Info, model: Any, shape: Any, ids: Iterable[str]) -> list[Any]:
    rows = await info.context.loaders.by_id(model).load_many(list(ids))
    return [None if row is None else shape(row) for row in rows]


async def _one(
    info: strawberry.Info, model: Any, shape: Callable[[Any], T], id: str | None
) -> T | None:
    if id is None:
        return None
    row = await info.context.loaders.by_id(model).load(id)
    return None if row is None else shape(row)


async def _nested(
    info: strawberry.Info,
    relation: rel.Relation,
    parent_id: str,
    shape: Callable[[Any], Any],
    first: int,
    after: str | None,
    sort: str | None = None,
    conditions: rel.Conditions = (),
    key: Any = None,
) -> Connection[Any]:
    """A nested connection: this parent's page from a batched, per-parent query."""
    loaders: rel.Loaders = info.context.loaders
    request = page_request(first, after)
    page: Page[Any] = await loaders.page(relation, request, sort, conditions, key).load(parent_id)

    async def count() -> int:
        total: int = await loaders.count(relation, conditions, key).load(parent_id)
        return total

    return connection(page, shape, count, after)


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

    @classmethod
    def of(cls, row: Any, exact: str | None) -> TextSpan | None:
        if row.span_start is None or exact is None:
            return None
        return cls(
            start=row.span_start,
            end=row.span_end,
            exact=exact,
            prefix=row.span_prefix or "",
            suffix=row.span_suffix or "",
        )


@strawberry.type(description="A place, as precisely as the sources give it.")
class Place:
    name: str = strawberry.field(description="The place's name.")
    country: str | None = strawberry.field(description="ISO 3166-1 alpha-2 country code.")
    latitude: float | None = strawberry.field(description="Latitude, if known.")
    longitude: float | None = strawberry.field(description="Longitude, if known.")


@strawberry.type(description="A published text; every span points into its `text`.")
class Source(relay.Node):
    id: relay.NodeID[str]
    row: strawberry.Private[models.Source]

    @classmethod
    def of(cls, row: models.Source) -> Self:
        return cls(id=row.id, row=row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Source | None]:
        return await _nodes(info, models.Source, cls.of, node_ids)

    @strawberry.field(description="The source's slug, as REST's /v1/sources/{id} uses it.")
    def slug(self) -> str:
        return self.row.id

    @strawberry.field(description="The title, as published.")
    def title(self) -> str:
        return self.row.title

    @strawberry.field(description="Who published it.")
    def publisher(self) -> str:
        return self.row.publisher

    @strawberry.field(description="Where it was published, if known.")
    def url(self) -> str | None:
        return self.row.url

    @strawberry.field(description="When it was published, if known.")
    def published_at(self) -> datetime | None:
        return self.row.published_at

    @strawberry.field(description="When the publisher last changed it, if known.")
    def modified_at(self) -> datetime | None:
        return self.row.modified_at

    @strawberry.field(description="BCP 47 language tag of the text.")
    def language(self) -> str:
        return self.row.language

    @strawberry.field(description="The full text: every span's offsets count into it.")
    def text(self) -> str:
        return self.row.text

    @strawberry.field(description="SHA-256 of the UTF-8 text, hex.")
    def text_sha256(self) -> str:
        return self.row.text_sha256

    @strawberry.field(description="The statements this source reports, in reading order.")
    async def statements(
        self, info: strawberry.Info, first: int = DEFAULT_FIRST, after: str | None = None
    ) -> Connection[Statement]:
        return await _nested(
            info, rel.STATEMENTS_BY_SOURCE, self.row.id, Statement.of, first, after
        )


@strawberry.type(description="A person, organisation, state, collective group or media outlet.")
class Actor(relay.Node):
    id: relay.NodeID[str]
    row: strawberry.Private[models.Actor]

    @classmethod
    def of(cls, row: models.Actor) -> Self:
        return cls(id=row.id, row=row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Actor | None]:
        return await _nodes(info, models.Actor, cls.of, node_ids)

    @strawberry.field(description="The actor's slug, as REST's /v1/actors/{id} uses it.")
    def slug(self) -> str:
        return self.row.id

    @strawberry.field(description="The actor's name.")
    def name(self) -> str:
        return self.row.name

    @strawberry.field(description="What sort of actor it is.")
    def kind(self) -> ActorKind:
        return ActorKind(self.row.kind)

    @strawberry.field(description="Other names, spelled as the sources spell them.")
    def aliases(self) -> list[str]:
        return list(self.row.aliases)

    @strawberry.field(description="The actor's role, in plain words.")
    def description(self) -> str | None:
        return self.row.description

    @strawberry.field(description="ISO 3166-1 alpha-2 country, where the sources make it clear.")
    def country(self) -> str | None:
        return self.row.country

    @strawberry.field(description="Wikidata QID, where known.")
    def wikidata(self) -> str | None:
        return self.row.wikidata

    @strawberry.field(description="The actor's roles in organisations and states.")
    async def affiliations(
        self, info: strawberry.Info, first: int = DEFAULT_FIRST, after: str | None = None
    ) -> Connection[Affiliation]:
        return await _nested(
            info, rel.AFFILIATIONS_BY_ACTOR, self.row.id, Affiliation.of, first, after
        )

    @strawberry.field(description="What the actor said, in reading order unless sorted.")
    async def statements(
        self,
        info: strawberry.Info,
        first: int = DEFAULT_FIRST,
        after: str | None = None,
        filter: StatementFilter | None = None,
        sort: StatementSort = StatementSort.POSITION,
    ) -> Connection[Statement]:
        filters = (filter or StatementFilter()).to_store()
        return await _nested(
            info,
            rel.STATEMENTS_BY_SPEAKER,
            self.row.id,
            Statement.of,
            first,
            after,
            str(sort.value),
            tuple(statement_store.conditions(filters)),
            filters,
        )


@strawberry.type(description="An actor's role in an organisation or state.")
class Affiliation(relay.Node):
    id: relay.NodeID[str]
    row: strawberry.Private[models.Affiliation]

    @classmethod
    def of(cls, row: models.Affiliation) -> Self:
        return cls(id=row.id, row=row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Affiliation | None]:
        return await _nodes(info, models.Affiliation, cls.of, node_ids)

    @strawberry.field(description="The role, as the source words it.")
    def role(self) -> str:
        return self.row.role

    @strawberry.field(description="When the role began, if known.")
    def start_date(self) -> date | None:
        return self.row.start_date

    @strawberry.field(description="When the role ended, if known.")
    def end_date(self) -> date | None:
        return self.row.end_date

    @strawberry.field(description="Who holds the role.")
    async def actor(self, info: strawberry.Info) -> Actor | None:
        return await _one(info, models.Actor, Actor.of, self.row.actor_id)

    @strawberry.field(description="The organisation or state the role is in.")
    async def organization(self, info: strawberry.Info) -> Actor | None:
        return await _one(info, models.Actor, Actor.of, self.row.organization_id)

    @strawberry.field(description="The source that states the role, if any.")
    async def source(self, info: strawberry.Info) -> Source | None:
        return await _one(info, models.Source, Source.of, self.row.source_id)

    @strawberry.field(description="Where the source states it.")
    def span(self) -> TextSpan | None:
        return TextSpan.of(self.row, self.row.quote)


@strawberry.type(description="What someone said, or is reported to hold, pinned to its span.")
class Statement(relay.Node):
    id: relay.NodeID[str]
    row: strawberry.Private[models.Statement]

    @classmethod
    def of(cls, row: models.Statement) -> Self:
        return cls(id=row.id, row=row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Statement | None]:
        return await _nodes(info, models.Statement, cls.of, node_ids)

    @strawberry.field(description="The statement's slug, as REST's /v1/statements/{id} uses it.")
    def slug(self) -> str:
        return self.row.id

    @strawberry.field(description="Quoted, paraphrased, or reported.")
    def kind(self) -> StatementKind:
        return StatementKind(self.row.kind)

    @strawberry.field(description="The statement's text, exactly as in the source.")
    def text(self) -> str:
        return self.row.text

    @strawberry.field(description="Where the text sits in the source.")
    def span(self) -> TextSpan:
        span = TextSpan.of(self.row, self.row.text)
        assert span is not None
        return span

    @strawberry.field(
        description="First day of the period `saidOnPrecision` names; null if unknown."
    )
    def said_on(self) -> date | None:
        return self.row.said_on

    @strawberry.field(description="How much of `saidOn` is known.")
    def said_on_precision(self) -> Precision:
        return Precision(self.row.said_on_precision)

    @strawberry.field(description="Language of the text (BCP 47).")
    def language(self) -> str:
        return self.row.language

    @strawberry.field(description="The curator's note: implied dates, uncertain attributions.")
    def note(self) -> str | None:
        return self.row.note

    @strawberry.field(description="Who said it; null where the source attributes it to no one.")
    async def speaker(self, info: strawberry.Info) -> Actor | None:
        return await _one(info, models.Actor, Actor.of, self.row.speaker_id)

    @strawberry.field(description="The source that reports it.")
    async def source(self, info: strawberry.Info) -> Source | None:
        return await _one(info, models.Source, Source.of, self.row.source_id)

    @strawberry.field(description="Where it was said, if known.")
    async def event(self, info: strawberry.Info) -> Event | None:
        return await _one(info, models.Event, Event.of, self.row.event_id)

    @strawberry.field(description="The statement's positions on claims.")
    async def stances(
        self, info: strawberry.Info, first: int = DEFAULT_FIRST, after: str | None = None
    ) -> Connection[Stance]:
        return await _nested(info, rel.STANCES_BY_STATEMENT, self.row.id, Stance.of, first, after)


@strawberry.type(description="A proposition in neutral words that statements support or dispute.")
class Claim(relay.Node):
    id: relay.NodeID[str]
    row: strawberry.Private[models.Claim]

    @classmethod
    def of(cls, row: models.Claim) -> Self:
        return cls(id=row.id, row=row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Claim | None]:
        return await _nodes(info, models.Claim, cls.of, node_ids)

    @strawberry.field(description="The claim's slug, as REST's /v1/claims/{id} uses it.")
    def slug(self) -> str:
        return self.row.id

    @strawberry.field(description="The proposition.")
    def text(self) -> str:
        return self.row.text

    @strawberry.field(description="What the proposition means, where it needs saying.")
    def description(self) -> str | None:
        return self.row.description

    @strawberry.field(description="Tags for grouping claims.")
    def tags(self) -> list[str]:
        return list(self.row.tags)

    @strawberry.field(description="Every statement's stance on this claim.")
    async def stances(
        self,
        info: strawberry.Info,
        first: int = DEFAULT_FIRST,
        after: str | None = None,
        position: Position | None = None,
    ) -> Connection[Stance]:
        conditions = () if position is None else (col(models.Stance.position) == position,)
        return await _nested(
            info,
            rel.STANCES_BY_CLAIM,
            self.row.id,
            Stance.of,
            first,
            after,
            conditions=conditions,
            key=position,
        )

    @strawberry.field(description="The stances supporting this claim: who, and what they said.")
    async def supporters(
        self, info: strawberry.Info, first: int = DEFAULT_FIRST, after: str | None = None
    ) -> Connection[Stance]:
        page: Connection[Stance] = await self.stances(info, first, after, Position.SUPPORTS)
        return page

    @strawberry.field(description="The stances disputing this claim: who, and what they said.")
    async def disputers(
        self, info: strawberry.Info, first: int = DEFAULT_FIRST, after: str | None = None
    ) -> Connection[Stance]:
        page: Connection[Stance] = await self.stances(info, first, after, Position.DISPUTES)
        return page

    @strawberry.field(description="The evidence that bears on this claim, in reading order.")
    async def evidence(
        self,
        info: strawberry.Info,
        first: int = DEFAULT_FIRST,
        after: str | None = None,
        relation: EvidenceRelation | None = None,
    ) -> Connection[Evidence]:
        conditions = () if relation is None else (col(models.Evidence.relation) == relation,)
        return await _nested(
            info,
            rel.EVIDENCE_BY_CLAIM,
            self.row.id,
            Evidence.of,
            first,
            after,
            conditions=conditions,
            key=relation,
        )


@strawberry.type(description="A statement's position on a claim.")
class Stance(relay.Node):
    id: relay.NodeID[str]
    row: strawberry.Private[models.Stance]

    @classmethod
    def of(cls, row: models.Stance) -> Self:
        return cls(id=row.id, row=row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Stance | None]:
        return await _nodes(info, models.Stance, cls.of, node_ids)

    @strawberry.field(description="Supports, disputes, or neutral.")
    def position(self) -> Position:
        return Position(self.row.position)

    @strawberry.field(description="Implied or raised as a possibility rather than asserted.")
    def hedged(self) -> bool:
        return self.row.hedged

    @strawberry.field(description="The curator's reading of the stance, where it needs one.")
    def note(self) -> str | None:
        return self.row.note

    @strawberry.field(description="The statement taking the position.")
    async def statement(self, info: strawberry.Info) -> Statement | None:
        return await _one(info, models.Statement, Statement.of, self.row.statement_id)

    @strawberry.field(description="The claim it is a position on.")
    async def claim(self, info: strawberry.Info) -> Claim | None:
        return await _one(info, models.Claim, Claim.of, self.row.claim_id)


@strawberry.type(description="Something that happened, dated only as precisely as the sources.")
class Event(relay.Node):
    id: relay.NodeID[str]
    row: strawberry.Private[models.Event]

    @classmethod
    def of(cls, row: models.Event) -> Self:
        return cls(id=row.id, row=row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Event | None]:
        return await _nodes(info, models.Event, cls.of, node_ids)

    @strawberry.field(description="The event's slug, as REST's /v1/events/{id} uses it.")
    def slug(self) -> str:
        return self.row.id

    @strawberry.field(description="What happened, in a few words.")
    def title(self) -> str:
        return self.row.title

    @strawberry.field(description="What sort of event it was.")
    def kind(self) -> EventKind:
        return EventKind(self.row.kind)

    @strawberry.field(description="First day of the start period; null if unknown.")
    def start_date(self) -> date | None:
        return self.row.start_date

    @strawberry.field(description="How much of `startDate` is known.")
    def start_precision(self) -> Precision:
        return Precision(self.row.start_precision)

    @strawberry.field(description="First day of the end period; null if unknown.")
    def end_date(self) -> date | None:
        return self.row.end_date

    @strawberry.field(description="How much of `endDate` is known.")
    def end_precision(self) -> Precision:
        return Precision(self.row.end_precision)

    @strawberry.field(description="Where it happened, if known.")
    def place(self) -> Place | None:
        if self.row.place_name is None:
            return None
        return Place(
            name=self.row.place_name,
            country=self.row.place_country,
            latitude=self.row.latitude,
            longitude=self.row.longitude,
        )

    @strawberry.field(description="What the sources say of it.")
    def description(self) -> str | None:
        return self.row.description

    @strawberry.field(description="Where a source describes it, if pinned to a span.")
    def span(self) -> TextSpan | None:
        return TextSpan.of(self.row, self.row.quote)

    @strawberry.field(description="The larger event this is part of.")
    async def parent(self, info: strawberry.Info) -> Event | None:
        return await _one(info, models.Event, Event.of, self.row.parent_id)

    @strawberry.field(description="The events that are part of this one, by start date.")
    async def children(
        self, info: strawberry.Info, first: int = DEFAULT_FIRST, after: str | None = None
    ) -> Connection[Event]:
        return await _nested(info, rel.CHILDREN_BY_EVENT, self.row.id, Event.of, first, after)

    @strawberry.field(description="Who took part, and in what role.")
    async def participants(
        self, info: strawberry.Info, first: int = DEFAULT_FIRST, after: str | None = None
    ) -> Connection[EventParticipant]:
        return await _nested(
            info, rel.PARTICIPANTS_BY_EVENT, self.row.id, EventParticipant.of, first, after
        )

    @strawberry.field(description="The statements made at this event.")
    async def statements(
        self, info: strawberry.Info, first: int = DEFAULT_FIRST, after: str | None = None
    ) -> Connection[Statement]:
        return await _nested(info, rel.STATEMENTS_BY_EVENT, self.row.id, Statement.of, first, after)


@strawberry.type(description="An actor's part in an event.")
class EventParticipant(relay.Node):
    id: relay.NodeID[str]
    row: strawberry.Private[models.EventParticipant]

    @classmethod
    def of(cls, row: models.EventParticipant) -> Self:
        return cls(id=row.id, row=row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[EventParticipant | None]:
        return await _nodes(info, models.EventParticipant, cls.of, node_ids)

    @strawberry.field(description="The actor's role (organizer, speaker, target, ...).")
    def role(self) -> str:
        return self.row.role

    @strawberry.field(description="Who took part.")
    async def actor(self, info: strawberry.Info) -> Actor | None:
        return await _one(info, models.Actor, Actor.of, self.row.actor_id)

    @strawberry.field(description="The event.")
    async def event(self, info: strawberry.Info) -> Event | None:
        return await _one(info, models.Event, Event.of, self.row.event_id)


@strawberry.type(
    description="An incident, figure or absence of evidence that bears on a claim, pinned to "
    "its span."
)
class Evidence(relay.Node):
    id: relay.NodeID[str]
    row: strawberry.Private[models.Evidence]

    @classmethod
    def of(cls, row: models.Evidence) -> Self:
        return cls(id=row.id, row=row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Evidence | None]:
        return await _nodes(info, models.Evidence, cls.of, node_ids)

    @strawberry.field(description="The evidence's slug, as REST's /v1/evidence/{id} uses it.")
    def slug(self) -> str:
        return self.row.id

    @strawberry.field(description="Supports, refutes, or context.")
    def relation(self) -> EvidenceRelation:
        return EvidenceRelation(self.row.relation)

    @strawberry.field(description="What the evidence is, in neutral words.")
    def summary(self) -> str:
        return self.row.summary

    @strawberry.field(description="Where the source states it.")
    def span(self) -> TextSpan:
        span = TextSpan.of(self.row, self.row.quote)
        assert span is not None
        return span

    @strawberry.field(description="The claim it bears on.")
    async def claim(self, info: strawberry.Info) -> Claim | None:
        return await _one(info, models.Claim, Claim.of, self.row.claim_id)

    @strawberry.field(description="The statement it comes from, if any.")
    async def statement(self, info: strawberry.Info) -> Statement | None:
        return await _one(info, models.Statement, Statement.of, self.row.statement_id)

    @strawberry.field(description="The event it concerns, if any.")
    async def event(self, info: strawberry.Info) -> Event | None:
        return await _one(info, models.Event, Event.of, self.row.event_id)

    @strawberry.field(description="The source it is found in.")
    async def source(self, info: strawberry.Info) -> Source | None:
        return await _one(info, models.Source, Source.of, self.row.source_id)

    @strawberry.field(description="Who offers it as evidence, if anyone in particular.")
    async def offered_by(self, info: strawberry.Info) -> Actor | None:
        return await _one(info, models.Actor, Actor.of, self.row.offered_by_id)
