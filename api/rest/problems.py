"""RFC 9457 problem details: the one shape of every REST error, and the handlers that make them.

Domain errors from the store, Starlette's own 404/405, refused `Accept` headers and unexpected
exceptions all leave as `application/problem+json`. A 500 carries no trace or SQL: it names
the request id, under which the exception is logged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.errors import (
    ClaimgraphError,
    Conflict,
    DatabaseUnavailable,
    FieldError,
    FixtureError,
    Forbidden,
    InvalidArgument,
    InvalidBody,
    MalformedBody,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ReanchorFailed,
    SpanMismatch,
    StillReferenced,
    Unauthorized,
    UnsupportedMediaType,
)
from api.requests import request_id
from api.store.changes import TooManyFollowers
from api.store.kit.representations import MESSAGE, ProblemLostQuote, ProblemReferrer

PROBLEM_JSON = "application/problem+json"


class NotAcceptable(ClaimgraphError):
    """Raised when the client's `Accept` header allows none of the operation's media types."""

    code = "NOT_ACCEPTABLE"


class ProblemError(BaseModel):
    field: str = Field(description="The parameter (or path) at fault.")
    message: str


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

    type: str = Field(description="A URI for the kind of problem; `about:blank` for plain HTTP.")
    title: str = Field(description="The HTTP status phrase.")
    status: int
    detail: str = Field(description=MESSAGE)
    instance: str | None = Field(None, description="The request path.")
    request_id: str | None = Field(None, description="Quote it when reporting a problem.")
    errors: list[ProblemError] = Field(
        description="The inputs at fault, each with what is wrong with it (a parameter, a body "
        "field, a header such as `Authorization` or `If-Match`, the path's `id`); empty where "
        "no input is (an outage, an unexpected error)."
    )
    candidates: list[str] | None = Field(
        None, description="A 404 naming a record that does not exist: ids of similar ones."
    )
    referrers: list[ProblemReferrer] | None = Field(
        None, description="A 409 on delete: the records that still refer to this one."
    )
    lost: list[ProblemLostQuote] | None = Field(
        None, description="A 409 on a source's new text: the quotes it cannot carry."
    )


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


def problem(
    status: int,
    detail: str,
    *,
    instance: str | None = None,
    errors: Sequence[FieldError] = (),
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> ProblemResponse:
    """A problem+json response; `title` is the status phrase, as RFC 9457 asks of about:blank."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "request_id": request_id.get(),
    }
    if instance is not None:
        body["instance"] = instance
    body["errors"] = [{"field": error.field, "message": error.message} for error in errors]
    body.update(extra or {})
    return ProblemResponse(body, status_code=status, headers=dict(headers or {}))


#: The status of each domain error; the first class that matches wins (subclasses first).
STATUS_OF: dict[type[ClaimgraphError], int] = {
    NotFound: 404,
    InvalidBody: 422,
    InvalidArgument: 400,
    NotAcceptable: 406,
    DatabaseUnavailable: 503,
    TooManyFollowers: 503,
    SpanMismatch: 422,
    FixtureError: 422,
    MalformedBody: 400,
    UnsupportedMediaType: 415,
    Unauthorized: 401,
    Forbidden: 403,
    PreconditionRequired: 428,
    PreconditionFailed: 412,
    Conflict: 409,
}
REALM = 'Bearer realm="claimgraph"'


#: The input at fault in each refusal that is not about listed fields.
FIELD_OF: dict[type[ClaimgraphError], str] = {
    Unauthorized: "Authorization",
    Forbidden: "Authorization",
    PreconditionRequired: "If-Match",
    PreconditionFailed: "If-Match",
    UnsupportedMediaType: "Content-Type",
    NotAcceptable: "Accept",
    MalformedBody: "body",
    ReanchorFailed: "text",
    Conflict: "id",
}


def _errors(error: ClaimgraphError) -> Sequence[FieldError]:
    if isinstance(error, InvalidArgument):
        return error.errors
    if isinstance(error, NotFound):
        return [FieldError(error.field, error.message)]
    if isinstance(error, FixtureError):
        return [
            FieldError(f"{problem.file}: {problem.entry}", problem.message)
            for problem in error.problems
        ]
    if isinstance(error, SpanMismatch):
        return [FieldError(error.field, error.message)]
    field = next((name for kind, name in FIELD_OF.items() if isinstance(error, kind)), None)
    return () if field is None else [FieldError(field, error.message)]


def _headers(error: ClaimgraphError) -> dict[str, str]:
    if isinstance(error, Unauthorized):
        return {"WWW-Authenticate": REALM + (', error="invalid_token"' * error.invalid_token)}
    if isinstance(error, Forbidden):
        return {"WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="{error.scope}"'}
    if isinstance(error, PreconditionFailed) and error.etag:
        return {"ETag": error.etag}
    if isinstance(error, UnsupportedMediaType) and "application/merge-patch+json" in error.accepted:
        return {"Accept-Patch": "application/merge-patch+json"}
    if isinstance(error, DatabaseUnavailable | TooManyFollowers):
        return {"Retry-After": str(error.retry_after)}
    return {}


def _extra(error: ClaimgraphError) -> dict[str, Any]:
    if isinstance(error, NotFound) and error.candidates:
        return {"candidates": error.candidates}
    if isinstance(error, StillReferenced):
        return {"referrers": [{"entity": item.entity, "id": item.id} for item in error.referrers]}
    if isinstance(error, ReanchorFailed):
        return {
            "lost": [
                {"entity": item.entity, "id": item.id, "quote": item.quote, "reason": item.reason}
                for item in error.lost
            ]
        }
    return {}


async def domain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ClaimgraphError)
    status = next((code for kind, code in STATUS_OF.items() if isinstance(error, kind)), 400)
    return problem(
        status,
        error.message,
        instance=request.url.path,
        errors=_errors(error),
        headers=_headers(error),
        extra=_extra(error),
    )


def refuse(
    status: int,
    message: str,
    *,
    code: str,
    path: str,
    headers: Mapping[str, str] | None = None,
    reason: str | None = None,
) -> ProblemResponse:
    """REST's `Refusal` (api/requests.py): a problem, whose status says what `code` would."""
    return problem(status, message, instance=path, headers=headers)


async def http_error(request: Request, error: Exception) -> Response:
    """Starlette's own errors (unknown route 404, wrong method 405 with `Allow`)."""
    assert isinstance(error, HTTPException)
    detail = {
        404: f"no resource at {request.url.path}",
        405: f"{request.method} is not allowed here",
    }.get(error.status_code, str(error.detail))
    return problem(error.status_code, detail, instance=request.url.path, headers=error.headers)
