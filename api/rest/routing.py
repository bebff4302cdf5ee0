"""How a REST operation is declared, and everything every operation does around its handler.

A handler receives its parsed inputs and returns the body the store's view rendered (or
text); the wrapper here does the rest once for all: content negotiation, query validation,
ETags and 304s, `Link: rel="next"`. A list whose `Accept` header prefers CSV or NDJSON is
streamed whole instead (api/rest/exports.py). The same declarations feed the OpenAPI
document, so what is served and what is documented come from one place: the response models
name the fields that the views render (api/store/kit/views.py), and a contract test checks every
body against them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from api import formats
from api.caching import etag, matches
from api.db.engine import Database
from api.errors import FieldError, InvalidArgument, NotFound
from api.negotiation import preferred
from api.rest import exports
from api.rest.problems import NotAcceptable
from api.rest.schemas import ListPage, PageQuery, Query
from api.store.kit import views
from api.store.kit.entity import Entity
from api.store.kit.pagination import PageRequest
from api.store.writes import transaction as writing
from api.store.writes.keys import Writer
from api.vocabulary import Scope

JSON = "application/json"
TEXT = "text/plain; charset=utf-8"

Q = TypeVar("Q", bound=Query)


class NoQuery(Query):
    """An operation that takes no query parameters."""


@dataclass(frozen=True)
class Body:
    """A response body as PostgreSQL wrote it, and for a page the cursor of the next one;
    for a list's export, its whole response, streamed (and `json` empty)."""

    json: bytes
    next_cursor: str | None = None
    stream: Response | None = None


@dataclass
class Call(Generic[Q]):
    """What a handler gets: the path parameters, the validated query, and the store's reads
    bound to this request."""

    request: Request
    database: Database
    query: Q
    path: dict[str, str]
    #: The media type the response is in, as negotiated.
    media_type: str = JSON
    #: Who called, for an operation that needs a key (checked before the handler runs).
    writer: Writer | None = None

    @property
    def base_url(self) -> str:
        """Where the API is, as the client reached it (`http://host:port`): for links."""
        return str(self.request.base_url).rstrip("/")

    async def one(self, view: views.View) -> Body:
        """The resource named by the path's `id`."""
        return Body(await views.one(self.database, view, self.path["id"]))

    async def page(self, view: views.View, within: tuple[Entity, str] | None = None) -> Body:
        """A page of `view`'s list, narrowed by the query; `within` (parent entity, filter)
        makes it the sub-collection of the path's `id`. Asked for as CSV or NDJSON: the
        whole list, streamed."""
        assert isinstance(self.query, PageQuery)
        parent = None if within is None else views.Within(*within, self.path["id"])
        if self.media_type in formats.MEDIA_TYPES:
            response = await exports.stream(
                self.request,
                self.database,
                view,
                query=self.query,
                within=parent,
                media_type=self.media_type,
            )
            return Body(b"", stream=response)
        body, cursor = await views.page(
            self.database,
            view,
            PageRequest(limit=self.query.limit, after=self.query.cursor),
            filters=self.query.filters(),
            sort=self.query.sort_name,
            within=parent,
        )
        return Body(body, cursor)


@dataclass(frozen=True)
class OperationLink:
    """An OpenAPI link: a follow-up operation and where its parameters come from."""

    operation_id: str
    parameters: dict[str, str]
    description: str = ""


@dataclass(frozen=True)
class Operation:
    """One REST operation: its route, its inputs and outputs, and its handler.

    A write (`method` other than GET) takes a `body` of one of `body_types`, needs an API
    key with `scope`, answers `status`, and, where `if_match`, the current ETag.
    """

    path: str
    operation_id: str
    tag: str
    handler: Callable[[Any], Awaitable[Any]]
    response: type[BaseModel] | None
    query: type[Query] = NoQuery
    media_type: str = JSON
    links: dict[str, OperationLink] = field(default_factory=dict)
    method: str = "GET"
    body: type[BaseModel] | None = None
    body_types: tuple[str, ...] = ()
    status: int = 200
    scope: Scope | None = None
    if_match: bool = False
    #: Other media types the handler answers in (`Call.media_type` tells which was asked).
    alternates: tuple[str, ...] = ()
    #: The query parameter a list's next page is asked with (its `next_cursor`'s value).
    cursor_parameter: str = "cursor"
    #: A POST that only computes an answer from what is stored (suggestions): read like a
    #: GET (no key, no transaction), as it writes nothing.
    computes: bool = False
    #: A list that is also a stream (`text/event-stream`), whose rows are not exported.
    streamed: bool = False
    #: For a read that is not a list but is also a table (a claim's dossier): its rows' model,
    #: in which it answers as CSV and NDJSON too (a list's rows are its items).
    rows: type[BaseModel] | None = None
    #: For a write whose answer is no one record (an import): what its 200 means, the same
    #: write again changing nothing. Its answers carry no ETag.
    unchanged: str | None = None

    @property
    def is_list(self) -> bool:
        return self.response is not None and issubclass(self.response, ListPage)

    @property
    def is_write(self) -> bool:
        return self.method != "GET" and not self.computes

    @property
    def row_model(self) -> type[BaseModel] | None:
        """The model of its rows as CSV and NDJSON: a list's items, or its own `rows`."""
        if self.is_list and not self.streamed:
            assert self.response is not None
            item, _ = views.model_in(self.response.model_fields["data"].annotation)
            return item
        return self.rows

    @property
    def media_types(self) -> tuple[str, ...]:
        """What it answers in, preferred first: a list (or a table) as CSV and NDJSON too."""
        exported = formats.MEDIA_TYPES if self.row_model is not None else ()
        return (self.media_type, *self.alternates, *exported)

    @property
    def summary(self) -> str:
        return (self.handler.__doc__ or "").strip().split("\n")[0]

    @property
    def description(self) -> str:
        return (self.handler.__doc__ or "").strip()

    @property
    def path_parameters(self) -> list[str]:
        return [part[1:-1] for part in self.path.split("/") if part.startswith("{")]


Handler = Callable[[Any], Awaitable[Any]]


class Registry:
    """The operations of the API, in declaration order."""

    def __init__(self) -> None:
        self.operations: list[Operation] = []

    def add(self, operation: Operation) -> Operation:
        self.operations.append(operation)
        return operation

    def get(
        self,
        path: str,
        *,
        operation_id: str,
        tag: str,
        response: type[BaseModel] | None,
        query: type[Query] = NoQuery,
        media_type: str = JSON,
        links: dict[str, OperationLink] | None = None,
        scope: Scope | None = None,
        alternates: tuple[str, ...] = (),
        rows: type[BaseModel] | None = None,
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.add(
                Operation(
                    path,
                    operation_id,
                    tag,
                    handler,
                    response,
                    query,
                    media_type,
                    links or {},
                    scope=scope,
                    alternates=alternates,
                    rows=rows,
                )
            )
            return handler

        return register

    def find(self, operation_id: str) -> Operation:
        return next(item for item in self.operations if item.operation_id == operation_id)


# -- the wrapper ------------------------------------------------------------------------------


def parse_query(request: Request, model: type[Q]) -> Q:
    values: dict[str, str] = {}
    errors: list[FieldError] = []
    for name, value in request.query_params.multi_items():
        if name in values:
            errors.append(FieldError(name, "given more than once"))
        if "\x00" in value:
            errors.append(FieldError(name, "contains a NUL character"))
        values[name] = value
    if errors:
        raise InvalidArgument(errors)
    try:
        return model.model_validate(values)
    except ValidationError as invalid:
        raise InvalidArgument(
            [
                FieldError(
                    ".".join(str(part) for part in error["loc"]) or "query",
                    "unknown parameter" if error["type"] == "extra_forbidden" else error["msg"],
                )
                for error in invalid.errors()
            ]
        ) from invalid


def next_link(request: Request, cursor: str, parameter: str = "cursor") -> str:
    params = [
        (name, value) for name, value in request.query_params.multi_items() if name != parameter
    ]
    params.append((parameter, cursor))
    return f'<{request.url.replace(query=urlencode(params))}>; rel="next"'


def endpoint(operation: Operation) -> Callable[[Request], Awaitable[Response]]:
    async def handle(request: Request) -> Response:
        media_type = preferred(request.headers.get("accept"), operation.media_types)
        if media_type is None:
            offered = ", ".join(item.split(";")[0] for item in operation.media_types)
            raise NotAcceptable(f"this resource is only available as {offered}")
        query = parse_query(request, operation.query)
        path = request.path_params
        if any("\x00" in value for value in path.values()):
            raise NotFound("resource", request.url.path)  # no id can hold a NUL character
        database: Database = request.app.state.database
        writer = None
        if operation.scope is not None:
            authorization = request.headers.get("authorization")
            writer = await writing.authorize(database, authorization, operation.scope)
        result = await operation.handler(
            Call(request, database, query, path, media_type, writer=writer)
        )
        if isinstance(result, Body) and result.stream is not None:
            return result.stream
        body = result.json if isinstance(result, Body) else str(result).encode()
        headers = {
            "ETag": etag(body, weak=operation.is_list),
            "Cache-Control": "no-cache",
        }
        if len(operation.media_types) > 1:
            headers["Vary"] = "Accept"
        cursor = result.next_cursor if isinstance(result, Body) else None
        if cursor:
            headers["Link"] = next_link(request, cursor, operation.cursor_parameter)
        if matches(request.headers.get("if-none-match"), headers["ETag"]):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=media_type, headers=headers)

    handle.__name__ = operation.operation_id
    return handle
