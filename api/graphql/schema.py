"""The GraphQL schema: root fields over the store, and the guards every operation passes."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

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
from strawberry.types import ExecutionContext

from api.db.engine import Database
from api.graphql.connections import Connection, connection, page_request
from api.graphql.fields import SQL, RootList, RootOne, page_parameters, with_signature
from api.graphql.guards import ErrorCodes, cost_rule
from api.graphql.ids import to_slug
from api.graphql.inputs import filter_values
from api.graphql.loaders import Loaders
from api.graphql.mutations import ERROR_TYPES, mutation_type
from api.graphql.types import (
    NODE_TYPES,
    Actor,
    Claim,
    Event,
    Evidence,
    Source,
    Statement,
)
from api.store import batch, entities
from api.store.entities import Entity

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


def root_list(entity: Entity, description: str) -> Any:
    """A root field: a connection over every row, with the entity's filter and sort."""

    async def resolve(root: Any, info: strawberry.Info, **arguments: Any) -> Any:
        request = page_request(arguments["first"], arguments["after"])
        values = filter_values(entity, arguments.get("filter"))
        sort = entity.sorts[arguments["sort"].value if "sort" in arguments else entity.default_sort]
        database: Database = info.context.database
        async with database.readers() as session:
            page = await batch.page_of(session, entity, sort, request, values)

        async def total() -> int:
            async with database.readers() as session:
                return await batch.count_of(session, entity, values)

        return connection(page, NODE_TYPES[entity.name].of, total, arguments["after"])

    parameters = page_parameters(entity, arguments=(), filterable=True)
    return strawberry.field(
        resolver=with_signature(resolve, parameters),
        description=description,
        metadata={SQL: RootList(entity)},
    )


@strawberry.type(description="Everything claimgraph holds, from its roots.")
class Query:
    node: relay.Node | None = relay.node(description="Any object, by its global id.")
    nodes: list[relay.Node | None] = relay.node(description="Objects by their global ids.")
    actor: Actor | None = root_one(
        entities.ACTOR, "An actor, by global id or slug; null if there is none."
    )
    actors: Connection[Actor] = root_list(entities.ACTOR, "Actors, filtered and sorted.")
    statement: Statement | None = root_one(
        entities.STATEMENT, "A statement, by global id or slug; null if there is none."
    )
    statements: Connection[Statement] = root_list(
        entities.STATEMENT, "Statements, filtered and sorted."
    )
    claim: Claim | None = root_one(
        entities.CLAIM, "A claim, by global id or slug; null if there is none."
    )
    claims: Connection[Claim] = root_list(entities.CLAIM, "Claims, by slug.")
    event: Event | None = root_one(
        entities.EVENT, "An event, by global id or slug; null if there is none."
    )
    events: Connection[Event] = root_list(
        entities.EVENT, "Events, filtered and sorted (by start date by default)."
    )
    evidence: Evidence | None = root_one(
        entities.EVIDENCE, "A piece of evidence, by global id or slug; null if none."
    )
    evidence_list: Connection[Evidence] = root_list(
        entities.EVIDENCE, "Evidence, filtered, in reading order unless sorted."
    )
    source: Source | None = root_one(
        entities.SOURCE, "A source, by global id or slug; null if there is none."
    )
    sources: Connection[Source] = root_list(entities.SOURCE, "Sources, by slug.")


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
        mutation=mutation_type(),
        types=ERROR_TYPES,
        extensions=[
            lambda: ParserCache(maxsize=256),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: AddValidationRules(GUARD_RULES),
            lambda: ValidationCache(maxsize=256),
            ErrorCodes,
        ],
    )
