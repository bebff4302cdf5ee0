"""The GraphQL schema: root fields over the store, and the guards every operation passes."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import strawberry
from graphql import ASTValidationRule, GraphQLError
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry import relay
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions import max_aliases as aliases_limit
from strawberry.extensions import query_depth_limiter as depth_limit
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from api.db.engine import Database
from api.errors import NotFound
from api.graphql.connections import Connection, connection, edges, page_info, page_request
from api.graphql.fields import SQL, RootList, RootOne, page_parameters, with_signature
from api.graphql.guards import ErrorCodes, cost_rule
from api.graphql.ids import to_slug
from api.graphql.inputs import (
    PARTIAL_DATE,
    SEARCH_ARGUMENTS,
    PartialDate,
    argument_value,
    filter_values,
)
from api.graphql.loaders import Loaders
from api.graphql.mutations import ERROR_TYPES, mutation_type
from api.graphql.observed import CountOperations
from api.graphql.represented import object_type
from api.graphql.subscriptions import Subscription
from api.graphql.types import (
    NODE_TYPES,
    Actor,
    Claim,
    Event,
    Evidence,
    SearchHitConnection,
    SearchHitEdge,
    Source,
    Statement,
    TimelineConnection,
)
from api.store import entities, suggestions
from api.store.actors import ACTOR
from api.store.claims import CLAIM
from api.store.events import EVENT
from api.store.evidence import EVIDENCE
from api.store.kit import batch
from api.store.kit.entity import Entity
from api.store.kit.filters import Values
from api.store.kit.pagination import Page
from api.store.kit.representations import Offsets
from api.store.kit.rows import Record
from api.store.search import SEARCH
from api.store.sources import SOURCE
from api.store.statements import STATEMENT
from api.store.suggestions import SuggestedSpeaker, Suggestion
from api.store.timeline import TIMELINE
from api.store.writes import transaction
from api.vocabulary import Scope

MAX_DEPTH = 15
MAX_ALIASES = 30
MAX_TOKENS = 5_000


@dataclass
class Context:
    """What every resolver can reach: the database and this request's DataLoaders."""

    database: Database
    request: Request | WebSocket | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.database)


def root_one(entity: Entity, description: str) -> Any:
    """A root field: one row by global id or slug, null if there is none."""

    async def resolve(root: Any, info: strawberry.Info, id: strawberry.ID) -> Any:
        row = await info.context.loaders.by_id(entity).load(to_slug(id, entity.type_name))
        return None if row is None else NODE_TYPES[entity.name].of(row)

    return strawberry.field(
        resolver=resolve, description=description, metadata={SQL: RootOne(entity)}
    )


@dataclass(frozen=True)
class Listing:
    """One page of a root list, and how to count and summarise the whole list."""

    info: strawberry.Info
    entity: Entity
    values: Values
    page: Page[Record]
    after: str | None

    async def total(self) -> int:
        async with self.database.readers() as session:
            return await batch.count_of(session, self.entity, self.values)

    async def summary(self, name: str) -> int:
        async with self.database.readers() as session:
            return int(await batch.summary_of(session, self.entity, name, self.values))

    @property
    def database(self) -> Database:
        database: Database = self.info.context.database
        return database


async def nodes(listing: Listing) -> Connection[Any]:
    """A connection of the entity's own nodes."""
    node_of = NODE_TYPES[listing.entity.name].of
    return connection(listing.page, node_of, listing.total, listing.after)


async def search_hits(listing: Listing) -> SearchHitConnection:
    """Search hits: each edge's node is the statement, claim, ... the hit names."""
    page, loaders = listing.page, listing.info.context.loaders
    # Scheduled together, so that each kind's DataLoader reads its hits in one batch.
    found = await asyncio.gather(
        *(loaders.by_id(entities.ENTITIES[row.type]).load(row.id) for row in page.items)
    )
    hits = [
        SearchHitEdge(
            cursor=cursor,
            node=cast(Any, NODE_TYPES[row.type].of(item)),
            match=row.match,
            rank=row.rank,
            snippet=row.snippet,
            row=row,
        )
        for row, item, cursor in zip(page.items, found, page.cursors, strict=True)
    ]
    info = page_info(page, listing.after)
    return SearchHitConnection(
        edges=hits, page_info=info, count=listing.total, summary=listing.summary
    )


async def timeline_entries(listing: Listing) -> TimelineConnection:
    """Timeline entries, with the counts of what the timeline leaves out."""
    return TimelineConnection(
        edges=edges(listing.page, NODE_TYPES[listing.entity.name].of),
        page_info=page_info(listing.page, listing.after),
        count=listing.total,
        summary=listing.summary,
    )


def root_list(
    entity: Entity,
    description: str,
    *,
    arguments: tuple[str, ...] = (),
    connect: Callable[[Listing], Awaitable[Any]] = nodes,
) -> Any:
    """A root field: a connection over every row, with the entity's filter and sort, and
    `arguments` (filters given as arguments of their own); `connect` makes the connection."""

    async def resolve(root: Any, info: strawberry.Info, **given: Any) -> Any:
        request = page_request(given["first"], given["after"])
        values = dict(filter_values(entity, given.get("filter")))
        for name in arguments:
            if given.get(name) not in (None, []):  # an empty list asks for all
                values[name] = argument_value(entity.filter(name), given[name], name)
        sort = entity.sorts[given["sort"].value if "sort" in given else entity.default_sort]
        database: Database = info.context.database
        async with database.readers() as session:
            page = await batch.page_of(session, entity, sort, request, values)
        return await connect(Listing(info, entity, values, page, given["after"]))

    parameters = page_parameters(entity, arguments=arguments, filterable=True)
    return strawberry.field(
        resolver=with_signature(resolve, parameters),
        description=description,
        metadata={SQL: RootList(entity, arguments)},
    )


if TYPE_CHECKING:  # made at run time from the representation; to mypy, any type
    SuggestionType: TypeAlias = Any
else:
    object_type(Offsets)
    object_type(SuggestedSpeaker)
    SuggestionType = object_type(Suggestion)


@strawberry.type(description="An API key, as the request that sends it sees it.")
class Viewer:
    name: str = strawberry.field(description="The key's name.")
    scopes: list[str] = strawberry.field(description="What it may do: read, write, admin.")


@strawberry.type(description="Everything claimgraph holds, from its roots.")
class Query:
    node: relay.Node | None = relay.node(description="Any object, by its global id.")
    nodes: list[relay.Node | None] = relay.node(description="Objects by their global ids.")
    actor: Actor | None = root_one(ACTOR, "An actor, by global id or slug; null if there is none.")
    actors: Connection[Actor] = root_list(ACTOR, "Actors, filtered and sorted.")
    statement: Statement | None = root_one(
        STATEMENT, "A statement, by global id or slug; null if there is none."
    )
    statements: Connection[Statement] = root_list(STATEMENT, "Statements, filtered and sorted.")
    claim: Claim | None = root_one(CLAIM, "A claim, by global id or slug; null if there is none.")
    claims: Connection[Claim] = root_list(CLAIM, "Claims, by slug.")
    event: Event | None = root_one(EVENT, "An event, by global id or slug; null if there is none.")
    events: Connection[Event] = root_list(
        EVENT, "Events, filtered and sorted (by start date by default)."
    )
    evidence: Evidence | None = root_one(
        EVIDENCE, "A piece of evidence, by global id or slug; null if none."
    )
    evidence_list: Connection[Evidence] = root_list(
        EVIDENCE, "Evidence, filtered, in reading order unless sorted."
    )
    source: Source | None = root_one(
        SOURCE, "A source, by global id or slug; null if there is none."
    )
    sources: Connection[Source] = root_list(SOURCE, "Sources, by slug.")
    timeline: TimelineConnection = root_list(
        TIMELINE,
        "Events and dated statements in time order: an item known only to a month or a "
        "year shows as that period and heads it; undated items are left out, and counted.",
        connect=timeline_entries,
    )
    search: SearchHitConnection = root_list(
        SEARCH,
        "Statements, claims, evidence, events and actors matching `query` (web-search "
        'syntax: words, "quoted phrases", `or`, `-word`, and `revol*` for prefixes), best '
        "first; names also match when misspelled or transliterated otherwise (the texts of "
        "other kinds only while their full-text hits are fewer than 50).",
        arguments=SEARCH_ARGUMENTS,
        connect=search_hits,
    )

    @strawberry.field(
        description="The API key this request is sent with (`Authorization: Bearer <key>`): "
        "its name and scopes; null without one. An unknown or revoked key is an error "
        "(`BAD_USER_INPUT`, reason `UNAUTHORIZED`)."
    )
    async def viewer(self, info: strawberry.Info) -> Viewer | None:
        request = info.context.request
        authorization = request.headers.get("authorization") if request else None
        if not authorization:
            return None
        writer = await transaction.authorize(info.context.database, authorization, Scope.READ)
        return Viewer(name=writer.key, scopes=sorted(writer.scopes))

    @strawberry.field(
        description="Statements suggested in a source's text (quoted passages, reported "
        "speech), in reading order, each with its span, a guessed speaker and date, the reason "
        "and whether it is already recorded; null if there is no such source. Nothing is "
        "stored: accepting one is `createStatement`."
    )
    async def suggestions(
        self, info: strawberry.Info, source: strawberry.ID
    ) -> list[SuggestionType] | None:
        try:
            found = await suggestions.suggest(info.context.database, to_slug(source, "Source"))
        except NotFound:
            return None
        return [SuggestionType.of_model(item) for item in found]


class Schema(strawberry.Schema):
    """Errors are logged by ErrorCodes (with the request id), not once more here."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


#: The guards beside GraphQL's own validation, built once: the validation caches are keyed by
#: them (strawberry's QueryDepthLimiter/MaxAliasesLimiter would build new ones per request).
GUARD_RULES: list[type[ASTValidationRule]] = [
    depth_limit.create_validator(MAX_DEPTH, None, None),
    aliases_limit.create_validator(MAX_ALIASES),
    cost_rule(),
]


@functools.cache
def create_schema() -> Schema:
    """The schema, built once per process (strawberry types bind to the first schema built
    from them). Extensions are factories, fresh for each request; the parser and validation
    caches live at strawberry's module level, shared by every request."""
    return Schema(
        query=Query,
        subscription=Subscription,
        config=StrawberryConfig(scalar_map={PartialDate: PARTIAL_DATE}),
        mutation=mutation_type(),
        types=ERROR_TYPES,
        extensions=[
            lambda: ParserCache(maxsize=256),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: AddValidationRules(GUARD_RULES),
            lambda: ValidationCache(maxsize=256),
            ErrorCodes,
            CountOperations,
        ],
    )
