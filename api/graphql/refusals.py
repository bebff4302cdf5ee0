"""GraphQL-shaped answers for requests that cannot be served as asked, at the HTTP level.

GraphQL clients read `errors[].extensions.code`, not problem+json, so /graphql refuses in
its own shape: a database outage is HTTP 503 with code SERVICE_UNAVAILABLE (and
`Retry-After`), a body that is too large 413 (PAYLOAD_TOO_LARGE), a body that is not a
GraphQL request 400 (BAD_REQUEST), and so on. Whatever executes the operation (strawberry's
view, or a compiled path) uses these, so that both answer alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import JSONResponse

from api.errors import DatabaseUnavailable
from api.requests import request_id

SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"


def refusal(
    status: int,
    message: str,
    code: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """An HTTP `status` answer whose body is a GraphQL response with one error."""
    body = {
        "data": None,
        "errors": [
            {
                "message": message,
                "extensions": {"code": code, **extensions, "request_id": request_id.get()},
            }
        ],
    }
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def refuse(
    status: int,
    message: str,
    *,
    code: str,
    path: str,
    headers: Mapping[str, str] | None = None,
    reason: str | None = None,
) -> JSONResponse:
    """GraphQL's `Refusal` (api/requests.py): the code in `extensions`, with the reason."""
    details = {} if reason is None else {"reason": reason}
    return refusal(status, message, code, headers=headers, **details)


def unavailable_error(error: DatabaseUnavailable) -> dict[str, Any]:
    """The extensions of a GraphQL error caused by a database outage."""
    return {"code": SERVICE_UNAVAILABLE, "reason": error.code}


def unavailable(error: DatabaseUnavailable) -> JSONResponse:
    """HTTP 503 for an operation that failed as a whole because the database is down."""
    return refusal(
        503,
        error.message,
        SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(error.retry_after)},
        reason=error.code,
    )


def outage_status(response: Mapping[str, Any]) -> tuple[int, dict[str, str]] | None:
    """(503, headers) when any error of an executed operation is a database outage: the
    client should retry rather than read partial data as final."""
    for error in response.get("errors") or ():
        if (error.get("extensions") or {}).get("code") == SERVICE_UNAVAILABLE:
            return 503, {"Retry-After": str(DatabaseUnavailable.retry_after)}
    return None
