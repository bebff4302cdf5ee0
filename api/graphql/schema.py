"""The GraphQL schema: root fields over the store, guards, and the ASGI app for /graphql."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar, cast

import strawberry
from cross_web import HTTPException
from graphql import ASTValidationRule, GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry import relay
from strawberry.asgi import GraphQL
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions import max_aliases as aliases_limit
from strawberry.extensions import query_depth_limiter as depth_limit
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.types import ExecutionContext
from strawberry.types import ExecutionResult as StrawberryExecutionResult

from api.db import models
from api.db.engine import Database
from api.graphql import ide
from api.graphql.connections import DEFAULT_FIRST, Connection, connection, page_request
from api.graphql.guards import ErrorCodes, coded, cost_rule
from api.graphql.ids import optional_slug, text, to_slug
from api.graphql.loaders import Loaders
from api.graphql.observed import CountOperations
from api.graphql.refusals import outage_status, refusal
from api.graphql.types import (
    Actor,
    Claim,
    Event,
    Evidence,
    Source,
    Statement,
    StatementFilter,
    StatementSort,
)
from api.store import actors, claims, events, evidence, sources, statements
from api.store.pagination import Page, count, paginate, resolve_sort
from api.vocabulary import ActorKind, EventKind, EvidenceRelation

T = TypeVar("T")
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


@strawberry.enum(description="Orders of an actor list.")
class ActorSort(enum.Enum):
    ID = strawberry.enum_value("id", description="By slug.")
    NAME = strawberry.enum_value("name", description="By name.")


@strawberry.enum(description="Orders of an event list.")
class EventSort(enum.Enum):
    START = strawberry.enum_value("start", description="Earliest first; undated last.")
    START_DESC = strawberry.enum_value("-start", description="Latest first; undated last.")
    ID = strawberry.enum_value("id", description="By slug.")


@strawberry.input(description="Narrows a list of actors; every field given must match.")
class ActorFilter:
    kind: ActorKind | None = strawberry.field(default=None, description="Person, state, ...")
    country: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2 code.")
    q: str | None = strawberry.field(
        default=None, description="Case-insensitive text within the name or an alias."
    )

    def to_store(self) -> actors.ActorFilters:
        return actors.ActorFilters(
            kind=self.kind,
            country=text(self.country, "filter.country"),
            q=text(self.q, "filter.q"),
        )


@strawberry.input(description="Narrows a list of claims.")
class ClaimFilter:
    tag: str | None = strawberry.field(default=None, description="Only claims with this tag.")

    def to_store(self) -> claims.ClaimFilters:
        return claims.ClaimFilters(tag=text(self.tag, "filter.tag"))


@strawberry.input(description="Narrows a list of events; every field given must match.")
class EventFilter:
    kind: EventKind | None = strawberry.field(default=None, description="Protest, speech, ...")
    after: date | None = strawberry.field(default=None, description="Starting on or after.")
    before: date | None = strawberry.field(default=None, description="Starting on or before.")
    actor: str | None = strawberry.field(
        default=None, description="Only events this actor took part in (id or slug)."
    )
    parent: str | None = strawberry.field(
        default=None, description="Only the direct sub-events of this event (id or slug)."
    )

    def to_store(self) -> events.EventFilters:
        return events.EventFilters(
            kind=self.kind,
            after=self.after,
            before=self.before,
            actor=optional_slug(self.actor, "Actor", "filter.actor"),
            parent=optional_slug(self.parent, "Event", "filter.parent"),
        )


@strawberry.input(description="Narrows a list of evidence; every field given must match.")
class EvidenceFilter:
    claim: str | None = strawberry.field(default=None, description="The claim (id or slug).")
    relation: EvidenceRelation | None = strawberry.field(
        default=None, description="Supports, refutes, or context."
    )
    source: str | None = strawberry.field(default=None, description="The source (id or slug).")
    offered_by: str | None = strawberry.field(
        default=None, description="Who offers it (an actor's id or slug)."
    )

    def to_store(self) -> evidence.EvidenceFilters:
        return evidence.EvidenceFilters(
            claim=optional_slug(self.claim, "Claim", "filter.claim"),
            relation=self.relation,
            source=optional_slug(self.source, "Source", "filter.source"),
            offered_by=optional_slug(self.offered_by, "Actor", "filter.offeredBy"),
        )


async def _root_list(
    info: strawberry.Info,
    query: Any,
    sort: Any,
    first: int,
    after: str | None,
    shape: Any,
) -> Connection[Any]:
    request = page_request(first, after)
    database: Database = info.context.database
    async with database.readers() as session:
        page: Page[Any] = await paginate(
            session, query, sort, request, cursor_field="after", with_cursors=True
        )

    async def total() -> int:
        async with database.readers() as session:
            return await count(session, query)

    return connection(page, shape, total, after)


async def _root_one(
    info: strawberry.Info, model: Any, type_name: str, id: str, shape: Callable[[Any], T]
) -> T | None:
    row = await info.context.loaders.by_id(model).load(to_slug(id, type_name))
    return None if row is None else shape(row)


@strawberry.type(description="Everything claimgraph holds, from its roots.")
class Query:
    node: relay.Node | None = relay.node(description="Any object, by its global id.")
    nodes: list[relay.Node | None] = relay.node(description="Objects by their global ids.")

    @strawberry.field(description="An actor, by global id or slug; null if there is none.")
    async def actor(self, info: strawberry.Info, id: strawberry.ID) -> Actor | None:
        return await _root_one(info, models.Actor, "Actor", id, Actor.of)

    @strawberry.field(description="Actors, filtered and sorted.")
    async def actors(
        self,
        info: strawberry.Info,
        first: int = DEFAULT_FIRST,
        after: str | None = None,
        filter: ActorFilter | None = None,
        sort: ActorSort = ActorSort.ID,
    ) -> Connection[Actor]:
        query = actors.actors_query((filter or ActorFilter()).to_store())
        chosen = resolve_sort(actors.SORTS, str(sort.value), "id")
        return await _root_list(info, query, chosen, first, after, Actor.of)

    @strawberry.field(description="A statement, by global id or slug; null if there is none.")
    async def statement(self, info: strawberry.Info, id: strawberry.ID) -> Statement | None:
        return await _root_one(info, models.Statement, "Statement", id, Statement.of)

    @strawberry.field(description="Statements, filtered and sorted.")
    async def statements(
        self,
        info: strawberry.Info,
        first: int = DEFAULT_FIRST,
        after: str | None = None,
        filter: StatementFilter | None = None,
        sort: StatementSort = StatementSort.POSITION,
    ) -> Connection[Statement]:
        query = statements.statements_query((filter or StatementFilter()).to_store())
        chosen = resolve_sort(statements.SORTS, str(sort.value), "position")
        return await _root_list(info, query, chosen, first, after, Statement.of)

    @strawberry.field(description="A claim, by global id or slug; null if there is none.")
    async def claim(self, info: strawberry.Info, id: strawberry.ID) -> Claim | None:
        return await _root_one(info, models.Claim, "Claim", id, Claim.of)

    @strawberry.field(description="Claims, by slug.")
    async def claims(
        self,
        info: strawberry.Info,
        first: int = DEFAULT_FIRST,
        after: str | None = None,
        filter: ClaimFilter | None = None,
    ) -> Connection[Claim]:
        query = claims.claims_query((filter or ClaimFilter()).to_store())
        return await _root_list(info, query, claims.SORTS["id"], first, after, Claim.of)

    @strawberry.field(description="An event, by global id or slug; null if there is none.")
    async def event(self, info: strawberry.Info, id: strawberry.ID) -> Event | None:
        return await _root_one(info, models.Event, "Event", id, Event.of)

    @strawberry.field(description="Events, filtered and sorted (by start date by default).")
    async def events(
        self,
        info: strawberry.Info,
        first: int = DEFAULT_FIRST,
        after: str | None = None,
        filter: EventFilter | None = None,
        sort: EventSort = EventSort.START,
    ) -> Connection[Event]:
        query = events.events_query((filter or EventFilter()).to_store())
        chosen = resolve_sort(events.SORTS, str(sort.value), "start")
        return await _root_list(info, query, chosen, first, after, Event.of)

    @strawberry.field(description="A piece of evidence, by global id or slug; null if none.")
    async def evidence(self, info: strawberry.Info, id: strawberry.ID) -> Evidence | None:
        return await _root_one(info, models.Evidence, "Evidence", id, Evidence.of)

    @strawberry.field(description="Evidence, filtered, in reading order.")
    async def evidence_list(
        self,
        info: strawberry.Info,
        first: int = DEFAULT_FIRST,
        after: str | None = None,
        filter: EvidenceFilter | None = None,
    ) -> Connection[Evidence]:
        query = evidence.evidence_query((filter or EvidenceFilter()).to_store())
        return await _root_list(info, query, evidence.SORTS["position"], first, after, Evidence.of)

    @strawberry.field(description="A source, by global id or slug; null if there is none.")
    async def source(self, info: strawberry.Info, id: strawberry.ID) -> Source | None:
        return await _root_one(info, models.Source, "Source", id, Source.of)

    @strawberry.field(description="Sources, by slug.")
    async def sources(
        self, info: strawberry.Info, first: int = DEFAULT_FIRST, after: str | None = None
    ) -> Connection[Source]:
        query = sources.sources_query()
        return await _root_list(info, query, sources.SORTS["id"], first, after, Source.of)


class Schema(strawberry.Schema):
    """Errors are logged by ErrorCodes (with the request id), not once more here."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


@functools.cache
def create_schema() -> Schema:
    """The schema, built once per process (strawberry types bind to the first schema built
    from them). Extensions are factories, fresh for each request; the parser and validation
    caches live at strawberry's module level, shared by every request."""
    # The rule classes are built once: the validation cache is keyed by them, and
    # strawberry's QueryDepthLimiter/MaxAliasesLimiter would build new ones per request.
    rules: list[type[ASTValidationRule]] = [
        depth_limit.create_validator(MAX_DEPTH, None, None),
        aliases_limit.create_validator(MAX_ALIASES),
        cost_rule(),
    ]
    return Schema(
        query=Query,
        extensions=[
            lambda: ParserCache(maxsize=256),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: AddValidationRules(rules),
            lambda: ValidationCache(maxsize=256),
            ErrorCodes,
            CountOperations,
        ],
    )


class GraphQLApp(GraphQL[Context, None]):
    """strawberry's ASGI app, with our context and our offline GraphiQL page."""

    def __init__(self, schema: Schema, database: Database | None = None) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=True)
        self.database = database

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        database = self.database or request.app.state.database
        return Context(database=database, request=request)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(ide.PAGE)

    async def process_result(
        self, request: Request | WebSocket, result: StrawberryExecutionResult
    ) -> GraphQLHTTPResponse:
        return coded(cast(dict[str, Any], process_result(result)))  # type: ignore[return-value]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """strawberry answers an unreadable request (empty or non-JSON body, wrong method or
        media type) in text/plain; GraphQL clients get a GraphQL error in JSON instead."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as error:
            response = refusal(error.status_code, error.reason, "BAD_REQUEST")
        await response(scope, receive, send)

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        outage = outage_status(response_data) if isinstance(response_data, dict) else None
        if outage is not None:
            response.status_code, headers = outage
            response.headers.update(headers)
        return response
