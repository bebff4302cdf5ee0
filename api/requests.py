"""Who a request is, where its reads go, and how a transport refuses what escapes its handlers.

Every response carries `X-Request-ID` (the client's, when it sent a sane one) and every log
line the same id (api/logs.py), so a report can be traced. Each request starts its reads
afresh (on the replica, if any, until it writes: api/db/engine.py).

The two transports answer errors in their own shapes: REST in problem+json, GraphQL as a
GraphQL response with `extensions.code`. Each gives the app its `Refusal`; the app puts
`Refusing` and the request limits (api/limits.py) on that transport's routes with it, as
Starlette mounts an app with its own middleware, so no shared code asks which path a request
was for. What escapes outside any transport's route is refused in the app's default shape.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Protocol

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.db.engine import request_reads
from api.errors import ClaimgraphError, DatabaseUnavailable

log = logging.getLogger("claimgraph.requests")

request_id: ContextVar[str] = ContextVar("request_id", default="-")
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class Refusal(Protocol):
    """A transport's answer to a request it cannot serve as asked, in its own shape: the
    HTTP `status`, a `message` for a person, a machine-readable `code` (GraphQL's
    `extensions.code`; problem+json says it by its status), and the `reason` in detail."""

    def __call__(
        self,
        status: int,
        message: str,
        *,
        code: str,
        path: str,
        headers: Mapping[str, str] | None = None,
        reason: str | None = None,
    ) -> Response: ...


def unexpected(rid: str) -> str:
    """What a 500 says: nothing of the cause, the id it is logged under."""
    return f"an unexpected error occurred; quote request id {rid} when reporting it"


async def _refuse_escaped(
    error: Exception, refuse: Refusal, scope: Scope, receive: Receive, send: Send
) -> None:
    """An outage as 503 with `Retry-After`, anything else as a logged 500."""
    response: Response
    if isinstance(error, DatabaseUnavailable):
        response = refuse(
            503,
            error.message,
            code="SERVICE_UNAVAILABLE",
            path=scope["path"],
            headers={"Retry-After": str(error.retry_after)},
            reason=error.code,
        )
    else:
        rid = request_id.get()
        log.error(
            "unhandled error in %s %s (request %s)",
            scope["method"],
            scope["path"],
            rid,
            exc_info=error,
        )
        response = refuse(500, unexpected(rid), code="INTERNAL_SERVER_ERROR", path=scope["path"])
    await response(scope, receive, send)


class Refusing:
    """A transport's route middleware: an outage or a crash that escapes the route's handler
    is answered in that transport's shape (before the response has started; after, the
    connection is cut). The store's other errors go on to the app's own handlers."""

    def __init__(self, app: ASGIApp, *, refuse: Refusal) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as error:
            handled = isinstance(error, ClaimgraphError | HTTPException)
            if started or (handled and not isinstance(error, DatabaseUnavailable)):
                raise
            await _refuse_escaped(error, self.refuse, scope, receive, send)


class RequestContext:
    """Outermost middleware: a request id on every response, reads started afresh, and what
    escapes everything else refused in the app's default shape (`refuse`).

    It sits outside Starlette's exception handling, so an unexpected exception still becomes
    a 500 (logged with the request id, never shown) and still carries `X-Request-ID`.
    """

    def __init__(self, app: ASGIApp, *, refuse: Refusal) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            with request_reads():
                await self.app(scope, receive, send_with_id)
        except Exception as error:
            if started:
                raise
            await _refuse_escaped(error, self.refuse, scope, receive, send_with_id)
        finally:
            request_id.reset(token)
