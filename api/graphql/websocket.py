"""`/graphql` over WebSocket: subscriptions with the `graphql-transport-ws` protocol.

strawberry speaks the protocol (what Apollo Client, urql and GraphiQL speak); this view only
gives each connection claimgraph's context, checks a browser page's origin against
`CORS_ORIGINS` as the HTTP side does, and leaves out the older `graphql-ws` protocol, whose
clients are unmaintained. The same schema answers, so the same guards (depth, aliases,
cost) apply to a subscription's selection.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from api.graphql.schema import Context, Schema

#: Operations one connection may run at once.
PER_CONNECTION = 10


class Subscriptions(GraphQL[Context, None]):
    """The WebSocket endpoint of /graphql."""

    def __init__(self, schema: Schema, *, origins: list[str]) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=PER_CONNECTION,
            allowed_origins=origins,
        )

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | Any
    ) -> Context:
        return Context(database=request.app.state.database, request=request)
