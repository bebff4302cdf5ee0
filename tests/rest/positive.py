"""schemathesis's positive cases made valid where the schema cannot say what valid is.

- Opaque cursors: a schema-valid random string is not a cursor the API issued, so the
  `cursor` parameter is replaced by the `next_cursor` of the same query's first page (or
  dropped when there is none).
- Date ranges: each bound is schema-valid alone, but a range whose start is after its end
  asks for nothing and is refused (400); the bounds are put in order.
- Search queries: any text is schema-valid, but one with no word to search for (only
  punctuation, or only words such as "the") is refused (400); `q` gets words.

Negative cases are left alone and must get a 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api.store.dates import period

Get = Callable[[str, dict[str, Any]], Any]


RANGES = (("said_after", "said_before"), ("after", "before"))


def positive(case: Any, get: Get) -> None:
    """Rewrite a positive case's query in place."""
    if not case.meta or not case.meta.generation.mode.is_positive:
        return
    ordered_dates(case)
    searchable(case)
    issued_cursor(case, get)


#: Searches with words to search for, cycled through.
SEARCHES = ['"colour revolution"', "coup or revol*", "Tokaev", "foreign -nato"]


def searchable(case: Any) -> None:
    query = case.query or {}
    if "q" in query:
        query["q"] = SEARCHES[len(str(query["q"])) % len(SEARCHES)]


def ordered_dates(case: Any) -> None:
    query = case.query or {}
    for first, last in RANGES:
        if first in query and last in query:
            low, high = period(str(query[first])), period(str(query[last]))
            if low.start >= high.end:
                query[first], query[last] = query[last], query[first]


def issued_cursor(case: Any, get: Get) -> None:
    query = case.query or {}
    if "cursor" not in query:
        return
    first = {name: value for name, value in query.items() if name != "cursor"}
    first["limit"] = 1
    response = get(case.formatted_path, first)
    cursor = response.json().get("next_cursor") if response.status_code == 200 else None
    if cursor:
        query["cursor"] = cursor
    else:
        del query["cursor"]
