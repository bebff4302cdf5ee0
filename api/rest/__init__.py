"""The REST transport (`/v1`): thin handlers over the store, one problem+json error shape."""

from __future__ import annotations

from starlette.routing import Route

from api.rest import actors, claims, events, evidence, search, sources, statements, timeline
from api.rest.routing import Operation, endpoint


def operations() -> list[Operation]:
    """Every REST operation, in the order the API reference lists them."""
    return [
        *sources.routes.operations,
        *actors.routes.operations,
        *statements.routes.operations,
        *claims.routes.operations,
        *events.routes.operations,
        *evidence.routes.operations,
        *search.routes.operations,
        *timeline.routes.operations,
    ]


def routes(operations: list[Operation]) -> list[Route]:
    return [
        Route(operation.path, endpoint(operation), methods=["GET"], name=operation.operation_id)
        for operation in operations
    ]
