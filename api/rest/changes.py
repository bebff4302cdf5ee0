"""`/v1/changes`: the change feed, as pages and as Server-Sent Events.

A page is like every list (`data`, `next_cursor`, `Link: rel="next"`), keyed on the changes'
numbers: `after` is the last number read, and a page's `next_cursor` the `after` of the next.
With `Accept: text/event-stream` the same feed is a stream: first what followed `after` (or
the `Last-Event-ID` a reconnecting client sends), then each change as it commits, an event
each (`id:` its number, `data:` the change), a comment every 15 s to keep proxies from
closing a quiet connection, and `retry:` advice for reconnecting. A client that does not
read what is sent to it for 30 s is dropped rather than buffered; when the database goes
away the stream ends, and the client resumes from the last id it got.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from api.errors import DatabaseUnavailable, FieldError, InvalidArgument
from api.rest.routing import Body, Call, Operation, Registry
from api.rest.schemas import ChangeList, Query
from api.store import changes
from api.store.entities import WRITABLE
from api.store.kit.pagination import DEFAULT_LIMIT, MAX_LIMIT

EVENT_STREAM = "text/event-stream"
#: Seconds between comments on a quiet stream, and the reconnect advice (milliseconds).
HEARTBEAT = 15.0
RETRY_MS = 2000
#: Seconds a client may leave what is sent to it unread before it is dropped.
SEND_TIMEOUT = 30.0

#: The largest change number there can be (PostgreSQL's bigint).
LARGEST = 2**63 - 1

routes = Registry()
_ENTITIES = "|".join(WRITABLE)


class ChangeQuery(Query):
    after: Annotated[int, Field(ge=0, le=LARGEST)] | Literal["now"] = Field(
        0,
        description="Changes after this number (0: from the first); `now`: only changes to "
        "come (a page is then empty, and its `next_cursor` is the number to follow from).",
    )
    entity: (
        Annotated[str, StringConstraints(pattern=f"^({_ENTITIES})(,({_ENTITIES}))*$")] | None
    ) = Field(None, description="Only changes to these kinds of record (comma-separated).")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Changes per page.")


def _entities(query: ChangeQuery) -> list[str] | None:
    return query.entity.split(",") if query.entity else None


async def _after(call: Call[Any]) -> int:
    """The number `after` names (`now`: the last one committed)."""
    after: int | str = call.query.after
    return await changes.latest(call.database) if after == "now" else int(after)


async def _resume(call: Call[Any]) -> int:
    """Where a stream resumes: after `Last-Event-ID` when a client reconnects, else `after`."""
    given = call.request.headers.get("last-event-id")
    if given is None:
        return await _after(call)
    if not given.isdigit() or int(given) > LARGEST:
        raise InvalidArgument([FieldError("Last-Event-ID", "must be a change's number")])
    return int(given)


class EventStream(Response):
    """The feed as Server-Sent Events, written with a time limit on every send."""

    media_type = EVENT_STREAM

    def __init__(self, feed: changes.Feed, after: int, entities: list[str] | None) -> None:
        super().__init__(media_type=EVENT_STREAM)
        # No Content-Length: the stream has no end it knows of.
        self.raw_headers = [
            (b"content-type", b"text/event-stream; charset=utf-8"),
            (b"cache-control", b"no-cache"),
            (b"x-accel-buffering", b"no"),
        ]
        self.feed = feed
        self.after = after
        self.entities = entities

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with self.feed.following():
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            # A client that goes away is noticed at once, not at the next heartbeat: its place
            # among the followers is free again.
            streaming = asyncio.ensure_future(self._stream(send))
            gone = asyncio.ensure_future(_disconnected(receive))
            done, _ = await asyncio.wait((streaming, gone), return_when=asyncio.FIRST_COMPLETED)
            for task in (streaming, gone):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if gone in done:
                return
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _stream(self, send: Send) -> None:
        """The events until the feed ends (the database went away) or the client stops reading."""

        async def write(body: bytes) -> None:
            # A timer, not wait_for's task per send: a thousand followers send each change.
            async with asyncio.timeout(SEND_TIMEOUT):
                await send({"type": "http.response.body", "body": body, "more_body": True})

        with contextlib.suppress(TimeoutError, DatabaseUnavailable, OSError):
            await write(f"retry: {RETRY_MS}\n\n".encode())
            async for batch in self.feed.follow(self.after, self.entities, idle=HEARTBEAT):
                # One write per batch, each change encoded once for all its followers.
                await write(b"".join(change.event for change in batch) or b": still here\n\n")


async def _disconnected(receive: Receive) -> None:
    """Returns when the client has closed the connection."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def list_changes(call: Call[Any]) -> Body:
    """List the changes: every committed write, in commit order, from `after` on.

    Each change names the record written (`entity`, `id`), what the write did to it
    (`action`) and its `version` after; the numbers (`seq`) grow in the order the writes
    committed, so a reader that resumes after the last number it saw gets every later change
    once. With `Accept: text/event-stream`: the same, then every change as it commits, as
    Server-Sent Events (`id:` the change's number; a reconnecting client's `Last-Event-ID`
    resumes after it). Who wrote and the records before and after are in `/v1/audit`
    (admins)."""
    query: ChangeQuery = call.query
    if call.media_type == EVENT_STREAM:
        after = await _resume(call)
        feed: changes.Feed = call.request.app.state.feed  # one LISTEN for all its followers
        return Body(b"", stream=EventStream(feed, after, _entities(query)))
    if query.after == "now":  # nothing yet: where to follow from
        now = str(await changes.latest(call.database))
        return Body(ChangeList(data=[], next_cursor=now).model_dump_json().encode(), now)
    found = await changes.page(
        call.database, after=int(query.after), entities=_entities(query), limit=query.limit + 1
    )
    more = len(found) > query.limit
    listing = ChangeList(data=found[: query.limit], next_cursor=None)
    cursor = str(listing.data[-1].seq) if more else None
    return Body(
        listing.model_copy(update={"next_cursor": cursor}).model_dump_json().encode(), cursor
    )


routes.add(
    Operation(
        "/v1/changes",
        "listChanges",
        "changes",
        list_changes,
        ChangeList,
        query=ChangeQuery,
        alternates=(EVENT_STREAM,),
        cursor_parameter="after",
        streamed=True,
    )
)
