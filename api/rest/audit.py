"""`/v1/audit`: every write, with the key that made it and the record before and after."""

from __future__ import annotations

from typing import Any

from api.rest.routing import Body, Call, Registry
from api.rest.schemas import AuditEntry, AuditList, query_model
from api.store.audit import AUDIT
from api.store.kit.views import View
from api.vocabulary import Scope

routes = Registry()
ENTRY = View.of(AUDIT, AuditEntry)
AuditQuery = query_model("AuditQuery", AUDIT)


@routes.get(
    "/v1/audit",
    operation_id="listAudit",
    tag="audit",
    response=AuditList,
    query=AuditQuery,
    scope=Scope.ADMIN,
)
async def list_audit(call: Call[Any]) -> Body:
    """List the audit log: one entry per write, oldest first unless sorted.

    Needs an API key with the `admin` scope. Filter by `entity`, `id` (the record's) and
    `key` (the API key's name)."""
    return await call.page(ENTRY)
