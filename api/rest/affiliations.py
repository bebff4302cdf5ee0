"""`/v1/affiliations`: an actor's roles in organisations and states, as records of their own."""

from __future__ import annotations

from typing import Any

from api.rest.routing import Body, Call, OperationLink, Registry
from api.rest.schemas import AffiliationResource
from api.rest.writes import Resource, writable
from api.store.affiliations import AFFILIATION
from api.store.kit.views import View

routes = Registry()
AFFILIATION_VIEW = View.of(AFFILIATION, AffiliationResource)


@routes.get(
    "/v1/affiliations/{id}",
    operation_id="getAffiliation",
    tag="actors",
    response=AffiliationResource,
    links={
        "GetActor": OperationLink("getActor", {"id": "$response.body#/actor/id"}),
        "GetOrganization": OperationLink("getActor", {"id": "$response.body#/organization/id"}),
    },
)
async def get_affiliation(call: Call[Any]) -> Body:
    """Get an affiliation: who holds which role where, and the span that says so."""
    return await call.one(AFFILIATION_VIEW)


writable(
    routes,
    Resource(AFFILIATION_VIEW, "actors"),
)
