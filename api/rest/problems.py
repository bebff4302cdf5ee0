"""RFC 9457 problem details: the one shape of every REST error."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from starlette.responses import JSONResponse

from api.errors import FieldError

PROBLEM_JSON = "application/problem+json"


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


def problem(
    status: int,
    detail: str,
    *,
    instance: str | None = None,
    errors: Sequence[FieldError] = (),
    type: str = "about:blank",
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> ProblemResponse:
    """A problem+json response; `title` is the status phrase, as RFC 9457 asks of about:blank."""
    body: dict[str, Any] = {
        "type": type,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance is not None:
        body["instance"] = instance
    if errors:
        body["errors"] = [{"field": error.field, "message": error.message} for error in errors]
    if extra:
        body.update(extra)
    return ProblemResponse(body, status_code=status, headers=dict(headers or {}))
