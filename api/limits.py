"""What one request may cost before any handler sees it: its body's size and JSON's depth.

A body larger than MAX_BODY_BYTES is refused with 413 as soon as that is known: at once from
`Content-Length`, or the moment the bytes read pass the limit (chunked bodies), without
reading the rest; the connection is then closed. A JSON body (or a JSON query parameter,
such as GraphQL's `variables`) nested deeper than MAX_JSON_DEPTH is a 400 before any parser
recurses into it (Python's json raises RecursionError around depth 1,000: a 500 otherwise).
It sits on each transport's routes with that transport's `Refusal` (api/requests.py): the
GraphQL endpoint refuses in GraphQL's shape, REST in problem+json.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.requests import Refusal

#: Deeper JSON is refused: GraphQL variables and REST bodies nest a handful of levels.
MAX_JSON_DEPTH = 64
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_OPENING = frozenset(b"[{")
_QUERY_OPENINGS = (b"[", b"{", b"%5B", b"%7B")


def too_deep(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text `data` nests arrays and objects deeper than `limit`.

    Brackets inside strings do not count. Valid or not, only the nesting is judged: the
    parser says the rest.
    """
    if data.count(b"[") + data.count(b"{") <= limit:
        return False  # cannot be deeper than the number of openings
    depth = 0
    for byte in _STRING.sub(b"", data).translate(None, _NOT_BRACKETS):
        depth += 1 if byte in _OPENING else -1
        if depth > limit:
            return True
    return False


class _TooLarge(Exception):
    """The body passed the limit while being read."""


class RequestLimits:
    """Middleware enforcing the body size and JSON depth limits (see the module's doc)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, refuse: Refusal) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"").strip()
        if length.isdigit() and int(length) > self.max_body_bytes:
            await self._refuse_size(scope, receive, send)
            return
        if self._query_too_deep(scope):
            await self._refuse_depth(scope, receive, send, "a query parameter")
            return
        if not (length.isdigit() and int(length) > 0) and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body to look at
            return
        try:
            body, last = await self._read(receive)
        except _TooLarge:
            await self._refuse_size(scope, receive, send)
            return
        if b"json" in headers.get(b"content-type", b"").lower() and too_deep(body):
            await self._refuse_depth(scope, receive, send, "the body")
            return
        await self.app(scope, _replay(body, last, receive), send)

    async def _read(self, receive: Receive) -> tuple[bytes, Message]:
        """The whole body, stopping as soon as it passes the limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks), message  # the client went away: let the app see it
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), message

    @staticmethod
    def _query_too_deep(scope: Scope) -> bool:
        query: bytes = scope.get("query_string", b"")
        if not any(opening in query.upper() for opening in _QUERY_OPENINGS):
            return False
        values = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
        return any(too_deep(value.encode("utf-8", "replace")) for _, value in values)

    async def _refuse_size(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the request body is larger than the limit of {self.max_body_bytes:,} bytes"
        response = self.refuse(
            413,
            message,
            code="PAYLOAD_TOO_LARGE",
            path=scope["path"],
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)

    async def _refuse_depth(self, scope: Scope, receive: Receive, send: Send, where: str) -> None:
        message = f"{where} nests JSON deeper than {MAX_JSON_DEPTH} levels"
        response = self.refuse(
            400, message, code="BAD_REQUEST", path=scope["path"], reason="JSON_TOO_DEEP"
        )
        await response(scope, receive, send)


def _replay(body: bytes, last: Message, receive: Receive) -> Receive:
    """A `receive` that hands the app the body already read, then the real one's messages."""
    pending: list[Message] = (
        [{"type": "http.request", "body": body, "more_body": False}]
        if last["type"] == "http.request"
        else [last]
    )

    async def replayed() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replayed
