"""The REST transport (`/v1`): thin handlers over the store, one problem+json error shape."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.rest import (
    actors,
    affiliations,
    audit,
    changes,
    claims,
    events,
    evidence,
    imports,
    keys,
    search,
    sources,
    statements,
    timeline,
)
from api.rest.routing import Operation, endpoint
from api.rest.writes import write_endpoint


def operations() -> list[Operation]:
    """Every REST operation, in the order the API reference lists them."""
    return [
        *sources.routes.operations,
        *actors.routes.operations,
        *affiliations.routes.operations,
        *statements.routes.operations,
        *claims.routes.operations,
        *events.routes.operations,
        *evidence.routes.operations,
        *search.routes.operations,
        *timeline.routes.operations,
        *imports.routes.operations,
        *changes.routes.operations,
        *audit.routes.operations,
        *keys.routes.operations,
    ]


def _by_method(
    handlers: dict[str, Callable[[Request], Awaitable[Response]]],
) -> Callable[[Request], Awaitable[Response]]:
    async def dispatch(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await handlers[method](request)

    return dispatch


def routes(operations: list[Operation], *, middleware: Sequence[Middleware] = ()) -> list[Route]:
    """One route per path, answering each of its operations' methods (others get 405), each
    with the transport's `middleware`."""
    paths: dict[str, list[Operation]] = {}
    for operation in operations:
        paths.setdefault(operation.path, []).append(operation)
    found = []
    for path, declared in paths.items():
        handlers = {
            item.method: write_endpoint(item) if item.is_write else endpoint(item)
            for item in declared
        }
        found.append(
            Route(
                path,
                _by_method(handlers),
                methods=list(handlers),
                name=declared[0].operation_id,
                middleware=middleware,
            )
        )
    return found
