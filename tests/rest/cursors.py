"""Opaque cursors for schemathesis: a positive case gets one the API really issued.

A schema-valid random string is not a cursor the API issued, so for positive cases the
`cursor` parameter is replaced by the `next_cursor` of the same query's first page (or
dropped when there is none); negative cases keep their garbage and must get a 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Get = Callable[[str, dict[str, Any]], Any]


def issued_cursor(case: Any, get: Get) -> None:
    query = case.query or {}
    if "cursor" not in query or not case.meta or not case.meta.generation.mode.is_positive:
        return
    first = {name: value for name, value in query.items() if name != "cursor"}
    first["limit"] = 1
    response = get(case.formatted_path, first)
    cursor = response.json().get("next_cursor") if response.status_code == 200 else None
    if cursor:
        query["cursor"] = cursor
    else:
        del query["cursor"]
