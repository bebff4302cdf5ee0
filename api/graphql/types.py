"""The GraphQL types: the data model with links both ways.

Each type is a `Row` over one entity of the store's map (api/store/entities.py): scalar
fields are attributes filled from the row when the object is built, links and connections
are resolved through the request's DataLoaders (the reference path), and every field carries
the mark from which the compiler (api/graphql/compiler/) writes the same answer as SQL. A
type names its fields and their GraphQL types, in the order the schema shows them; what each
field is and means comes from the entity's declaration (api/graphql/fields.py: `fill`).
Every node also has its `slug` (where a writer chooses its id) and its `history`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self, TypeAlias

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api.graphql.connections import (
    PAGE_INFO,
    Connection,
    PageInfo,
    connection,
    page_request,
)
from api.graphql.fields import (
    SQL,
    ColumnOf,
    SummaryOf,
    column,
    computed,
    document,
    embedded,
    fill,
    filled,
    link,
    relation,
)
from api.graphql.inputs import argument_value, filter_values
from api.graphql.names import described
from api.graphql.represented import from_json, object_type
from api.store import dossier
from api.store.actors import ACTOR, ActorRef
from api.store.affiliations import AFFILIATION
from api.store.audit import AUDIT
from api.store.claims import CLAIM
from api.store.events import EVENT, PARTICIPANT
from api.store.events import Place as PlaceShape
from api.store.evidence import EVIDENCE
from api.store.kit import batch
from api.store.kit.entity import COMMON, Entity, Relation
from api.store.kit.representations import Span
from api.store.search import SEARCH, SearchMatch
from api.store.sources import SOURCE
from api.store.stances import STANCE
from api.store.statements import STATEMENT
from api.store.timeline import TIMELINE, TimelineType
from api.vocabulary import (
    ActorKind,
    Attribution,
    EventKind,
    EvidenceRelation,
    Position,
    Precision,
    StatementKind,
)

#: The GraphQL type of each entity, by entity name (a node type, or a virtual entity's row).
NODE_TYPES: dict[str, Any] = {}

if TYPE_CHECKING:  # made at run time from the representations; to mypy, any type
    TextSpan: TypeAlias = Any
    Place: TypeAlias = Any
    ClaimDossier: TypeAlias = Any
else:
    TextSpan = object_type(Span, "TextSpan")
    Place = object_type(PlaceShape)
    object_type(ActorRef, "DossierActor")
    for _model in (
        dossier.DossierStatement,
        dossier.DossierSpeaker,
        dossier.DossierEvidence,
        dossier.StatementBrief,
        dossier.ContradictionPair,
        dossier.TornSpeaker,
        dossier.Contradictions,
    ):
        object_type(_model)
    ClaimDossier = object_type(dossier.Dossier, "ClaimDossier", without=("claim",))


@strawberry.type
class Row:
    """A row of one entity (`entity`), as its GraphQL type."""

    row: strawberry.Private[Any]
    entity: ClassVar[Entity]
    _columns: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        entity = cls.__dict__.get("entity")
        if entity is None:
            return
        NODE_TYPES[entity.name] = cls
        if entity.form is not None and entity.form.derive_id is None:  # a writer names it
            cls.__annotations__ = {"slug": "str", **cls.__annotations__}
            cls.slug = column(name="id")  # type: ignore[attr-defined]
        if "history" in entity.relations:
            cls.__annotations__["history"] = "Connection[AuditEntry]"
            cls.history = relation()  # type: ignore[attr-defined]
        fill(cls, entity)

    @classmethod
    def columns(cls) -> tuple[tuple[str, str], ...]:
        """(attribute, column) of each scalar field, read once from the definition."""
        if not cls._columns:
            cls._columns = tuple(
                (field.python_name, mark.name or field.python_name)
                for field in cls.__strawberry_definition__.fields  # type: ignore[attr-defined]
                if isinstance(mark := field.metadata.get(SQL), ColumnOf)
            )
        return cls._columns

    @classmethod
    def of(cls, row: Any) -> Self:
        return cls(row=row, **{name: row[key] for name, key in cls.columns()})

    def build_embedded(self, info: strawberry.Info, name: str) -> Any:
        """The object of the row's own columns (a span, a place), as the field's type."""
        found = self.entity.embedded[name].of_row(self.row)
        kind = info.return_type
        made: Any = getattr(kind, "of_type", kind)
        return None if found is None else made(**found)

    async def load_document(self, info: strawberry.Info, name: str) -> Any:
        database = info.context.database
        async with database.readers() as session:
            data = await batch.document(session, self.entity, name, self.row["id"])
        kind = info.return_type
        return from_json(getattr(kind, "of_type", kind), data)

    async def load_link(self, info: strawberry.Info, name: str) -> Row | None:
        found = self.entity.links[name]
        target = self.row[found.column]
        if target is None:
            return None
        row = await info.context.loaders.by_id(found.target).load(target)
        return None if row is None else NODE_TYPES[found.target.name].of(row)


@strawberry.type(
    description="One write to a record: when, what, by which request, and the record's row "
    "before and after (the API key that wrote is in the admins' REST audit log)."
)
class AuditEntry(Row):
    entity: ClassVar[Entity] = AUDIT
    at: datetime = column()
    action: str = column()
    request_id: str | None = column()
    before: JSON | None = column()
    after: JSON | None = column()


@strawberry.type
class Node(Row, relay.Node):
    """A row of a table's entity: an object with a global id."""

    id: relay.NodeID[str]
    version: int = column(description=described(COMMON["version"]))

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


@strawberry.type(description="A published text; every span points into its `text`.")
class Source(Node):
    entity: ClassVar[Entity] = SOURCE
    title: str = column()
    publisher: str = column()
    url: str | None = column()
    published_at: datetime | None = column()
    modified_at: datetime | None = column()
    language: str = column()
    text: str = column()
    text_sha256: str = column()
    statements: Connection[Statement] = relation()


@strawberry.type(description="A person, organisation, state, collective group or media outlet.")
class Actor(Node):
    entity: ClassVar[Entity] = ACTOR
    name: str = column()
    kind: ActorKind = column()
    aliases: list[str] = column()
    description: str | None = column()
    country: str | None = column()
    wikidata: str | None = column()
    affiliations: Connection[Affiliation] = relation()
    statements: Connection[Statement] = relation()


@strawberry.type(description="An actor's role in an organisation or state.")
class Affiliation(Node):
    entity: ClassVar[Entity] = AFFILIATION
    role: str = column()
    start_date: date | None = column()
    end_date: date | None = column()
    actor: Actor | None = link()
    organization: Actor | None = link()
    source: Source | None = link()
    span: TextSpan | None = embedded()


@strawberry.type(description="What someone said, or is reported to hold, pinned to its span.")
class Statement(Node):
    entity: ClassVar[Entity] = STATEMENT
    kind: StatementKind = column()
    text: str = column()
    span: TextSpan = embedded()
    said_on: date | None = column()
    said_on_precision: Precision = column()
    language: str = column()
    note: str | None = column()
    speaker: Actor | None = link()
    attribution: Attribution | None = column()
    source: Source | None = link()
    event: Event | None = link()
    stances: Connection[Stance] = relation()


@strawberry.type(description="A proposition in neutral words that statements support or dispute.")
class Claim(Node):
    entity: ClassVar[Entity] = CLAIM
    text: str = column()
    description: str | None = column()
    tags: list[str] = column()
    stances: Connection[Stance] = relation()
    supporters: Connection[Stance] = relation()
    disputers: Connection[Stance] = relation()
    evidence: Connection[Evidence] = relation()
    dossier: ClaimDossier = document()


@strawberry.type(description="A statement's position on a claim.")
class Stance(Node):
    entity: ClassVar[Entity] = STANCE
    position: Position = column()
    hedged: bool = column()
    note: str | None = column()
    statement: Statement | None = link()
    claim: Claim | None = link()


@strawberry.type(description="Something that happened, dated only as precisely as the sources.")
class Event(Node):
    entity: ClassVar[Entity] = EVENT
    title: str = column()
    kind: EventKind = column()
    start_date: date | None = column()
    start_precision: Precision = column()
    end_date: date | None = column()
    end_precision: Precision = column()
    place: Place | None = embedded()
    description: str | None = column()
    span: TextSpan | None = embedded()
    parent: Event | None = link()
    children: Connection[Event] = relation()
    participants: Connection[EventParticipant] = relation()
    statements: Connection[Statement] = relation()


@strawberry.type(description="An actor's part in an event.")
class EventParticipant(Node):
    entity: ClassVar[Entity] = PARTICIPANT
    role: str = column()
    actor: Actor | None = link()
    event: Event | None = link()


@strawberry.type(
    description="An incident, figure or absence of evidence that bears on a claim, pinned to "
    "its span."
)
class Evidence(Node):
    entity: ClassVar[Entity] = EVIDENCE
    relation: EvidenceRelation = column()
    summary: str = column()
    span: TextSpan = embedded()
    claim: Claim | None = link()
    statement: Statement | None = link()
    event: Event | None = link()
    source: Source | None = link()
    offered_by: Actor | None = link()


SearchHit = Annotated[
    Actor | Claim | Event | Evidence | Statement,
    strawberry.union("SearchHit", description="What a search found."),
]


@strawberry.type(description="A search hit: the item found, how well it matches, and where.")
@filled(SEARCH)
class SearchHitEdge:
    cursor: str = strawberry.field(description="Pass as `after` to get the hits after this.")
    node: SearchHit = strawberry.field(
        description="The statement, claim, evidence, event or actor."
    )
    match: SearchMatch = column()
    rank: float = column()
    snippet: str = computed()
    row: strawberry.Private[Any]
    span: TextSpan | None = embedded()
    entity: ClassVar[Entity] = SEARCH

    build_embedded = Row.build_embedded


@strawberry.type(description="A page of search hits, best first.")
class SearchHitConnection:
    edges: list[SearchHitEdge] = strawberry.field(description="The hits of this page.")
    page_info: PageInfo = strawberry.field(description=PAGE_INFO)
    count: strawberry.Private[Callable[[], Awaitable[int]]]
    summary: strawberry.Private[Callable[[str], Awaitable[int]]]

    @strawberry.field(description=described(SEARCH.describe("total")))
    async def total_count(self) -> int:
        return await self.count()

    @strawberry.field(
        description=described(SEARCH.describe("total_is_estimate")),
        metadata={SQL: SummaryOf("total_is_estimate")},
    )
    async def total_is_estimate(self) -> bool:
        return bool(await self.summary("total_is_estimate"))


@strawberry.type(description="An event or a dated statement, in the timeline.")
class TimelineEntry(Row):
    entity: ClassVar[Entity] = TIMELINE
    type: TimelineType = column()
    date: str = column()
    precision: Precision = column()
    end: str | None = column()
    title: str = column()
    event: Event | None = link()
    statement: Statement | None = link()
    speaker: Actor | None = link()


@strawberry.type(description="A page of the timeline, and what it leaves out for want of dates.")
class TimelineConnection(Connection[TimelineEntry]):
    summary: strawberry.Private[Callable[[str], Awaitable[int]]]

    @strawberry.field(
        description=described(TIMELINE.describe("undated_events")),
        metadata={SQL: SummaryOf("undated_events")},
    )
    async def undated_events(self) -> int:
        return await self.summary("undated_events")

    @strawberry.field(
        description=described(TIMELINE.describe("undated_statements")),
        metadata={SQL: SummaryOf("undated_statements")},
    )
    async def undated_statements(self) -> int:
        return await self.summary("undated_statements")
