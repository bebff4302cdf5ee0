"""REST writes: what every POST, PATCH and DELETE does around its handler, once for all.

In order: content negotiation (the body's size and depth were checked by api/limits.py, 413
and 400, before any route), then a write
transaction for the `Authorization` key (401, 403), the body's media type (415) and syntax
(400), `If-Match` where the operation needs it (428), a replay of an earlier POST with the
same `Idempotency-Key`; then the handler, which calls a store command and answers with the
record as this transaction sees it (`ETag` included, so a client can go on to PATCH).
Everything, the idempotency record too, commits or rolls back together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from api.caching import etag, if_match
from api.db.engine import Database
from api.errors import (
    FieldError,
    InvalidArgument,
    InvalidBody,
    MalformedBody,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    UnsupportedMediaType,
)
from api.negotiation import preferred
from api.requests import request_id
from api.rest.problems import NotAcceptable
from api.rest.routing import JSON, Operation, OperationLink, Registry
from api.rest.schemas import patch_model
from api.store.kit import views
from api.store.kit.rows import Record
from api.store.writes import commands, idempotency
from api.store.writes import transaction as writing
from api.store.writes.commands import Precondition, Written
from api.store.writes.transaction import Tx
from api.vocabulary import Scope

MERGE_PATCH = "application/merge-patch+json"
YAML = "application/yaml"
_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


@dataclass
class Outcome:
    """A write's response: status, body (none for 204) and headers."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class WriteCall:
    """What a write handler gets: the path parameters, the parsed body, the transaction."""

    request: Request
    tx: Tx
    path: dict[str, str]
    body: Any

    @property
    def id(self) -> str:
        return self.path["id"]

    async def render(self, view: views.View, id: str) -> bytes:
        """The record's representation as GET will serve it, read in this transaction."""
        return await views.one_on(await self.tx.driver(), view, id)

    def if_match(self, view: views.View) -> Precondition:
        """The check of `If-Match` against the record's current ETag (the row is locked)."""
        header = self.request.headers.get("if-match")
        assert header is not None  # checked before the transaction

        async def check(tx: Tx, current: Record) -> None:
            tag = etag(await self.render(view, current["id"]), weak=False)
            if not if_match(header, tag):
                raise PreconditionFailed(view.entity.name, current["id"], current["version"], tag)

        return check

    async def created(self, view: views.View, written: Written, location: str) -> Outcome:
        body = await self.render(view, written.id)
        headers = {"Location": location, "ETag": etag(body, weak=False)}
        return Outcome(201, body, headers)

    async def changed(self, view: views.View, written: Written) -> Outcome:
        body = await self.render(view, written.id)
        return Outcome(200, body, {"ETag": etag(body, weak=False)})


WriteHandler = Callable[[WriteCall], Awaitable[Outcome]]


# -- bodies -----------------------------------------------------------------------------------


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


class _PlainYaml(yaml.SafeLoader):
    """YAML without aliases: `*name` can make a small body expand without bound."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases (*name) are not accepted")
        return super().compose_node(parent, index)


def parse(raw: bytes, media_type: str) -> Any:
    """The body as JSON values (YAML too, for imports); MalformedBody if it cannot be read."""
    if not raw.strip():
        raise MalformedBody("the body is empty")
    kind = "YAML" if media_type == YAML else "JSON"
    problems: list[FieldError] = []
    try:
        text = raw.decode("utf-8")
        if media_type == YAML:
            value = yaml.load(text, Loader=_PlainYaml)  # noqa: S506 (a SafeLoader)
        else:
            value = json.loads(text, parse_constant=_no_constant)
        _check_text(value, "body", problems)
    except UnicodeDecodeError as error:
        raise MalformedBody("the body is not UTF-8") from error
    except RecursionError as error:
        raise MalformedBody(f"the body's {kind} is nested too deeply") from error
    except (ValueError, yaml.YAMLError) as error:
        raise MalformedBody(f"the body is not valid {kind}: {error}") from error
    if problems:
        raise InvalidBody(problems[:20])
    return value


def _check_text(value: Any, where: str, problems: list[FieldError]) -> None:
    """Refuse what PostgreSQL cannot store: NUL characters and lone surrogates."""
    if isinstance(value, str):
        if "\x00" in value:
            problems.append(FieldError(where, "contains a NUL character"))
        elif any("\ud800" <= char <= "\udfff" for char in value):
            problems.append(FieldError(where, "contains a lone surrogate (not Unicode text)"))
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, f"{where}.{key}", problems)
            _check_text(item, f"{where}.{key}", problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{where}.{index}", problems)


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


# -- the wrapper ------------------------------------------------------------------------------


def _replayed(stored: idempotency.Stored) -> Response:
    headers = {**stored.headers, "Idempotent-Replayed": "true"}
    media = JSON if stored.body else None
    return Response(stored.body or None, stored.status, headers=headers, media_type=media)


def write_endpoint(operation: Operation) -> Callable[[Request], Awaitable[Response]]:
    handler: WriteHandler = operation.handler

    async def handle(request: Request) -> Response:
        if preferred(request.headers.get("accept"), (JSON,)) is None:
            raise NotAcceptable(f"this operation answers only in {JSON}")
        path = dict(request.path_params)
        if any("\x00" in value for value in path.values()):
            raise NotFound("resource", request.url.path)
        key = request.headers.get("idempotency-key") if operation.method == "POST" else None
        if key is not None and not _IDEMPOTENCY_KEY.match(key):
            raise InvalidArgument.single(
                "Idempotency-Key", "must be 1 to 255 visible ASCII characters"
            )
        raw = b""
        if operation.body is not None:
            raw = await request.body()
        database: Database = request.app.state.database
        async with writing.transaction(
            database,
            request.headers.get("authorization"),
            scope=operation.scope or Scope.WRITE,
            request_id=request_id.get(),
        ) as tx:
            body = None
            if operation.body is not None:
                given = media_type(request)
                if given not in operation.body_types:
                    raise UnsupportedMediaType(given, operation.body_types)
                body = parse(raw, given)
            if operation.if_match and request.headers.get("if-match") is None:
                raise PreconditionRequired(
                    "send `If-Match` with the ETag you last read of this record, so that no "
                    "change made since is overwritten unseen"
                )
            print_ = ""
            if key is not None:
                print_ = idempotency.fingerprint(operation.method, request.url.path, body)
                stored = await idempotency.recall(tx, key, print_)
                if stored is not None:
                    return _replayed(stored)
            outcome = await handler(WriteCall(request, tx, path, body))
            if key is not None:
                stored = idempotency.Stored(outcome.status, outcome.headers, outcome.body)
                await idempotency.remember(tx, key, print_, stored)
        media = JSON if outcome.body else None
        return Response(
            outcome.body or None, outcome.status, headers=outcome.headers, media_type=media
        )

    handle.__name__ = operation.operation_id
    return handle


# -- the usual three: create, update, delete --------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """A writable resource: how it reads (`view`: its entity and representation), and the
    tag its operations are listed under; where it lives and what it takes come from its
    entity's declaration."""

    view: views.View
    tag: str

    @property
    def entity(self) -> str:
        return self.view.entity.name

    @property
    def type_name(self) -> str:
        return self.view.entity.type_name

    @property
    def noun(self) -> str:
        return self.view.entity.one

    @property
    def collection(self) -> str:
        return f"/v1/{self.view.entity.path}"

    @property
    def response(self) -> type[BaseModel]:
        return self.view.model

    @property
    def body(self) -> type[BaseModel]:
        form = self.view.entity.form
        assert form is not None
        return form.model

    def location(self, id: str) -> str:
        return f"{self.collection}/{id}"


#: Where a link finds the record's id and ETag: in a create's answer, or in the request path
#: and the answer of a read or a change.
_CREATED = "$response.body#/id"
_TAG = "$response.header.ETag"


def created_links(resource: Resource) -> dict[str, OperationLink]:
    """The links of an answer that created `resource`: to read, change and delete it."""
    return _edit_links(resource, _CREATED)


def _edit_links(resource: Resource, id: str) -> dict[str, OperationLink]:
    """Links to read, change and delete the record, with the ETag to change it by."""
    by_id = {"id": id}
    with_tag = {"id": id, "header.If-Match": _TAG}
    return {
        f"Get{resource.type_name}": OperationLink(f"get{resource.type_name}", by_id),
        f"Update{resource.type_name}": OperationLink(f"update{resource.type_name}", with_tag),
        f"Delete{resource.type_name}": OperationLink(f"delete{resource.type_name}", with_tag),
    }


def writable(
    routes: Registry,
    resource: Resource,
    *,
    create: bool = True,
    update: WriteHandler | None = None,
    update_response: type[BaseModel] | None = None,
) -> None:
    """Register POST (unless `create` is False), PATCH (`update`, if the resource's own)
    and DELETE for `resource`, and link its GET to the PATCH and DELETE."""
    type_name, noun, entity = resource.type_name, resource.noun, resource.entity
    item = f"{resource.collection}/{{id}}"

    async def create_(call: WriteCall) -> Outcome:
        written = await commands.create(call.tx, entity, call.body)
        return await call.created(resource.view, written, resource.location(written.id))

    async def update_(call: WriteCall) -> Outcome:
        precondition = call.if_match(resource.view)
        written = await commands.update(
            call.tx, entity, call.id, call.body, precondition=precondition
        )
        return await call.changed(resource.view, written)

    async def delete_(call: WriteCall) -> Outcome:
        await commands.delete(call.tx, entity, call.id, precondition=call.if_match(resource.view))
        return Outcome(204)

    create_.__doc__ = f"""Create {noun}.

    Needs an API key with the `write` scope. Send `Idempotency-Key` to make a retry safe."""
    update_.__doc__ = f"""Change {noun} with a JSON merge patch (RFC 7396).

    Send only what changes (`null` clears a field); `If-Match` must carry the ETag you last
    read. Needs an API key with the `write` scope."""
    delete_.__doc__ = f"""Delete {noun}.

    Refused (409, listing them) while other records refer to it. `If-Match` must carry the
    ETag you last read. Needs an API key with the `write` scope."""

    if create:
        routes.add(
            Operation(
                resource.collection,
                f"create{type_name}",
                resource.tag,
                create_,
                resource.response,
                links=created_links(resource),
                method="POST",
                body=resource.body,
                body_types=(JSON,),
                status=201,
                scope=Scope.WRITE,
            )
        )
    if update is not None:
        update.__doc__ = update_.__doc__ + (update.__doc__ or "")
    routes.add(
        Operation(
            item,
            f"update{type_name}",
            resource.tag,
            update or update_,
            update_response or resource.response,
            links=_edit_links(resource, "$request.path.id"),
            method="PATCH",
            body=patch_model(resource.body),
            body_types=(MERGE_PATCH,),
            scope=Scope.WRITE,
            if_match=True,
        )
    )
    routes.add(
        Operation(
            item,
            f"delete{type_name}",
            resource.tag,
            delete_,
            None,
            method="DELETE",
            status=204,
            scope=Scope.WRITE,
            if_match=True,
        )
    )
    getter = routes.find(f"get{type_name}")
    getter.links.update(
        {
            name: link
            for name, link in _edit_links(resource, "$request.path.id").items()
            if not name.startswith("Get")
        }
    )
