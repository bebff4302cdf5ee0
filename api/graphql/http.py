"""`/graphql` over HTTP: requests in, the compiled path or the reference path, JSON out.

GET and POST as the GraphQL-over-HTTP convention has them, Apollo's automatic persisted
queries (a hash instead of the document, once the server has seen it), and for GET an `ETag`
with `304 Not Modified`, so that a frontend's repeated queries can be answered by an HTTP
cache. Each operation is answered by the compiled path (one SQL statement builds the JSON)
when the compiler covers it, else by strawberry's resolvers; `X-GraphQL-Path` and the log
line say which, and a request header `X-GraphQL-Path: fallback` asks for the resolvers (to
compare the two). A browser asking for HTML gets GraphiQL, prefilled with the `query`,
`variables` and `operationName` of the URL.
"""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, GraphQLSchema, OperationDefinitionNode, OperationType
from starlette.requests import Request
from starlette.responses import Response

from api import metrics
from api.caching import etag, matches
from api.config import Settings
from api.db.engine import Database
from api.errors import DatabaseUnavailable
from api.graphql import ide
from api.graphql.compiler.operations import LRU, PreparedOperations, digest
from api.graphql.guards import coded, cost_of
from api.graphql.refusals import outage_status, refusal, unavailable
from api.graphql.schema import GUARD_RULES, MAX_TOKENS, Context, Schema
from api.ratelimits import READS, WRITES, charge
from api.store import ratelimits, search

log = logging.getLogger("claimgraph.graphql")
#: Items a query may return per point of the reads limit.
POINT = 100
JSON = "application/json"
#: Persisted queries kept per process (hash to document), least recently used dropped.
PERSISTED = 1024


class BadRequest(Exception):
    """Raised when a request is not a GraphQL request at all (no query, broken JSON)."""

    def __init__(self, message: str, code: str = "BAD_REQUEST", status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


@dataclass(frozen=True)
class GraphQLRequest:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None


def _json_parameter(value: Any, name: str) -> Any:
    """`variables` and `extensions` as objects: JSON text in a query string, objects in a body."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as error:
            raise BadRequest(f"`{name}` is not valid JSON") from error
    if not isinstance(value, dict):
        raise BadRequest(f"`{name}` must be a JSON object")
    return value


class GraphQLEndpoint:
    """The ASGI endpoint of /graphql."""

    def __init__(
        self, schema: Schema, database: Database | None = None, settings: Settings | None = None
    ) -> None:
        self.schema = schema
        self.settings = settings
        core: GraphQLSchema = schema._schema
        self.operations = PreparedOperations(core, GUARD_RULES, max_tokens=MAX_TOKENS)
        self.persisted: LRU[str, str] = LRU(PERSISTED)
        self.database = database

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        response = await self.respond(request)
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        if request.method == "GET" and _wants_html(request) and not _persisted(request):
            return ide.page()
        try:
            body = await self._body(request)
            call = self._request(body)
        except BadRequest as bad:
            return refusal(bad.status, bad.message, bad.code)
        started = time.perf_counter()
        database: Database = self.database or request.app.state.database
        try:
            decision = await self._charge(request, call)
            if decision is not None and not decision.allowed:
                return refusal(429, decision.message, "RATE_LIMITED", headers=decision.headers)
            content, path, name, outage = await self.execute(database, request, call)
        except DatabaseUnavailable as error:
            return unavailable(error)
        except BadRequest as bad:
            return refusal(bad.status, bad.message, bad.code)
        if path == "compiled":  # the resolvers' path counts its own (graphql/observed.py)
            metrics.count_graphql_operation(name, "compiled")
        log.info(
            "graphql %s path=%s %.1fms",
            call.operation_name or "-",
            path,
            (time.perf_counter() - started) * 1000,
        )
        headers = {"X-GraphQL-Path": path, **(decision.headers if decision else {})}
        if outage is not None:
            status, retry = outage
            return Response(content, status, media_type=JSON, headers={**headers, **retry})
        if request.method == "GET":
            headers["ETag"] = etag(content, weak=False)
            headers["Cache-Control"] = "no-cache"
            if matches(request.headers.get("if-none-match"), headers["ETag"]):
                return Response(status_code=304, headers=headers)
        return Response(content, media_type=JSON, headers=headers)

    async def _charge(self, request: Request, call: GraphQLRequest) -> ratelimits.Decision | None:
        """Charge the client's allowance: a mutation is one write; a query (or a document
        that will be refused) reads a point per 100 items it may return, at least one."""
        if self.settings is None:
            return None
        document = self.operations.document(call.query, digest(call.query))
        kind = None if document is None else operation_type(document, call.operation_name)
        if kind is OperationType.MUTATION:
            return await charge(request.scope, self.settings, WRITES)
        cost = (
            0
            if document is None
            else cost_of(self.operations.schema, document, call.operation_name)
        )
        return await charge(request.scope, self.settings, READS, max(1, math.ceil(cost / POINT)))

    async def _body(self, request: Request) -> dict[str, Any]:
        if request.method == "GET":
            return dict(request.query_params)
        if request.method != "POST":
            raise BadRequest("GraphQL takes GET and POST requests", status=405)
        raw = await request.body()
        try:
            body = json.loads(raw)
        except ValueError as error:
            detail = "the body is empty" if not raw.strip() else "the body is not valid JSON"
            raise BadRequest(f"{detail}: send a JSON object with a `query`") from error
        if not isinstance(body, dict):
            raise BadRequest("the body must be a JSON object with a `query`")
        return body

    def _request(self, body: dict[str, Any]) -> GraphQLRequest:
        """The document (looked up by its hash for a persisted query), variables, name."""
        query = body.get("query")
        extensions = _json_parameter(body.get("extensions"), "extensions") or {}
        persisted = extensions.get("persistedQuery")
        if isinstance(persisted, dict):
            sha = persisted.get("sha256Hash")
            if not isinstance(sha, str):
                raise BadRequest("`persistedQuery` needs a `sha256Hash`")
            if query is None:
                query = self.persisted.get(sha)
                if query is None:
                    raise BadRequest("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", 200)
            elif not isinstance(query, str) or digest(query) != sha:
                raise BadRequest("provided sha does not match query")
            else:
                self.persisted.put(sha, query)
        if not isinstance(query, str) or not query.strip():
            raise BadRequest("no GraphQL query in the request (`query`)")
        name = body.get("operationName") or None
        if name is not None and not isinstance(name, str):
            raise BadRequest("`operationName` must be a string")
        variables = _json_parameter(body.get("variables"), "variables")
        return GraphQLRequest(query, variables, name)

    async def execute(
        self, database: Database, request: Request, call: GraphQLRequest
    ) -> tuple[bytes, str, str | None, tuple[int, dict[str, str]] | None]:
        """The response body, which path made it, the operation's name, and the status and
        headers of an outage the resolvers met. An outage on the compiled path is raised
        (503), not retried on the other path."""
        operation = self.operations.operation(call.query, call.operation_name)
        forced = request.headers.get("x-graphql-path") == "fallback"
        if not isinstance(operation, str) and not forced:
            try:
                body = await operation.execute(database, call.variables)
            except DatabaseUnavailable:
                raise
            except Exception as error:
                if search.refusal(error) is None:  # else the resolvers say what is wrong
                    log.warning("compiled path failed; answering from resolvers", exc_info=True)
                body = None
            if body is not None:
                return body, "compiled", operation.name, None
        if request.method == "GET" and operation in ("mutation", "subscription"):
            raise BadRequest("only queries may be sent with GET", status=405)
        result = await self.schema.execute(
            call.query,
            variable_values=call.variables,
            context_value=Context(database=database, request=request),
            operation_name=call.operation_name,
        )
        response: dict[str, Any] = {"data": result.data}
        if result.errors:
            response["errors"] = [error.formatted for error in result.errors]
        response = coded(response)
        content = json.dumps(response).encode()
        return content, "fallback", call.operation_name, outage_status(response)


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _persisted(request: Request) -> bool:
    """A GET naming a persisted query is a frontend's read, even from a browser's address bar;
    any other GET from a browser opens GraphiQL, its `query` and `variables` prefilled."""
    return "extensions" in request.query_params


def operation_type(document: DocumentNode, name: str | None) -> OperationType | None:
    """The type of the operation `name` (or the only one) of `document`."""
    found = [
        item.operation
        for item in document.definitions
        if isinstance(item, OperationDefinitionNode)
        and (name is None or (item.name is not None and item.name.value == name))
    ]
    return found[0] if len(found) == 1 else None
