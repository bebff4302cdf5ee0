"""schemathesis's positive cases made valid where the schema cannot say what valid is.

- Opaque cursors: a schema-valid random string is not a cursor the API issued, so the
  `cursor` parameter is replaced by the `next_cursor` of the same query's first page (or
  dropped when there is none).
- Date ranges: each bound is schema-valid alone, but a range whose start is after its end
  asks for nothing and is refused (400); the bounds are put in order.
- Searches: a `q` with nothing to search for (no word characters, or only stop words such as
  "the") is refused (400), which no pattern can say; such a `q` becomes a real word.
- Idempotency keys: schemathesis draws the same short strings again, and a repeated key
  rightly replays its first answer (whose record a later step may have deleted); each case
  gets a key of its own, as a client makes one per request.

Negative cases are left alone and must get a 400.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from api.dates import period

Get = Callable[[str, dict[str, Any]], Any]


RANGES = (("said_after", "said_before"), ("after", "before"))


def positive(case: Any, get: Get) -> None:
    """Rewrite a positive case's query in place."""
    if not case.meta or not case.meta.generation.mode.is_positive:
        return
    ordered_dates(case)
    searchable(case, get)
    issued_cursor(case, get)
    own_idempotency_key(case)


def own_idempotency_key(case: Any) -> None:
    headers = case.headers or {}
    for name in list(headers):
        if name.lower() == "idempotency-key":
            headers[name] = uuid.uuid4().hex


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


#: How the API refuses a search with nothing to search for (api/store/search.py and the
#: search_query function of migration 0008).
NOTHING_TO_SEARCH = ("is empty: give words to search for", "nothing to search for")


def searchable(case: Any, get: Get) -> None:
    query = case.query or {}
    if "q" not in query or case.formatted_path != "/v1/search":
        return
    response = get(case.formatted_path, {"q": query["q"], "limit": 1})
    if response.status_code != 400:
        return
    messages = [error["message"] for error in response.json().get("errors", [])]
    if any(message.startswith(NOTHING_TO_SEARCH) for message in messages):
        query["q"] = "revolution"
