"""What a database outage looks like: the one place that tells one from a bug.

Both drivers (SQLAlchemy's pool over asyncpg, and the raw asyncpg pool) report a server that
is down, restarting, overloaded or cut off in their own ways: `OSError` from the socket,
asyncpg's SQLSTATE classes, SQLAlchemy wrappers around either, timeouts. `outage(error)`
reads an exception (and its causes) and says whether it is one of those, as the domain's
`DatabaseUnavailable`; engine.py applies it at the drivers' edges so that the store and the
transports only ever see `DatabaseUnavailable`, and anything else stays a bug (a masked 500).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import asyncpg
import sqlalchemy.exc

from api.errors import DatabaseUnavailable, QueryTimeout

#: SQLSTATE classes and codes that mean "the server cannot serve now" rather than "bad query".
#: 08: connection exception; 53: insufficient resources (53300 too many connections);
#: 57P01/57P02/57P03: admin shutdown, crash shutdown, cannot connect now (starting up,
#: shutting down, or "the database system is in recovery mode"); 3D000: the database is not
#: there (dropped, or not created yet): the server is up but cannot serve this service.
_UNAVAILABLE_CLASSES = ("08", "53")
_UNAVAILABLE_CODES = frozenset({"57P01", "57P02", "57P03", "3D000"})
#: 57014: query_canceled, which is what `statement_timeout` raises.
_TIMEOUT_CODE = "57014"


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, what SQLAlchemy wraps (`orig`), and their explicit causes, a few deep.

    Only `raise … from` causes count, not the implicit `__context__`: an unrelated bug raised
    while some socket error was being handled must stay a bug.
    """
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending and len(seen) < 8:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        pending.extend([current.__cause__, orig if isinstance(orig, BaseException) else None])


def translate(
    error: BaseException, on_outage: Callable[[str], None] | None
) -> DatabaseUnavailable | None:
    """`outage(error)`, reported to `on_outage` by the driver error's name; an error that a
    layer below already translated (and reported) is passed on as it is."""
    unavailable = outage(error)
    if unavailable is not None and unavailable is not error and on_outage is not None:
        on_outage(type(error).__name__)
    return unavailable


def outage(error: BaseException) -> DatabaseUnavailable | None:
    """`error` as a DatabaseUnavailable if it means the database cannot serve now, else None."""
    if isinstance(error, DatabaseUnavailable):
        return error
    for link in _chain(error):
        sqlstate = getattr(link, "sqlstate", None)
        if isinstance(sqlstate, str):
            if sqlstate == _TIMEOUT_CODE:
                return QueryTimeout()
            if sqlstate.startswith(_UNAVAILABLE_CLASSES) or sqlstate in _UNAVAILABLE_CODES:
                return DatabaseUnavailable.default()
        if isinstance(link, sqlalchemy.exc.TimeoutError):
            return DatabaseUnavailable("no free database connection in time; retry shortly")
        if isinstance(link, OSError):  # refused, reset, unreachable; TimeoutError too
            return DatabaseUnavailable.default()
        if isinstance(link, asyncpg.InterfaceError) and "connection is closed" in str(link):
            return DatabaseUnavailable.default()
        # NOTE: a backend that is terminated (or whose postmaster died) sends a FATAL error on
        # its idle connection just before closing it; a query sent in between finds asyncpg's
        # protocol out of step ("another operation is in progress"). The connection is dead.
        if isinstance(link, asyncpg.InternalClientError):
            return DatabaseUnavailable.default()
        if isinstance(link, sqlalchemy.exc.DBAPIError) and link.connection_invalidated:
            return DatabaseUnavailable.default()
    return None
