"""Records a list's filters name: a filter naming one that does not exist is the client's
mistake (a misspelling, a name where an id belongs), answered as such, with candidates.

`speaker=Putin` narrows nothing: no actor has that id. Rather than an empty page, the client
learns that no actor is `Putin` and which actors it may mean (`vladimir-putin`): records whose
name reads like the words given (trigram word similarity on the column each kind is named
by, through its trigram index), or whose id does. The check runs only when a list comes out
empty, since a row that matched every filter proves the records they name exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg

from api.errors import NotFound
from api.store.kit.entity import Entity, registered
from api.store.kit.filters import ValueKind

#: How many candidates a refusal names at most.
CANDIDATES = 3


def _candidates_sql(entity: Entity) -> str:
    """The ids of records like `$1` (their name, or their id), best first."""
    table = entity.table.name
    label = entity.named_by or "id"
    return (
        f'SELECT id FROM "{table}" '  # noqa: S608 (names from the registry, not the client)
        f"WHERE $1 <% {label} OR id % $1 "
        f"ORDER BY greatest(word_similarity($1, {label}), similarity(id, $1)) DESC, id "
        f"LIMIT {CANDIDATES}"
    )


async def check(connection: asyncpg.Connection, entity: Entity, given: Mapping[str, Any]) -> None:
    """Raise NotFound, with candidates, for the first filter of `given` (the client's values,
    by filter name) that names a record that does not exist."""
    for item in entity.filters:
        value = given.get(item.name)
        if item.kind is not ValueKind.ID or item.refers_to is None or not isinstance(value, str):
            continue
        named = registered(type_name=item.refers_to)
        exists = f'SELECT EXISTS (SELECT 1 FROM "{named.table.name}" WHERE id = $1)'  # noqa: S608
        if await connection.fetchval(exists, value):
            continue
        similar = words(value)
        candidates = [row["id"] for row in await connection.fetch(_candidates_sql(named), similar)]
        raise NotFound(named.name, value, field=item.parameter or item.name, candidates=candidates)


def words(value: str) -> str:
    """A slug's words as a person would type them (`vladimir-putin`: `vladimir putin`)."""
    return value.replace("-", " ").strip()
