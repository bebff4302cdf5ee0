"""The one error vocabulary: raised by the store and the loader, translated once per transport.

REST renders these as problem+json, GraphQL as errors with `extensions.code`, the CLI as a
message and exit code 1. No transport ever sees a database exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One invalid input: where it is and what is wrong with it."""

    field: str
    message: str


class ClaimgraphError(Exception):
    """Base of every error the service reports to a client."""

    code = "ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ClaimgraphError):
    """Raised when no entity of the requested kind has the requested id."""

    code = "NOT_FOUND"

    def __init__(
        self, entity: str, id: str, *, field: str = "id", candidates: Sequence[str] = ()
    ) -> None:
        message = f"no {entity} with id {id!r}"
        if field != "id":
            message += f" (`{field}`)"
        if candidates:
            message += f"; did you mean {', '.join(candidates)}?"
        super().__init__(message)
        self.entity = entity
        self.id = id
        #: The input that named it: the path's `id`, or a filter.
        self.field = field
        #: Ids of records with similar names or ids, best first.
        self.candidates = list(candidates)


class InvalidArgument(ClaimgraphError):
    """Raised when a filter, limit, sort or date given by a client is malformed."""

    code = "BAD_ARGUMENT"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{error.field}: {error.message}" for error in errors))
        self.errors = errors

    @classmethod
    def single(cls, field: str, message: str) -> InvalidArgument:
        return cls([FieldError(field, message)])


class InvalidCursor(InvalidArgument):
    """Raised when a pagination cursor was not issued by this API for this list and sort."""

    code = "BAD_CURSOR"

    def __init__(self, field: str = "cursor") -> None:
        super().__init__([FieldError(field, "not a cursor issued for this list and sort")])


class SpanMismatch(ClaimgraphError):
    """Raised when a quote is not the text of its span (or not in the source at all)."""

    code = "SPAN_MISMATCH"

    def __init__(self, message: str, quote: str, field: str = "quote") -> None:
        super().__init__(message)
        self.quote = quote
        self.field = field


@dataclass(frozen=True)
class FixtureProblem:
    """One thing wrong with a fixture: the file, the entry in it, and what is wrong."""

    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.message}"


class FixtureError(ClaimgraphError):
    """Raised when fixtures cannot be loaded; lists every problem found, not just the first."""

    code = "BAD_FIXTURE"

    def __init__(self, problems: list[FixtureProblem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


class DatabaseUnavailable(ClaimgraphError):
    """Raised when PostgreSQL cannot serve now: down, restarting, overloaded or cut off."""

    code = "DATABASE_UNAVAILABLE"
    #: Seconds a client should wait before retrying (the `Retry-After` header): about what
    #: a supervised restart of the embedded server takes.
    retry_after = 2

    @classmethod
    def default(cls) -> DatabaseUnavailable:
        return cls("the database is unavailable; retry shortly")


class QueryTimeout(DatabaseUnavailable):
    """Raised when a statement ran longer than the statement timeout and was cancelled."""

    code = "QUERY_TIMEOUT"

    def __init__(self) -> None:
        super().__init__("the request took longer than the database allows; retry shortly")


class InvalidBody(InvalidArgument):
    """Raised when a request body is well-formed but its content is not valid (a missing or
    malformed field, an unknown reference, a rule across fields)."""

    code = "VALIDATION_FAILED"


class MalformedBody(ClaimgraphError):
    """Raised when a request body cannot be parsed at all (not JSON, not YAML, not UTF-8)."""

    code = "MALFORMED_BODY"


class UnsupportedMediaType(ClaimgraphError):
    """Raised when a body comes in a media type the operation does not take."""

    code = "UNSUPPORTED_MEDIA_TYPE"

    def __init__(self, given: str, accepted: tuple[str, ...]) -> None:
        super().__init__(
            f"a body of type {given or '(none)'!r} is not accepted here; send "
            + " or ".join(accepted)
        )
        self.accepted = accepted


class Unauthorized(ClaimgraphError):
    """Raised when a write comes without an API key, or with one that is unknown or revoked."""

    code = "UNAUTHORIZED"

    def __init__(self, message: str, *, invalid_token: bool) -> None:
        super().__init__(message)
        self.invalid_token = invalid_token


class Forbidden(ClaimgraphError):
    """Raised when an API key lacks the scope an operation needs."""

    code = "FORBIDDEN"

    def __init__(self, scope: str) -> None:
        super().__init__(f"this operation needs an API key with the {scope!r} scope")
        self.scope = scope


class PreconditionRequired(ClaimgraphError):
    """Raised when a change comes without `If-Match`: it could overwrite a change unseen."""

    code = "PRECONDITION_REQUIRED"


class PreconditionFailed(ClaimgraphError):
    """Raised when the record changed since the client read it (a stale ETag or version)."""

    code = "VERSION_CONFLICT"

    def __init__(self, entity: str, id: str, version: int, etag: str | None = None) -> None:
        super().__init__(
            f"{entity} {id!r} is not as you read it: it changed since, or what it shows of "
            f"other records did (it is at version {version}); read it again and reapply "
            "your change"
        )
        self.entity = entity
        self.id = id
        self.version = version
        self.etag = etag


@dataclass(frozen=True)
class Referrer:
    """A record that refers to another: what kind, and which."""

    entity: str
    id: str


class Conflict(ClaimgraphError):
    """Base of the refusals that depend on what is stored: a taken id, a record in use."""

    code = "CONFLICT"


class AlreadyExists(Conflict):
    """Raised when a record is created with an id that its kind already uses."""

    code = "ALREADY_EXISTS"

    def __init__(self, entity: str, id: str) -> None:
        super().__init__(f"a {entity} with id {id!r} already exists")
        self.entity = entity
        self.id = id


class StillReferenced(Conflict):
    """Raised when a record to delete is still referred to: provenance is never cascaded away."""

    code = "STILL_REFERENCED"

    def __init__(self, entity: str, id: str, referrers: list[Referrer]) -> None:
        listed = ", ".join(f"{item.entity} {item.id}" for item in referrers)
        super().__init__(
            f"{entity} {id!r} is still referred to by {listed}; change or delete those first"
        )
        self.entity = entity
        self.id = id
        self.referrers = referrers


@dataclass(frozen=True)
class LostQuote:
    """A span that a new source text cannot carry: its quote is gone, or found more than once."""

    entity: str
    id: str
    quote: str
    reason: str


class ReanchorFailed(Conflict):
    """Raised when a source's new text loses or blurs a quote that points into it."""

    code = "REANCHOR_FAILED"

    def __init__(self, source: str, lost: list[LostQuote]) -> None:
        listed = "; ".join(f"{item.entity} {item.id}: {item.reason}" for item in lost)
        super().__init__(f"the new text of source {source!r} cannot carry every quote: {listed}")
        self.source = source
        self.lost = lost


class IdempotencyKeyReused(InvalidBody):
    """Raised when an `Idempotency-Key` comes back with another request than its first."""

    code = "IDEMPOTENCY_KEY_REUSED"

    def __init__(self) -> None:
        super().__init__(
            [
                FieldError(
                    "Idempotency-Key",
                    "already used for another request: send a new key for a new request",
                )
            ]
        )
