"""The one error vocabulary: raised by the store and the loader, translated once per transport.

REST renders these as problem+json, GraphQL as errors with `extensions.code`, the CLI as a
message and exit code 1. No transport ever sees a database exception.
"""

from __future__ import annotations

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

    def __init__(self, entity: str, id: str) -> None:
        super().__init__(f"no {entity} with id {id!r}")
        self.entity = entity
        self.id = id


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

    def __init__(self, message: str, quote: str) -> None:
        super().__init__(message)
        self.quote = quote


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
