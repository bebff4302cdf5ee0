"""GraphQL subscriptions: the change feed over WebSocket (`graphql-transport-ws`).

`changes(after:, entities:)` yields each committed write once, in commit order, with the
record as it is now (`node`, any selection; null after a delete). It follows the process's
one `LISTEN` (api/store/changes.py) like the Server-Sent Events of `/v1/changes`, so a
subscriber that resumes after the last `seq` it got loses and repeats nothing.

When the feed cannot go on (the database went away, or this worker already serves as many
followers as it may) the socket is closed with 1013 "Try Again Later", a code that
`graphql-ws` clients (Apollo, urql, GraphiQL) treat as a reason to reconnect, not as fatal.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeAlias

import strawberry
from starlette.websockets import WebSocket
from strawberry import relay

from api.errors import DatabaseUnavailable
from api.graphql.names import described
from api.graphql.represented import object_type
from api.graphql.types import NODE_TYPES
from api.store import changes, entities

#: Seconds between the feed's checks that the database is still there on a quiet feed.
IDLE = 15.0
#: The WebSocket close code that asks a client to come back later (RFC 6455, IANA registry).
TRY_AGAIN_LATER = 1013

if TYPE_CHECKING:  # made at run time from the registry and the representation; to mypy, any
    RecordKind: TypeAlias = Any
    ChangeFields: TypeAlias = Any
else:
    #: The kinds of record a subscriber can ask for, as a GraphQL enum.
    RecordKind = strawberry.enum(
        StrEnum("RecordKind", {name.upper(): name for name in entities.WRITABLE}),
        description="A kind of record that writes change.",
    )
    ChangeFields = object_type(changes.Change, "ChangeFields")


@strawberry.type(description=described(changes.Change.__doc__ or ""))
class Change(ChangeFields):  # type: ignore[misc]
    change: strawberry.Private[changes.Change | None] = None

    @classmethod
    def of_change(cls, change: changes.Change) -> Change:
        made: Change = cls.of_model(change)
        made.change = change
        return made

    @strawberry.field(
        description="The record as it is now (any selection); null once it has been deleted."
    )
    async def node(self, info: strawberry.Info) -> relay.Node | None:
        entity = entities.ENTITIES.get(self.entity)
        if entity is None or entity.name not in NODE_TYPES:
            return None
        # Not the connection's DataLoaders, which would remember the record as it was: the
        # feed's reading, shared by every subscriber that delivers this change now.
        feed: changes.Feed = info.context.request.app.state.feed
        assert self.change is not None  # made by of_change
        row = await feed.row(entity, self.change)
        return None if row is None else NODE_TYPES[entity.name].of(row)


async def _closed(websocket: WebSocket | Any, reason: str) -> None:
    """Close the socket with Try Again Later, then wait to be cancelled: strawberry ends the
    operation when the client's side of the close arrives, with nothing more to send."""
    if isinstance(websocket, WebSocket):
        await websocket.close(TRY_AGAIN_LATER, reason[:120])
    await asyncio.Event().wait()


@strawberry.type(description="What claimgraph announces as it happens.")
class Subscription:
    @strawberry.subscription(
        description="Each committed write, once, in commit order: first those after `after` "
        "(0: from the first; the last `seq` you got, to resume; null: only those to come), "
        "then each as it commits. "
        "`entities` keeps only changes to those kinds of record. When the database goes away "
        "or the server streams to too many, the socket closes with 1013 (Try Again Later): "
        "reconnect and resume after the last `seq`."
    )
    async def changes(
        self,
        info: strawberry.Info,
        after: int | None = None,
        entities: list[RecordKind] | None = None,
    ) -> AsyncGenerator[Change, None]:
        if after is not None and after < 0:
            raise ValueError("`after` must be 0 or a change's number")
        feed: changes.Feed = info.context.request.app.state.feed
        database = info.context.database
        kinds = [str(kind.value) for kind in entities] if entities else None
        try:
            async with feed.following():
                start = await changes.latest(database) if after is None else after
                async for found in feed.follow(start, kinds, idle=IDLE):
                    for change in found:
                        yield Change.of_change(change)
        except changes.TooManyFollowers as error:
            await _closed(info.context.request, str(error))
        except DatabaseUnavailable:
            await _closed(info.context.request, "the database is unavailable; resume shortly")
