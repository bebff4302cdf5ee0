"""The audit log: one row per write (api/store/writes/transaction.py), read by admins and
as history.

Entries are listed in the order they were written (by their identity number), oldest or
newest first. `GET /v1/audit` filters them by entity, id and key; each GraphQL type's
`history` is the entries of its record.
"""

from __future__ import annotations

from sqlalchemy.sql import ColumnElement, FromClause

from api.store.kit.entity import Entity
from api.store.kit.filters import Filter, ValueKind, Values, equals
from api.store.kit.pagination import Sort, int_key

# Keyed on the entry's number, which follows the order of writing.
SORTS = {
    "at": Sort("at", (int_key("id"),), "Oldest first."),
    "-at": Sort("-at", (int_key("id"),), "Newest first.", descending=True),
}
DEFAULT_SORT = "at"
FILTERS = (
    Filter(
        "entity", ValueKind.TEXT, "Only writes to records of this kind (`statement`, `source`, ...)"
    ),
    Filter("id", ValueKind.TEXT, "Only writes to the record with this id"),
    Filter("key", ValueKind.TEXT, "Only writes made with the API key of this name"),
)

_equal = equals({"entity": "entity", "id": "entity_id", "key": "api_key_id"})


def conditions(row: FromClause, values: Values) -> list[ColumnElement[bool]]:
    return _equal(row, values)


def key(row: FromClause) -> ColumnElement[str]:
    """The name of the API key that wrote (an admin's view: GraphQL's history leaves it out)."""
    return row.c.api_key_id


AUDIT = Entity(
    name="audit_log",
    type_name="AuditEntry",
    fields={
        "id": "Entries are numbered in the order they were written.",
        "at": "When the write was made.",
        "key": "The name of the API key that wrote.",
        "action": "`create`, `update` or `delete`.",
        "entity": "The kind of record written.",
        "entity_id": "The id of the record written.",
        "request_id": "The `X-Request-ID` of the request that wrote.",
        "before": "The row before the write; null for a create.",
        "after": "The row after the write; null for a delete.",
    },
    sorts=SORTS,
    default_sort=DEFAULT_SORT,
    filters=FILTERS,
    conditions=conditions,
    computed={"key": key},
)
