"""`/v1/keys/current`: which API key a client holds, and what it may do."""

from __future__ import annotations

from typing import Any

from api.rest.routing import Body, Call, Registry
from api.rest.schemas import CurrentKey
from api.vocabulary import Scope

routes = Registry()


@routes.get(
    "/v1/keys/current",
    operation_id="getCurrentKey",
    tag="audit",
    response=CurrentKey,
    scope=Scope.READ,
)
async def get_current_key(call: Call[Any]) -> Body:
    """Get the API key this request is sent with: its name and scopes.

    A frontend's "sign in" check: 401 for no key or an unknown or revoked one (the
    `WWW-Authenticate` header says which), else the key's name and what it may do."""
    assert call.writer is not None
    found = CurrentKey(name=call.writer.key, scopes=sorted(call.writer.scopes))
    return Body(found.model_dump_json().encode())
