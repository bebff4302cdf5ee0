"""Rate limits at the door: reads per client, writes per API key, before any work is done.

A client is its API key when it sends one (by the key's digest: nothing is looked up, and a
made-up key is a client like any other), else its address. For REST a GET or HEAD is a read
and any other method a write, one each; GraphQL charges in its endpoint, by what an
operation may return (api/graphql/http.py), as GitHub's GraphQL API does. Each limited
answer carries the IETF `RateLimit-Policy` and `RateLimit` fields; over the limit it is a
429 in the transport's shape, with `Retry-After`. Both limits are off unless set.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.config import Rate, Settings
from api.requests import Refusal
from api.store import ratelimits

READS = "reads"
WRITES = "writes"
#: Methods that only read.
READING = frozenset({"GET", "HEAD", "OPTIONS"})


def client_of(headers: Mapping[str, str], address: str | None) -> str:
    """Who a request counts against: its API key's digest, else its address."""
    scheme, _, secret = headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and secret.strip():
        return "key:" + hashlib.sha256(secret.strip().encode()).hexdigest()[:32]
    return f"address:{address or 'unknown'}"


def limit_of(settings: Settings, policy: str) -> Rate | None:
    return (
        settings.claimgraph_rate_limit_reads
        if policy == READS
        else (settings.claimgraph_rate_limit_writes)
    )


async def charge(
    scope: Scope, settings: Settings, policy: str, cost: int = 1
) -> ratelimits.Decision | None:
    """Take `cost` from the request's client's `policy` bucket (None: that limit is off)."""
    rate = limit_of(settings, policy)
    if rate is None:
        return None
    client = scope.get("client")
    who = client_of(Headers(scope=scope), client[0] if client else None)
    return await ratelimits.take(scope["app"].state.database, policy, who, rate, cost)


def with_headers(send: Send, decision: ratelimits.Decision | None) -> Send:
    """`send`, adding the decision's fields to the response's head."""
    if decision is None:
        return send

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in decision.headers.items():
                headers[name] = value
        await send(message)

    return sending


class RateLimits:
    """Middleware of the REST routes: one read or one write per request."""

    def __init__(self, app: ASGIApp, *, settings: Settings, refuse: Refusal) -> None:
        self.app = app
        self.settings = settings
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = READS if scope["method"] in READING else WRITES
        decision = await charge(scope, self.settings, policy)
        if decision is not None and not decision.allowed:
            response = self.refuse(
                429,
                decision.message,
                code="RATE_LIMITED",
                path=scope["path"],
                headers=decision.headers,
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, with_headers(send, decision))
